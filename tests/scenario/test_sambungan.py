"""Issue 15, Proof: the seams the whole-year scenario (test_tahun_penuh.py) runs into, each on
its own, small, through the API on the injected clock (`calendar.pada`). Each was a defect the
year exposed, and is now its regression test.

- Keberatan days near midnight in WIB and in WITA: the same instants give different days.
- The penilai rates the last window of a pegawai who retired (or moved) during it.
- A mid-month transfer: the old SKP ends, the new one starts the next day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import ZONE_SETTING, pada
from ekinerja.models.tenant import Penugasan, Skp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.penilaian import EVALUASI, RATE, SET_PREDIKAT, SUBMIT, TETAPKAN, build_bidang

ATAS, SESUAI = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"
KEBERATAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id,
  alasan: "Bukti dukung belum dipertimbangkan") {
  __typename ... on Keberatan { status } ... on MutationError { code field message } } }"""


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def as_at(portal, instant: datetime, who, query: str, *roles, **variables) -> dict:
    with pada(instant):
        return await portal.as_(who, query, *roles, **variables)


# The first quarter is fixed on 1 April at 16:30 UTC: 23:30 WIB on 1 April, 00:30 WITA on
# 2 April. Day 14 ends at midnight of 15 April (WIB) / 16 April (WITA).
FIXED_AT = utc(2026, 4, 1, 16, 30)
CASES = {
    # zone: (instant, accepted?) for each filing
    "Asia/Jakarta": [
        (utc(2026, 4, 15, 16, 30), True),  # 23:30 WIB 15 April: day 14
        (utc(2026, 4, 15, 17, 30), False),  # 00:30 WIB 16 April: day 15
    ],
    "Asia/Makassar": [
        (utc(2026, 4, 15, 17, 30), True),  # 01:30 WITA 16 April: day 14 (refused in WIB)
        (utc(2026, 4, 16, 16, 30), False),  # 00:30 WITA 17 April: day 15
    ],
}


@pytest.mark.parametrize("zone", list(CASES))
async def test_keberatan_day_14_and_15_in_the_instansis_zone(portal, tenant, zone):
    bidang = await build_bidang(tenant, analis=2)
    async with tenant_transaction(as_bound(tenant)):
        await pengaturan.tetapkan(ZONE_SETTING, zone, "admin")
    ids = []
    for person in bidang.analis:
        skp = gid_of(portal.tenant, bidang.skp_of(person))
        done = await as_at(portal, utc(2026, 3, 31, 8), person, SUBMIT, skp=skp,
                           periode="2026-T1")  # fmt: skip
        assert done["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", done
        found = (await as_at(portal, utc(2026, 4, 1, 3), bidang.kasi, EVALUASI, skp=skp,
                             periode="2026-T1"))["data"]["evaluasi"]  # fmt: skip
        rated = await as_at(portal, utc(2026, 4, 1, 3), bidang.kasi, RATE, id=found["id"],
                            v=found["versiKunci"], hasil=SESUAI, perilaku=SESUAI)  # fmt: skip
        assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated
        ids.append(found["id"])
    unit = gid_of(portal.tenant, bidang.seksi)
    await as_at(portal, FIXED_AT, bidang.kabid, SET_PREDIKAT, unit=unit, periode="2026-T1",
                predikat="BAIK")  # fmt: skip
    fixed = await as_at(portal, FIXED_AT, bidang.kabid, TETAPKAN, unit=unit, periode="2026-T1")
    assert fixed["data"]["tetapkanKinerjaUnit"]["jumlahDitetapkan"] == 2, fixed

    day_14 = "2026-04-15" if zone == "Asia/Jakarta" else "2026-04-16"
    for person, evaluasi_id, (instant, accepted) in zip(
        bidang.analis, ids, CASES[zone], strict=True
    ):
        found = (await as_at(portal, instant, person, EVALUASI,
                             skp=gid_of(portal.tenant, bidang.skp_of(person)),
                             periode="2026-T1"))  # fmt: skip
        assert found["data"]["evaluasi"]["kesempatanKeberatan"]["batas"] == day_14, found
        body = await as_at(portal, instant, person, KEBERATAN, id=evaluasi_id)
        result = body["data"]["ajukanKeberatan"]
        if accepted:
            assert result == {"__typename": "Keberatan", "status": "DIAJUKAN"}, (instant, body)
        else:
            assert (result.get("code"), result.get("field")) == (
                "KEBERATAN_CLOSED", "evaluasiId"), (instant, body)  # fmt: skip
            assert day_14 in result["message"]


async def test_the_penilai_rates_the_last_window_of_a_pegawai_who_retired(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    skp = bidang.skp_of(me)
    async with tenant_transaction(as_bound(tenant)):
        # Retires on 15 March: the SKP ends that day, so does the assignment (personnel data;
        # its end is exclusive).
        await Skp.filter(id=skp.id).update(periode_akhir=date(2026, 3, 15))
        await Penugasan.filter(pegawai_id=me.id).update(berlaku_sampai=date(2026, 3, 16))
    done = await as_at(
        portal, utc(2026, 3, 15, 8), me, SUBMIT, skp=gid_of(portal.tenant, skp), periode="2026-T1"
    )
    assert done["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", done
    queue = await as_at(
        portal,
        utc(2026, 4, 1, 3),
        bidang.kasi,
        '{ evaluasiUntukDinilai(filter: {periode: "2026-T1"}) { nodes { id versiKunci } } }',
    )
    waiting = queue["data"]["evaluasiUntukDinilai"]["nodes"]
    assert len(waiting) == 1, queue  # listed for the snapshotted penilai...
    rated = await as_at(portal, utc(2026, 4, 1, 3), bidang.kasi, RATE, id=waiting[0]["id"],
                        v=waiting[0]["versiKunci"], hasil=SESUAI, perilaku=SESUAI)  # fmt: skip
    assert not rated.get("errors"), rated  # ...and theirs to rate
    assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated


CREATE = """mutation($input: BuatSkpInput!) { buatSkp(input: $input) {
  __typename ... on SkpDiubah { skp { id periodeAwal periodeAkhir pejabatPenilai { nama } } }
  ... on MutationError { code field message } } }"""
SKP_DATES = "query($id: ID!) { skp(id: $id) { periodeAwal periodeAkhir status } }"


async def test_a_mid_month_transfer_gets_its_second_skp(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    async with tenant_transaction(as_bound(tenant)):
        # The SK mutasi (personnel data): from 16 May in the other bidang, under its head.
        org = Org()
        held = await Penugasan.get(pegawai_id=bidang.rekan.id).select_related("jabatan__unit")
        lain = await org.jabatan("Analis Bidang Lain", held.jabatan.unit)
        await Penugasan.filter(pegawai_id=me.id).update(berlaku_sampai=date(2026, 5, 16))
        await org.assign(me, lain, since=date(2026, 5, 16))
    created = await as_at(portal, utc(2026, 5, 18, 3), me, CREATE, input={
        "tahun": 2026, "pendekatan": "KUANTITATIF", "periodeAwal": "2026-05-16"})  # fmt: skip
    result = created["data"]["buatSkp"]
    assert result["__typename"] == "SkpDiubah", created
    assert (result["skp"]["periodeAwal"], result["skp"]["periodeAkhir"]) == (
        "2026-05-16", "2026-12-31")  # fmt: skip
    old = await as_at(
        portal, utc(2026, 5, 18, 3), me, SKP_DATES, id=gid_of(portal.tenant, bidang.skp_of(me))
    )
    assert old["data"]["skp"]["periodeAkhir"] == "2026-05-15", old
