"""The pegawai's own pages in a real browser (issue 19): SKP Saya, Rencana SKP, Progres &
Realisasi and Keberatan render for the walked team with no console error and pass axe (on a
laptop and a phone); a plan is written and submitted (a refusal shown on its field, the
intervention the service requires, the return by the penilai arriving live); progres is
logged one at a time and in bulk (a bad row named under that row, nothing saved, then all
saved); an evidence file goes straight to the evidence store and is confirmed.

The writes go to one member of the team who is not ``orang.pegawai`` (whom other pages' tests
look at), on next year's SKP or on entries removed again at the end."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.browser.support import periksa_aksesibilitas, tangkap

PHONE = {"viewport": {"width": 390, "height": 800}}
PAGES = [
    ("/skp", "SKP Saya", "skp-saya"),
    ("/skp/rencana", "Rencana SKP", "rencana-skp"),
    ("/pelaksanaan", "Progres & Realisasi", "pelaksanaan"),
    ("/keberatan", "Keberatan", "keberatan"),
]


@pytest.fixture(scope="module")
def penulis(orang):
    """The team member whose plan and log these tests change."""
    return next(who for who in orang.tim[1:] if who != orang.pengaju_keberatan)


async def _open(sesi, path: str, title: str):
    await sesi.buka(f"/portal/#{path}")
    await expect(sesi.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(sesi.page.locator("#isi > .memuat")).to_have_count(0)
    return sesi.page


@pytest.mark.parametrize("ukuran", ["laptop", "ponsel"])
async def test_each_page_renders_and_is_accessible(masuk, orang, ukuran):
    options = PHONE if ukuran == "ponsel" else {}
    # One session each (the pegawai's pages; the keberatan page of whoever filed one), moving
    # between the pages as the menu does.
    pegawai = await masuk(orang.pegawai, **options)
    pengaju = await masuk(orang.pengaju_keberatan, **options)
    for path, title, name in PAGES:
        sesi = pengaju if path == "/keberatan" else pegawai
        page = await _open(sesi, path, title)
        if path == "/skp":
            await expect(page.get_by_role("heading", name=re.compile(r"^RHK 1 ·"))).to_be_visible()
        if path == "/pelaksanaan":
            await expect(
                page.get_by_role("heading", name=re.compile(r"^Realisasi "))
            ).to_be_visible()
        if path == "/keberatan":
            await expect(page.get_by_role("heading", name="Keberatan Anda")).to_be_visible()
        if ukuran == "laptop":  # the same page as on the phone; the shell has its own tests
            await periksa_aksesibilitas(page, dalam="#isi")
            await tangkap(page, name)
        else:  # nothing wider than the phone: no sideways scrolling
            await tangkap(page, f"{name}-ponsel")
            wide = await page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 390, f"{path} is {wide} px wide on a 390 px phone"
        sesi.tanpa_masalah()


async def test_a_penilai_sees_who_intervenes_each_rhk(masuk, orang):
    sesi = await masuk(orang.penilai)
    page = await _open(sesi, "/skp", "SKP Saya")
    await expect(page.get_by_role("heading", name="Cakupan cascade oleh bawahan")).to_be_visible()
    below = page.locator("details").filter(has=page.get_by_text(re.compile(r"^Diintervensi oleh")))
    if await below.first.get_attribute("open") is None:  # a long list starts closed
        await below.first.locator("summary").click()
    await page.get_by_role("button", name="Lihat pohon cascade RHK 1").click()
    tree = page.get_by_role("dialog", name="Pohon cascade RHK 1")
    await expect(tree.get_by_text(orang.pegawai.nama).first).to_be_visible()
    await periksa_aksesibilitas(page, dalam="#isi")  # the shell is checked by its own tests
    await tangkap(page, "skp-saya-pohon-cascade")
    await tree.get_by_role("button", name="Tutup dialog").click()
    sesi.tanpa_masalah()


async def test_a_plan_is_written_submitted_and_its_return_arrives_live(
    masuk, layanan, orang, penulis
):
    skp_now = await layanan.graphql("{ skpSaya { nodes { tahun } } }", sebagai=penulis)
    tahun = max(n["tahun"] for n in skp_now["skpSaya"]["nodes"]) + 1
    # A second session (another window or device) on SKP Saya follows the plan live while the
    # first one writes it.
    watcher = await masuk(penulis, kembali=f"/portal/#/skp?tahun={tahun}")
    watched = watcher.page
    sesi = await masuk(penulis)
    await expect(watched.get_by_text(f"Anda belum memiliki SKP tahun {tahun}.")).to_be_visible()
    await expect(watched.get_by_text("Pembaruan langsung: aktif")).to_be_visible()

    page = await _open(sesi, f"/skp/rencana?tahun={tahun}", "Rencana SKP")
    main = page.locator("#isi")
    await page.get_by_role("button", name="Buat SKP").click()
    await expect(main.get_by_text(f"SKP {tahun} dibuat.")).to_be_visible()

    await page.get_by_role("button", name="Tambah RHK").click()
    form = page.get_by_role("form", name="RHK baru")
    await form.get_by_label(re.compile("^Rencana hasil kerja")).fill("Terlayaninya resep pasien")
    await form.get_by_label(re.compile("^Indikator")).fill("Resep terlayani")
    await form.get_by_label("Target", exact=True).fill("120")
    await form.get_by_label("Target maksimum").fill("100")  # below the minimum: refused
    await form.get_by_label("Satuan").fill("resep")
    # JA/JF: an RHK utama must intervene; nobody above has next year's plan approved yet.
    await expect(form.get_by_label("RHK atasan yang diintervensi")).to_contain_text("belum ada")
    await form.get_by_label("Intervensi eksternal").fill("Pelayanan farmasi kabupaten")
    await form.get_by_role("button", name="Simpan RHK").click()
    await expect(form.get_by_label("Target", exact=True)).to_have_attribute("aria-invalid", "true")
    await expect(form.get_by_role("alert")).to_contain_text("INVALID_INPUT")
    await form.get_by_label("Target maksimum").fill("")
    await form.get_by_role("button", name="Simpan RHK").click()
    await expect(main.get_by_text("RHK baru disimpan.")).to_be_visible()

    aksi = page.get_by_role("form", name=re.compile(r"^Rencana aksi RHK 1 "))
    await aksi.get_by_label("Rencana aksi").fill("Memeriksa dan menyerahkan resep")
    await aksi.get_by_label(re.compile("^Target")).fill("30 resep")
    await aksi.get_by_role("button", name="Simpan rencana aksi RHK 1").click()
    await expect(
        main.get_by_text(re.compile(r"^Rencana aksi RHK 1 periode .* disimpan\."))
    ).to_be_visible()

    await page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    await expect(main.get_by_text("SKP diajukan ke pejabat penilai.")).to_be_visible()
    await expect(page.get_by_role("button", name="Tarik kembali ke draf")).to_be_visible()
    await tangkap(page, "rencana-skp-diajukan")

    # The other tab heard of the submission, then hears of the penilai's return.
    live = watched.locator("#isi").get_by_role("status")
    await expect(live.filter(has_text="SKP Anda diajukan")).to_be_visible()
    await expect(watched.get_by_role("heading", name=re.compile(r"^RHK 1 ·"))).to_be_visible()
    queue = await layanan.graphql(
        "{ skpUntukDisetujui { nodes { id versiKunci pegawai { nip } } } }", sebagai=orang.penilai
    )
    [mine] = [n for n in queue["skpUntukDisetujui"]["nodes"] if n["pegawai"]["nip"] == penulis.nip]
    returned = await layanan.graphql(
        """mutation ($skp: ID!, $v: Int!) { kembalikanSkp(skpId: $skp, versiDiharapkan: $v,
        catatan: "Target resep terlalu rendah") { __typename ... on MutationError { code } } }""",
        {"skp": mine["id"], "v": mine["versiKunci"]},
        sebagai=orang.penilai,
    )
    assert returned["kembalikanSkp"]["__typename"] == "SkpDiubah", returned
    await expect(live.filter(has_text="dikembalikan")).to_be_visible()
    await expect(watched.locator("#isi").get_by_role("note")).to_contain_text(
        "Target resep terlalu rendah"
    )
    await tangkap(watched, "skp-saya-dikembalikan")
    sesi.tanpa_masalah()
    watcher.tanpa_masalah()


async def _hapus_progres(layanan, penulis, prefix: str) -> None:
    """Remove the entries these tests logged (their kegiatan start with ``prefix``)."""
    data = await layanan.graphql(
        "{ skpSaya { nodes { id status digantikanPada } } }", sebagai=penulis
    )
    for skp in data["skpSaya"]["nodes"]:
        if skp["status"] != "DISETUJUI" or skp["digantikanPada"]:
            continue
        windows = await layanan.graphql(
            "query ($s: ID!) { skp(id: $s) { tahun } }", {"s": skp["id"]}, sebagai=penulis
        )
        tahun = windows["skp"]["tahun"]
        periods = await layanan.graphql(
            "query ($t: Int!) { periodeEvaluasi(tahun: $t) { kode } }",
            {"t": tahun},
            sebagai=penulis,
        )
        for p in periods["periodeEvaluasi"]:
            log = await layanan.graphql(
                """query ($s: ID!, $p: String!) { pelaksanaan(skpId: $s, periode: $p) {
                progres(first: 100) { nodes { id kegiatan } } } }""",
                {"s": skp["id"], "p": p["kode"]},
                sebagai=penulis,
            )
            for entry in (log["pelaksanaan"] or {}).get("progres", {}).get("nodes", []):
                if entry["kegiatan"].startswith(prefix):
                    await layanan.graphql(
                        "mutation ($id: ID!) { hapusProgresHarian(progresId: $id) { __typename } }",
                        {"id": entry["id"]},
                        sebagai=penulis,
                    )


async def test_progres_is_logged_one_at_a_time_and_in_bulk(masuk, layanan, penulis):
    prefix = "Uji portal pegawai"
    sesi = await masuk(penulis)
    try:
        page = await _open(sesi, "/pelaksanaan", "Progres & Realisasi")
        main = page.locator("#isi")
        single = page.get_by_role("form", name="Progres harian")
        await single.get_by_label(re.compile("^Kegiatan")).fill(f"{prefix}: satu entri")
        await single.get_by_role("button", name="Simpan progres").click()
        await expect(main.get_by_text(re.compile(r"^Progres .* disimpan\.$"))).to_be_visible()
        log = page.get_by_role("table", name=re.compile("^Progres harian"))
        await expect(log.get_by_text(f"{prefix}: satu entri")).to_be_visible()

        await page.get_by_text("Catat beberapa progres sekaligus").click()
        bulk = page.get_by_role("form", name="Progres sekaligus")
        await bulk.get_by_role("textbox", name="Kegiatan Baris 1").fill(f"{prefix}: baris 1")
        await bulk.get_by_role("textbox", name="Kegiatan Baris 2").fill(f"{prefix}: baris 2")
        await bulk.locator("tr[data-baris='2'] [name=jamSelesai]").fill("07:00")
        await bulk.get_by_role("button", name="Simpan semua progres").click()
        row_error = bulk.locator("tr.baris-galat")
        await expect(row_error).to_have_count(1)
        await expect(row_error).to_contain_text("Baris 2: Jam selesai")
        await expect(bulk.locator("tr[data-baris='2'] [name=jamSelesai]")).to_have_attribute(
            "aria-invalid", "true"
        )
        await expect(bulk.get_by_role("alert")).to_contain_text("INVALID_ROWS")
        await expect(log.get_by_text(f"{prefix}: baris 1")).to_have_count(0)  # none saved
        await tangkap(page, "pelaksanaan-baris-ditolak")
        await bulk.locator("tr[data-baris='2'] [name=jamSelesai]").fill("11:00")
        await bulk.get_by_role("button", name="Simpan semua progres").click()
        await expect(main.get_by_text("2 progres disimpan.")).to_be_visible()
        await expect(log.get_by_text(f"{prefix}: baris 2")).to_be_visible()
        sesi.tanpa_masalah()
    finally:
        await _hapus_progres(layanan, penulis, prefix)


async def test_an_evidence_file_goes_to_the_store_and_is_confirmed(masuk, layanan, penulis):
    sesi = await masuk(penulis)
    page = await _open(sesi, "/pelaksanaan", "Progres & Realisasi")
    card = page.locator("article").filter(has=page.get_by_text("Tambah bukti dukung")).first
    name = (await card.get_attribute("aria-label")).removeprefix("Realisasi ")
    await card.get_by_text("Tambah bukti dukung").click()
    upload = page.get_by_role("form", name=f"Unggah bukti {name}")
    pdf = b"%PDF-1.4\n% bukti uji portal\n"
    await upload.get_by_label(re.compile("^Berkas bukti")).set_input_files(
        files=[{"name": "ba-uji-portal.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    stored = []
    page.on("response", lambda r: stored.append(r.status) if "/storage/" in r.url else None)
    await upload.get_by_role("button", name=f"Unggah bukti {name}").click()
    await expect(
        page.locator("#isi").get_by_text("Bukti ba-uji-portal.pdf terunggah.")
    ).to_be_visible()
    assert stored and all(s < 300 for s in stored), stored  # posted to the store itself
    card = page.get_by_role("article", name=f"Realisasi {name}")
    link = card.get_by_role("link", name="ba-uji-portal.pdf")
    await expect(link).to_be_visible()
    href = await link.get_attribute("href")
    fetched = await sesi.konteks.request.get(href)
    assert fetched.ok and await fetched.body() == pdf
    await tangkap(page, "pelaksanaan-bukti")

    await card.get_by_role("button", name="Hapus bukti ba-uji-portal.pdf").click()
    await page.get_by_role("dialog").get_by_role("button", name="Hapus", exact=True).click()
    await expect(
        page.locator("#isi").get_by_text("Bukti ba-uji-portal.pdf dihapus.")
    ).to_be_visible()
    sesi.tanpa_masalah()
