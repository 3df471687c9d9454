"""The angka kredit ledger over GraphQL (Peraturan BKN 3/2023, docs/domain.md 5.6): one line per
jabatan fungsional pegawai per window from its final predikat, computed by an admin
(`hitungAngkaKredit`), idempotent, corrected by a keberatan, read with `angkaKredit`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from ekinerja import pengaturan
from ekinerja.auth.principal import Role
from ekinerja.kepegawaian.calendar import WIB, today
from ekinerja.models.tenant import AngkaKredit, EvaluasiPeriodik, TenantSetting
from ekinerja.penilaian.batas_keberatan import DAYS_SETTING
from ekinerja.penilaian.enums import PredikatPegawai
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.ids import gid_of, row_of
from tests.support.pelaksanaan import skp_for
from tests.support.penilaian import (
    EVALUASI,
    RATE,
    SUBMIT,
    build_bidang,
    fix,
    seal,
    submit_and_rate,
)

ATAS, SESUAI = "DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"

HITUNG = """mutation($tahun: Int!) { hitungAngkaKredit(tahun: $tahun) {
  __typename ... on AngkaKreditDihitung { tahun dibuat diubah tetap belumFinal }
  ... on MutationError { code message } } }"""
LEDGER = """query($nip: String!, $tahun: Int) { angkaKredit(nip: $nip, tahun: $tahun) {
  baris { periode jenjang predikat bulan persentase koefisien nilai } jumlah } }"""
AJUKAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id, alasan: "Tidak sesuai") {
  __typename ... on Keberatan { id } ... on MutationError { code } } }"""
PUTUSKAN = """mutation($id: ID!) { putuskanKeberatan(keberatanId: $id, hasil: DIUBAH,
  catatan: "Bukti lengkap", ratingHasilKerja: DI_ATAS_EKSPEKTASI,
  ratingPerilaku: DI_ATAS_EKSPEKTASI) {
  __typename ... on Keberatan { status } ... on MutationError { code } } }"""
KADENSI = """mutation { aturKadensi(tahun: 2026, kadensi: BULANAN) {
  __typename ... on KadensiDiatur { kadensi } ... on MutationError { code } } }"""


async def received(tenant, ids, days_ago: int) -> None:
    moment = datetime.combine(today() - timedelta(days=days_ago), time(12), WIB)
    async with tenant_transaction(as_bound(tenant)):
        await EvaluasiPeriodik.filter(id__in=[row_of(i) for i in ids]).update(
            ditetapkan_pada=moment
        )


async def hitung(portal, bidang, tahun: int = 2026) -> dict:
    body = await portal.as_(bidang.rekan, HITUNG, Role.ADMIN_INSTANSI, tahun=tahun)
    return body["data"]["hitungAngkaKredit"]


def counts(result: dict) -> tuple[int, int, int, int]:
    return result["dibuat"], result["diubah"], result["tetap"], result["belumFinal"]


async def ledger(portal, who, pegawai, *roles, tahun=None) -> dict:
    body = await portal.as_(who, LEDGER, *roles, nip=pegawai.nip, tahun=tahun)
    assert "errors" not in body, body
    return body["data"]["angkaKredit"]


async def test_a_final_quarter_earns_three_twelfths_once(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    me = bidang.analis[0]

    # Just fixed: still open to keberatan, so not counted yet.
    assert counts(await hitung(portal, bidang)) == (0, 0, 0, 2)
    assert await ledger(portal, me, me) == {"baris": [], "jumlah": "0.00"}

    await received(tenant, ids[:1], 15)
    assert counts(await hitung(portal, bidang)) == (1, 0, 0, 1)
    line = {
        "periode": "2026-T1",
        "jenjang": "AHLI_PERTAMA",
        "predikat": "BAIK",
        "bulan": 3,
        "persentase": "100.00",
        "koefisien": "12.50",
        "nilai": "3.13",  # 3/12 × 100 % × 12.5 = 3.125, half up (not to even: 3.12)
    }
    assert await ledger(portal, me, me) == {"baris": [line], "jumlah": "3.13"}
    # Read by the admin and the penilai too; not by a colleague.
    assert await ledger(portal, bidang.rekan, me, Role.ADMIN_INSTANSI) == {
        "baris": [line],
        "jumlah": "3.13",
    }
    assert (await ledger(portal, bidang.kasi, me))["jumlah"] == "3.13"
    peer = await portal.as_(bidang.analis[1], LEDGER, nip=me.nip)
    assert peer["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    await received(tenant, ids[1:], 15)
    assert counts(await hitung(portal, bidang)) == (1, 0, 1, 0)
    assert counts(await hitung(portal, bidang)) == (0, 0, 2, 0)  # idempotent
    assert (await ledger(portal, me, me))["baris"] == [line]


async def test_only_an_admin_computes_the_ledger(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    for who in (bidang.analis[0], bidang.kabid):
        body = await portal.as_(who, HITUNG, tahun=2026)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert counts(await hitung(portal, bidang)) == (0, 0, 0, 0)


async def test_a_keberatan_holds_the_line_back_and_a_diubah_changes_it(portal, tenant):
    bidang = await build_bidang(tenant, analis=2)
    ids = await fix(portal, bidang, [(SESUAI, SESUAI)] * 2)
    me, other = bidang.analis
    filed = await portal.as_(me, AJUKAN, id=ids[0])
    kid = filed["data"]["ajukanKeberatan"]["id"]
    # Filed, undecided: not final even after the period has passed.
    await received(tenant, ids, 15)
    assert counts(await hitung(portal, bidang)) == (1, 0, 0, 1)
    assert (await ledger(portal, me, me))["baris"] == []
    decided = await portal.as_(bidang.kabid, PUTUSKAN, id=kid)
    assert decided["data"]["putuskanKeberatan"]["status"] == "FINAL"
    assert counts(await hitung(portal, bidang)) == (1, 0, 1, 0)
    mine = await ledger(portal, me, me)
    assert [(b["predikat"], b["persentase"], b["nilai"]) for b in mine["baris"]] == [
        ("SANGAT_BAIK", "150.00", "4.69")  # 3/12 × 150 % × 12.5 = 4.6875
    ]

    # A line already counted changes when a keberatan changes its result: the tenant widens
    # the period, which reopens the other analis's result to keberatan.
    assert (await ledger(portal, other, other))["jumlah"] == "3.13"
    async with tenant_transaction(as_bound(tenant)):
        await TenantSetting.create(key=DAYS_SETTING, value=20)
    pengaturan.lupakan(tenant.schema_name)  # written behind the service: as its watcher would
    theirs = await portal.as_(other, AJUKAN, id=ids[1])
    assert theirs["data"]["ajukanKeberatan"]["__typename"] == "Keberatan", theirs
    # Open again: counted as not final, its line kept as it was until the decision.
    assert counts(await hitung(portal, bidang)) == (0, 0, 1, 1)
    assert (await ledger(portal, other, other))["jumlah"] == "3.13"
    await portal.as_(bidang.kabid, PUTUSKAN, id=theirs["data"]["ajukanKeberatan"]["id"])
    assert counts(await hitung(portal, bidang)) == (0, 1, 1, 0)
    assert await ledger(portal, other, other) == {
        "baris": [
            {
                "periode": "2026-T1",
                "jenjang": "AHLI_PERTAMA",
                "predikat": "SANGAT_BAIK",
                "bulan": 3,
                "persentase": "150.00",
                "koefisien": "12.50",
                "nilai": "4.69",
            }
        ],
        "jumlah": "4.69",
    }
    assert counts(await hitung(portal, bidang)) == (0, 0, 2, 0)


async def test_a_pegawai_outside_jabatan_fungsional_earns_no_credit(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    async with tenant_transaction(as_bound(tenant)):
        kasi_skp = await skp_for(bidang.kasi, bidang.kabid)  # no atasan: final once fixed
    kasi = bidang.kasi
    submitted = await portal.as_(
        kasi, SUBMIT, skp=gid_of(portal.tenant, kasi_skp), periode="2026-T1"
    )
    assert submitted["data"]["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan"
    found = await portal.as_(
        bidang.kabid, EVALUASI, skp=gid_of(portal.tenant, kasi_skp), periode="2026-T1"
    )
    found = found["data"]["evaluasi"]
    rated = await portal.as_(bidang.kabid, RATE, id=found["id"], v=found["versiKunci"],
                             hasil=SESUAI, perilaku=SESUAI)  # fmt: skip
    assert rated["data"]["nilaiEvaluasi"]["status"] == "DINILAI", rated
    ids = await submit_and_rate(portal, bidang, [(SESUAI, SESUAI)])
    await seal(portal, bidang, "2026-T1", 2)
    await received(tenant, ids, 15)

    fixed = await portal.as_(kasi, EVALUASI, skp=gid_of(portal.tenant, kasi_skp), periode="2026-T1")
    fixed = fixed["data"]["evaluasi"]
    assert (fixed["final"], fixed["jenjang"], fixed["predikat"]) == (True, None, "BAIK")
    assert counts(await hitung(portal, bidang)) == (1, 0, 0, 0)  # the analis only
    assert await ledger(portal, kasi, kasi) == {"baris": [], "jumlah": "0.00"}
    assert (await ledger(portal, bidang.analis[0], bidang.analis[0]))["jumlah"] == "3.13"


async def test_the_ledger_sums_windows_of_the_year(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    first = await fix(portal, bidang, [(SESUAI, SESUAI)], "2026-T1")
    second = await fix(portal, bidang, [(ATAS, ATAS)], "2026-T2")
    await received(tenant, first + second, 30)
    assert counts(await hitung(portal, bidang)) == (2, 0, 0, 0)
    mine = await ledger(portal, me, me, tahun=2026)
    assert [(b["periode"], b["predikat"], b["nilai"]) for b in mine["baris"]] == [
        ("2026-T1", "BAIK", "3.13"),
        ("2026-T2", "SANGAT_BAIK", "4.69"),
    ]
    # 3.125 + 4.6875 = 7.8125, rounded once (not 3.13 + 4.69 = 7.82: issue 15, #4).
    assert mine["jumlah"] == "7.81"
    assert await ledger(portal, me, me, tahun=2025) == {"baris": [], "jumlah": "0.00"}
    # The year's other windows are not counted in another year's run.
    assert counts(await hitung(portal, bidang, 2027)) == (0, 0, 0, 0)


async def test_two_monthly_windows_of_baik_give_the_bkn_worked_example(portal, tenant):
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    # No rencana aksi exist yet for 2026, so the cadence may still change.
    cadence = await portal.as_(bidang.rekan, KADENSI, Role.ADMIN_INSTANSI)
    assert cadence["data"]["aturKadensi"] == {"__typename": "KadensiDiatur", "kadensi": "BULANAN"}
    ids = []
    for periode in ("2026-B1", "2026-B2"):
        ids += await fix(portal, bidang, [(SESUAI, SESUAI)], periode)
    await received(tenant, ids, 30)
    assert counts(await hitung(portal, bidang)) == (2, 0, 0, 0)
    mine = await ledger(portal, me, me)
    assert [(b["periode"], b["bulan"], b["nilai"]) for b in mine["baris"]] == [
        ("2026-B1", 1, "1.04"),
        ("2026-B2", 1, "1.04"),
    ]
    assert mine["jumlah"] == "2.08"  # 2/12 × 100 % × 12.5 = 2.08 (docs/domain.md 5.6)


async def test_the_ledger_reads_in_window_order(portal, tenant):
    """Issue 15, Proof: the year's scenario showed a monthly ledger as B1, B2, B4…B8, B3, B9…
    (lines came in the order they were written; March's result had been changed by a
    keberatan), and as text they would sort B10 before B2. An auditor reads them by window."""
    bidang = await build_bidang(tenant, analis=1)
    me = bidang.analis[0]
    async with tenant_transaction(as_bound(tenant)):
        skp = bidang.skp_of(me)
        for month in (10, 2, 1, 3, 12, 11):  # written in no particular order
            kode = f"2026-B{month}"
            evaluasi = await EvaluasiPeriodik.create(
                skp=skp, periode=kode, status="DITETAPKAN", jenjang="AHLI_PERTAMA",
                predikat=PredikatPegawai.BAIK,
            )  # fmt: skip
            await AngkaKredit.create(
                evaluasi=evaluasi, pegawai_id=me.id, periode=kode, jenjang="AHLI_PERTAMA",
                predikat=PredikatPegawai.BAIK, bulan=1, persentase=Decimal(100),
                koefisien=Decimal("12.5"), nilai=Decimal("1.04"),
            )  # fmt: skip
    expected = [f"2026-B{m}" for m in (1, 2, 3, 10, 11, 12)]
    for tahun in (2026, None):
        found = await ledger(portal, me, me, tahun=tahun)
        assert [b["periode"] for b in found["baris"]] == expected
        assert found["jumlah"] == "6.25"  # 6 × 12.5 / 12, summed exactly
