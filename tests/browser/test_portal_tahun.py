"""The year's main journey through the portal, person by person, in a real browser (issue 19):
the pegawai plans next year and submits, the pejabat penilai approves from the team page while
the pegawai's own page hears of it live; the pegawai logs today's progres with an evidence
file and the penilai's team page hears of it live; the pegawai submits the current window's
evaluation, the penilai rates it, the leader fixes the unit's results (penetapan, which the
portal does not offer: done through the API, as the leader); the pegawai files a keberatan and
the atasan pejabat penilai decides it while the pegawai's page hears of the decision live.

Everything but the penetapan is clicked and typed in the portal. It runs after the other
browser tests (its file sorts last but the smoke test's, which only reads) because it writes
the pegawai's own year: the current window's evaluation and a keberatan."""

from __future__ import annotations

import re
from datetime import date

from playwright.async_api import expect

from tests.browser.support import periksa_aksesibilitas, tangkap

PERIODE = """query($tahun: Int!) { periodeEvaluasi(tahun: $tahun) { kode awal akhir } }"""
UNIT = """{ saya { jabatan { jabatan { unit { id } } } } }"""
PREDIKAT_UNIT = """mutation($unit: ID!, $p: String!) { aturPredikatOrganisasi(unitId: $unit,
  periode: $p, predikat: BAIK) { __typename ... on MutationError { code message } } }"""
ANTRIAN = """query($p: String!) { evaluasiUntukDinilai(filter: {periode: $p}, first: 100) {
  nodes { id versiKunci } } }"""
NILAI = """mutation($ev: ID!, $v: Int!) { nilaiEvaluasi(evaluasiId: $ev, versiDiharapkan: $v,
  ratingHasilKerja: SESUAI_EKSPEKTASI, ratingPerilaku: SESUAI_EKSPEKTASI) {
  __typename ... on MutationError { code message } } }"""
TETAPKAN = """mutation($unit: ID!, $p: String!) { tetapkanKinerjaUnit(unitId: $unit, periode: $p) {
  __typename ... on MutationError { code message } } }"""


async def _open(sesi, path: str, title: str):
    await sesi.buka(f"/portal/#{path}")
    await expect(sesi.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(sesi.page.locator("#isi > .memuat")).to_have_count(0)
    return sesi.page


async def _window_of_today(layanan, who) -> str:
    today = date.today().isoformat()  # never after the instansi's day (its zone is east of UTC)
    data = await layanan.graphql(PERIODE, {"tahun": int(today[:4])}, sebagai=who)
    [window] = [w for w in data["periodeEvaluasi"] if w["awal"] <= today <= w["akhir"]]
    return window["kode"]


async def test_the_year_person_by_person(masuk, layanan, orang):
    pegawai, penilai = orang.pegawai, orang.penilai
    skp_years = await layanan.graphql("{ skpSaya { nodes { tahun } } }", sebagai=pegawai)
    tahun = max(n["tahun"] for n in skp_years["skpSaya"]["nodes"]) + 1
    window = await _window_of_today(layanan, pegawai)

    # -- 1. The pegawai plans next year and submits; their SKP page, open beside, follows live.
    watcher = await masuk(pegawai, kembali=f"/portal/#/skp?tahun={tahun}")
    mine = watcher.page
    await expect(mine.get_by_text(f"Anda belum memiliki SKP tahun {tahun}.")).to_be_visible()
    await expect(mine.get_by_text("Pembaruan langsung: aktif")).to_be_visible()
    sesi = await masuk(pegawai)
    page = await _open(sesi, f"/skp/rencana?tahun={tahun}", "Rencana SKP")
    main = page.locator("#isi")
    await page.get_by_role("button", name="Buat SKP").click()
    await expect(main.get_by_text(f"SKP {tahun} dibuat.")).to_be_visible()
    await page.get_by_role("button", name="Tambah RHK").click()
    form = page.get_by_role("form", name="RHK baru")
    await form.get_by_label(re.compile("^Rencana hasil kerja")).fill("Meningkatnya mutu layanan")
    await form.get_by_label(re.compile("^Indikator")).fill("Layanan sesuai standar")
    await form.get_by_label("Target", exact=True).fill("90")
    await form.get_by_label("Satuan").fill("persen")
    await form.get_by_label("Intervensi eksternal").fill("Program layanan kabupaten")
    await form.get_by_role("button", name="Simpan RHK").click()
    await expect(main.get_by_text("RHK baru disimpan.")).to_be_visible()
    aksi = page.get_by_role("form", name=re.compile(r"^Rencana aksi RHK 1 "))
    await aksi.get_by_label("Rencana aksi").fill("Memantau standar layanan")
    await aksi.get_by_label(re.compile("^Target")).fill("90 persen")
    await aksi.get_by_role("button", name="Simpan rencana aksi RHK 1").click()
    await expect(
        main.get_by_text(re.compile(r"^Rencana aksi RHK 1 periode .* disimpan\."))
    ).to_be_visible()
    await page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    await expect(main.get_by_text("SKP diajukan ke pejabat penilai.")).to_be_visible()
    await tangkap(page, "perjalanan-1-rencana-diajukan")
    heard = mine.locator("#isi").get_by_role("status")
    await expect(heard.filter(has_text="SKP Anda diajukan")).to_be_visible()

    # -- 2. The penilai approves it from the team page; the pegawai's page hears of it.
    tim = await masuk(penilai)
    team = await _open(tim, "/tim", "Tim Saya")
    await team.get_by_role(
        "button", name=re.compile(f"^Setujui SKP .*{re.escape(pegawai.nama)}")
    ).click()
    await team.get_by_role("dialog").get_by_role("button", name="Setujui SKP").click()
    await expect(
        team.locator("#isi").get_by_role("status").filter(has_text=re.compile("disetujui"))
    ).to_be_visible()
    await expect(heard.filter(has_text="disetujui")).to_be_visible()
    await tangkap(mine, "perjalanan-2-skp-disetujui")

    # -- 3. Today's progres with an evidence file; the penilai's team page hears of it.
    await _open(tim, f"/tim?periode={window}", "Tim Saya")
    await expect(team.locator(".langsung")).to_have_attribute("data-keadaan", "terhubung")
    page = await _open(sesi, "/pelaksanaan", "Progres & Realisasi")
    single = page.get_by_role("form", name="Progres harian")
    await single.get_by_label(re.compile("^Kegiatan")).fill("Memantau standar layanan loket")
    await single.get_by_role("button", name="Simpan progres").click()
    await expect(main.get_by_text(re.compile(r"^Progres .* disimpan\.$"))).to_be_visible()
    updates = team.get_by_role("list", name="Pembaruan terbaru")
    await expect(updates).to_contain_text(
        re.compile(f"{re.escape(pegawai.nama)}.* mencatat progres harian \\({window}\\)")
    )
    await tangkap(team, "perjalanan-3-tim-langsung")
    card = page.locator("article").filter(has=page.get_by_text("Tambah bukti dukung")).first
    name = (await card.get_attribute("aria-label")).removeprefix("Realisasi ")
    await card.get_by_text("Tambah bukti dukung").click()
    upload = page.get_by_role("form", name=f"Unggah bukti {name}")
    await upload.get_by_label(re.compile("^Berkas bukti")).set_input_files(
        files=[
            {
                "name": "laporan-loket.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% laporan loket\n",
            }
        ]  # fmt: skip
    )
    await upload.get_by_role("button", name=f"Unggah bukti {name}").click()
    await expect(main.get_by_text("Bukti laporan-loket.pdf terunggah.")).to_be_visible()
    await tangkap(page, "perjalanan-3-progres-bukti")

    # -- 4. The pegawai submits the window's evaluation; the penilai rates it.
    submit = page.get_by_role("form", name="Ajukan evaluasi")
    await submit.get_by_role("button", name=f"Ajukan evaluasi {window}").click()
    await expect(
        main.get_by_text(f"Evaluasi {window} diajukan ke pejabat penilai.")
    ).to_be_visible()
    rating = await _open(tim, "/tim/evaluasi", "Evaluasi Tim")
    await rating.get_by_role(
        "button", name=re.compile(f"^Nilai evaluasi {re.escape(pegawai.nama)}.* {window}$")
    ).click()
    dialog = rating.get_by_role("dialog")
    await (
        dialog.get_by_role("group", name="Rating hasil kerja")
        .get_by_label("Sesuai ekspektasi")
        .check()
    )
    await (
        dialog.get_by_role("group", name=re.compile("^Rating perilaku kerja"))
        .get_by_label("Sesuai ekspektasi")
        .check()
    )
    await periksa_aksesibilitas(rating, dalam="dialog")
    await tangkap(rating, "perjalanan-4-penilaian")
    await dialog.get_by_role("button", name="Simpan penilaian").click()
    await expect(
        rating.locator("#isi").get_by_text(
            re.compile(f"^Penilaian {re.escape(pegawai.nama)}.* tersimpan")
        )
    ).to_contain_text("predikat")

    # -- 5. The leader fixes the unit's results of the window (not a portal page: the API),
    # once every evaluation submitted in the unit is rated (others' tests submit some too).
    waiting = await layanan.graphql(ANTRIAN, {"p": window}, sebagai=penilai)
    for other in waiting["evaluasiUntukDinilai"]["nodes"]:
        rated = await layanan.graphql(
            NILAI, {"ev": other["id"], "v": other["versiKunci"]}, sebagai=penilai
        )
        assert rated["nilaiEvaluasi"]["__typename"] == "EvaluasiPeriodik", rated
    unit = (await layanan.graphql(UNIT, sebagai=pegawai))["saya"]["jabatan"]["jabatan"]["unit"]
    variables = {"unit": unit["id"], "p": window}
    set_unit = await layanan.graphql(PREDIKAT_UNIT, variables, sebagai=orang.kepala)
    assert set_unit["aturPredikatOrganisasi"]["__typename"] == "PredikatOrganisasiDiatur", set_unit
    fixed = await layanan.graphql(TETAPKAN, variables, sebagai=orang.kepala)
    assert fixed["tetapkanKinerjaUnit"]["__typename"] == "PenetapanSelesai", fixed

    # -- 6. The pegawai files a keberatan; the atasan penilai decides; the pegawai hears of it.
    page = await _open(sesi, "/keberatan", "Keberatan")
    filing = page.get_by_role("form", name=f"Ajukan keberatan {window}")
    await filing.get_by_label(re.compile("^Alasan keberatan")).fill(
        "Realisasi pemantauan loket belum diperhitungkan"
    )
    await filing.get_by_role("button", name=f"Ajukan keberatan {window}").click()
    await expect(
        main.get_by_text(re.compile(f"^Keberatan atas hasil {window} diajukan"))
    ).to_be_visible()
    await tangkap(page, "perjalanan-6-keberatan")
    atasan = await masuk(orang.atasan_penilai)
    decide = await _open(atasan, "/keberatan/putusan", "Putusan Keberatan")
    await decide.get_by_role(
        "button", name=re.compile(f"^Putuskan keberatan {re.escape(pegawai.nama)}")
    ).click()
    await decide.get_by_role("combobox", name="Putusan").select_option("DITOLAK")
    await decide.get_by_label(re.compile("^Alasan putusan")).fill("Realisasi sudah diperhitungkan")
    await decide.get_by_role("button", name="Simpan putusan").click()
    await expect(
        decide.locator("#isi").get_by_text(
            re.compile(f"^Keberatan {re.escape(pegawai.nama)}.* diputus: ditolak\\.$")
        )
    ).to_be_visible()
    await expect(page.locator("#isi").get_by_text("Realisasi sudah diperhitungkan")).to_be_visible()
    await tangkap(page, "perjalanan-6-keberatan-diputus")

    for each in (watcher, sesi, tim, atasan):
        each.tanpa_masalah()
