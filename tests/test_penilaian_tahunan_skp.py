"""The annual result of an SKP that ends before the year's last window (issue 15 follow-up).

Under LAST_PERIOD (the default) the annual predikat is copied from the last window: the SKP's
own last window, clipped to its dates, not the year's. A pegawai retiring on 15 March has T1
as last window, so T1's result is their year; a pegawai transferred mid-year has two SKPs,
each with its own annual result. Finality, the evaluation document's source and the SIASN
rw-skp22 row follow the same window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import WIB, today
from ekinerja.models.tenant import EvaluasiPeriodik, Skp
from ekinerja.penilaian.periode import last_window_reached
from ekinerja.skp.enums import Kadensi
from ekinerja.skp.periode import windows
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid, row_of
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for
from tests.support.penilaian import EVALUASI, RATE, SUBMIT, build_bidang, seal

ATAS, SESUAI, BAWAH = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"
SKP22 = """query { eksporSiasnSkp22(tahun: 2026, first: 100) { nodes { pnsDinilaiId
  kuadranKinerja } } }"""


def test_the_last_window_an_skp_reaches():
    year = windows(2026, Kadensi.TRIWULANAN)
    assert last_window_reached(year, date(2026, 3, 15)).kode == "2026-T1"
    assert last_window_reached(year, date(2026, 3, 31)).kode == "2026-T1"
    assert last_window_reached(year, date(2026, 4, 1)).kode == "2026-T2"
    assert last_window_reached(year, date(2026, 12, 31)).kode == "2026-T4"
    monthly = windows(2026, Kadensi.BULANAN)
    assert last_window_reached(monthly, date(2026, 3, 15)).kode == "2026-B3"


async def submit_and_rate_one(portal, bidang, person, skp_id: int, periode: str, ratings) -> str:
    submitted = await portal.as_(
        person, SUBMIT, skp=gid(portal.tenant, "Skp", skp_id), periode=periode
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", (
        submitted
    )
    found = await portal.as_(
        bidang.kasi, EVALUASI, skp=gid(portal.tenant, "Skp", skp_id), periode=periode
    )
    evaluasi = found["data"]["evaluasi"]
    hasil, perilaku = ratings
    rated = await portal.as_(
        bidang.kasi, RATE, id=evaluasi["id"], v=evaluasi["versiKunci"],
        hasil=hasil, perilaku=perilaku,
    )  # fmt: skip
    assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated
    return evaluasi["id"]


async def annual_of(portal, bidang, person, skp_id: int) -> dict | None:
    found = await portal.as_(
        person, EVALUASI, skp=gid(portal.tenant, "Skp", skp_id), periode="2026-THN"
    )
    assert "errors" not in found, found
    return found["data"]["evaluasi"]


async def received(tenant, ids, days_ago: int) -> None:
    """The pegawai received these results ``days_ago`` days ago (WIB)."""
    moment = datetime.combine(today() - timedelta(days=days_ago), time(12), WIB)
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id__in=[row_of(i) for i in ids]).update(
            ditetapkan_pada=moment
        )


async def test_a_retirement_in_march_takes_its_year_from_t1(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    andi, budi = bidang.analis
    async with tenant_transaction(as_bound(tenant)):  # he retires: his SKP ends 15 March
        await Skp.filter(id=bidang.skp_of(andi).id).update(periode_akhir=date(2026, 3, 15))
    andi_skp, budi_skp = bidang.skp_of(andi).id, bidang.skp_of(budi).id
    t1 = [
        await submit_and_rate_one(portal, bidang, andi, andi_skp, "2026-T1", (ATAS, ATAS)),
        await submit_and_rate_one(portal, bidang, budi, budi_skp, "2026-T1", (SESUAI, SESUAI)),
    ]
    await seal(portal, bidang, "2026-T1", 2)

    annual = await annual_of(portal, bidang, andi, andi_skp)
    assert annual is not None, "no annual result for an SKP ending in T1"
    assert (annual["status"], annual["predikat"]) == ("DITETAPKAN", "SANGAT_BAIK")
    assert annual["riwayat"][-1]["aksi"] == "DARI_PERIODE_TERAKHIR"
    assert annual["kesempatanKeberatan"]["tersedia"] is False  # a keberatan goes against T1
    assert annual["final"] is False  # T1 is still open to a keberatan: so is the year
    assert await annual_of(portal, bidang, budi, budi_skp) is None  # budi's year ends in T4

    rows = (await portal.as_(bidang.rekan, SKP22, Role.ADMIN_INSTANSI))["data"]
    assert rows["eksporSiasnSkp22"]["nodes"] == []  # not final: SIASN waits, as for T1 itself

    await received(tenant, t1, 15)  # T1's keberatan period has passed
    annual = await annual_of(portal, bidang, andi, andi_skp)
    assert annual["final"] is True
    rows = (await portal.as_(bidang.rekan, SKP22, Role.ADMIN_INSTANSI))["data"]["eksporSiasnSkp22"]
    assert [(r["pnsDinilaiId"], r["kuadranKinerja"]) for r in rows["nodes"]] == [
        (andi.nip, "Sangat Baik")
    ]


async def test_a_mid_year_transfer_gives_each_skp_its_own_year(portal, tenant):
    """Andi leaves his post on 15 March for another (a new SKP from the 16th, appraised by the
    same kasi). SKP A's year is its T1; SKP B's is its T4, not its short T1. SIASN's rw-skp22
    has one row per pegawai and year: the final annual result fixed last (SKP B's)."""
    bidang = await build_bidang(tenant, analis=2)
    andi, budi = bidang.analis
    async with tenant_transaction(as_bound(tenant)):
        first = bidang.skp_of(andi)
        await Skp.filter(id=first.id).update(periode_akhir=date(2026, 3, 15))
        org = Org()
        await org.end(andi, date(2026, 3, 16))
        await org.assign(andi, await org.jabatan("Pranata Arsip", bidang.seksi),
                         since=date(2026, 3, 16))  # fmt: skip
        second = await skp_for(andi, bidang.kasi)
        await Skp.filter(id=second.id).update(
            periode_awal=date(2026, 3, 16), lineage_id=second.id,
            atasan_penilai_pegawai_id=bidang.kabid.id,
        )  # fmt: skip
    budi_skp = bidang.skp_of(budi).id
    t1 = [
        await submit_and_rate_one(portal, bidang, andi, first.id, "2026-T1", (ATAS, ATAS)),
        await submit_and_rate_one(portal, bidang, andi, second.id, "2026-T1", (BAWAH, SESUAI)),
        await submit_and_rate_one(portal, bidang, budi, budi_skp, "2026-T1", (SESUAI, SESUAI)),
    ]
    await seal(portal, bidang, "2026-T1", 3)
    assert (await annual_of(portal, bidang, andi, first.id))["predikat"] == "SANGAT_BAIK"
    assert await annual_of(portal, bidang, andi, second.id) is None  # its T1 is not its last

    t4 = [
        await submit_and_rate_one(portal, bidang, andi, second.id, "2026-T4", (SESUAI, SESUAI)),
        await submit_and_rate_one(portal, bidang, budi, budi_skp, "2026-T4", (SESUAI, ATAS)),
    ]
    await seal(portal, bidang, "2026-T4", 2)
    assert (await annual_of(portal, bidang, andi, first.id))["predikat"] == "SANGAT_BAIK"
    assert (await annual_of(portal, bidang, andi, second.id))["predikat"] == "BAIK"
    assert (await annual_of(portal, bidang, budi, budi_skp))["predikat"] == "BAIK"

    await received(tenant, t1 + t4, 15)
    rows = (await portal.as_(bidang.rekan, SKP22, Role.ADMIN_INSTANSI))["data"]["eksporSiasnSkp22"]
    assert {r["pnsDinilaiId"]: r["kuadranKinerja"] for r in rows["nodes"]} == {
        andi.nip: "Baik",
        budi.nip: "Baik",
    }
