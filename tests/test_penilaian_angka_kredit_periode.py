"""Angka kredit and evaluation windows when an SKP covers only part of a year (issue 15, #1, #3,
#4): a mid-month transfer credits both SKPs, each for its share of the window; a new hire's
window starts on the SKP's first day and a leaver's ends on its last; nothing is submitted
outside the SKP's dates or before the window starts; a year of monthly lines sums exactly."""

from __future__ import annotations

from datetime import date, timedelta

from tortoise.timezone import now

from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import today
from ekinerja.models.tenant import AngkaKredit, EvaluasiPeriodik, Pegawai, Skp
from ekinerja.pengaturan.registry import HITUNGAN_BULAN_KUNCI as HITUNGAN_BULAN_SETTING
from ekinerja.penilaian.angka_kredit import BULAN_PENUH
from ekinerja.penilaian.enums import PredikatPegawai, Rating
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of
from tests.support.pelaksanaan import Portal, skp_for
from tests.support.penilaian import SUBMIT, Bidang, build_bidang, fix
from tests.test_migrations import run_cli
from tests.test_pengaturan import SET
from tests.test_penilaian_angka_kredit_ledger import (
    KADENSI,
    SESUAI,
    counts,
    hitung,
    ledger,
    received,
)


async def dates(tenant, skp: Skp, awal: date | None = None, akhir: date | None = None) -> None:
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=skp.id).update(
            periode_awal=awal or skp.periode_awal, periode_akhir=akhir or skp.periode_akhir
        )


async def ditetapkan(skp: Skp, periode: str, jenjang: str = "AHLI_PERTAMA") -> None:
    """A Baik result of ``periode`` fixed 30 days ago: past its keberatan period, so final."""
    await EvaluasiPeriodik.create(
        skp=skp,
        periode=periode,
        status="DITETAPKAN",
        jenjang=jenjang,
        rating_hasil_kerja=Rating.SESUAI_EKSPEKTASI,
        rating_perilaku=Rating.SESUAI_EKSPEKTASI,
        predikat=PredikatPegawai.BAIK,
        ditetapkan_pada=now() - timedelta(days=30),
    )


async def transfer(tenant, bidang: Bidang) -> tuple[Pegawai, Skp, Skp]:
    """The first analis moves on 16 March: one SKP to the 15th, a new one from the 16th, both
    with a fixed, final Baik for the first quarter."""
    me = bidang.analis[0]
    old = bidang.skp_of(me)
    async with tenant_transaction(as_bound(tenant)):
        await Skp.filter(id=old.id).update(periode_akhir=date(2026, 3, 15))
        new = await skp_for(me, bidang.kasi)
        await Skp.filter(id=new.id).update(periode_awal=date(2026, 3, 16))
        await ditetapkan(old, "2026-T1")
        await ditetapkan(new, "2026-T1")
    return me, old, new


def rows(mine: dict) -> list[tuple[str, int, str]]:
    return [(b["periode"], b["bulan"], b["nilai"]) for b in mine["baris"]]


async def test_a_mid_month_transfer_credits_both_skps_for_their_share(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    me, _, _ = await transfer(tenant, bidang)
    async with tenant_transaction(as_bound(tenant)):
        await ditetapkan(bidang.skp_of(bidang.analis[1]), "2026-T1")

    # Before: a unique-key clash on (pegawai, periode), INTERNAL_ERROR, no line for anyone.
    result = await hitung(portal, bidang)
    assert result["__typename"] == "AngkaKreditDihitung", result
    assert counts(result) == (3, 0, 0, 0)
    mine = await ledger(portal, me, me)
    # 15 of March's 31 days under the old SKP, 16 under the new: March goes to the new one.
    assert rows(mine) == [("2026-T1", 2, "2.08"), ("2026-T1", 1, "1.04")]
    assert mine["jumlah"] == "3.13"  # 3/12 × 12.5 = 3.125, as for a pegawai who stayed put
    other = bidang.analis[1]
    assert rows(await ledger(portal, other, other)) == [("2026-T1", 3, "3.13")]
    assert counts(await hitung(portal, bidang)) == (0, 0, 3, 0)  # idempotent


async def test_the_cli_counts_a_transferred_pegawai(database, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me, old, new = await transfer(tenant, bidang)

    done = run_cli(database, "angka-kredit", "hitung", "--tahun", "2026", "--tenant", tenant.kode)

    assert done.returncode == 0, done.stderr
    assert f"{tenant.kode}: 2 new, 0 changed, 0 unchanged, 0 not final yet" in done.stderr
    async with tenant_transaction(as_bound(tenant)):
        lines = await AngkaKredit.filter(pegawai_id=me.id).order_by("id")
        by_skp = {
            e.id: e.skp_id for e in await EvaluasiPeriodik.filter(skp_id__in=[old.id, new.id])
        }
    assert [(by_skp[a.evaluasi_id], a.bulan, str(a.nilai)) for a in lines] == [
        (old.id, 2, "2.08"),
        (new.id, 1, "1.04"),
    ]


async def test_a_new_hire_from_1_march_earns_one_month_of_the_first_quarter(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    await dates(tenant, bidang.skp_of(me), awal=date(2026, 3, 1))
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)], "2026-T1")  # submitted through the API
    await received(tenant, ids, 30)
    assert counts(await hitung(portal, bidang)) == (1, 0, 0, 0)
    mine = await ledger(portal, me, me)
    assert rows(mine) == [("2026-T1", 1, "1.04")]  # 1/12 × 12.5, not the quarter's 3.13
    assert mine["jumlah"] == "1.04"


async def test_a_leaver_on_15_march_submits_no_later_window(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    skp = bidang.skp_of(me)
    await dates(tenant, skp, akhir=date(2026, 3, 15))
    for periode in ("2026-T2", "2026-T4"):
        refused = await portal.as_(me, SUBMIT, skp=gid_of(portal.tenant, skp), periode=periode)
        error = refused["data"]["ajukanEvaluasiPeriodik"]
        assert (error["code"], error["field"]) == ("PERIOD_OUTSIDE_SKP", "periode"), refused
        assert periode in error["message"] and "2026-03-15" in error["message"]
    async with tenant_transaction(as_bound(tenant)):
        assert not await EvaluasiPeriodik.filter(skp_id=skp.id).exists()
    # The window the SKP reaches into is submitted, and credited for the months it held.
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)], "2026-T1")
    await received(tenant, ids, 30)
    assert counts(await hitung(portal, bidang)) == (1, 0, 0, 0)
    assert rows(await ledger(portal, me, me)) == [("2026-T1", 2, "2.08")]


async def test_a_window_is_not_submitted_before_it_starts(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    tahun = today().year + 1  # always in the future, whenever the test runs
    async with tenant_transaction(as_bound(tenant)):
        skp = await skp_for(me, bidang.kasi)
        await Skp.filter(id=skp.id).update(
            tahun=tahun, periode_awal=date(tahun, 1, 1), periode_akhir=date(tahun, 12, 31)
        )
    refused = await portal.as_(me, SUBMIT, skp=gid_of(portal.tenant, skp), periode=f"{tahun}-T1")
    error = refused["data"]["ajukanEvaluasiPeriodik"]
    assert (error["code"], error["field"]) == ("PERIOD_NOT_STARTED", "periode"), refused
    assert f"{tahun}-T1" in error["message"] and f"{tahun}-01-01" in error["message"]


async def test_a_monthly_year_of_baik_sums_to_the_annual_figure(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    pertama, muda = bidang.analis
    cadence = await portal.as_(bidang.rekan, KADENSI, Role.ADMIN_INSTANSI)
    assert cadence["data"]["aturKadensi"]["kadensi"] == "BULANAN", cadence
    async with tenant_transaction(as_bound(tenant)):
        for month in range(1, 13):
            await ditetapkan(bidang.skp_of(pertama), f"2026-B{month}")
            await ditetapkan(bidang.skp_of(muda), f"2026-B{month}", "AHLI_MUDA")
    assert counts(await hitung(portal, bidang)) == (24, 0, 0, 0)
    mine = await ledger(portal, pertama, pertama, tahun=2026)
    assert {b["nilai"] for b in mine["baris"]} == {"1.04"} and len(mine["baris"]) == 12
    assert mine["jumlah"] == "12.50"  # not 12 × 1.04 = 12.48
    theirs = await ledger(portal, muda, muda, tahun=2026)
    assert {b["nilai"] for b in theirs["baris"]} == {"2.08"}
    assert theirs["jumlah"] == "25.00"  # not 12 × 2.08 = 24.96


async def test_the_month_count_is_the_instansis_own_and_ledgers_stay_apart(
    portal, tenant, other_tenant
):
    ours = await build_bidang(tenant, analis=1)
    theirs = await build_bidang(other_tenant, analis=1, tag=" B")
    other_portal = Portal(portal.api, portal.idp, other_tenant)
    me, _, _ = await transfer(tenant, ours)
    them, _, _ = await transfer(other_tenant, theirs)

    # Counting in one instansi writes nothing in the other.
    assert counts(await hitung(portal, ours)) == (2, 0, 0, 0)
    async with tenant_transaction(as_bound(other_tenant)):
        assert not await AngkaKredit.all().exists()
    assert (await ledger(other_portal, them, them))["baris"] == []

    # Only whole months count here from now on: the new SKP's half March earns nothing, and
    # the line it had is withdrawn. The other instansi keeps the default.
    bad = await portal.as_(
        ours.rekan, SET, Role.ADMIN_INSTANSI, kunci=HITUNGAN_BULAN_SETTING, nilai="BULAN_PENUH"
    )
    error = bad["data"]["ubahPengaturan"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", "nilai"), bad
    assert 'expected {"hitungan": ' in error["message"]
    done = await portal.as_(ours.rekan, SET, Role.ADMIN_INSTANSI, kunci=HITUNGAN_BULAN_SETTING,
                            nilai={"hitungan": BULAN_PENUH})  # fmt: skip
    assert done["data"]["ubahPengaturan"]["berlaku"] == {"hitungan": BULAN_PENUH}, done
    assert counts(await hitung(portal, ours)) == (0, 1, 1, 0)
    assert rows(await ledger(portal, me, me)) == [("2026-T1", 2, "2.08")]
    assert counts(await hitung(other_portal, theirs)) == (2, 0, 0, 0)
    assert rows(await ledger(other_portal, them, them)) == [
        ("2026-T1", 2, "2.08"),
        ("2026-T1", 1, "1.04"),
    ]


async def test_no_execution_is_read_or_recorded_in_a_window_outside_the_skp(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    skp = bidang.skp_of(me)
    await dates(tenant, skp, awal=date(2026, 4, 1))
    body = await portal.as_(me, WINDOW, skp=gid_of(portal.tenant, skp), periode="2026-T1")
    assert body["errors"][0]["extensions"]["code"] == "PERIOD_OUTSIDE_SKP", body
    assert "2026-T1" in body["errors"][0]["message"]
    body = await portal.as_(me, WINDOW, skp=gid_of(portal.tenant, skp), periode="2026-T2")
    assert body["data"]["pelaksanaan"]["periode"] == "2026-T2", body


WINDOW = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  periode statusEvaluasi } }"""
