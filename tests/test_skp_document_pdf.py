"""The printed SKP: what a reader of the PDF finds in it (no database); and, built from the
database, its place-and-date line (the instansi's place setting, the approval date)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import ZONE_SETTING, pada, today
from ekinerja.models.tenant import Skp
from ekinerja.refusals import Refusal
from ekinerja.skp.berakhlak import NILAI
from ekinerja.skp.dokumen import build_document
from ekinerja.skp.dokumen_model import IndikatorRow, PersonBlock, RhkRow, SkpDocument
from ekinerja.skp.dokumen_pdf import format_periode, render_skp_pdf
from ekinerja.skp.dokumen_sample import sample_document
from ekinerja.skp.dokumen_tempat import TEMPAT_SETTING
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.pdf_page import format_tanggal
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for

A4_LANDSCAPE_POINTS = (841.89, 595.28)
PAGE_FOOTER = re.compile(r"Halaman (\d+) dari (\d+)")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _squashed(text: str) -> str:
    """Text without whitespace: wrapping inside a cell splits a sentence over lines."""
    return re.sub(r"\s+", "", text)


def _contains(pages: list[str], expected: str) -> bool:
    return _squashed(expected) in _squashed("\n".join(pages))


@pytest.fixture(scope="module")
def document() -> SkpDocument:
    return sample_document()


@pytest.fixture(scope="module")
def pdf(document: SkpDocument) -> bytes:
    return render_skp_pdf(document)


@pytest.fixture(scope="module")
def pages(pdf: bytes) -> list[str]:
    return _pages(pdf)


@pytest.fixture(scope="module")
def jpt_document() -> SkpDocument:
    return sample_document(jpt=True)


@pytest.fixture(scope="module")
def jpt_pages(jpt_document: SkpDocument) -> list[str]:
    return _pages(render_skp_pdf(jpt_document))


def test_output_is_an_a4_landscape_pdf(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE_POINTS, abs=0.5)


def test_title_instansi_period_and_version(pages: list[str], document: SkpDocument) -> None:
    first = pages[0]
    assert "SASARAN KINERJA PEGAWAI" in first
    assert "PENDEKATAN HASIL KERJA KUANTITATIF" in first
    assert document.instansi.upper() in first
    assert "1 Januari 2026 s.d. 31 Desember 2026" in first
    assert "Versi 1" in first


def test_header_table_shows_both_people(pages: list[str], document: SkpDocument) -> None:
    first = pages[0]
    assert "PEGAWAI YANG DINILAI" in first
    assert "PEJABAT PENILAI KINERJA" in first
    for label in ("Nama", "NIP", "Pangkat/Gol. Ruang", "Jabatan", "Unit Kerja"):
        assert label in first
    for person in (document.pegawai, document.pejabat_penilai):
        assert person is not None
        assert _contains(pages, person.nama)
        assert person.nip in first


def test_every_rhk_and_every_target_is_printed(pages: list[str], document: SkpDocument) -> None:
    assert _contains(pages, "A. Utama") and _contains(pages, "B. Tambahan")
    for rhk in document.rhk_utama + document.rhk_tambahan:
        assert _contains(pages, rhk.teks), rhk.teks
        if rhk.intervensi:
            assert _contains(pages, rhk.intervensi)
        for indikator in rhk.indikator:
            assert _contains(pages, indikator.teks), indikator.teks
            assert _contains(pages, indikator.target), indikator.target


def test_hasil_kerja_columns(pages: list[str]) -> None:
    text = "\n".join(pages)
    for title in (
        "Rencana Hasil Kerja Pimpinan yang Diintervensi",
        "Rencana Hasil Kerja",
        "Aspek",
        "Indikator Kinerja Individu",
        "Target",
    ):
        assert title in text
    assert "Kuantitas" in text  # aspek codes are printed as words
    assert "Perspektif" not in text  # JPT form only


def test_all_seven_berakhlak_values_with_their_guides(pages: list[str]) -> None:
    assert _contains(pages, "PERILAKU KERJA")
    assert _contains(pages, "Ekspektasi Khusus Pimpinan")
    for nilai in NILAI:
        assert _contains(pages, nilai.nama)
        for panduan in nilai.panduan:
            assert _contains(pages, panduan)


def test_lampiran_and_signatures(pages: list[str], document: SkpDocument) -> None:
    assert _contains(pages, "LAMPIRAN SASARAN KINERJA PEGAWAI")
    for heading in ("DUKUNGAN SUMBER DAYA", "SKEMA PERTANGGUNGJAWABAN", "KONSEKUENSI"):
        assert _contains(pages, heading)
    for item in (
        document.lampiran_dukungan_sumber_daya
        + document.lampiran_skema_pertanggungjawaban
        + document.lampiran_konsekuensi
    ):
        assert _contains(pages, item), item
    last = pages[-1]
    assert "Pegawai yang Dinilai" in last
    assert "Pejabat Penilai Kinerja" in last
    assert document.tempat_tanggal in last
    assert f"NIP. {document.pegawai.nip}" in last


def test_every_page_has_a_page_number(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text


def test_non_asn_penilai_prints_a_dash_for_nip(jpt_pages: list[str]) -> None:
    assert re.search(r"NIP\s+197002141998031005\s+2\s+NIP\s+-", jpt_pages[0])
    assert "NIP. -" in jpt_pages[-1]


def test_jpt_form_shows_perspektif_klasifikasi_and_penugasan(jpt_pages: list[str]) -> None:
    assert "JABATAN PIMPINAN TINGGI" in jpt_pages[0]
    assert _contains(jpt_pages, "Perspektif")
    assert _contains(jpt_pages, "Penerima Layanan")
    assert _contains(jpt_pages, "Klasifikasi: Organisasi")
    assert _contains(jpt_pages, "Penugasan dari: Bupati Bogor")


def test_approved_skp_is_not_marked_draft(pages: list[str]) -> None:
    assert "DRAFT" not in "\n".join(pages)
    assert "Status: Disetujui" in pages[0]


def test_a_draft_is_marked_as_draft(document: SkpDocument) -> None:
    pages = _pages(render_skp_pdf(replace(document, status="DRAFT", versi=2)))
    assert "DRAFT – belum disetujui Pejabat Penilai Kinerja" in pages[0]
    assert "Versi 2" in pages[0]
    for text in pages:  # the watermark
        assert "DRAFT" in text


def test_a_submitted_skp_is_still_marked_as_draft(document: SkpDocument) -> None:
    pages = _pages(render_skp_pdf(replace(document, status="DIAJUKAN")))
    assert "DRAFT" in pages[0]
    assert "Status: Diajukan" in pages[0]


def test_a_2000_character_rhk_continues_over_pages(document: SkpDocument) -> None:
    words = ("Terlaksananya koordinasi lintas sektor penanggulangan penyakit menular " * 40)[:2000]
    long_rhk = replace(document.rhk_utama[0], teks=words)
    pdf = render_skp_pdf(replace(document, rhk_utama=(long_rhk,) + document.rhk_utama[1:]))
    pages = _pages(pdf)
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in text
    assert _contains(pages, words[:300]) and _contains(pages, words[-300:])
    assert _contains(pages, document.rhk_utama[1].teks)  # the table goes on after it


def test_a_2000_character_word_is_broken_inside_its_cell(document: SkpDocument) -> None:
    unbroken = "x" * 2000
    long_rhk = replace(document.rhk_utama[0], teks=unbroken)
    pages = _pages(render_skp_pdf(replace(document, rhk_utama=(long_rhk,))))
    assert _squashed("\n".join(pages)).count("x" * 50) >= 2000 // 50 - 2


def test_sixty_rhk_make_pages_that_repeat_the_headings() -> None:
    document = sample_document(rhk_count=60)
    pages = _pages(render_skp_pdf(document))
    assert len(pages) > 1
    footers = [PAGE_FOOTER.search(text) for text in pages]
    assert all(footers)
    assert [int(f.group(1)) for f in footers] == list(range(1, len(pages) + 1))
    assert {int(f.group(2)) for f in footers} == {len(pages)}
    hasil_kerja_pages = [text for text in pages if "Indikator Kinerja Individu" in text]
    assert len(hasil_kerja_pages) > 1  # the headings came back on every continued page
    assert _contains(pages, document.rhk_utama[-1].teks)


def test_unicode_text_does_not_break_rendering(document: SkpDocument) -> None:
    rhk = RhkRow(
        nomor="1",
        teks="Luas ruang isolasi 12 m² — target ≥ 95 % “tepat waktu” … ± 2 hari ✓ 🙂 漢字",
        jenis="UTAMA",
        intervensi="Cakupan\tlayanan\r\nmeningkat",
        indikator=(IndikatorRow(aspek="KUALITAS", teks="Mutu ≤ 5 %", target="90–100 %"),),
    )
    pages = _pages(render_skp_pdf(replace(document, rhk_utama=(rhk,))))
    assert _contains(pages, "12 m² — target ≥ 95 %")
    assert _contains(pages, "90–100 %")


def test_missing_penilai_and_empty_lists_print_dashes(document: SkpDocument) -> None:
    bare = replace(
        document,
        pejabat_penilai=None,
        rhk_tambahan=(),
        lampiran_dukungan_sumber_daya=(),
        lampiran_skema_pertanggungjawaban=(),
        lampiran_konsekuensi=(),
        tempat_tanggal=None,
    )
    pages = _pages(render_skp_pdf(bare))
    assert "1 Nama Siti Nurhaliza, S.K.M. 1 Nama -" in pages[0]
    lampiran = pages[-1]
    assert re.search(r"DUKUNGAN SUMBER DAYA\s+-\s+SKEMA PERTANGGUNGJAWABAN\s+-", lampiran)
    assert "NIP. -" in lampiran


def test_kualitatif_form_without_aspek_drops_the_column(document: SkpDocument) -> None:
    qualitative = RhkRow(
        nomor="1",
        teks="Terwujudnya layanan surveilans yang responsif",
        jenis="UTAMA",
        intervensi=None,
        indikator=(
            IndikatorRow(aspek=None, teks="Kualitas respons", target="Respons dalam 1 hari"),
        ),
    )
    kualitatif = replace(
        document, pendekatan="KUALITATIF", rhk_utama=(qualitative,), rhk_tambahan=()
    )
    pages = _pages(render_skp_pdf(kualitatif))
    assert "PENDEKATAN HASIL KERJA KUALITATIF" in pages[0]
    assert "Aspek" not in pages[0]
    assert _contains(pages, "Respons dalam 1 hari")


def test_catatan_are_printed_when_present(document: SkpDocument) -> None:
    pages = _pages(render_skp_pdf(replace(document, catatan=("Target IKI 2 perlu diperjelas",))))
    assert _contains(pages, "CATATAN")
    assert _contains(pages, "Target IKI 2 perlu diperjelas")


def test_format_periode() -> None:
    assert format_periode(date(2026, 1, 1), date(2026, 6, 30)) == (
        "1 Januari 2026 s.d. 30 Juni 2026"
    )


def test_sample_document_variants() -> None:
    jf = sample_document(rhk_count=7)
    assert len(jf.rhk_utama) == 7 and len({rhk.teks for rhk in jf.rhk_utama}) == 7
    assert jf.jenis_form == "JA_JF"
    assert jf.pejabat_penilai and jf.pejabat_penilai.jabatan.startswith("Kepala Seksi")
    jpt = sample_document(jpt=True)
    assert jpt.jenis_form == "JPT"
    assert jpt.pejabat_penilai == PersonBlock(
        nama=jpt.pejabat_penilai.nama,
        nip=None,
        pangkat_golongan=None,
        jabatan="Bupati Bogor",
        unit_kerja=jpt.instansi,
    )


# --- the place-and-date line, from the database -------------------------------------------


async def _skp(tenant, status: StatusSkp, disetujui_pada: datetime | None = None) -> Skp:
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit("Bagian Umum")
        kepala = await org.pegawai("Kepala", await org.jabatan("Kepala Bagian", unit, head=True))
        staf = await org.pegawai("Staf", await org.jabatan("Analis", unit))
        skp = await skp_for(staf, kepala, status)
        skp.disetujui_pada = disetujui_pada
        await skp.save(update_fields=["disetujui_pada"])
        return skp


async def _printed(tenant, skp: Skp) -> tuple[SkpDocument, str]:
    async with tenant_transaction(as_bound(tenant)):
        document = await build_document(skp, tenant.nama)
    return document, _pages(render_skp_pdf(document))[-1]


async def test_an_approved_skp_is_signed_at_the_instansis_place_on_the_day_of_approval(
    tenant, other_tenant
):
    # 1 January 18:00 UTC is already 2 January in WIB, where the approval was lived.
    skp = await _skp(tenant, StatusSkp.DISETUJUI, datetime(2026, 1, 1, 18, 0, tzinfo=UTC))
    async with tenant_transaction(as_bound(tenant)):
        await pengaturan.tetapkan(TEMPAT_SETTING, " Bandung ", "admin")
    document, last = await _printed(tenant, skp)
    assert document.tempat_tanggal == "Bandung, 2 Januari 2026"
    assert "Bandung, 2 Januari 2026" in last

    # Another instansi's setting is its own: B has none, and prints its own name.
    other = await _skp(other_tenant, StatusSkp.DISETUJUI, datetime(2026, 3, 9, 2, tzinfo=UTC))
    document, last = await _printed(other_tenant, other)
    assert document.tempat_tanggal == f"{other_tenant.nama}, 9 Maret 2026"
    assert _squashed(document.tempat_tanggal) in _squashed(last)


async def test_a_draft_is_dated_today_and_without_a_place_the_instansi_name_stands_in(tenant):
    skp = await _skp(tenant, StatusSkp.DRAFT)
    before = today()
    document, last = await _printed(tenant, skp)
    printed_on = {format_tanggal(day) for day in (before, today())}  # midnight may pass
    assert document.tempat_tanggal in {f"{tenant.nama}, {day}" for day in printed_on}
    assert _squashed(document.tempat_tanggal) in _squashed(last)
    # An empty place is the default again.
    async with tenant_transaction(as_bound(tenant)):
        await pengaturan.tetapkan(TEMPAT_SETTING, "  ", "admin")
    document, _ = await _printed(tenant, skp)
    assert document.tempat_tanggal.startswith(f"{tenant.nama}, ")


@pytest.mark.parametrize("value", [42, None, ["Bandung"], "x" * 101])
async def test_a_place_that_is_not_a_short_name_is_refused(module_tenant, value):
    # One tenant for the four values (tests/conftest.py): each is refused, nothing is stored.
    async with tenant_transaction(as_bound(module_tenant)):
        with pytest.raises(Refusal) as refused:
            await pengaturan.tetapkan(TEMPAT_SETTING, value, "admin")
    assert (refused.value.code, refused.value.field) == ("INVALID_INPUT", "nilai")
    assert TEMPAT_SETTING in refused.value.message


def test_every_month_is_written_in_indonesian() -> None:
    months = [format_tanggal(date(2026, m, 1)).split()[1] for m in range(1, 13)]
    assert months == [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]  # fmt: skip


async def test_a_wita_instansi_dates_its_skp_where_it_is(tenant, other_tenant):
    # 16:30 UTC on 1 March is 23:30 WIB on the 1st but 00:30 WITA on the 2nd.
    instant = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    approved = await _skp(tenant, StatusSkp.DISETUJUI, instant)
    draft = await _skp(other_tenant, StatusSkp.DRAFT)  # dated the day it is printed
    for instansi, skp in ((tenant, approved), (other_tenant, draft)):
        async with tenant_transaction(as_bound(instansi)):
            await pengaturan.tetapkan(ZONE_SETTING, "Asia/Makassar", "admin")
        with pada(instant):
            document, _ = await _printed(instansi, skp)
        assert document.tempat_tanggal == f"{instansi.nama}, 2 Maret 2026"
