"""The evaluation document as a printable PDF, in the layout of the PermenPANRB 6/2022 "Format
Dokumen Evaluasi Kinerja Pegawai": title and period, the three people, the organisation's
predikat, HASIL KERJA with realisation and feedback, PERILAKU KERJA with feedback, the two
ratings, the predikat and the penilai's signature.

It is printed on the SKP document's page, grid and parts (ekinerja/skp/pdf_*), so the plan
columns read as on the SKP and long texts or many RHK break across pages the same way. Only an
evaluation that is DITETAPKAN is final; before that every page carries the draft mark.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.dokumen_model import (
    EvaluationDocument,
    HasilKerjaRow,
    PerilakuKerjaRow,
    RealisasiRow,
    UmpanBalikRow,
)
from ekinerja.skp.pdf_grid import (
    Cell,
    Paragraph,
    RowGroup,
    Table,
    empty_row,
    scaled_widths,
    text_content,
)
from ekinerja.skp.pdf_page import (
    SECTION_FILL,
    SMALL_SIZE,
    DocumentPdf,
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

TITLE = "DOKUMEN EVALUASI KINERJA PEGAWAI"
DRAFT_NOTE = "DRAFT – belum ditetapkan"
# The plan's text columns at this share of their SKP width leave room for the two result
# columns, each this wide (relative to the SKP's widths).
_PLAN_TEXT_SHARE = 0.6
_RESULT_WIDTH = 52.0


def render_evaluation_pdf(document: EvaluationDocument) -> bytes:
    """The evaluation document as PDF bytes."""
    pdf = DocumentPdf(
        title=f"Dokumen Evaluasi Kinerja Pegawai {document.periode} – {document.pegawai.nama}",
        author=document.instansi,
        identity=(
            f"{document.pegawai.nama} · NIP {nip_text(document.pegawai)} · "
            f"Evaluasi {document.periode_nama} {document.periode_awal.year}"
        ),
        final=_is_final(document),
    )
    pdf.add_page()
    draw_title(pdf, TITLE, (f"PERIODE: {_periode_text(document)}",), _draft_note(document))
    draw_title_facts(pdf, document.instansi, ((f"Status: {humanize_code(document.status)}", ""),))
    gap(pdf, 2)
    _draw_people(pdf, document)
    gap(pdf, 5)
    organisasi = document.predikat_organisasi
    _draw_facts(pdf, (("CAPAIAN KINERJA ORGANISASI", organisasi), ("POLA DISTRIBUSI", organisasi)))
    gap(pdf, 5)
    _draw_hasil_kerja(pdf, document)
    _draw_facts(pdf, (("RATING HASIL KERJA", document.rating_hasil_kerja),))
    gap(pdf, 5)
    _draw_perilaku(pdf, document)
    _draw_facts(pdf, (("RATING PERILAKU KERJA", document.rating_perilaku),))
    gap(pdf, 5)
    _draw_facts(pdf, (("PREDIKAT KINERJA PEGAWAI", document.predikat),))
    _draw_catatan(pdf, document)
    draw_signatures(
        pdf,
        None,
        Signature("Pejabat Penilai Kinerja", document.pejabat_penilai, document.tempat_tanggal),
    )
    return bytes(pdf.output())


def _is_final(document: EvaluationDocument) -> bool:
    # Until penetapan the ratings may still change (re-rating, cancelling): a draft.
    return document.status == StatusEvaluasi.DITETAPKAN


def _periode_text(document: EvaluationDocument) -> str:
    """``TRIWULAN I: 1 Januari 2026 – 31 Maret 2026``."""
    awal, akhir = format_tanggal(document.periode_awal), format_tanggal(document.periode_akhir)
    return f"{document.periode_nama}: {awal} – {akhir}"


def _draft_note(document: EvaluationDocument) -> str | None:
    return None if _is_final(document) else DRAFT_NOTE


def _draw_people(pdf: DocumentPdf, document: EvaluationDocument) -> None:
    draw_people(
        pdf,
        (
            ("PEGAWAI YANG DINILAI", document.pegawai),
            ("PEJABAT PENILAI KINERJA", document.pejabat_penilai),
        ),
    )
    if document.atasan_pejabat_penilai is not None:
        draw_people(pdf, (("ATASAN PEJABAT PENILAI KINERJA", document.atasan_pejabat_penilai),))


def _draw_facts(
    pdf: DocumentPdf, facts: Sequence[tuple[str, str | None]], emphasised: bool = True
) -> None:
    """Label and value side by side: the ratings and the predikat (emphasised), the notes."""
    widths = scaled_widths(pdf, (76, 191))
    Table(pdf, widths).draw(
        RowGroup(
            rows=(
                (
                    Cell((Paragraph(label, "B"),), fill=SECTION_FILL if emphasised else None),
                    Cell(text_content(value, style="B" if emphasised else "")),
                ),
            )
        )
        for label, value in facts
    )


def _draw_catatan(pdf: DocumentPdf, document: EvaluationDocument) -> None:
    notes = (
        ("Catatan Pegawai", document.catatan_pegawai),
        ("Catatan Pejabat Penilai Kinerja", document.catatan_penilai),
    )
    present = [(label, text) for label, text in notes if text and text.strip()]
    if present:
        gap(pdf, 5)
        _draw_facts(pdf, present, emphasised=False)


# --- HASIL KERJA --------------------------------------------------------------------------


def _realisasi_content(realisasi: RealisasiRow | None) -> tuple[Paragraph, ...]:
    if realisasi is None:
        return text_content(None)
    content = [
        Paragraph(text) for text in (realisasi.kuantitas, realisasi.narasi) if text and text.strip()
    ]
    if realisasi.capaian:
        content.append(Paragraph(f"Capaian: {realisasi.capaian}", "I", SMALL_SIZE))
    return tuple(content) or text_content(None)


def _umpan_balik_content(umpan_balik: UmpanBalikRow | None) -> tuple[Paragraph, ...]:
    """The chosen sentences as bullets, then the penilai's own words."""
    if umpan_balik is None:
        return text_content(None)
    content = [Paragraph(kalimat, bullet="•") for kalimat in umpan_balik.kalimat]
    if umpan_balik.teks and umpan_balik.teks.strip():
        content.append(Paragraph(umpan_balik.teks))
    return tuple(content) or text_content(None)


def _hasil_kerja_group(row: HasilKerjaRow, form: HasilKerjaForm) -> RowGroup:
    """One RHK: the plan's cells span its indikator rows, each with its realisation beside it,
    and the feedback on the RHK spans them all on the right."""
    rows = tuple(
        form.indikator_cells(indikator) + (Cell(_realisasi_content(realisasi)),)
        for indikator, realisasi in zip(row.rhk.indikator, row.realisasi, strict=True)
    )
    return RowGroup(
        spanning=form.rhk_cells(row.rhk),
        rows=rows or (form.indikator_cells(None) + (Cell(text_content(None)),),),
        trailing=(Cell(_umpan_balik_content(row.umpan_balik)),),
    )


def _hasil_kerja_columns(form: HasilKerjaForm) -> list[tuple[str, float]]:
    return form.columns(_PLAN_TEXT_SHARE) + [
        ("Realisasi Berdasarkan Bukti Dukung", _RESULT_WIDTH),
        ("Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung", _RESULT_WIDTH),
    ]


def _hasil_kerja_groups(document: EvaluationDocument, form: HasilKerjaForm) -> Iterable[RowGroup]:
    column_count = len(_hasil_kerja_columns(form))
    if document.sumber_realisasi:
        note = (
            f"Realisasi dan umpan balik: {document.sumber_realisasi}, periode terakhir tahun ini; "
            "kuantitas sampai dengan akhir tahun."
        )
        yield RowGroup(rows=((Cell((Paragraph(note, "I"),), column_count),),), keep_with_next=True)
    yield from hasil_kerja_sections(
        document.hasil_kerja_utama,
        document.hasil_kerja_tambahan,
        column_count,
        lambda row: _hasil_kerja_group(row, form),
    )


def _draw_hasil_kerja(pdf: DocumentPdf, document: EvaluationDocument) -> None:
    rhks = [row.rhk for row in document.hasil_kerja_utama + document.hasil_kerja_tambahan]
    form = HasilKerjaForm.of(rhks, document.jenis_form)
    columns = _hasil_kerja_columns(form)
    widths = scaled_widths(pdf, [width for _, width in columns])
    headings = numbered_headings("HASIL KERJA", [title for title, _ in columns])
    Table(pdf, widths, headings).draw(_hasil_kerja_groups(document, form))


# --- PERILAKU KERJA -----------------------------------------------------------------------


def _perilaku_group(number: int, row: PerilakuKerjaRow) -> RowGroup:
    return RowGroup(
        rows=(
            (
                Cell(text_content(str(number), align="C")),
                Cell(nilai_content(row.perilaku)),
                Cell(text_content(row.perilaku.ekspektasi)),
                Cell(_umpan_balik_content(row.umpan_balik)),
            ),
        )
    )


def _draw_perilaku(pdf: DocumentPdf, document: EvaluationDocument) -> None:
    widths = scaled_widths(pdf, (9, 100, 79, 79))
    headings = numbered_headings(
        "PERILAKU KERJA",
        ("No", "Perilaku Kerja", "Ekspektasi Khusus Pimpinan", "Umpan Balik Berkelanjutan"),
    )
    groups = [_perilaku_group(number, row) for number, row in enumerate(document.perilaku, 1)]
    Table(pdf, widths, headings).draw(groups or [empty_row(4)])
