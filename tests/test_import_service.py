"""Importing into a tenant on real PostgreSQL: all-or-nothing, idempotent, history-keeping,
and confined to the tenant it was given."""

from __future__ import annotations

from datetime import date

import pytest

from ekinerja.kepegawaian.importer import import_pegawai, import_unor, read_rows
from ekinerja.kepegawaian.importer.writer import FIRST_VERSION_FROM
from ekinerja.models.tenant import (
    AuditEvent,
    Jabatan,
    OutboxEvent,
    Pegawai,
    Penugasan,
    UnitKerjaVersi,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import TenantNotFound
from ekinerja.tenants.registry import as_bound
from tests.support.kepegawaian_db import table_counts, write_file
from tests.support.pegawai_rows import BIDANG, DINAS, ROOT, nip, row, small_agency

AS_OF = date(2026, 1, 15)
NOTHING = {
    "UnitKerja": 0,
    "UnitKerjaVersi": 0,
    "Jabatan": 0,
    "Pegawai": 0,
    "Penugasan": 0,
    "AuditEvent": 0,
}


def _counts(result) -> dict[str, tuple[int, int, int]]:
    return {name: (c.created, c.updated, c.unchanged) for name, c in result.counts().items()}


async def announced(instansi) -> dict[str, int]:
    async with tenant_transaction(as_bound(instansi)):
        jenis = await OutboxEvent.all().values_list("jenis", flat=True)
    return {j: jenis.count(j) for j in sorted(set(jenis))}


async def _import(instansi, rows, source="test.csv"):
    return await import_pegawai(instansi.kode, rows, actor="test", source=source, as_of=AS_OF)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_a_file_with_bad_rows_writes_nothing_and_reports_every_bad_row(
    tenant, tmp_path, suffix
):
    rows = small_agency()
    rows.insert(1, row(NIP="19860926201505100", NAMA="Too Short"))  # row 3
    rows.insert(3, row(NIP=nip(41), GOLONGAN="IX"))  # row 5
    rows.append(row(NIP=nip(42), UNOR_ID="U-X", UNOR_NAMA="X", UNOR_ATASAN_ID="U-NONE"))  # 10
    rows.append(row(NIP=nip(43), TMT_JABATAN="31-02-2024", EMAIL="nobody"))  # row 11
    path = write_file(tmp_path / f"pegawai{suffix}", rows)

    result = await _import(tenant, read_rows(path), source=path.name)

    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "NIP"),
        (5, "GOLONGAN"),
        (10, "UNOR_ATASAN_ID"),
        (11, "EMAIL"),
        (11, "TMT_JABATAN"),
    ]
    assert "18 digits" in result.errors[0].reason
    assert "not a PNS golongan" in result.errors[1].reason
    assert "U-NONE is neither a UNOR_ID in this file nor a unit" in result.errors[2].reason
    assert await table_counts(tenant) == NOTHING


async def test_importing_the_same_file_twice_changes_nothing_the_second_time(tenant):
    first = await _import(tenant, small_agency())
    after_first = await table_counts(tenant)
    second = await _import(tenant, small_agency())

    assert first.ok and second.ok
    assert _counts(first) == {
        "units": (3, 0, 0),
        "jabatan": (6, 0, 0),
        "pegawai": (6, 0, 0),
        "penugasan": (6, 0, 0),
    }
    assert _counts(second) == {
        "units": (0, 0, 3),
        "jabatan": (0, 0, 6),
        "pegawai": (0, 0, 6),
        "penugasan": (0, 0, 6),
    }
    after_second = await table_counts(tenant)
    assert after_second == after_first | {"AuditEvent": 2}
    assert after_first == {
        "UnitKerja": 3,
        "UnitKerjaVersi": 3,
        "Jabatan": 6,
        "Pegawai": 6,
        "Penugasan": 6,
        "AuditEvent": 1,
    }
    async with tenant_transaction(as_bound(tenant)):
        event = await AuditEvent.filter(action="import.pegawai").order_by("id").first()
        versions = await UnitKerjaVersi.all()
        sekda = await Jabatan.get(nama="Sekretaris Daerah")
    assert event.actor == "test"
    assert event.detail["file"] == "test.csv" and event.detail["rows"] == 6
    assert event.detail["pegawai"] == {"created": 6, "updated": 0, "unchanged": 0}
    assert {v.berlaku_mulai for v in versions} == {FIRST_VERSION_FROM}
    assert (sekda.kepala_unit, sekda.penilai_eksternal_jabatan) == (True, "Bupati Contoh")
    # Each new pegawai and each first position is announced once; the unchanged re-import
    # announces nothing.
    assert await announced(tenant) == {"pegawai.dibuat": 6, "pegawai.mutasi": 6}


async def test_changes_update_in_place_and_a_mutasi_or_rename_keeps_history(tenant):
    await _import(tenant, small_agency())
    changed = small_agency()
    previous_head_nip = changed[1]["NIP"]
    changed[1] = row(  # a new Kepala Dinas; the previous one is not in the file
        NIP=nip(7, born="19760606", tmt="200103"),
        NAMA="Rudi Hartono",
        GOLONGAN="IV/b",
        JABATAN_NAMA="Kepala Dinas Komunikasi dan Informatika",
        JENIS_JABATAN="JPT_PRATAMA",
        JENJANG="",
        KEPALA_UNIT="Y",
        TMT_JABATAN="2025-01-02",
    )
    changed[2].update(NAMA="Budi Santoso Wibowo", GOLONGAN="III/b")
    changed[3].update(  # mutasi: Dewi moves from the Dinas to the Bidang
        UNOR_ID=BIDANG,
        UNOR_NAMA="Bidang Aplikasi Informatika",
        UNOR_ATASAN_ID=DINAS,
        JABATAN_NAMA="Pranata Komputer Ahli Pertama",
        JENIS_JABATAN="FUNGSIONAL",
        JENJANG="AHLI_PERTAMA",
        TMT_JABATAN="2024-07-01",
    )
    for cells in changed:
        if cells["UNOR_ID"] == DINAS:
            cells["UNOR_NAMA"] = "Dinas Komunikasi, Informatika dan Statistik"

    async with tenant_transaction(as_bound(tenant)):
        before = (await OutboxEvent.all().order_by("-id").first()).id
    result = await _import(tenant, changed)

    assert result.ok, result.errors
    assert _counts(result) == {
        "units": (0, 1, 2),
        "jabatan": (0, 0, 5),
        "pegawai": (1, 1, 4),
        "penugasan": (2, 2, 4),
    }
    async with tenant_transaction(as_bound(tenant)):
        budi = await Pegawai.get(nip=nip(3))
        dinas_versions = await UnitKerjaVersi.filter(unit__siasn_id=DINAS).order_by("id")
        dewi = (
            await Penugasan.filter(pegawai__nip=changed[3]["NIP"])
            .order_by("id")
            .prefetch_related("jabatan__unit")
        )
        previous_head = await Penugasan.get(pegawai__nip=previous_head_nip)
        pegawai_count = await Pegawai.all().count()
    assert (budi.nama, budi.golongan) == ("Budi Santoso Wibowo", "III/b")
    assert [(v.nama, v.berlaku_mulai, v.berlaku_sampai) for v in dinas_versions] == [
        ("Dinas Komunikasi dan Informatika", FIRST_VERSION_FROM, AS_OF),
        ("Dinas Komunikasi, Informatika dan Statistik", AS_OF, None),
    ]
    assert [
        (p.jabatan.unit.siasn_id, p.jabatan.nama, p.berlaku_mulai, p.berlaku_sampai) for p in dewi
    ] == [
        (DINAS, "Pengadministrasi Perkantoran", date(2020, 1, 1), date(2024, 7, 1)),
        (BIDANG, "Pranata Komputer Ahli Pertama", date(2024, 7, 1), None),
    ]
    # A head seat is single: its holder not in the file leaves it on the new TMT, and stays.
    assert previous_head.berlaku_sampai == date(2025, 1, 2)
    assert pegawai_count == 7
    async with tenant_transaction(as_bound(tenant)):
        events = await OutboxEvent.filter(id__gt=before).order_by("id").values("jenis", "data")
    assert sorted((e["jenis"], e["data"]["nip"]) for e in events) == sorted([
        ("pegawai.dibuat", nip(7, born="19760606", tmt="200103")),
        ("pegawai.diubah", nip(3)),
        ("pegawai.mutasi", nip(7, born="19760606", tmt="200103")),
        ("pegawai.mutasi", changed[3]["NIP"]),
    ])  # fmt: skip
    budi_event = next(e["data"] for e in events if e["jenis"] == "pegawai.diubah")
    assert (budi_event["nama"], budi_event["golongan"]) == ("Budi Santoso Wibowo", "III/b")
    dewi_event = next(e["data"] for e in events if e["data"]["nip"] == changed[3]["NIP"])
    assert dewi_event == {"nip": changed[3]["NIP"], "jabatan": "Pranata Komputer Ahli Pertama",
                          "unitSiasnId": BIDANG, "tmtJabatan": "2024-07-01"}  # fmt: skip

    announced_before = await announced(tenant)
    again = await _import(tenant, changed)
    assert await announced(tenant) == announced_before
    assert {name: c[:2] for name, c in _counts(again).items()} == {
        "units": (0, 0),
        "jabatan": (0, 0),
        "pegawai": (0, 0),
        "penugasan": (0, 0),
    }


async def test_a_new_head_jabatan_for_a_unit_demotes_the_old_one(tenant):
    await _import(tenant, small_agency())
    rows = small_agency()
    rows[4].update(JABATAN_NAMA="Kepala Bidang Aplikasi dan Persandian", TMT_JABATAN="2025-03-01")

    result = await _import(tenant, rows)

    assert result.ok, result.errors
    assert result.jabatan.created == 1 and result.jabatan.updated == 1
    async with tenant_transaction(as_bound(tenant)):
        heads = await Jabatan.filter(unit__siasn_id=BIDANG, kepala_unit=True).values_list(
            "nama", flat=True
        )
    assert heads == ["Kepala Bidang Aplikasi dan Persandian"]


async def test_a_mutasi_dated_before_the_current_assignment_is_refused(tenant):
    await _import(tenant, small_agency())
    before = await table_counts(tenant)
    rows = small_agency()
    rows[3].update(JABATAN_NAMA="Penata Layanan Operasional", TMT_JABATAN="2019-12-31")

    result = await _import(tenant, rows)

    assert [(e.row, e.column) for e in result.errors] == [(5, "TMT_JABATAN")]
    assert "2019-12-31 is not after 2020-01-01" in result.errors[0].reason
    assert await table_counts(tenant) == before


async def test_a_column_the_file_lacks_leaves_that_field_alone(tenant):
    await _import(tenant, small_agency())
    without = [
        {k: v for k, v in cells.items() if k not in ("EMAIL", "GOLONGAN", "STATUS")}
        for cells in small_agency()
    ]

    result = await _import(tenant, without)

    assert result.ok and result.pegawai.unchanged == 6
    async with tenant_transaction(as_bound(tenant)):
        budi = await Pegawai.get(nip=nip(3))
    assert (budi.email, budi.golongan) == ("budi.santoso@example.go.id", "III/a")


async def test_an_import_never_touches_another_tenant(tenant, other_tenant):
    assert (await _import(tenant, small_agency())).ok

    assert await table_counts(other_tenant) == NOTHING

    # The same SIASN ids and NIPs in the other tenant are that tenant's own rows.
    assert _counts(await _import(other_tenant, small_agency()))["pegawai"] == (6, 0, 0)
    assert (await table_counts(tenant))["AuditEvent"] == 1


async def test_units_can_be_imported_on_their_own_and_pegawai_hang_below_them(tenant):
    units = [
        {"UNOR_ID": ROOT, "UNOR_NAMA": "Sekretariat Daerah", "UNOR_ATASAN_ID": ""},
        {"UNOR_ID": DINAS, "UNOR_NAMA": "Dinas Komunikasi dan Informatika",
         "UNOR_ATASAN_ID": ROOT},
        {"UNOR_ID": "U-VACANT", "UNOR_NAMA": "Dinas Tanpa Pegawai", "UNOR_ATASAN_ID": ROOT},
    ]  # fmt: skip
    unor = await import_unor(tenant.kode, units, actor="test", source="unor.csv", as_of=AS_OF)
    assert unor.ok and _counts(unor)["units"] == (3, 0, 0)

    # The Bidang's parent (the Dinas) is only in the tenant, not in this file.
    result = await _import(tenant, small_agency()[4:])

    assert result.ok, result.errors
    assert _counts(result)["units"] == (1, 0, 0)
    counts = await table_counts(tenant)
    assert (counts["UnitKerja"], counts["UnitKerjaVersi"], counts["Pegawai"]) == (4, 4, 2)


async def test_an_unknown_tenant_is_refused_before_anything_else(database):
    with pytest.raises(TenantNotFound):
        await import_pegawai("NOSUCH1", small_agency(), actor="test", source="x.csv")
