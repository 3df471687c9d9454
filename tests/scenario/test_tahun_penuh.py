"""Issue 15, Proof: a whole year of one instansi through the public API on an injected clock,
asserting at each stage what a BKN auditor checks (the organisation and the timeline are in
year.py).

- planning top-down, the Sekda's SKP approved by the Bupati (external penilai, recorded by the
  admin instansi), cascade coverage;
- a new hire from 1 March and a retirement on 15 March: their windows;
- twelve months of progres, realisasi with evidence, evaluations, penetapan per unit with the
  curve;
- keberatan on day 14 (accepted) and day 15 (refused), in WIB here and in WITA in
  test_keberatan_wita; the decision DIUBAH and the curve checked again;
- the Kabid's mid-year revision: kept links follow, the removed RHK's link is orphaned;
- the angka kredit ledger to the regulation's figures; the SIASN export rows.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from tests.scenario.year import (
    BP,
    BUPATI,
    HIRED,
    KADENSI,
    KINERJA_UNIT,
    PENGATURAN,
    REMOVE_RHK,
    RETIRES,
    REVISE,
    SAVE_RHK,
    SB,
    SUBMIT,
    SUBMIT_SKP,
    TAHUN,
    B,
    Tahun,
    periode,
    rate_document,
)

CAKUPAN = """query($nip: String) { cakupanCascade(tahun: 2026, nip: $nip) {
  persenRhkTercakup persenSkpDisetujui skpAtasan { id versi }
  rhkBelumDiintervensi { teks }
  intervensiYatim { pegawai { nama } rhk { teks } rhkDihapus { id teks } } } }"""
WINDOW = """query($skp: ID!, $periode: String!) { pelaksanaan(skpId: $skp, periode: $periode) {
  awal akhir statusEvaluasi } }"""
AJUKAN = """mutation($id: ID!) { ajukanKeberatan(evaluasiId: $id,
  alasan: "Realisasi dan bukti dukung bulan ini belum dipertimbangkan",
  lampiran: [{nama: "Rekap", tautan: "https://arsip.example.go.id/rekap.pdf"}]) {
  __typename ... on Keberatan { id status } ... on MutationError { code field message } } }"""
PUTUS = """mutation($id: ID!) { putuskanKeberatan(keberatanId: $id, hasil: DIUBAH,
  catatan: "Bukti dukung terbukti lengkap", ratingHasilKerja: DI_ATAS_EKSPEKTASI,
  ratingPerilaku: DI_ATAS_EKSPEKTASI) {
  __typename ... on Keberatan { status hasil } ... on MutationError { code message } } }"""
HITUNG = """mutation { hitungAngkaKredit(tahun: 2026) { __typename
  ... on AngkaKreditDihitung { dibuat diubah tetap belumFinal }
  ... on MutationError { code message } } }"""
KREDIT = """query($nip: String!) { angkaKredit(nip: $nip, tahun: 2026) {
  jumlah baris { periode predikat bulan nilai } } }"""

STAFF_SD = ("A1", "A2", "A3", "A4")


def active(month: int) -> list[str]:
    """Who holds an SKP in force during ``month``."""
    keys = ["Sekda", "Kadis", "Kabid", "Kasi SD", "Kasi SMP", "A1", "A2", "B1"]
    return keys + (["A3"] if month >= HIRED.month else []) + (["A4"] if month <= 3 else [])


def ratings_sd(month: int) -> dict[str, tuple[str, str]]:
    """Seksi SD's month: all Baik, except March: the new hire Sangat Baik, the leaver Butuh
    Perbaikan (so March's curve is met)."""
    staff = {k: B for k in STAFF_SD if k in active(month)}
    if month == 3:
        staff |= {"A3": SB, "A4": BP}
    return staff


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Penetapan of March: 1 April 16:30 UTC, i.e. 23:30 WIB on 1 April (00:30 WITA on 2 April).
DAY_14_WIB = utc(2026, 4, 15, 16, 30)  # 23:30 WIB, 15 April: day 14 in WIB
DAY_15_WIB = utc(2026, 4, 15, 17, 30)  # 00:30 WIB, 16 April: day 15 in WIB (day 14 in WITA)


@pytest.fixture
async def tahun(api, tenant) -> Tahun:
    year = Tahun(api, api.idp, tenant)
    await year.organisasi()
    return year


async def plan_the_year(year: Tahun) -> None:
    """January: the cadence, then every plan top-down, each approved by its penilai."""
    jan = lambda day, hh=10: year.at(date(TAHUN, 1, day), hh)  # noqa: E731
    assert (await year.as_admin(KADENSI, jan(5)))["aturKadensi"]["kadensi"] == "BULANAN"
    settings = {s["kunci"]: s for s in (await year.as_admin(PENGATURAN, jan(5)))[
        "pengaturanInstansi"]}  # fmt: skip
    assert settings["angka_kredit.hitungan_bulan"]["berlaku"] == {"hitungan": "MAYORITAS_HARI"}
    assert settings["instansi.zona_waktu"]["berlaku"] == str(year.zone)

    await year.plan("Sekda", jan(6), [("Mutu pendidikan daerah meningkat", None)])
    await year.approve_external("Sekda", jan(6, 15), "800/1/BUP/2026")
    await year.plan("Kadis", jan(7), [("Layanan pendidikan dasar merata", year.rhk_id("Sekda"))])
    await year.approve("Sekda", "Kadis", jan(7, 15))
    kadis = year.rhk_id("Kadis")
    await year.plan("Kabid", jan(8), [("Kurikulum SD tersusun", kadis),
                                      ("Kurikulum SMP tersusun", kadis),
                                      ("Laporan bidang tersusun", kadis)])  # fmt: skip
    await year.approve("Kadis", "Kabid", jan(8, 15))
    await year.plan("Kasi SD", jan(9), [("Kurikulum SD diuji", year.rhk_id("Kabid", 0))])
    await year.plan("Kasi SMP", jan(9), [("Kurikulum SMP diuji", year.rhk_id("Kabid", 1))])
    await year.approve("Kabid", "Kasi SD", jan(9, 15))
    await year.approve("Kabid", "Kasi SMP", jan(9, 15))
    for key in ("A1", "A2"):
        await year.plan(key, jan(12), [(f"Modul SD {key} tersusun", year.rhk_id("Kasi SD"))])
    # The leaver's retirement date is known from the start: the SKP ends on it.
    await year.plan("A4", jan(12), [("Modul SD A4 tersusun", year.rhk_id("Kasi SD"))],
                    akhir=RETIRES)  # fmt: skip
    await year.plan("B1", jan(12), [("Modul SMP tersusun", year.rhk_id("Kasi SMP"))])
    for key in ("A1", "A2", "A4"):
        await year.approve("Kasi SD", key, jan(12, 15))
    await year.approve("Kasi SMP", "B1", jan(12, 15))


async def run_month(year: Tahun, month: int, curve: dict) -> None:
    for key in active(month):
        await year.execute(key, month)
    for key in active(month):
        on = RETIRES if (key == "A4" and month == RETIRES.month) else None
        await year.submit(key, month, on)
    await year.rate("Kasi SD", month, ratings_sd(month))
    await year.rate("Kasi SMP", month, {"B1": B})
    await year.rate("Kabid", month, {"Kasi SD": B, "Kasi SMP": B})
    await year.rate("Kadis", month, {"Kabid": B})
    await year.rate("Sekda", month, {"Kadis": B})
    await year.rate_external("Sekda", month, B)
    for leader, unit in (("Kabid", "sd"), ("Kabid", "smp"), ("Kadis", "bidang"),
                         ("Sekda", "dinas"), ("Sekda", "setda")):  # fmt: skip
        done = await year.tetapkan(leader, unit, month)
        curve[(unit, month)] = (done["hasilKurva"], done["jumlahDitetapkan"])


async def test_tahun_penuh(tahun: Tahun):
    year = tahun
    await plan_the_year(year)
    jan12 = year.at(date(TAHUN, 1, 12), 16)
    cakupan = (await year.gql("Kabid", CAKUPAN, jan12))["cakupanCascade"]
    assert cakupan["persenRhkTercakup"] == 66.7  # 2 of the 3 RHK, to 1 decimal
    assert cakupan["persenSkpDisetujui"] == 100.0
    assert [r["teks"] for r in cakupan["rhkBelumDiintervensi"]] == ["Laporan bidang tersusun"]
    await the_leavers_windows(year)

    curve: dict = {}
    for month in range(1, 13):
        if month == 3:
            await hire(year)
        if month == 6:
            await superior_revises(year)
        await run_month(year, month, curve)
        if month == 3:
            await keberatan_wib(year)
            await keberatan_to_the_bupati(year)
    await the_curve(year, curve)
    await no_evaluation_after_leaving(year)
    await angka_kredit(year)
    await siasn(year)


async def the_leavers_windows(year: Tahun) -> None:
    """The leaver's SKP ends on 15 March: March is clipped to it, nothing after it exists."""
    jan12 = year.at(date(TAHUN, 1, 12), 16)
    skp = year.orang["A4"].skp
    march = (await year.gql("A4", WINDOW, jan12, skp=skp, periode="2026-B3"))["pelaksanaan"]
    assert (march["awal"], march["akhir"]) == ("2026-03-01", "2026-03-15")
    april = await year.raw(year.orang["A4"].pegawai, WINDOW, jan12, skp=skp, periode="2026-B4")
    assert april["errors"][0]["extensions"]["code"] == "PERIOD_OUTSIDE_SKP", april


async def hire(year: Tahun) -> None:
    """The new hire plans on 2 March without naming a start: the SKP starts with their post on
    1 March (snapshots of that day: their jabatan and penilai); the first window is March."""
    mar2 = year.at(date(TAHUN, 3, 2))
    await year.plan("A3", mar2, [("Modul SD A3 tersusun", year.rhk_id("Kasi SD"))])
    dates = await year.read("A3", mar2)
    assert (dates["periodeAwal"], dates["periodeAkhir"]) == (HIRED.isoformat(), "2026-12-31")
    await year.approve("Kasi SD", "A3", year.at(date(TAHUN, 3, 2), 15))
    me = year.orang["A3"]
    assert {ra["periode"] for ra in me.rhk[0]["rencanaAksi"]} == {periode(m) for m in range(3, 13)}
    first = (await year.gql("A3", WINDOW, mar2, skp=me.skp, periode="2026-B3"))["pelaksanaan"]
    assert (first["awal"], first["akhir"]) == ("2026-03-01", "2026-03-31")
    before = await year.raw(me.pegawai, SUBMIT, mar2, skp=me.skp, periode="2026-B2")
    refused = before["data"]["ajukanEvaluasiPeriodik"]
    assert (refused["code"], refused["field"]) == ("PERIOD_OUTSIDE_SKP", "periode"), refused
    # The leaver retires after their last day's work (setup: the personnel record).
    await year.retire("A4", RETIRES)


async def keberatan_wib(year: Tahun) -> None:
    """March was fixed on 1 April at 23:30 WIB. Day 14 is 15 April: A1 files at 23:30 WIB and
    is heard; A2 files an hour later, 00:30 WIB on 16 April (day 15), and is refused. A1's
    atasan pejabat penilai (the Kabid) changes the result to Sangat Baik, and the Seksi's
    curve, OK when fixed, is checked again."""
    fixed_at = year.penetapan_at(3)
    assert fixed_at.astimezone(UTC) == utc(2026, 4, 1, 16, 30)
    a1 = await year.evaluasi("A1", 3, year.at(date(TAHUN, 4, 2)))
    assert a1["kesempatanKeberatan"] == {"tersedia": True, "alasan": None, "batas": "2026-04-15"}
    assert a1["final"] is False
    filed = await year.gql("A1", AJUKAN, DAY_14_WIB, id=a1["id"])
    assert filed["ajukanKeberatan"]["status"] == "DIAJUKAN"

    a2 = await year.evaluasi("A2", 3, year.at(date(TAHUN, 4, 2)))
    late = await year.raw(year.orang["A2"].pegawai, AJUKAN, DAY_15_WIB, id=a2["id"])
    refused = late["data"]["ajukanKeberatan"]
    assert (refused["code"], refused["field"]) == ("KEBERATAN_CLOSED", "evaluasiId"), refused
    assert "2026-04-15" in refused["message"]

    decided = await year.gql("Kabid", PUTUS, year.at(date(TAHUN, 4, 20)),
                             id=filed["ajukanKeberatan"]["id"])  # fmt: skip
    assert decided["putuskanKeberatan"] == {"__typename": "Keberatan", "status": "FINAL",
                                            "hasil": "DIUBAH"}  # fmt: skip
    after = await year.evaluasi("A1", 3, year.at(date(TAHUN, 4, 20), 11))
    assert (after["predikat"], after["final"]) == ("SANGAT_BAIK", True)
    unit = (await year.gql("Kabid", KINERJA_UNIT, year.at(date(TAHUN, 4, 20), 11),
                           unit=year.unit_id("sd"), periode="2026-B3"))["kinerjaUnit"]  # fmt: skip
    counts = {d["predikat"]: d["jumlah"] for d in unit["distribusi"] if d["jumlah"]}
    assert counts == {"SANGAT_BAIK": 2, "BAIK": 2, "BUTUH_PERBAIKAN": 1}
    # Two Sangat Baik now tie the two Baik: "Baik terbanyak" fails.
    assert unit["pemeriksaan"]["hasil"] == "WARNING"
    assert [v["kode"] for v in unit["pemeriksaan"]["pelanggaran"]] == ["BAIK.terbanyak_baik"]


ANTRIAN_EKSTERNAL = "{ keberatanAtasanEksternal { nodes { id evaluasiId status } } }"
PUTUS_EKSTERNAL = """mutation($id: ID!, $dokumen: DokumenEksternalInput!) {
  catatPutusanKeberatanEksternal(keberatanId: $id, hasil: DITOLAK, dokumen: $dokumen,
    catatan: "Penilaian telah sesuai bukti dukung") {
  __typename ... on Keberatan { status hasil } ... on MutationError { code field message } } }"""


async def keberatan_to_the_bupati(year: Tahun) -> None:
    """The Kadis's atasan pejabat penilai is the Bupati, outside the system (decision 0023):
    the Kadis objects to March, the admin instansi records the Bupati's signed decision."""
    apr = lambda day, hh=10: year.at(date(TAHUN, 4, day), hh)  # noqa: E731
    kadis = await year.evaluasi("Kadis", 3, apr(3))
    assert kadis["kesempatanKeberatan"]["tersedia"] is True, kadis  # not final as fixed
    assert kadis["final"] is False
    filed = await year.gql("Kadis", AJUKAN, apr(3), id=kadis["id"])
    assert filed["ajukanKeberatan"]["status"] == "DIAJUKAN"
    waiting = (await year.as_admin(ANTRIAN_EKSTERNAL, apr(6)))["keberatanAtasanEksternal"]["nodes"]
    assert [(k["evaluasiId"], k["status"]) for k in waiting] == [(kadis["id"], "DIAJUKAN")]
    decided = await year.as_admin(
        PUTUS_EKSTERNAL,
        apr(10),
        id=filed["ajukanKeberatan"]["id"],
        dokumen=rate_document("800/41/BUP/2026", date(TAHUN, 4, 10)),
    )
    assert decided["catatPutusanKeberatanEksternal"] == {
        "__typename": "Keberatan", "status": "FINAL", "hasil": "DITOLAK"}  # fmt: skip
    after = await year.evaluasi("Kadis", 3, apr(10, 11))
    assert (after["predikat"], after["final"]) == ("BAIK", True)


async def superior_revises(year: Tahun) -> None:
    """Early June the Kabid revises and drops "Kurikulum SMP tersusun" (Kasi SMP's link):
    the Kasi SD's link follows the kept RHK to the new version, the Kasi SMP's is orphaned;
    then the Kasi SMP re-links to "Laporan bidang tersusun" and everything is covered."""
    june = lambda day, hh=10: year.at(date(TAHUN, 6, day), hh)  # noqa: E731
    kabid = year.orang["Kabid"]
    old_ids = [r["id"] for r in kabid.rhk]
    before = (await year.gql("Kabid", CAKUPAN, june(2)))["cakupanCascade"]
    assert (before["persenRhkTercakup"], before["intervensiYatim"]) == (66.7, [])

    draft = (await year.gql("Kabid", REVISE, june(2), skp=kabid.skp, v=kabid.version))[
        "revisiSkp"]["skp"]  # fmt: skip
    assert draft["versi"] == 2
    kabid.skp, kabid.version = draft["id"], draft["versiKunci"]
    await year.read("Kabid", june(2))
    # The revision carries the plan on: the rencana aksi of the months still to come.
    for rhk in kabid.rhk:
        planned = {ra["periode"] for ra in rhk["rencanaAksi"]}
        assert planned >= {periode(m) for m in range(6, 13)}, (rhk["teks"], planned)
    dropped = kabid.rhk[1]
    assert dropped["teks"] == "Kurikulum SMP tersusun"
    removed = await year.gql("Kabid", REMOVE_RHK, june(2), skp=kabid.skp, v=kabid.version,
                             rhk=dropped["id"])  # fmt: skip
    kabid.version = removed["hapusRhk"]["skp"]["versiKunci"]
    kabid.version = (await year.gql("Kabid", SUBMIT_SKP, june(2), skp=kabid.skp, v=kabid.version))[
        "ajukanSkp"
    ]["skp"]["versiKunci"]
    # Until the Kadis approves, the approved version counts.
    during = (await year.gql("Kabid", CAKUPAN, june(2, 15)))["cakupanCascade"]
    assert during["persenRhkTercakup"] == 66.7
    await year.approve("Kadis", "Kabid", june(3))
    kept, laporan = kabid.rhk[0]["id"], kabid.rhk[1]["id"]

    after = (await year.gql("Kabid", CAKUPAN, june(3, 11)))["cakupanCascade"]
    assert after["skpAtasan"] == {"id": kabid.skp, "versi": 2}
    assert after["persenRhkTercakup"] == 50.0  # "Kurikulum SD" covered, "Laporan" not
    assert [(o["pegawai"]["nama"], o["rhkDihapus"]["id"]) for o in after["intervensiYatim"]] == [
        ("Kasi SMP", old_ids[1])
    ]
    sd = (await year.read("Kasi SD", june(3, 11)))["rhk"][0]
    assert (sd["statusIntervensi"], sd["intervensi"]["id"]) == ("BERLAKU", kept)
    smp = (await year.read("Kasi SMP", june(3, 11)))["rhk"][0]
    assert (smp["statusIntervensi"], smp["intervensi"]["id"]) == ("YATIM", old_ids[1])
    assert smp["petunjukIntervensi"]

    # The Kasi SMP re-links in a revision of their own; B1's link follows it.
    kasi = year.orang["Kasi SMP"]
    draft = (await year.gql("Kasi SMP", REVISE, june(4), skp=kasi.skp, v=kasi.version))[
        "revisiSkp"]["skp"]  # fmt: skip
    kasi.skp, kasi.version = draft["id"], draft["versiKunci"]
    rhk = (await year.read("Kasi SMP", june(4)))["rhk"][0]
    saved = await year.gql("Kasi SMP", SAVE_RHK, june(4), input={
        "skpId": kasi.skp, "versiDiharapkan": kasi.version, "rhkId": rhk["id"],
        "teks": rhk["teks"], "intervensiRhkId": laporan,
        "indikator": [{"id": rhk["indikator"][0]["id"], "teks": "Jumlah kurikulum smp diuji",
                       "aspek": "KUANTITAS", "targetMin": "12", "satuan": "Dokumen"}],
    })  # fmt: skip
    kasi.version = saved["simpanRhk"]["skp"]["versiKunci"]
    kasi.version = (await year.gql("Kasi SMP", SUBMIT_SKP, june(4), skp=kasi.skp,
                                   v=kasi.version))["ajukanSkp"]["skp"]["versiKunci"]  # fmt: skip
    await year.approve("Kabid", "Kasi SMP", june(5))
    covered = (await year.gql("Kabid", CAKUPAN, june(5, 11)))["cakupanCascade"]
    assert (covered["persenRhkTercakup"], covered["intervensiYatim"]) == (100.0, [])
    b1 = (await year.read("B1", june(5, 11)))["rhk"][0]
    assert (b1["statusIntervensi"], b1["intervensi"]["id"]) == (
        "BERLAKU", year.orang["Kasi SMP"].rhk[0]["id"])  # fmt: skip


async def the_curve(year: Tahun, curve: dict) -> None:
    """Penetapan per unit each month: the Seksi SD is OK in March only (one Sangat Baik, one
    Butuh Perbaikan, Baik the most and at most 70 %); every other batch is all Baik, which
    the default curve answers WARNING (more than 70 % Baik, nobody Butuh Perbaikan)."""
    expected = {}
    for month in range(1, 13):
        sd = 1 + len([k for k in STAFF_SD if k in active(month)])
        expected |= {
            ("sd", month): ("OK" if month == 3 else "WARNING", sd),
            ("smp", month): ("WARNING", 2),
            ("bidang", month): ("WARNING", 1),
            ("dinas", month): ("WARNING", 1),
            ("setda", month): ("WARNING", 1),
        }
    assert curve == expected
    assert [curve[("sd", m)][1] for m in range(1, 13)] == [4, 4, 5] + [4] * 9


async def no_evaluation_after_leaving(year: Tahun) -> None:
    me = year.orang["A4"]
    july = year.at(date(TAHUN, 7, 1), 9)
    june = await year.raw(me.pegawai, SUBMIT, july, skp=me.skp, periode="2026-B6")
    refused = june["data"]["ajukanEvaluasiPeriodik"]
    assert (refused["code"], refused["field"]) == ("PERIOD_OUTSIDE_SKP", "periode"), refused
    assert "2026-03-15" in refused["message"]


LEDGER = {
    # A monthly year of Baik: 12 × 12.5/12 summed exactly = 12.50 (not 12 × 1.04 = 12.48).
    "B1": (["1.04"] * 12, "12.50"),
    # Ahli Muda, a year of Baik: 25.00 (not 12 × 2.08 = 24.96).
    "A2": (["2.08"] * 12, "25.00"),
    # Sangat Baik in March by keberatan: (11 × 12.5 + 18.75) / 12 = 13.0208 → 13.02.
    "A1": (["1.04"] * 2 + ["1.56"] + ["1.04"] * 9, "13.02"),
    # Hired 1 March: March Sangat Baik, then nine months of Baik: 131.25 / 12 = 10.94.
    "A3": (["1.56"] + ["1.04"] * 9, "10.94"),
    # Retired 15 March: 15 of March's 31 days is not the majority (MAYORITAS_HARI), so March
    # earns nothing; January and February of Baik at Ahli Muda: 50 / 12 = 4.17.
    "A4": (["2.08"] * 2, "4.17"),
}


async def angka_kredit(year: Tahun) -> None:
    """Mid January 2027 every December result is past its keberatan days: all final."""
    at = year.at(date(TAHUN + 1, 1, 20))
    first = (await year.as_admin(HITUNG, at))["hitungAngkaKredit"]
    lines = sum(len(v[0]) for v in LEDGER.values())
    assert first == {"__typename": "AngkaKreditDihitung", "dibuat": lines, "diubah": 0,
                     "tetap": 0, "belumFinal": 0}  # fmt: skip
    again = (await year.as_admin(HITUNG, at))["hitungAngkaKredit"]
    assert (again["dibuat"], again["diubah"], again["tetap"]) == (0, 0, lines)  # idempotent
    for key, (nilai, jumlah) in LEDGER.items():
        found = (await year.as_admin(KREDIT, at, nip=year.orang[key].pegawai.nip))["angkaKredit"]
        assert ([b["nilai"] for b in found["baris"]], found["jumlah"]) == (nilai, jumlah), key
    a4 = (await year.as_admin(KREDIT, at, nip=year.orang["A4"].pegawai.nip))["angkaKredit"]
    assert [(b["periode"], b["bulan"]) for b in a4["baris"]] == [("2026-B1", 1), ("2026-B2", 1)]


async def siasn(year: Tahun) -> None:
    at = year.at(date(TAHUN + 1, 1, 20), 11)
    response = await year.csv("rw-kinerjaperiodik", at)
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    nip = {o.pegawai.nip: k for k, o in year.orang.items()}
    mine = {}
    for row in rows:
        mine.setdefault(nip[row["pnsDinilaiId"]], []).append(row)
    # One row per final window: 12 for those who stayed, 10 from the hire, 3 to the leaver.
    assert {k: len(v) for k, v in mine.items()} == {
        **{k: 12 for k in ("Sekda", "Kadis", "Kabid", "Kasi SD", "Kasi SMP", "A1", "A2", "B1")},
        "A3": 10, "A4": 3,
    }  # fmt: skip
    a4 = [(r["bulanMulaiPenilaian"], r["bulanSelesaiPenilaian"], r["kuadranKinerja"],
           r["angkaKredit"], r["unorNama"]) for r in mine["A4"]]  # fmt: skip
    assert a4 == [("1", "1", "Baik", "2.08", "Seksi SD"), ("2", "2", "Baik", "2.08", "Seksi SD"),
                  ("3", "3", "Butuh Perbaikan", "", "Seksi SD")]  # fmt: skip
    a1_march = next(r for r in mine["A1"] if r["bulanMulaiPenilaian"] == "3")
    assert (a1_march["kuadranKinerja"], a1_march["angkaKredit"]) == ("Sangat Baik", "1.56")
    assert [r["bulanMulaiPenilaian"] for r in mine["A3"]] == [str(m) for m in range(3, 13)]
    assert {r["unorNama"] for r in mine["B1"]} == {"Seksi SMP"}
    assert [r["angkaKredit"] for r in mine["B1"]] == ["1.04"] * 12
    assert {r["unorNama"] for r in mine["Kabid"]} == {"Bidang Kurikulum"}
    assert {r["angkaKredit"] for r in mine["Kabid"]} == {""}  # no jabatan fungsional
    assert {r["namaPenilai"] for r in mine["Kabid"]} == {"Kadis"}  # across the revision
    sekda = mine["Sekda"][0]
    assert (sekda["namaPenilai"], sekda["statusPenilai"]) == (BUPATI["namaPejabat"], "NON ASN")

    response = await year.csv("rw-skp22", at)
    assert response.status_code == 200, response.text
    annual = {nip[r["pnsDinilaiId"]]: r for r in csv.DictReader(
        io.StringIO(response.content.decode("utf-8")))}  # fmt: skip
    # The annual result follows December (LAST_PERIOD).
    stayed = {"Sekda", "Kadis", "Kabid", "Kasi SD", "Kasi SMP", "A1", "A2", "A3", "B1"}
    assert set(annual) == stayed | {"A4"}  # one row per pegawai, the admin has no SKP
    assert {annual[k]["kuadranKinerja"] for k in stayed} == {"Baik"}
    assert annual["A1"]["namaPenilai"] == "Kasi SD"
    # The leaver's year is their SKP's, to 15 March: its annual result is March's.
    assert (annual["A4"]["kuadranKinerja"], annual["A4"]["hasilKinerja"]) == (
        "Butuh Perbaikan", "Dibawah Ekspektasi")  # fmt: skip
    assert annual["Sekda"]["statusPenilai"] == "NON ASN"
