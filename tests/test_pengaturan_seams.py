"""Settings where one stage meets the next (issue 15, defect 9): RHK tambahan must intervene
unless the instansi says otherwise; a keberatan that changes a predikat re-checks the fixed
batch's curve (reported, never undoing the decision); the curve in force is readable whole;
the rounding names the description gives are the ones accepted; and an instansi in WITA / WIT
counts "today" and the keberatan days in its own zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import ZONE_SETTING, hari_ini
from ekinerja.models.tenant import AuditEvent, EvaluasiPeriodik, Keberatan, Skp
from ekinerja.penilaian import keberatan
from ekinerja.penilaian.pengumuman import umumkan_final
from ekinerja.refusals import Refusal
from ekinerja.skp.editing import IndikatorInput, RhkInput, save_rhk
from ekinerja.skp.enums import AspekIki, JenisRhk, PendekatanSkp, StatusSkp
from ekinerja.skp.errors import SkpError
from ekinerja.skp.lifecycle import (
    TAMBAHAN_INTERVENTION_SETTING,
    Caller,
    NewSkp,
    create_skp,
    submit,
)
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of
from tests.support.org import Org
from tests.support.penilaian import build_bidang, fix
from tests.test_penilaian_keberatan import AJUKAN, EVALUASI, PUTUSKAN

ADMIN = Role.ADMIN_INSTANSI
ATAS, SESUAI, BAWAH = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"
IKI = (IndikatorInput("Jumlah dokumen", AspekIki.KUANTITAS, Decimal(2), None, "Dokumen"),)
LIST = "{ pengaturanInstansi { kunci keterangan nilai bawaan berlaku } }"
SET = """mutation($kunci: String!, $nilai: JSON!) { ubahPengaturan(kunci: $kunci, nilai: $nilai) {
  __typename ... on Pengaturan { kunci nilai berlaku } ... on MutationError { code field message }
  } }"""
UNIT = """query($unit: ID!, $periode: String!) { kinerjaUnit(unitId: $unit, periode: $periode) {
  distribusi { predikat jumlah } pemeriksaan { hasil total pelanggaran { kode } } } }"""


def by_key(answer: dict) -> dict:
    return {row["kunci"]: row for row in answer["data"]["pengaturanInstansi"]}


# --- RHK tambahan and intervention ----------------------------------------------------------


async def test_a_tambahan_rhk_must_intervene_too_unless_the_instansi_says_otherwise(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Seksi Kurikulum")
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", unit, head=True))
        staf = await org.pegawai("Staf", await org.jabatan("Pengelola", unit))
        kasi, staf = Caller(kasi.id, kasi.nip), Caller(staf.id, staf.nip)
        superior = await create_skp(kasi, NewSkp(2026, PendekatanSkp.KUANTITATIF))
        target = await save_rhk(superior.id, superior.lock_version, kasi,
                                RhkInput("Kurikulum terbit", indikator=IKI))  # fmt: skip
        await Skp.filter(id=superior.id).update(status=StatusSkp.DISETUJUI)

        skp = await create_skp(staf, NewSkp(2026, PendekatanSkp.KUANTITATIF))
        await save_rhk(
            skp.id,
            skp.lock_version,
            staf,
            RhkInput("Dokumen tersusun", intervensi_rhk_id=target.id, indikator=IKI),
        )
        skp = await Skp.get(id=skp.id)
        await save_rhk(skp.id, skp.lock_version, staf,
                       RhkInput("Piket", JenisRhk.TAMBAHAN, indikator=IKI))  # fmt: skip
        skp = await Skp.get(id=skp.id)
        with pytest.raises(SkpError) as refused:
            await submit(skp.id, skp.lock_version, staf)
        assert (refused.value.code, refused.value.field) == (
            "INTERVENTION_REQUIRED", "rhk[2].intervensiRhkId",
        )  # fmt: skip

        await pengaturan.tetapkan(TAMBAHAN_INTERVENTION_SETTING, False, "admin")
        done = await submit(skp.id, skp.lock_version, staf)
        assert done.status is StatusSkp.DIAJUKAN


# --- the curve after a keberatan ------------------------------------------------------------


async def test_a_changed_predikat_rechecks_the_fixed_batchs_curve_and_only_reports(portal, tenant):
    bidang = await build_bidang(tenant, analis=3)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI), (SESUAI, SESUAI), (BAWAH, SESUAI)])
    unit = gid_of(portal.tenant, bidang.seksi)
    before = (await portal.as_(bidang.kabid, UNIT, unit=unit, periode="2026-T1"))["data"]
    assert before["kinerjaUnit"]["pemeriksaan"]["hasil"] == "OK"  # 2 Baik, 1 Butuh Perbaikan
    # The instansi now blocks on a failed curve: a keberatan decision is final even so.
    policy = {"bilaGagal": "BLOCK"}
    await portal.as_(bidang.rekan, SET, ADMIN, kunci="penilaian.kurva.kebijakan", nilai=policy)

    filed = await portal.as_(bidang.analis[2], AJUKAN, id=ids[2], alasan="Bukti diabaikan")
    decided = await portal.as_(
        bidang.kabid,
        PUTUSKAN,
        id=filed["data"]["ajukanKeberatan"]["id"],
        hasil="DIUBAH",
        catatan="Bukti sah",
        hk=SESUAI,
        pk=SESUAI,
    )
    assert decided["data"]["putuskanKeberatan"]["status"] == "FINAL", decided  # fmt: skip

    after = (await portal.as_(bidang.kabid, UNIT, unit=unit, periode="2026-T1"))["data"]
    check = after["kinerjaUnit"]["pemeriksaan"]
    assert (check["hasil"], check["total"]) == ("BLOCK", 3)
    assert {v["kode"] for v in check["pelanggaran"]} == {
        "BAIK.max_baik", "BAIK.ada_butuh_perbaikan_atau_kurang",
    }  # fmt: skip
    async with tenant_transaction(as_bound(tenant)):
        assert (await EvaluasiPeriodik.get(id=row_of(ids[2]))).predikat.value == "BAIK"
        audited = await AuditEvent.get(action="kinerja_organisasi.periksa_ulang")
        assert audited.entity_id == str(row_of(unit))  # the audit log keeps the row number
        assert audited.detail["sebelum"] == "OK" and audited.detail["hasil_kurva"] == "BLOCK"


# --- the settings API -----------------------------------------------------------------------


async def test_the_curve_in_force_is_readable_whole(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    rows = by_key(await portal.as_(bidang.rekan, LIST, ADMIN))
    rules = rows["penilaian.kurva.aturan"]
    assert rules["nilai"] is None and rules["berlaku"] == rules["bawaan"]
    assert set(rules["berlaku"]) == {"ISTIMEWA", "BAIK", "BUTUH_PERBAIKAN", "KURANG",
                                     "SANGAT_KURANG"}  # fmt: skip
    assert {"kode": "BAIK.max_baik", "predikat": ["BAIK"], "keterangan": "Paling banyak 70 % Baik",
            "maxPersen": "70"} in rules["berlaku"]["BAIK"]  # fmt: skip
    policy = rows["penilaian.kurva.kebijakan"]
    assert policy["berlaku"] == {"pembulatanMin": "CEIL", "pembulatanMax": "FLOOR",
                                 "bilaGagal": "WARNING"}  # fmt: skip

    mine = [{"kode": "BAIK.max", "predikat": ["BAIK"], "maxPersen": 60, "keterangan": "60 %"}]
    await portal.as_(bidang.rekan, SET, ADMIN, kunci="penilaian.kurva.aturan", nilai={"BAIK": mine})
    await portal.as_(bidang.rekan, SET, ADMIN, kunci="penilaian.kurva.kebijakan",
                     nilai={"bilaGagal": "BLOCK"})  # fmt: skip
    rows = by_key(await portal.as_(bidang.rekan, LIST, ADMIN))
    in_force = rows["penilaian.kurva.aturan"]["berlaku"]
    assert in_force["BAIK"] == [{**mine[0], "maxPersen": "60"}]
    assert in_force["ISTIMEWA"] == rules["berlaku"]["ISTIMEWA"]  # the levels not set: defaults
    assert rows["penilaian.kurva.kebijakan"]["berlaku"] == {
        "pembulatanMin": "CEIL", "pembulatanMax": "FLOOR", "bilaGagal": "BLOCK",
    }  # fmt: skip


async def test_every_rounding_the_description_names_is_accepted(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    row = by_key(await portal.as_(bidang.rekan, LIST, ADMIN))["penilaian.kurva.kebijakan"]
    named = re.search(r"pembulatanMin/Max: ([A-Z_, ]+)\)", row["keterangan"])
    assert named, row["keterangan"]
    spellings = [s.strip() for s in named.group(1).split(",")]
    assert "ROUND_HALF_UP" in spellings and "HALF_UP" not in spellings
    for spelling in spellings:
        for key in ("pembulatanMin", "pembulatanMax"):
            done = await portal.as_(bidang.rekan, SET, ADMIN, kunci="penilaian.kurva.kebijakan",
                                    nilai={key: spelling})  # fmt: skip
            assert done["data"]["ubahPengaturan"]["__typename"] == "Pengaturan", (spelling, done)


# --- the instansi's time zone ---------------------------------------------------------------

# A result fixed at 16:30 UTC on 1 January: 23:30 WIB on the 1st, 00:30 WITA on the 2nd.
FIXED = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
DAY_14_WITA = datetime(2026, 1, 16, 3, 0, tzinfo=UTC)  # the 16th in both zones: WIB day 15
# 00:30 WITA on the 17th (day 15 there) is 23:30 WIB on the 16th: WIB would still accept.
DAY_15_WITA = datetime(2026, 1, 16, 16, 30, tzinfo=UTC)


async def test_the_zone_is_one_of_indonesias_three(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    assert by_key(await portal.as_(bidang.rekan, LIST, ADMIN))[ZONE_SETTING]["berlaku"] == (
        "Asia/Jakarta"
    )
    refused = await portal.as_(bidang.rekan, SET, ADMIN, kunci=ZONE_SETTING, nilai="Asia/Tokyo")
    error = refused["data"]["ubahPengaturan"]
    assert error["code"] == "INVALID_INPUT" and "Asia/Makassar (WITA)" in error["message"], error
    async with tenant_transaction(as_bound(tenant)):
        assert await hari_ini(DAY_15_WITA) == datetime(2026, 1, 16).date()  # WIB
        await pengaturan.tetapkan(ZONE_SETTING, "Asia/Jayapura", "admin")
        assert await hari_ini(FIXED) == datetime(2026, 1, 2).date()  # 01:30 WIT


async def test_keberatan_days_follow_a_wita_instansi(portal, tenant, other_tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    set_ = await portal.as_(bidang.rekan, SET, ADMIN, kunci=ZONE_SETTING, nilai="Asia/Makassar")
    assert set_["data"]["ubahPengaturan"]["berlaku"] == "Asia/Makassar", set_
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id__in=[row_of(i) for i in ids]).update(ditetapkan_pada=FIXED)
    seen = await portal.as_(bidang.analis[0], EVALUASI,
                            skp=gid_of(portal.tenant, bidang.skp_of(bidang.analis[0])),
                            periode="2026-T1")  # fmt: skip
    assert seen["data"]["evaluasi"]["kesempatanKeberatan"]["batas"] == "2026-01-16"

    async def file(person, evaluasi_id, at):
        async with tenant_transaction(as_bound(tenant)):
            on = await hari_ini(at)
            return await keberatan.ajukan(row_of(evaluasi_id), "Tidak sesuai", [],
                                          Caller(person.id, person.nip), on)  # fmt: skip

    # The hourly announcement of final results counts in WITA too: day 14 is still open.
    async with tenant_transaction(as_bound(tenant)):
        assert await umumkan_final(await hari_ini(DAY_14_WITA)) == 0
    accepted = await file(bidang.analis[0], ids[0], DAY_14_WITA)
    assert accepted.status.value == "DIAJUKAN"
    with pytest.raises(Refusal) as late:
        await file(bidang.analis[1], ids[1], DAY_15_WITA)
    assert late.value.code == "KEBERATAN_CLOSED" and "2026-01-16" in late.value.message
    async with tenant_transaction(as_bound(tenant)):
        assert await Keberatan.filter(evaluasi_id__in=[row_of(i) for i in ids]).count() == 1
    # Another instansi keeps WIB: the setting is per tenant.
    async with tenant_transaction(as_bound(other_tenant)):
        assert await hari_ini(DAY_15_WITA) == datetime(2026, 1, 16).date()
