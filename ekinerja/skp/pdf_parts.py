"""Parts the SKP and the evaluation document print alike: the title block, the table of the
people involved, an RHK's and a BerAKHLAK value's cells, and the signatures. The evaluation
document is the SKP's plan with results beside it, so its shared parts must read the same."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fpdf import FPDF

from ekinerja.skp.dokumen_model import IndikatorRow, PerilakuRow, PersonBlock, RhkRow
from ekinerja.skp.enums import JenisFormSkp
from ekinerja.skp.pdf_grid import (
    Cell,
    Paragraph,
    RowGroup,
    Table,
    empty_row,
    heading_cell,
    scaled_widths,
    section_row,
    text_content,
)
from ekinerja.skp.pdf_page import (
    BODY_SIZE,
    DRAFT_COLOR,
    FONT,
    SMALL_SIZE,
    TEXT_COLOR,
    DocumentPdf,
    clean_text,
    gap,
    humanize_code,
    line_height,
    nip_text,
    or_dash,
    room,
)

T = TypeVar("T")

# --- Title --------------------------------------------------------------------------------


def draw_title(
    pdf: DocumentPdf, title: str, subtitles: Sequence[str], draft_note: str | None
) -> None:
    """The centred title, its subtitles and, on a draft, a red line saying why it is one."""
    pdf.set_font(FONT, "B", 14)
    pdf.cell(pdf.epw, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    for subtitle in subtitles:
        pdf.cell(pdf.epw, 5, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    if draft_note:
        pdf.set_text_color(*DRAFT_COLOR)
        pdf.cell(pdf.epw, 5, draft_note, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*TEXT_COLOR)
    gap(pdf, 3)


def draw_title_facts(pdf: DocumentPdf, instansi: str, facts: Sequence[tuple[str, str]]) -> None:
    """Instansi on the left; ``facts`` (text, fpdf2 style) right-aligned, one a line."""
    half = pdf.epw / 2
    top = pdf.get_y()
    height = line_height(BODY_SIZE)
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.multi_cell(half - 5, height, clean_text(instansi.upper()))
    left_bottom = pdf.get_y()
    for index, (text, style) in enumerate(facts):
        pdf.set_xy(pdf.l_margin + half, top + index * height)
        pdf.set_font(FONT, style, BODY_SIZE)
        pdf.cell(half, height, text, align="R")
    pdf.set_y(max(left_bottom, top + len(facts) * height))


# --- People -------------------------------------------------------------------------------

_PERSON_LINES = (
    ("Nama", "nama"),
    ("NIP", "nip"),
    ("Pangkat/Gol. Ruang", "pangkat_golongan"),
    ("Jabatan", "jabatan"),
    ("Unit Kerja", "unit_kerja"),
)
_PEOPLE_WIDTH = 267.0  # relative; No and label columns keep their width in every people table


def _person_value(person: PersonBlock | None, attribute: str) -> str:
    if attribute == "nip":
        return nip_text(person)
    return or_dash(getattr(person, attribute) if person else None)


def draw_people(pdf: DocumentPdf, blocks: Sequence[tuple[str, PersonBlock | None]]) -> None:
    """The people side by side, each under its title (``PEGAWAI YANG DINILAI``): No, label and
    value columns per person, one row per line of ``_PERSON_LINES``."""
    value_width = _PEOPLE_WIDTH / len(blocks) - 38
    widths = scaled_widths(pdf, [w for _ in blocks for w in (8, 30, value_width)])
    heading = RowGroup(
        rows=(
            tuple(
                cell
                for title, _ in blocks
                for cell in (heading_cell("No"), heading_cell(title, span=2))
            ),
        ),
        center_vertically=True,
    )
    groups = [
        RowGroup(
            rows=(
                tuple(
                    cell
                    for _, person in blocks
                    for cell in (
                        Cell(text_content(str(number), align="C")),
                        Cell(text_content(label)),
                        Cell(text_content(_person_value(person, attribute))),
                    )
                ),
            )
        )
        for number, (label, attribute) in enumerate(_PERSON_LINES, start=1)
    ]
    Table(pdf, widths, (heading,)).draw(groups)


# --- HASIL KERJA and BerAKHLAK cells ------------------------------------------------------


def numbered_headings(title: str, columns: Sequence[str]) -> tuple[RowGroup, ...]:
    """A table's title across it, the column titles, and the form's column numbers (1)…(n)."""
    return (
        RowGroup(rows=((heading_cell(title, span=len(columns)),),)),
        RowGroup(rows=(tuple(heading_cell(column) for column in columns),), center_vertically=True),
        RowGroup(
            rows=(
                tuple(
                    heading_cell(f"({number})", size=SMALL_SIZE)
                    for number in range(1, len(columns) + 1)
                ),
            )
        ),
    )


def hasil_kerja_sections(
    utama: Sequence[T], tambahan: Sequence[T], column_count: int, group: Callable[[T], RowGroup]
) -> Iterator[RowGroup]:
    """``A. Utama`` then ``B. Tambahan``, each shaded title followed by its RHK's groups, or by
    a row of dashes when it has none, as on the paper form."""
    for title, rows in (("A. Utama", utama), ("B. Tambahan", tambahan)):
        yield section_row(title, column_count)
        if not rows:
            yield empty_row(column_count)
        for row in rows:
            yield group(row)


@dataclass(frozen=True)
class HasilKerjaForm:
    """Which of the plan's optional columns a HASIL KERJA table has: the kualitatif form has no
    aspek, only the JPT form has perspektif. The evaluation document adds its own columns after
    these."""

    show_aspek: bool
    show_perspektif: bool

    @classmethod
    def of(cls, rhks: Sequence[RhkRow], jenis_form: str) -> HasilKerjaForm:
        indikator = [i for rhk in rhks for i in rhk.indikator]
        return cls(
            show_aspek=any(i.aspek for i in indikator) or not indikator,
            show_perspektif=jenis_form == JenisFormSkp.JPT,
        )

    def columns(self, text_share: float = 1.0) -> list[tuple[str, float]]:
        """(title, relative width) of each column. ``text_share`` narrows the three long-text
        columns (not the short ones, whose words must not break) to leave room for columns
        after them."""
        columns = [
            ("No", 9.0),
            ("Rencana Hasil Kerja Pimpinan yang Diintervensi", 54.0 * text_share),
            ("Rencana Hasil Kerja", 60.0 * text_share),
            ("Aspek", 19.0),
            ("Indikator Kinerja Individu", 72.0 * text_share),
            ("Target", 38.0),
            ("Perspektif", 30.0),
        ]
        if not self.show_perspektif:
            columns.pop()
        if not self.show_aspek:
            aspek = columns.pop(3)
            title, width = columns[3]
            columns[3] = (title, width + aspek[1])
        return columns

    def rhk_cells(self, rhk: RhkRow) -> tuple[Cell, ...]:
        """Number, intervened RHK and the RHK: the cells that span its indicator rows."""
        return (
            Cell(text_content(rhk.nomor, align="C")),
            Cell(_intervensi_content(rhk)),
            Cell(_rhk_content(rhk)),
        )

    def indikator_cells(self, indikator: IndikatorRow | None) -> tuple[Cell, ...]:
        cells = []
        if self.show_aspek:
            cells.append(Cell(text_content(humanize_code(indikator.aspek) if indikator else None)))
        cells.append(Cell(text_content(indikator.teks if indikator else None)))
        cells.append(Cell(text_content(indikator.target if indikator else None)))
        if self.show_perspektif:
            perspektif = humanize_code(indikator.perspektif) if indikator else None
            cells.append(Cell(text_content(perspektif)))
        return tuple(cells)


def _intervensi_content(rhk: RhkRow) -> tuple[Paragraph, ...]:
    """The superior's RHK this one supports, and who assigned it (JPT form)."""
    content = list(text_content(rhk.intervensi))
    if rhk.penugasan_dari:
        content.append(Paragraph(f"Penugasan dari: {rhk.penugasan_dari}", "I", SMALL_SIZE))
    return tuple(content)


def _rhk_content(rhk: RhkRow) -> tuple[Paragraph, ...]:
    content = list(text_content(rhk.teks))
    if rhk.klasifikasi:
        content.append(Paragraph(f"Klasifikasi: {humanize_code(rhk.klasifikasi)}", "I", SMALL_SIZE))
    return tuple(content)


def nilai_content(perilaku: PerilakuRow) -> tuple[Paragraph, ...]:
    """A BerAKHLAK value in bold over its behaviour guides as bullets."""
    return (Paragraph(perilaku.nilai, "B"),) + tuple(
        Paragraph(panduan, bullet="•") for panduan in perilaku.panduan
    )


# --- Signatures ---------------------------------------------------------------------------

SIGNATURE_WIDTH = 95.0
SIGNATURE_SPACE = 22.0  # mm left blank for the wet or electronic signature


@dataclass(frozen=True)
class Signature:
    caption: str  # "Pejabat Penilai Kinerja"
    person: PersonBlock | None
    above: str = ""  # place and date, over the caption


def _signature_height() -> float:
    line = line_height(BODY_SIZE)
    return 6 + 2 * line + SIGNATURE_SPACE + 3 * line


def _draw_signature(pdf: FPDF, x: float, top: float, signature: Signature) -> None:
    line = line_height(BODY_SIZE)
    pdf.set_xy(x, top)
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.cell(SIGNATURE_WIDTH, line, clean_text(signature.above), align="C")
    pdf.set_xy(x, top + line)
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.cell(SIGNATURE_WIDTH, line, signature.caption, align="C")
    pdf.set_xy(x, top + 2 * line + SIGNATURE_SPACE)
    pdf.set_font(FONT, "BU", BODY_SIZE)
    person = signature.person
    pdf.multi_cell(SIGNATURE_WIDTH, line, or_dash(person.nama if person else None), align="C")
    pdf.set_x(x)
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.cell(SIGNATURE_WIDTH, line, f"NIP. {nip_text(person)}", align="C")


def draw_signatures(pdf: DocumentPdf, left: Signature | None, right: Signature) -> None:
    """Signature blocks side by side (the left one optional), kept whole on one page."""
    gap(pdf, 6)
    if room(pdf) < _signature_height():
        pdf.add_page()
    top = pdf.get_y()
    if left is not None:
        _draw_signature(pdf, pdf.l_margin + 10, top, left)
    _draw_signature(pdf, pdf.w - pdf.r_margin - 10 - SIGNATURE_WIDTH, top, right)
