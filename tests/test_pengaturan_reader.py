"""The one typed reader of the instansi's settings (issue 15, item 10; decision 0021): no
module outside `ekinerja/pengaturan/` reads `tenant_setting`; `baca()` gives every setting
typed with its default, in one query; a stored value the registry cannot read leaves the
default in force (logged, shown to the admin) instead of failing a domain operation; and one
instansi's settings never show under another, whatever order transactions come in."""

from __future__ import annotations

import ast
import json
import logging
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import WIB, zona
from ekinerja.models.tenant import TenantSetting
from ekinerja.pengaturan import registry
from ekinerja.penilaian import kredit, penetapan
from ekinerja.penilaian.enums import HasilKurva, PredikatOrganisasi, PredikatPegawai, Rating
from ekinerja.penilaian.kurva import DEFAULT_RULES, KebijakanKurva, Pembulatan
from ekinerja.siasn import ekspor as export
from ekinerja.siasn.kode import KodeReferensi
from ekinerja.skp.enums import AspekIki
from ekinerja.skp.lifecycle import Caller
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import TenantNotBound
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.pelaksanaan import Portal
from tests.support.penilaian import (
    EVALUASI,
    SET_PREDIKAT,
    TETAPKAN,
    build_bidang,
    fix,
    submit_and_rate,
)
from tests.support.query_counter import count_queries

ADMIN = Role.ADMIN_INSTANSI
SESUAI, ATAS = "SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"
ROOT = Path(__file__).resolve().parent.parent / "ekinerja"
LIST = "{ pengaturanInstansi { kunci nilai berlaku masalah } }"
SET = """mutation($kunci: String!, $nilai: JSON!) { ubahPengaturan(kunci: $kunci, nilai: $nilai) {
  __typename ... on Pengaturan { kunci nilai berlaku masalah }
  ... on MutationError { code message } } }"""

# A value no check accepts, per key, as one written around the API would be.
UNREADABLE = {
    registry.JA_JF_WAJIB_INTERVENSI: "ya",
    registry.RHK_TAMBAHAN_WAJIB_INTERVENSI: 0,
    registry.ASPEK_KUMULATIF: ["KUANTITAS", "JUMLAH"],
    registry.ASPEK_SEMAKIN_KECIL: {"aspek": "WAKTU"},
    registry.KEBIJAKAN_TAHUNAN: {"kebijakan": "YEARLY"},
    registry.HITUNGAN_BULAN_KUNCI: "BULAN_PENUH",
    registry.KURVA_ATURAN: {"BAIK": "not a list"},
    registry.KURVA_KEBIJAKAN: {"bilaGagal": "OK"},
    registry.BATAS_HARI_KEBERATAN: 0,
    registry.ZONA_WAKTU: "Asia/Tokyo",
    registry.DOKUMEN_TEMPAT: ["Bandung"],
    registry.SIASN_KODE: {"rating": {"LUAR_BIASA": "1"}},
    registry.PEMBERITAHUAN_TEMPLAT: {"SKP_DIAJUKAN": {"judul": "{tidak_dikenal}", "isi": "x"}},
    registry.PEMBERITAHUAN_BATAS_RENCANA: "02-30",
    registry.PEMBERITAHUAN_HARI_PENGINGAT: 31,
}


def settings_statements(statements: list[str]) -> list[str]:
    """The reader's own queries (the finality SQL also names the table, inside a statement
    that is counted as what it is)."""
    return [s for s in statements if 'FROM "tenant_setting"' in s]


async def store(tenant, values: dict) -> None:
    """Rows written straight to the table, past the registry's checks (and so past what the
    process remembers: forgotten here as the registry's watcher would on the trigger's
    NOTIFY)."""
    async with tenant_transaction(as_bound(tenant)):
        for key, value in values.items():
            row = TenantSetting(key=key)
            row.value = json.dumps(value) if isinstance(value, str) else value  # as writer.py
            await row.save()
    pengaturan.lupakan(tenant.schema_name)


# --- one reader -----------------------------------------------------------------------------


def _reads_tenant_setting(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and any(a.name == "TenantSetting" for a in node.names):
            found.append(f"{path}:{node.lineno} imports TenantSetting")
        elif isinstance(node, ast.Attribute) and node.attr == "TenantSetting":
            found.append(f"{path}:{node.lineno} uses TenantSetting")
        elif isinstance(node, ast.Name) and node.id == "TenantSetting":
            found.append(f"{path}:{node.lineno} uses TenantSetting")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "tenant_setting" in node.value
        ):
            found.append(f"{path}:{node.lineno} names the table tenant_setting in SQL")
    return found


def test_no_module_outside_the_settings_package_reads_tenant_setting():
    allowed = (ROOT / "pengaturan", ROOT / "models")
    offenders = [
        found
        for path in sorted(ROOT.rglob("*.py"))
        if not any(path.is_relative_to(a) for a in allowed)
        for found in _reads_tenant_setting(path)
    ]
    assert offenders == []
    # The check itself sees what it is meant to see.
    assert _reads_tenant_setting(ROOT / "pengaturan" / "reader.py")
    assert _reads_tenant_setting(ROOT / "pengaturan" / "sql.py")


def test_every_key_has_one_typed_field_and_its_default_reads():
    assert {f.name for f in fields(pengaturan.PengaturanInstansi)} == {
        s.atribut for s in registry.SETTINGS.values()
    }
    assert set(UNREADABLE) == set(registry.SETTINGS)
    for setting in registry.SETTINGS.values():
        setting.check(setting.bawaan)  # a default is a value its own check accepts
        with pytest.raises(ValueError):
            setting.check(UNREADABLE[setting.kunci])


def test_the_defaults_typed():
    bawaan = pengaturan.bawaan()
    assert bawaan.ja_jf_wajib_intervensi is True and bawaan.rhk_tambahan_wajib_intervensi is True
    assert bawaan.aspek_kumulatif == frozenset({AspekIki.KUANTITAS, AspekIki.BIAYA})
    assert bawaan.aspek_semakin_kecil_semakin_baik == frozenset({AspekIki.WAKTU})
    assert bawaan.kebijakan_tahunan == registry.LAST_PERIOD
    assert bawaan.hitungan_bulan == "MAYORITAS_HARI"
    assert bawaan.kurva_aturan == DEFAULT_RULES
    assert bawaan.kurva_kebijakan == KebijakanKurva()
    assert bawaan.batas_hari_keberatan == 14
    assert bawaan.zona_waktu == ZoneInfo("Asia/Jakarta")
    assert bawaan.dokumen_tempat == ""
    assert bawaan.siasn_kode_referensi == KodeReferensi()


async def test_baca_reads_every_setting_in_one_query_typed(tenant):
    async with tenant_transaction(as_bound(tenant)):
        with count_queries() as statements:
            assert await pengaturan.baca() == pengaturan.bawaan()
        assert len(statements) == 1
        for kunci, nilai in {
            registry.JA_JF_WAJIB_INTERVENSI: False,
            registry.ASPEK_KUMULATIF: ["KUANTITAS", "WAKTU"],
            registry.KEBIJAKAN_TAHUNAN: {"kebijakan": "SEPARATE_ANNUAL"},
            registry.HITUNGAN_BULAN_KUNCI: {"hitungan": "BULAN_PENUH"},
            registry.KURVA_ATURAN: {"SANGAT_KURANG": []},
            registry.KURVA_KEBIJAKAN: {"bilaGagal": "BLOCK", "pembulatanMin": "FLOOR"},
            registry.BATAS_HARI_KEBERATAN: 21,
            registry.ZONA_WAKTU: "Asia/Makassar",
            registry.DOKUMEN_TEMPAT: "  Bandung ",
            registry.SIASN_KODE: {"rating": {"DI_ATAS_EKSPEKTASI": "1"}},
        }.items():
            await pengaturan.tetapkan(kunci, nilai, "admin")
        with count_queries() as statements:
            found = await pengaturan.baca()
        assert len(statements) == 1
    assert found.ja_jf_wajib_intervensi is False
    assert found.rhk_tambahan_wajib_intervensi is True  # unset: the default
    assert found.aspek_kumulatif == frozenset({AspekIki.KUANTITAS, AspekIki.WAKTU})
    assert found.kebijakan_tahunan == registry.SEPARATE_ANNUAL
    assert found.hitungan_bulan == "BULAN_PENUH"
    assert found.kurva_aturan[PredikatOrganisasi.SANGAT_KURANG] == ()
    assert found.kurva_aturan[PredikatOrganisasi.BAIK] == DEFAULT_RULES[PredikatOrganisasi.BAIK]
    assert found.kurva_kebijakan == KebijakanKurva(
        pembulatan_min=Pembulatan.FLOOR, bila_gagal=HasilKurva.BLOCK
    )
    assert found.batas_hari_keberatan == 21
    assert found.zona_waktu == ZoneInfo("Asia/Makassar")
    assert found.dokumen_tempat == "Bandung"
    assert found.siasn_kode_referensi == KodeReferensi(
        rating=MappingProxyType({Rating.DI_ATAS_EKSPEKTASI: "1"})
    )


async def test_outside_an_instansi_there_are_no_settings_to_read():
    with pytest.raises(TenantNotBound):
        await pengaturan.baca()
    assert await zona() == WIB  # the one question with an answer outside: the operator's zone


# --- values that cannot be read -------------------------------------------------------------


async def test_an_unreadable_stored_value_leaves_the_default_in_force_and_is_logged(tenant, caplog):
    await store(tenant, UNREADABLE)
    with caplog.at_level(logging.WARNING, logger="ekinerja.pengaturan.reader"):
        async with tenant_transaction(as_bound(tenant)):
            assert await pengaturan.baca() == pengaturan.bawaan()
            again = await pengaturan.baca()
    assert again == pengaturan.bawaan()
    warned = [r.getMessage() for r in caplog.records if r.name == "ekinerja.pengaturan.reader"]
    assert len(warned) == len(UNREADABLE)  # once per row, not once per read
    assert any("keberatan.batas_hari: expected a whole number" in m for m in warned), warned
    assert all(tenant.kode in m and "default in force" in m for m in warned), warned


async def test_the_admin_sees_an_unreadable_value_the_default_in_force_and_why(
    tenant, team, portal
):
    """Before: an unreadable curve made `pengaturanInstansi` fail whole (INTERNAL_ERROR), and
    the other keys showed the unreadable value as the one in force."""
    await store(tenant, UNREADABLE)
    answer = await portal.as_(team.rekan, LIST, ADMIN)
    assert "errors" not in answer, answer
    rows = {row["kunci"]: row for row in answer["data"]["pengaturanInstansi"]}
    days = rows[registry.BATAS_HARI_KEBERATAN]
    assert (days["nilai"], days["berlaku"]) == (0, 14)
    assert days["masalah"].startswith("keberatan.batas_hari: expected a whole number of days")
    assert rows[registry.KURVA_ATURAN]["berlaku"] == registry.SETTINGS[registry.KURVA_ATURAN].bawaan
    assert rows[registry.ZONA_WAKTU]["berlaku"] == "Asia/Jakarta"
    assert all(row["masalah"] for row in rows.values()), rows
    # Set again, the value reads and the problem is gone.
    fixed = await portal.as_(team.rekan, SET, ADMIN, kunci=registry.BATAS_HARI_KEBERATAN, nilai=9)
    assert fixed["data"]["ubahPengaturan"] == {
        "__typename": "Pengaturan", "kunci": "keberatan.batas_hari", "nilai": 9, "berlaku": 9,
        "masalah": None,
    }  # fmt: skip


async def test_penetapan_with_an_unreadable_curve_uses_the_default_curve(portal, tenant):
    """Before: the curve read raised ValueError, so kinerjaUnit and tetapkanKinerjaUnit failed
    with INTERNAL_ERROR for as long as the stored value stayed."""
    bidang = await build_bidang(tenant, analis=2)
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI), (ATAS, ATAS)])
    await store(
        tenant,
        {k: UNREADABLE[k] for k in (registry.KURVA_ATURAN, registry.KURVA_KEBIJAKAN)},
    )
    unit = gid_of(portal.tenant, bidang.seksi)
    set_ = await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1",
                            predikat="BAIK")  # fmt: skip
    assert set_["data"]["aturPredikatOrganisasi"]["predikat"] == "BAIK", set_
    done = await portal.as_(bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    result = done["data"]["tetapkanKinerjaUnit"]
    assert result["__typename"] == "PenetapanSelesai", done
    # The default curve and policy: BAIK needs a Butuh Perbaikan/Kurang; the default warns.
    assert (result["hasilKurva"], result["jumlahDitetapkan"]) == ("WARNING", 2)
    assert "BAIK.ada_butuh_perbaikan_atau_kurang" in {
        v["kode"] for v in result["pemeriksaan"]["pelanggaran"]
    }


# --- one read per operation -----------------------------------------------------------------


async def test_penetapan_reads_the_settings_once(portal, tenant):
    """The curve, the annual policy, the keberatan days and the zone: one query (four before)."""
    bidang = await build_bidang(tenant, analis=2)
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI), (ATAS, ATAS)])
    unit = gid_of(portal.tenant, bidang.seksi)
    await portal.as_(bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1", predikat="BAIK")
    pengaturan.lupakan()  # not remembered yet: what one operation reads (the process keeps it)
    async with tenant_transaction(as_bound(tenant)):
        with count_queries() as statements:
            done = await penetapan.tetapkan(
                bidang.seksi.id, "2026-T1", Caller(bidang.kabid.id, bidang.kabid.nip)
            )
    assert done.ditetapkan == 2
    assert len(settings_statements(statements)) == 1, settings_statements(statements)


async def test_the_ledger_and_the_siasn_export_read_the_settings_once(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)])
    async with tenant_transaction(as_bound(tenant)):
        pengaturan.lupakan()  # each counted cold: what one operation reads
        with count_queries() as statements:
            await kredit.hitung(2026, "admin", datetime(2026, 6, 1, tzinfo=UTC).date())
        assert len(settings_statements(statements)) == 1  # days, month rule (three before)
        pengaturan.lupakan()
        with count_queries() as statements:
            asked = await export.permintaan(2026, 10, None)
            await export.rw_skp22(asked)
            await export.rw_kinerja_periodik(asked)
        # The zone, codes, annual policy and days for both pages: one (six before).
        assert len(settings_statements(statements)) == 1


async def test_a_graphql_request_reads_the_settings_once(portal, tenant):
    """An evaluation's keberatan chance and finality (days, zone) and the permission check's
    "today" share one read per request (three loaders, three queries, before)."""
    bidang = await build_bidang(tenant, analis=1)
    await fix(portal, bidang, [(SESUAI, SESUAI)])
    person = bidang.analis[0]
    pengaturan.lupakan()  # cold: the process remembers them after (tests/test_pengaturan_cache.py)
    with count_queries() as statements:
        seen = await portal.as_(person, EVALUASI, skp=gid_of(portal.tenant, bidang.skp_of(person)),
                                periode="2026-T1")  # fmt: skip
    assert seen["data"]["evaluasi"]["kesempatanKeberatan"]["tersedia"] is True, seen
    assert len(settings_statements(statements)) == 1, settings_statements(statements)


# --- per instansi ---------------------------------------------------------------------------


async def test_one_instansis_settings_never_show_under_another(tenant, other_tenant):
    await store(tenant, {registry.BATAS_HARI_KEBERATAN: 21, registry.ZONA_WAKTU: "Asia/Jayapura"})
    # Transactions of both, one after the other in one task, as the worker runs them.
    for _ in range(2):
        async with tenant_transaction(as_bound(tenant)):
            ours = await pengaturan.baca()
            assert await zona() == ZoneInfo("Asia/Jayapura")
        async with tenant_transaction(as_bound(other_tenant)):
            theirs = await pengaturan.baca()
            assert await zona() == WIB
        assert (ours.batas_hari_keberatan, theirs.batas_hari_keberatan) == (21, 14)
        assert theirs == pengaturan.bawaan()


async def test_requests_of_two_instansi_each_read_their_own(tenant, other_tenant, portal, idp):
    """Through GraphQL, where a request reads its settings once: the answers of one instansi's
    request never carry the other's."""
    ours = await build_bidang(tenant, analis=1)
    b = Portal(portal.api, idp, other_tenant)
    theirs = await build_bidang(other_tenant, analis=1)
    await portal.as_(ours.rekan, SET, ADMIN, kunci=registry.BATAS_HARI_KEBERATAN, nilai=30)
    await b.as_(theirs.rekan, SET, ADMIN, kunci=registry.BATAS_HARI_KEBERATAN, nilai=7)
    for _ in range(2):
        mine = await portal.as_(ours.rekan, LIST, ADMIN)
        other = await b.as_(theirs.rekan, LIST, ADMIN)
        days = {
            name: {r["kunci"]: r for r in answer["data"]["pengaturanInstansi"]}[
                registry.BATAS_HARI_KEBERATAN
            ]["berlaku"]
            for name, answer in (("ours", mine), ("theirs", other))
        }
        assert days == {"ours": 30, "theirs": 7}


def test_predikat_keys_of_the_siasn_codes_are_typed():
    parsed = registry.SETTINGS[registry.SIASN_KODE].baca({"predikat": {"SANGAT_BAIK": " A1 "}})
    assert parsed.predikat == {PredikatPegawai.SANGAT_BAIK: "A1"}
