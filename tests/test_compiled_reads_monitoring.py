"""The penilai's monitoring page on the compiled read path (issue 17): the same answers as
pelaksanaan/monitoring.py's resolvers for the same data (counts this week and month, per RHK,
evidence share rounded as Python rounds it), paged and counted alike, in one statement."""

from __future__ import annotations

from datetime import date, time

import pytest

from ekinerja.auth.principal import Role
from ekinerja.models.tenant import BuktiDukung, Indikator, ProgresHarian, Realisasi
from ekinerja.pelaksanaan.enums import JenisBukti, StatusBukti
from ekinerja.skp.enums import AspekIki
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import plan, skp_for

FIELDS = """skpId pegawaiId nama nip progresTerakhir progresMingguIni progresBulanIni
  indikator indikatorTerealisasi realisasiBerbukti kelengkapanBuktiPersen __typename
  rhk { rhkId teks indikator indikatorTerealisasi progresPeriode __typename }"""

MONITOR = f"""query($periode: String!, $tanggal: Date, $first: Int = 20, $after: String,
    $penilai: ID) {{
  monitoringPelaksanaan(tahun: 2026, periode: $periode, tanggal: $tanggal, first: $first,
    after: $after, penilaiId: $penilai) {{
    totalCount nodes {{ {FIELDS} }} edges {{ cursor node {{ nip }} }}
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"""


async def _log(skp, pegawai_id: int, rencana_aksi_id: int, day: date, periode="2026-T1"):
    await ProgresHarian.create(
        rencana_aksi_id=rencana_aksi_id,
        skp=skp,
        pegawai_id=pegawai_id,
        periode=periode,
        tanggal=day,
        jam_mulai=time(8),
        jam_selesai=time(9),
        kegiatan="Kerja",
        realisasi=1,
        satuan="X",
    )


@pytest.fixture(scope="module")
def tenant(module_tenant):
    """One instansi, team and seed for the module (the conftest's are one per test): every
    test here only reads them (another instansi's rows go to ``other_tenant``)."""
    return module_tenant


@pytest.fixture(scope="module")
def team(module_team):
    return module_team


@pytest.fixture(scope="module")
async def monitored(tenant, team):
    """Besides the team's staf, three more appraised by kasi: one with a third of its
    realisasi evidenced (33.33 %), one with two thirds (66.67 %), one with nothing logged; and
    a snapshot without a name (sorted first, as '')."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        for n, evidenced in ((1, 1), (2, 2), (3, None)):
            pegawai = await org.pegawai(f"Bawahan {n}")
            skp = await skp_for(pegawai, team.kasi)
            if evidenced is None:
                continue
            for m in range(3):
                rhk, ra = await plan(skp, f"Hasil {n}.{m}")
                indikator = await Indikator.create(
                    rhk=rhk, teks="Jumlah", aspek=AspekIki.KUANTITAS, target_min=4, satuan="X"
                )
                realisasi = await Realisasi.create(
                    indikator=indikator, skp=skp, periode="2026-T1", kuantitas=1
                )
                if m <= evidenced:  # the one after them: an upload never confirmed
                    confirmed = m < evidenced
                    await BuktiDukung.create(
                        jenis=JenisBukti.TAUTAN if confirmed else JenisBukti.BERKAS,
                        status=StatusBukti.TERSEDIA if confirmed else StatusBukti.MENUNGGU_UNGGAHAN,
                        pemilik_pegawai_id=pegawai.id,
                        skp=skp,
                        realisasi=realisasi,
                        nama="Folder",
                        tautan="https://drive.example/x" if confirmed else None,
                    )
                # Sunday 1 Feb (last week, this month), Monday 2 Feb and Thursday 5 Feb (this
                # week), 30 Jan (last month), 7 Feb (after the day asked about).
                for day in (1, 2, 5, 7):
                    await _log(skp, pegawai.id, ra[(rhk.id, "2026-T1")], date(2026, 2, day))
                await _log(skp, pegawai.id, ra[(rhk.id, "2026-T1")], date(2026, 1, 30))
                await _log(skp, pegawai.id, ra[(rhk.id, "2026-T2")], date(2026, 4, 6), "2026-T2")
        nameless = await skp_for(await org.pegawai("Tanpa Nama"), team.kasi)
        nameless.snapshot_pegawai = {"nip": "199001012020011001"}
        await nameless.save()
    return team


@pytest.mark.parametrize("tanggal", ["2026-02-05", "2026-02-01", None])
@pytest.mark.parametrize("periode", ["2026-T1", "2026-T2"])
async def test_the_compiled_monitoring_is_the_resolvers(twins, monitored, tanggal, periode):
    body, compiled, resolved = await twins.both(
        monitored.kasi.nip, MONITOR, periode=periode, tanggal=tanggal
    )
    nodes = body["data"]["monitoringPelaksanaan"]["nodes"]
    assert len(nodes) == 5 and nodes[0]["nama"] is None  # '' sorts first
    shares = {n["nama"]: n["kelengkapanBuktiPersen"] for n in nodes}
    if periode == "2026-T1":
        assert (shares["Bawahan 1"], shares["Bawahan 2"], shares["Bawahan 3"]) == (
            33.33,
            66.67,
            None,
        )
    assert compiled == 1
    assert resolved > compiled


async def test_the_week_and_month_counts_are_the_resolvers(twins, monitored):
    body, _, _ = await twins.both(monitored.kasi.nip, MONITOR, periode="2026-T1",
                                  tanggal="2026-02-05")  # fmt: skip
    (row,) = [n for n in body["data"]["monitoringPelaksanaan"]["nodes"] if n["nama"] == "Bawahan 1"]
    # Per RHK: Monday 2 and Thursday 5 this week; 1, 2 and 5 February this month.
    assert (row["progresMingguIni"], row["progresBulanIni"]) == (6, 9)
    assert row["progresTerakhir"] == "2026-02-05"
    assert [r["progresPeriode"] for r in row["rhk"]] == [5, 5, 5]


async def test_paging_the_monitoring_is_the_resolvers_paging(twins, monitored):
    after, seen = None, []
    while True:
        body, compiled, _ = await twins.both(
            monitored.kasi.nip, MONITOR, periode="2026-T1", first=2, after=after
        )
        page = body["data"]["monitoringPelaksanaan"]
        assert page["totalCount"] == 5 and compiled == 1
        seen += [n["nip"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 5


async def test_other_penilai_and_other_callers_answer_as_before(twins, monitored, tenant):
    """Naming a penilai falls back to the resolvers (their check decides); a caller who
    appraises nobody gets an empty page; a refusal is the same refusal."""
    kasi = gid_of(tenant, monitored.kasi)
    staf, _, _ = await twins.both(monitored.staf.nip, MONITOR, periode="2026-T1", penilai=kasi)
    assert staf["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin, _, _ = await twins.both(
        monitored.rekan.nip, MONITOR, Role.ADMIN_INSTANSI, periode="2026-T1", penilai=kasi
    )
    assert len(admin["data"]["monitoringPelaksanaan"]["nodes"]) == 5
    nobody, compiled, _ = await twins.both(monitored.staf.nip, MONITOR, periode="2026-T1")
    assert nobody["data"]["monitoringPelaksanaan"]["nodes"] == [] and compiled == 1
    too_many, _, _ = await twins.both(monitored.kasi.nip, MONITOR, periode="2026-T1", first=101)
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_the_compiled_monitoring_reads_only_its_own_instansi(
    twins, monitored, tenant, other_tenant
):
    """B has the same row numbers and a kasi of its own appraising one staf: B's kasi sees
    B's one SKP, A's kasi A's five, each with its own instansi's ids."""
    from tests.support.pelaksanaan import build_team
    from tests.support.twins import Twins

    theirs = await build_team(other_tenant)
    in_b = Twins(twins.compiled, twins.resolved, twins.idp, other_tenant.kode)
    body, compiled, _ = await in_b.both(theirs.kasi.nip, MONITOR, periode="2026-T1")
    (only,) = body["data"]["monitoringPelaksanaan"]["nodes"]
    assert only["skpId"] == gid_of(other_tenant, theirs.skp) and compiled == 1
    body, _, _ = await twins.both(monitored.kasi.nip, MONITOR, periode="2026-T1")
    ids = {n["skpId"] for n in body["data"]["monitoringPelaksanaan"]["nodes"]}
    assert len(ids) == 5 and gid_of(tenant, monitored.skp) in ids
