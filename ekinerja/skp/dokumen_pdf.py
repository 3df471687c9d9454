"""The SKP as a printable PDF, in the layout of the PermenPANRB 6/2022 forms used by e-Kinerja:
title, the two people, HASIL KERJA, PERILAKU KERJA, the LAMPIRAN and the signatures, on A4
landscape (docs/decisions/0007-skp-document-pdf.md).

The page (pdf_page), the table grid that splits tall rows across pages (pdf_grid) and the parts
the evaluation document prints alike (pdf_parts) are shared; what is here is the SKP's own.
"""

from __future__ import annotations

from collections.abc import Sequence

from ekinerja.skp.dokumen_model import PerilakuRow, RhkRow, SkpDocument
from ekinerja.skp.enums import JenisFormSkp, PendekatanSkp, StatusSkp
from ekinerja.skp.pdf_grid import (
    Cell,
    Paragraph,
    RowGroup,
    Table,
    empty_row,
    heading_cell,
    numbered_groups,
    scaled_widths,
    text_content,
)
from ekinerja.skp.pdf_page import (
    BODY_SIZE,
    FONT,
    HEADING_FILL,
    DocumentPdf,
    format_periode,
    format_tanggal,
    gap,
    humanize_code,
    nip_text,
)
from ekinerja.skp.pdf_parts import (
    HasilKerjaForm,
    Signature,
    draw_people,
    draw_signatures,
    draw_title,
    draw_title_facts,
    hasil_kerja_sections,
    nilai_content,
    numbered_headings,
)

__all__ = ["format_periode", "format_tanggal", "humanize_code", "render_skp_pdf"]


def render_skp_pdf(document: SkpDocument) -> bytes:
    """The SKP as PDF bytes."""
    pdf = DocumentPdf(
        title=f"Sasaran Kinerja Pegawai {document.tahun} – {document.pegawai.nama}",
        author=document.instansi,
        identity=_identity_line(document),
        final=_is_final(document),
    )
    pdf.add_page()
    _draw_title(pdf, document)
    draw_people(
        pdf,
        (
            ("PEGAWAI YANG DINILAI", document.pegawai),
            ("PEJABAT PENILAI KINERJA", document.pejabat_penilai),
        ),
    )
    gap(pdf, 5)
    _draw_hasil_kerja(pdf, document)
    gap(pdf, 5)
    _draw_perilaku(pdf, document)
    if document.catatan:
        gap(pdf, 5)
        _draw_catatan(pdf, document.catatan)
    pdf.add_page()  # the lampiran is its own sheet on the official form
    _draw_lampiran(pdf, document)
    draw_signatures(
        pdf,
        Signature("Pegawai yang Dinilai", document.pegawai),
        Signature(
            "Pejabat Penilai Kinerja", document.pejabat_penilai, document.tempat_tanggal or ""
        ),
    )
    return bytes(pdf.output())


# --- Wording ------------------------------------------------------------------------------


def _is_final(document: SkpDocument) -> bool:
    # Only an approved SKP is a final document; any other status is printed as a draft.
    return document.status == StatusSkp.DISETUJUI


def _form_subtitle(document: SkpDocument) -> str:
    if document.jenis_form == JenisFormSkp.JPT:
        return "BAGI JABATAN PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"
    return "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"


def _pendekatan_title(document: SkpDocument) -> str:
    pendekatan = "KUALITATIF" if document.pendekatan == PendekatanSkp.KUALITATIF else "KUANTITATIF"
    return f"PENDEKATAN HASIL KERJA {pendekatan}"


def _version_line(document: SkpDocument) -> str:
    return f"Versi {document.versi} · Status: {humanize_code(document.status)}"


def _identity_line(document: SkpDocument) -> str:
    person = document.pegawai
    return (
        f"{person.nama} · NIP {nip_text(person)} · "
        f"{format_periode(document.periode_awal, document.periode_akhir)} · Versi {document.versi}"
    )


# --- Sections -----------------------------------------------------------------------------


def _draw_title(pdf: DocumentPdf, document: SkpDocument) -> None:
    draw_title(
        pdf,
        "SASARAN KINERJA PEGAWAI",
        (_pendekatan_title(document), _form_subtitle(document)),
        None if _is_final(document) else "DRAFT – belum disetujui Pejabat Penilai Kinerja",
    )
    periode = format_periode(document.periode_awal, document.periode_akhir)
    draw_title_facts(
        pdf,
        document.instansi,
        ((f"PERIODE PENILAIAN: {periode}", "B"), (_version_line(document), "")),
    )
    gap(pdf, 2)


def _rhk_group(rhk: RhkRow, form: HasilKerjaForm) -> RowGroup:
    """One RHK: number, intervened RHK and its text span all of its indicator rows."""
    rows = tuple(form.indikator_cells(indikator) for indikator in rhk.indikator)
    return RowGroup(spanning=form.rhk_cells(rhk), rows=rows or (form.indikator_cells(None),))


def _draw_hasil_kerja(pdf: DocumentPdf, document: SkpDocument) -> None:
    form = HasilKerjaForm.of(document.rhk_utama + document.rhk_tambahan, document.jenis_form)
    columns = form.columns()
    widths = scaled_widths(pdf, [width for _, width in columns])
    headings = numbered_headings("HASIL KERJA", [title for title, _ in columns])
    groups = hasil_kerja_sections(
        document.rhk_utama,
        document.rhk_tambahan,
        len(columns),
        lambda rhk: _rhk_group(rhk, form),
    )
    Table(pdf, widths, headings).draw(groups)


def _perilaku_group(number: int, perilaku: PerilakuRow) -> RowGroup:
    return RowGroup(
        rows=(
            (
                Cell(text_content(str(number), align="C")),
                Cell(nilai_content(perilaku)),
                Cell(text_content(perilaku.ekspektasi)),
            ),
        )
    )


def _draw_perilaku(pdf: DocumentPdf, document: SkpDocument) -> None:
    widths = scaled_widths(pdf, (9, 150, 108))
    headings = (
        RowGroup(rows=((heading_cell("PERILAKU KERJA", span=3),),)),
        RowGroup(
            rows=(
                (
                    heading_cell("No"),
                    heading_cell("Perilaku Kerja"),
                    heading_cell("Ekspektasi Khusus Pimpinan"),
                ),
            )
        ),
    )
    groups = [
        _perilaku_group(number, perilaku)
        for number, perilaku in enumerate(document.perilaku, start=1)
    ]
    Table(pdf, widths, headings).draw(groups or [empty_row(3)])


def _draw_catatan(pdf: DocumentPdf, catatan: Sequence[str]) -> None:
    widths = scaled_widths(pdf, (9, 258))
    headings = (RowGroup(rows=((heading_cell("CATATAN", span=2),),)),)
    Table(pdf, widths, headings).draw(numbered_groups(catatan))


def _draw_lampiran(pdf: DocumentPdf, document: SkpDocument) -> None:
    pdf.set_font(FONT, "B", 13)
    title = "LAMPIRAN SASARAN KINERJA PEGAWAI"
    pdf.cell(pdf.epw, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", BODY_SIZE)
    periode = format_periode(document.periode_awal, document.periode_akhir)
    pdf.cell(
        pdf.epw,
        5,
        f"{document.pegawai.nama} · Periode Penilaian {periode}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    gap(pdf, 3)
    widths = scaled_widths(pdf, (9, 258))
    sections = (
        ("DUKUNGAN SUMBER DAYA", document.lampiran_dukungan_sumber_daya),
        ("SKEMA PERTANGGUNGJAWABAN", document.lampiran_skema_pertanggungjawaban),
        ("KONSEKUENSI", document.lampiran_konsekuensi),
    )
    groups: list[RowGroup] = []
    for title, items in sections:
        groups.append(
            RowGroup(
                rows=((Cell((Paragraph(title, "B"),), 2, HEADING_FILL),),), keep_with_next=True
            )
        )
        groups += numbered_groups(items)
    Table(pdf, widths, ()).draw(groups)
