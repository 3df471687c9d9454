"""The pejabat penilai's and the leader's pages in a real browser (issue 19): Tim Saya, Evaluasi
Tim, Putusan Keberatan and Dasbor Pimpinan render for the walked team's penilai, atasan penilai
and kepala with no console error and pass axe (a laptop, and Tim Saya on a phone); a submitted
SKP is approved from the team page; and the team page updates live when a subordinate logs
progres (a GraphQL call as that subordinate: the event `pelaksanaan.progres` reaches the page
through the subscription, no reload, no sleep).

The writes go to a team member other pages' tests leave alone: not ``orang.pegawai``, not the
one whose keberatan is pending, not the one the pegawai pages' tests write for (the first other
member); the keberatan is looked at, never decided."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.async_api import expect

from tests.browser.support import periksa_aksesibilitas, tangkap

PHONE = {"viewport": {"width": 390, "height": 800}}
SKP_SAYA = """query($tahun: Int) { skpSaya(filter: {tahun: $tahun}) { nodes { id versiKunci status
  digantikanPada rhk { rencanaAksi { id periode } } } } }"""
REVISI = """mutation($skp: ID!, $v: Int!) { revisiSkp(skpId: $skp, versiDiharapkan: $v) {
  __typename ... on SkpDiubah { skp { id versiKunci } } ... on MutationError { code message } } }"""
AJUKAN = """mutation($skp: ID!, $v: Int!) { ajukanSkp(skpId: $skp, versiDiharapkan: $v) {
  __typename ... on MutationError { code message } } }"""
STATUS = """query($id: ID!) { skp(id: $id) { status } }"""
CATAT = """mutation($input: ProgresHarianInput!) { buatProgresHarian(input: $input) {
  __typename ... on BarisDitolak { code baris { field message } }
  ... on MutationError { code message } } }"""
UNIT = """{ saya { jabatan { jabatan { unit { id } } } } }"""
PERIODE = """query($tahun: Int!) { periodeEvaluasi(tahun: $tahun) { kode awal akhir } }"""


@pytest.fixture(scope="module")
def anggota(orang):
    """The team member these tests write for: their SKP is revised, submitted and approved
    here, then they log progres on the approved version (seen live)."""
    theirs = next(who for who in orang.tim[1:] if who != orang.pengaju_keberatan)
    left = [o for o in orang.tim if o not in (orang.pegawai, orang.pengaju_keberatan, theirs)]
    if not left:
        pytest.skip(f"the walked team has no member left for these writes: {orang.tim}")
    return left[-1]


async def _open(sesi, path: str, title: str):
    await sesi.buka(f"/portal/#{path}")
    await expect(sesi.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(sesi.page.locator("#isi .memuat")).to_have_count(0)
    return sesi.page


async def _approved(layanan, who) -> dict:
    data = await layanan.graphql(SKP_SAYA, {"tahun": None}, sebagai=who)
    nodes = data["skpSaya"]["nodes"]
    return next(s for s in nodes if s["status"] == "DISETUJUI" and not s["digantikanPada"])


async def test_each_page_renders_and_is_accessible(masuk, orang, layanan):
    penilai = await masuk(orang.penilai)
    for path, title, name in (
        ("/tim", "Tim Saya", "tim"),
        ("/tim/evaluasi", "Evaluasi Tim", "evaluasi-tim"),
    ):
        page = await _open(penilai, path, title)
        await periksa_aksesibilitas(page, dalam="#isi")  # the shell is checked by its own tests
        await tangkap(page, name)
    queue = penilai.page.locator("#isi").get_by_role("status").filter(has_text="evaluasi")
    await expect(queue).to_be_visible()
    penilai.tanpa_masalah()

    atasan = await masuk(orang.atasan_penilai)
    page = await _open(atasan, "/keberatan/putusan", "Putusan Keberatan")
    await expect(
        page.get_by_role("heading", name=re.compile(orang.pengaju_keberatan.nama))
    ).to_be_visible()
    await page.get_by_role(
        "button", name=re.compile(f"^Putuskan keberatan {orang.pengaju_keberatan.nama}")
    ).click()
    await expect(page.get_by_role("combobox", name="Putusan")).to_be_visible()
    await periksa_aksesibilitas(page, dalam="#isi")
    await tangkap(page, "keberatan-putusan")
    atasan.tanpa_masalah()

    kepala = await masuk(orang.kepala)
    page = await _open(kepala, "/dasbor", "Dasbor Pimpinan")
    charts = page.get_by_role(
        "img", name=re.compile("^(Jumlah RHK bawahan|Sebaran predikat|Kelengkapan penilaian)")
    )
    await expect(charts).to_have_count(3)
    await expect(page.get_by_role("table", name=re.compile("^Matriks peran hasil"))).to_be_visible()
    # The walked team's unit, fixed (penetapan) by this kepala: its distribution and curve.
    mine = await layanan.graphql(UNIT, sebagai=orang.pegawai)
    await page.get_by_label("Unit kerja").select_option(
        mine["saya"]["jabatan"]["jabatan"]["unit"]["id"]
    )
    await expect(page.get_by_text("Pemeriksaan kurva distribusi")).to_be_visible()
    await expect(page.locator("#isi .memuat")).to_have_count(0)
    await periksa_aksesibilitas(page, dalam="#isi")
    await tangkap(page, "dasbor")
    kepala.tanpa_masalah()

    ponsel = await masuk(orang.penilai, **PHONE)
    page = await _open(ponsel, "/tim", "Tim Saya")
    await periksa_aksesibilitas(page, dalam="#isi")
    await tangkap(page, "tim-ponsel")
    wide = await page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"/tim is {wide} px wide on a 390 px phone"
    ponsel.tanpa_masalah()


async def test_a_submitted_skp_is_approved_from_the_team_page(masuk, orang, layanan, anggota):
    pengaju = anggota
    skp = await _approved(layanan, pengaju)
    revised = (
        await layanan.graphql(REVISI, {"skp": skp["id"], "v": skp["versiKunci"]}, sebagai=pengaju)
    )["revisiSkp"]
    assert revised["__typename"] == "SkpDiubah", revised
    draft = revised["skp"]
    submitted = await layanan.graphql(
        AJUKAN, {"skp": draft["id"], "v": draft["versiKunci"]}, sebagai=pengaju
    )
    assert submitted["ajukanSkp"]["__typename"] == "SkpDiubah", submitted

    sesi = await masuk(orang.penilai)
    page = await _open(sesi, "/tim", "Tim Saya")
    await page.get_by_role(
        "button", name=re.compile(f"^Setujui SKP .*{re.escape(pengaju.nama)}")
    ).click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text("Ekspektasi khusus pimpinan").click()
    await dialog.get_by_label("Berorientasi Pelayanan").fill("Menjawab pemohon dalam 1 hari kerja")
    await tangkap(page, "tim-setujui")
    await dialog.get_by_role("button", name="Setujui SKP").click()
    await expect(
        page.locator("#isi")
        .get_by_role("status")
        .filter(has_text=re.compile(f"{re.escape(pengaju.nama)}.* disetujui"))
    ).to_be_visible()
    await expect(
        page.get_by_role("button", name=re.compile(f"^Setujui SKP .*{re.escape(pengaju.nama)}"))
    ).to_have_count(0)
    assert (await layanan.graphql(STATUS, {"id": draft["id"]}, sebagai=pengaju))["skp"][
        "status"
    ] == "DISETUJUI"
    sesi.tanpa_masalah()


async def test_the_team_page_updates_live_when_a_subordinate_logs_progres(
    masuk, orang, layanan, anggota
):
    pencatat = anggota
    skp = await _approved(layanan, pencatat)
    today = await _today(layanan, pencatat)
    window = today["kode"]
    rencana = next(
        ra["id"] for r in skp["rhk"] for ra in r["rencanaAksi"] if ra["periode"] == window
    )

    sesi = await masuk(orang.penilai)
    page = await _open(sesi, f"/tim?periode={window}", "Tim Saya")
    await expect(page.locator(".langsung")).to_have_attribute("data-keadaan", "terhubung")
    row = page.get_by_role("row", name=re.compile(re.escape(pencatat.nama)))
    await expect(row.get_by_text("Diperbarui")).to_have_count(0)

    entry = {"rencanaAksiId": rencana, "tanggal": today["tanggal"], "jamMulai": "08:00:00",
             "jamSelesai": "09:30:00", "kegiatan": "Uji pembaruan langsung", "realisasi": 1,
             "satuan": "Dokumen"}  # fmt: skip
    logged = await layanan.graphql(CATAT, {"input": entry}, sebagai=pencatat)
    assert logged["buatProgresHarian"]["__typename"] == "ProgresHarianDisimpan", logged

    updates = page.get_by_role("list", name="Pembaruan terbaru")
    await expect(updates).to_contain_text(
        re.compile(f"{re.escape(pencatat.nama)}.* mencatat progres harian \\({window}\\)")
    )
    await expect(row.get_by_text("Diperbarui")).to_be_visible()
    await tangkap(page, "tim-langsung")
    sesi.tanpa_masalah()


async def _today(layanan, who) -> dict:
    """Today (the machine's date: never after the instansi's, whose zone is east of UTC) and
    the window it falls in."""
    today = date.today().isoformat()
    data = await layanan.graphql(PERIODE, {"tahun": int(today[:4])}, sebagai=who)
    [window] = [w for w in data["periodeEvaluasi"] if w["awal"] <= today <= w["akhir"]]
    return {"kode": window["kode"], "tanggal": today}


AJUKAN_EVALUASI = """mutation($skp: ID!, $periode: String!) {
  ajukanEvaluasiPeriodik(skpId: $skp, periode: $periode) {
  __typename ... on MutationError { code message } } }"""


async def test_the_evaluation_page_updates_live_when_a_subordinate_submits(
    masuk, orang, layanan, anggota
):
    """Last in the file: the member's window of today is submitted (closed to progres)."""
    pengaju = anggota
    skp = await _approved(layanan, pengaju)
    window = (await _today(layanan, pengaju))["kode"]

    sesi = await masuk(orang.penilai)
    page = await _open(sesi, "/tim/evaluasi", "Evaluasi Tim")
    await expect(page.locator(".langsung")).to_have_attribute("data-keadaan", "terhubung")
    card = page.get_by_role("heading", name=f"{pengaju.nama} · {window}")
    await expect(card).to_have_count(0)

    done = await layanan.graphql(
        AJUKAN_EVALUASI, {"skp": skp["id"], "periode": window}, sebagai=pengaju
    )
    assert done["ajukanEvaluasiPeriodik"]["__typename"] == "EvaluasiDiajukan", done

    # Heard through the subscription (evaluasi.diajukan), the queue reloads: no page reload.
    await expect(card).to_be_visible()
    said = page.locator("#isi").get_by_text(f"{pengaju.nama} mengajukan evaluasi {window}.")
    await expect(said).to_be_visible()
    await expect(page.locator("#isi").get_by_text(f"NIP {pengaju.nip}")).to_be_visible()
    await tangkap(page, "evaluasi-tim-langsung")
    sesi.tanpa_masalah()
