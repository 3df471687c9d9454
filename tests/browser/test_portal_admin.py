"""The admin instansi's pages and the notifications page in the browser (issue 19): each renders
with no console error or failed request and passes axe; a pegawai import with a bad row shows
that row's error and writes nothing, the same change alone passes its dry run and is applied; a
setting is saved (and restored) and a refused value is shown at its field; a pengecualian atasan
is recorded from the form, listed among those on record, ended early from its dialog (a refused
last day shown at its field) and removed; marking a notification read lowers the header's count.

The agency is shared by the session's tests, so what these tests change is kept out of others'
way: the import changes the e-mail of a pegawai no role uses, the setting is the document's place
(restored), the override is dated in 2099."""

from __future__ import annotations

import asyncio
import csv
import re
from pathlib import Path

from playwright.async_api import expect

from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.models.tenant import Pegawai
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.browser.support import DEMO_PEGAWAI, periksa_aksesibilitas, tangkap

NOTIFIED_WITHIN = 30.0  # seconds: the worker inside `serve` makes the seeded year's notifications


async def test_the_admin_pages_render_and_are_accessible(masuk, orang):
    sesi = await masuk(orang.admin, admin=True, kembali="/portal/#/admin/pegawai")
    page = sesi.page
    for path, title, shot in (
        ("/admin/pegawai", "Impor Pegawai", "admin-pegawai"),
        ("/admin/atasan", "Pengecualian Atasan", "admin-atasan"),
        ("/admin/pengaturan", "Pengaturan Instansi", "admin-pengaturan"),
    ):
        await sesi.buka(f"/portal/#{path}")
        await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
        await expect(page.locator("main .memuat")).to_have_count(0)  # every part has loaded
        await periksa_aksesibilitas(page)
        await tangkap(page, shot)
    sesi.tanpa_masalah()


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


async def _email(layanan, nip: str) -> str | None:
    async with tenant_transaction(as_bound(layanan.instansi)):
        return (await Pegawai.get(nip=nip)).email


async def test_an_import_with_a_bad_row_writes_nothing_and_a_good_one_applies(
    masuk, orang, layanan, tmp_path
):
    rows = generate_demo_rows(DEMO_PEGAWAI)  # the file the agency was seeded from
    roles = {o.nip for o in (orang.pegawai, orang.penilai, orang.atasan_penilai, orang.kepala)}
    roles |= {orang.admin.nip, orang.pengaju_keberatan.nip} | {o.nip for o in orang.tim}
    row = next(r for r in rows if r["KEPALA_UNIT"] == "N" and r["NIP"] not in roles)
    before = await _email(layanan, row["NIP"])
    changed = {**row, "EMAIL": "uji.portal@contoh.go.id"}
    bad = {**rows[-1], "NIP": "12345"}

    sesi = await masuk(orang.admin, admin=True, kembali="/portal/#/admin/pegawai")
    page = sesi.page
    upload = page.get_by_label("Berkas CSV atau XLSX")
    await upload.set_input_files(_csv(tmp_path / "salah.csv", [changed, bad]))
    await page.get_by_role("button", name="Unggah dan uji").click()
    errors = page.get_by_role("table", name="Kesalahan")
    await expect(errors).to_contain_text("NIP")
    await expect(errors.get_by_role("row").nth(1)).to_contain_text("3")  # the file's row 3
    await expect(page.get_by_role("link", name="Unduh semua kesalahan (CSV)")).to_be_visible()
    await expect(page.get_by_role("button", name="Terapkan")).to_have_count(0)
    await tangkap(page, "admin-pegawai-impor-ditolak")
    assert await _email(layanan, row["NIP"]) == before

    await upload.set_input_files(_csv(tmp_path / "benar.csv", [changed]))
    await page.get_by_role("button", name="Unggah dan uji").click()
    planned = page.get_by_role("table", name="Yang akan ditulis bila diterapkan")
    await expect(planned.get_by_role("row", name=re.compile(r"^Pegawai 0 1 0"))).to_be_visible()
    assert await _email(layanan, row["NIP"]) == before  # a dry run keeps nothing
    await page.get_by_role("button", name="Terapkan").click()
    await expect(page.get_by_text("Impor diterapkan.")).to_be_visible()
    await expect(page.get_by_role("table", name="Yang ditulis")).to_be_visible()
    await tangkap(page, "admin-pegawai-impor-diterapkan")
    assert await _email(layanan, row["NIP"]) == "uji.portal@contoh.go.id"
    sesi.tanpa_masalah()


async def _setting(layanan, orang, kunci: str):
    data = await layanan.graphql(
        "{ pengaturanInstansi { kunci nilai } }", sebagai=orang.admin, admin=True
    )
    return next(s["nilai"] for s in data["pengaturanInstansi"] if s["kunci"] == kunci)


async def test_a_setting_is_saved_and_a_refused_value_is_shown_at_its_field(masuk, orang, layanan):
    sesi = await masuk(orang.admin, admin=True, kembali="/portal/#/admin/pengaturan")
    page = sesi.page
    place = page.get_by_role("region", name="dokumen.tempat")
    await place.get_by_label("Nilai").fill("Cibinong")
    await place.get_by_role("button", name="Simpan dokumen.tempat").click()
    await expect(place.get_by_text("Pengaturan disimpan.")).to_be_visible()
    assert await _setting(layanan, orang, "dokumen.tempat") == "Cibinong"
    await place.get_by_role("button", name="Pulihkan bawaan dokumen.tempat").click()
    await expect(place.get_by_text("Nilai bawaan dipulihkan.")).to_be_visible()
    assert await _setting(layanan, orang, "dokumen.tempat") is None

    days = page.get_by_role("region", name="keberatan.batas_hari")
    value = days.get_by_label("Nilai")
    await value.fill("0")
    await days.get_by_role("button", name="Simpan keberatan.batas_hari").click()
    await expect(value).to_have_attribute("aria-invalid", "true")
    await expect(days.locator(".galat-isian")).to_contain_text("1 to 365")
    await expect(days.get_by_role("alert")).to_contain_text("INVALID_INPUT")
    assert await _setting(layanan, orang, "keberatan.batas_hari") is None
    await days.scroll_into_view_if_needed()
    await tangkap(page, "admin-pengaturan-ditolak")
    sesi.tanpa_masalah()


async def test_a_pengecualian_atasan_is_recorded_listed_and_ended(masuk, orang, layanan):
    sesi = await masuk(orang.admin, admin=True, kembali="/portal/#/admin/atasan")
    page = sesi.page
    who = orang.tim[-1]
    await page.get_by_role("searchbox", name="Cari pegawai").fill(who.nip)
    await page.get_by_label("Penilai per tanggal").fill("2099-01-01")
    await page.get_by_role("button", name="Cari", exact=True).click()
    await page.get_by_role("button", name=f"Atur pengecualian atasan {who.nama_lengkap}").click()
    await page.get_by_label("Atasan dari").select_option("eksternal")
    await page.get_by_label("Nama pejabat").fill("H. Penilai Uji")
    await page.get_by_label("Jabatan pejabat").fill("Bupati Uji")
    await page.get_by_label("Berlaku mulai").fill("2099-01-01")
    await page.get_by_label("Alasan").fill("Uji portal")
    await page.get_by_role("button", name="Simpan pengecualian").click()
    await expect(page.get_by_role("status").filter(has_text="Pengecualian untuk")).to_be_visible()
    listed = page.get_by_role("table", name=re.compile("pada 1 Jan 2099"))
    await expect(listed).to_contain_text("H. Penilai Uji")
    await expect(listed).to_contain_text("Pengecualian")
    await tangkap(page, "admin-atasan-dicatat")

    # It is on record (not in force today: only in the list of all), and is ended early.
    await page.get_by_label("Tampilkan").select_option("semua")
    await page.get_by_role("button", name="Tampilkan", exact=True).click()
    part = page.get_by_role("region", name="Pengecualian tercatat")
    recorded = part.get_by_role("table", name="Semua pengecualian atasan tercatat")
    row = recorded.get_by_role("row").filter(has_text="H. Penilai Uji")
    await expect(row).to_contain_text(who.nama_lengkap)
    await expect(row).to_contain_text("1 Jan 2099 – tanpa batas")
    await expect(row).to_contain_text("Akan berlaku")
    end = f"Akhiri pengecualian {who.nama_lengkap} mulai 1 Jan 2099"
    await row.get_by_role("button", name=end).click()
    dialog = page.get_by_role("dialog", name=f"Akhiri pengecualian {who.nama_lengkap}")
    last_day = dialog.get_by_label("Tanggal akhir (hari terakhir berlaku)")
    await last_day.fill("2098-06-30")  # before the day before it starts: refused at the field
    await dialog.get_by_label("Alasan mengakhiri").fill("Tim uji dibubarkan")
    await dialog.get_by_role("button", name="Akhiri pengecualian").click()
    await expect(last_day).to_have_attribute("aria-invalid", "true")
    await expect(dialog.locator("[data-isian=tanggalAkhir] .galat-isian")).to_contain_text(
        "2098-12-31"
    )
    await expect(dialog.get_by_role("alert")).to_contain_text("INVALID_INPUT")
    await periksa_aksesibilitas(page)  # the dialog, with its refusal shown
    await tangkap(page, "admin-atasan-akhiri-ditolak")
    await last_day.fill("2099-06-30")
    await dialog.get_by_role("button", name="Akhiri pengecualian").click()
    await expect(dialog).to_have_count(0)
    await expect(
        part.get_by_role("status").filter(has_text="hari terakhirnya 30 Jun 2099")
    ).to_be_visible()
    await expect(row).to_contain_text("1 Jan 2099 – 30 Jun 2099")
    await tangkap(page, "admin-atasan-diakhiri")
    chain = await _penilai_pada(layanan, orang, who.nip, "2099-06-30")
    assert chain["aturan"] == "OVERRIDE" and chain["namaEksternal"] == "H. Penilai Uji"
    assert (await _penilai_pada(layanan, orang, who.nip, "2099-07-01"))["aturan"] != "OVERRIDE"

    # Its last day set to the day before it starts removes it (the agency is shared).
    await row.get_by_role("button", name=end).click()
    await last_day.fill("2098-12-31")
    await dialog.get_by_label("Alasan mengakhiri").fill("Hanya uji")
    await dialog.get_by_role("button", name="Akhiri pengecualian").click()
    await expect(part.get_by_role("status").filter(has_text="dihapus")).to_be_visible()
    await expect(row).to_have_count(0)
    data = await layanan.graphql(
        "query($nip: String!) { pengecualianAtasan(filter: {pegawaiNip: $nip}) { nodes { id } } }",
        {"nip": who.nip},
        sebagai=orang.admin,
        admin=True,
    )
    assert data["pengecualianAtasan"]["nodes"] == []
    sesi.tanpa_masalah()


async def _penilai_pada(layanan, orang, nip: str, tanggal: str) -> dict:
    data = await layanan.graphql(
        """query($nip: String!, $on: Date) { pegawai(nip: $nip) { atasan(tanggal: $on) {
             pejabatPenilai { aturan namaEksternal } } } }""",
        {"nip": nip, "on": tanggal},
        sebagai=orang.admin,
        admin=True,
    )
    return data["pegawai"]["atasan"]["pejabatPenilai"]


async def _unread(layanan, who) -> int:
    """The unread count once the worker has made the seeded year's notifications for ``who``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + NOTIFIED_WITHIN
    while True:
        data = await layanan.graphql("{ jumlahPemberitahuanBelumDibaca }", sebagai=who)
        if data["jumlahPemberitahuanBelumDibaca"] or loop.time() > deadline:
            return data["jumlahPemberitahuanBelumDibaca"]
        await asyncio.sleep(0.2)  # polling the worker, bounded above


async def test_marking_a_notification_read_lowers_the_headers_count(masuk, orang, layanan):
    # A team member other than the pegawai and the one with a keberatan: rated windows told.
    who = next(o for o in orang.tim[1:] if o.nip != orang.pengaju_keberatan.nip)
    unread = await _unread(layanan, who)
    assert unread > 0, f"no notification made for {who.nip} within {NOTIFIED_WITHIN} s"
    sesi = await masuk(
        who, kembali="/portal/#/pemberitahuan", viewport={"width": 390, "height": 800}
    )
    page = sesi.page
    bell = page.get_by_role("link", name=f"Pemberitahuan ({unread} belum dibaca)")
    await expect(bell).to_be_visible()
    await expect(page.get_by_role("heading", level=1, name="Pemberitahuan")).to_be_visible()
    await expect(page.get_by_text(f"{unread} belum dibaca.")).to_be_visible()
    await periksa_aksesibilitas(page)  # the header's bell with its count too
    await tangkap(page, "pemberitahuan-ponsel")
    await page.get_by_role("button", name=re.compile("^Tandai dibaca: ")).first.click()
    left = f"Pemberitahuan ({unread - 1} belum dibaca)" if unread > 1 else "Pemberitahuan"
    await expect(page.get_by_role("link", name=left, exact=True)).to_be_visible()
    await expect(
        page.get_by_text(f"{unread - 1} belum dibaca." if unread > 1 else "Semua sudah dibaca.")
    ).to_be_visible()
    data = await layanan.graphql("{ jumlahPemberitahuanBelumDibaca }", sebagai=who)
    assert data["jumlahPemberitahuanBelumDibaca"] == unread - 1
    sesi.tanpa_masalah()
