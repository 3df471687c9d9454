"""The SKP as a printable PDF, in the layout of the PermenPANRB 6/2022 forms used by e-Kinerja:
title, the two people, HASIL KERJA, PERILAKU KERJA, the LAMPIRAN and the signatures, on A4
landscape (docs/decisions/0007-skp-document-pdf.md).

Tables are laid out here rather than with ``FPDF.table()``: that refuses a row taller than a
page, and one RHK with a long text and several indicators can be taller than a page. The grid
below wraps every cell first, then draws row groups slice by slice, so a group splits across
pages (each part boxed) and the headings repeat on every page the table reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode

from ekinerja.skp.document_model import (
    IndikatorRow,
    PerilakuRow,
    PersonBlock,
    RhkRow,
    SkpDocument,
)
from ekinerja.skp.enums import JenisFormSkp, PendekatanSkp, StatusSkp

# --- Page and type ------------------------------------------------------------------------

MARGIN_X = 15.0  # mm; A4 landscape leaves 267 mm of text width
MARGIN_TOP = 12.0
BODY_BOTTOM_GAP = 16.0  # mm kept free at the bottom of every page for the footer
FOOTER_FROM_BOTTOM = 10.0

FONT = "SourceSans"
BODY_SIZE = 9.0  # pt
SMALL_SIZE = 8.0
LINE_SPACING = 1.3  # line height as a multiple of the font size
PT_TO_MM = 25.4 / 72

CELL_PAD_X = 1.6  # mm inside every cell
CELL_PAD_Y = 1.2
MIN_SLICE = 14.0  # mm: below this much room a table goes to the next page instead of splitting
# A row group up to this share of a page moves whole to the next page rather than split; a
# taller one is split where it stands, so that it does not leave most of a page blank.
KEEP_TOGETHER_SHARE = 0.5
EPSILON = 0.01

TEXT_COLOR = (25, 25, 25)
MUTED_COLOR = (100, 100, 100)
BORDER_COLOR = (70, 70, 70)
HEADING_FILL = (220, 228, 238)
SECTION_FILL = (240, 243, 247)
DRAFT_COLOR = (180, 30, 30)
WATERMARK_COLOR = (232, 232, 232)

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip

# Source Sans Pro (SIL OFL) from the `font-source-sans-pro` package: it covers the en dash,
# ≥, ², curly quotes and the like that Indonesian SKP texts use, which the PDF core fonts
# (Latin-1 only) would refuse.
_FONT_PACKAGE = "font_source_sans_pro"
_FONT_FILES = {
    "": "SourceSansPro-Regular.ttf",
    "B": "SourceSansPro-Bold.ttf",
    "I": "SourceSansPro-It.ttf",
}


def render_skp_pdf(document: SkpDocument) -> bytes:
    """The SKP as PDF bytes."""
    pdf = _SkpPdf(document)
    pdf.add_page()
    _draw_title(pdf, document)
    _draw_people(pdf, document)
    _gap(pdf, 5)
    _draw_hasil_kerja(pdf, document)
    _gap(pdf, 5)
    _draw_perilaku(pdf, document)
    if document.catatan:
        _gap(pdf, 5)
        _draw_catatan(pdf, document.catatan)
    pdf.add_page()  # the lampiran is its own sheet on the official form
    _draw_lampiran(pdf, document)
    _draw_signatures(pdf, document)
    return bytes(pdf.output())


# --- Wording ------------------------------------------------------------------------------


def format_tanggal(day: date) -> str:
    """``1 Januari 2026``: dates as Indonesian documents write them."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_periode(awal: date, akhir: date) -> str:
    return f"{format_tanggal(awal)} s.d. {format_tanggal(akhir)}"


def humanize_code(value: str | None) -> str | None:
    """``PENERIMA_LAYANAN`` → ``Penerima Layanan``: the document carries enum codes for aspek,
    perspektif and klasifikasi; anything that is not such a code is printed as given."""
    if value is None or not value.replace("_", "").isupper() or " " in value:
        return value
    return value.replace("_", " ").title()


def _or_dash(value: str | None) -> str:
    cleaned = _clean_text(value or "")
    return cleaned if cleaned.strip() else "-"


def _clean_text(text: str) -> str:
    """Line breaks and tabs as the layout understands them (pasted text brings CR and tabs)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


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


def _nip_text(person: PersonBlock | None) -> str:
    # A NON-ASN official (a Bupati, a minister) has no NIP; the form prints a dash.
    return _or_dash(person.nip if person else None)


# --- The PDF document ---------------------------------------------------------------------


class _SkpPdf(FPDF):
    """FPDF with the SKP's fonts, running header, draft watermark and page footer."""

    def __init__(self, document: SkpDocument) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.document = document
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        # Every break is decided by the layout below, which measures before it draws.
        self.set_auto_page_break(False)
        self.c_margin = 0  # cell padding is handled by the grid
        self.set_line_width(0.2)
        _register_fonts(self)
        self.set_title(f"Sasaran Kinerja Pegawai {document.tahun} – {document.pegawai.nama}")
        self.set_author(document.instansi)
        self.set_creator("ekinerja")
        self.set_lang("id")

    @property
    def body_bottom(self) -> float:
        return self.h - BODY_BOTTOM_GAP

    def header(self) -> None:
        if not _is_final(self.document):
            self._draw_watermark()
        self.set_y(MARGIN_TOP)

    def footer(self) -> None:
        self.set_y(self.h - FOOTER_FROM_BOTTOM)
        self.set_font(FONT, "", SMALL_SIZE)
        self.set_text_color(*MUTED_COLOR)
        # Whose SKP this is on every page, so that a loose sheet can be put back.
        self.cell(self.epw / 2, 4, _identity_line(self.document), align="L")
        # {nb} is replaced by the page count when the document is written.
        self.cell(self.epw / 2, 4, f"Halaman {self.page_no()} dari {{nb}}", align="R")
        self.set_text_color(*TEXT_COLOR)

    def _draw_watermark(self) -> None:
        # Drawn first on the page so tables and text lie on top of it.
        self.set_font(FONT, "B", 110)
        self.set_text_color(*WATERMARK_COLOR)
        center_x, center_y = self.w / 2, self.h / 2
        with self.rotation(angle=25, x=center_x, y=center_y):
            self.set_xy(0, center_y - 20)
            self.cell(self.w, 40, "DRAFT", align="C")
        self.set_text_color(*TEXT_COLOR)


def _register_fonts(pdf: FPDF) -> None:
    font_dir = Path(str(resources.files(_FONT_PACKAGE).joinpath("files")))
    for style, file_name in _FONT_FILES.items():
        pdf.add_font(FONT, style, font_dir / file_name)


def _identity_line(document: SkpDocument) -> str:
    person = document.pegawai
    return (
        f"{person.nama} · NIP {_nip_text(person)} · "
        f"{format_periode(document.periode_awal, document.periode_akhir)} · Versi {document.versi}"
    )


def _line_height(size_pt: float) -> float:
    return size_pt * PT_TO_MM * LINE_SPACING


def _gap(pdf: FPDF, height: float) -> None:
    pdf.set_y(pdf.get_y() + height)


def _room(pdf: _SkpPdf) -> float:
    return pdf.body_bottom - pdf.get_y()


# --- Grid: what a table is made of --------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a cell; ``bullet`` is printed in a hanging indent (``•``, ``1.``)."""

    text: str
    style: str = ""  # fpdf2 style letters: "", "B", "I"
    size: float = BODY_SIZE
    align: str = "L"
    bullet: str | None = None


@dataclass(frozen=True)
class Cell:
    content: tuple[Paragraph, ...]
    span: int = 1  # columns covered
    fill: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class RowGroup:
    """Rows that belong together: ``spanning`` cells fill the first columns over the whole
    height (an RHK), each entry of ``rows`` is a row in the remaining columns (its IKI)."""

    rows: tuple[tuple[Cell, ...], ...]
    spanning: tuple[Cell, ...] = ()
    center_vertically: bool = False
    keep_with_next: bool = False  # a section title is never left alone at a page's foot


@dataclass(frozen=True)
class _Line:
    x: float  # from the table's left edge
    y: float  # from the group's top
    width: float
    height: float
    text: str
    style: str
    size: float
    align: str


@dataclass(frozen=True)
class _Box:
    x: float
    width: float
    top: float
    bottom: float
    fill: tuple[int, int, int] | None


@dataclass(frozen=True)
class _LaidOutGroup:
    height: float
    lines: tuple[_Line, ...]
    boxes: tuple[_Box, ...]
    keep_with_next: bool


@dataclass(frozen=True)
class _PlacedCell:
    """A cell with its horizontal place and its wrapped content, before its height is known."""

    cell: Cell
    x: float
    width: float
    lines: list[_Line]
    content_height: float


def _text(text: str | None, style: str = "", align: str = "L") -> tuple[Paragraph, ...]:
    """A cell holding one paragraph; empty values print as ``-`` like on the paper form."""
    return (Paragraph(_or_dash(text), style, BODY_SIZE, align),)


# --- Grid: layout -------------------------------------------------------------------------


def _wrap(pdf: FPDF, text: str, width: float, line_height: float) -> list[str]:
    lines = pdf.multi_cell(
        max(width, 1.0),
        line_height,
        text,
        dry_run=True,
        output=MethodReturnValue.LINES,
        wrapmode=WrapMode.WORD,  # a word wider than the cell is broken by characters
    )
    return list(lines) or [""]


def _bullet_indent(pdf: FPDF, bullet: str | None) -> float:
    if bullet is None:
        return 0.0
    return max(pdf.get_string_width(bullet) + 1.5, 3.5)


def _lay_out_content(
    pdf: FPDF, content: Sequence[Paragraph], width: float
) -> tuple[list[_Line], float]:
    """The wrapped lines of a cell's content (positions from the content's top-left corner)
    and the content's height."""
    lines: list[_Line] = []
    y = 0.0
    for paragraph in content:
        pdf.set_font(FONT, paragraph.style, paragraph.size)
        height = _line_height(paragraph.size)
        indent = _bullet_indent(pdf, paragraph.bullet)
        wrapped = _wrap(pdf, _clean_text(paragraph.text), width - indent, height)
        if paragraph.bullet:
            lines.append(
                _Line(0, y, indent, height, paragraph.bullet, paragraph.style, paragraph.size, "L")
            )
        for text in wrapped:
            lines.append(
                _Line(
                    indent,
                    y,
                    width - indent,
                    height,
                    text,
                    paragraph.style,
                    paragraph.size,
                    paragraph.align,
                )
            )
            y += height
    return lines, y


def _column_edges(widths: Sequence[float]) -> list[float]:
    edges = [0.0]
    for width in widths:
        edges.append(edges[-1] + width)
    return edges


def _lay_out_cells(
    pdf: FPDF,
    cells: Sequence[Cell],
    first_column: int,
    edges: Sequence[float],
) -> tuple[list[_PlacedCell], float]:
    """Cells side by side from ``first_column``, and the tallest content among them."""
    placed = []
    column = first_column
    for cell in cells:
        x, right = edges[column], edges[column + cell.span]
        lines, height = _lay_out_content(pdf, cell.content, right - x - 2 * CELL_PAD_X)
        placed.append(_PlacedCell(cell, x, right - x, lines, height))
        column += cell.span
    return placed, max((p.content_height for p in placed), default=0.0)


def _place(placed: _PlacedCell, top: float, cell_height: float, center: bool) -> list[_Line]:
    """The cell's lines in group coordinates, top-aligned or centred in a cell this tall."""
    offset = (cell_height - placed.content_height) / 2 if center else CELL_PAD_Y
    return [
        _Line(
            placed.x + CELL_PAD_X + line.x,
            top + offset + line.y,
            line.width,
            line.height,
            line.text,
            line.style,
            line.size,
            line.align,
        )
        for line in placed.lines
    ]


def _lay_out_group(pdf: FPDF, group: RowGroup, widths: Sequence[float]) -> _LaidOutGroup:
    edges = _column_edges(widths)
    spanning_columns = sum(cell.span for cell in group.spanning)
    spanning, spanning_height = _lay_out_cells(pdf, group.spanning, 0, edges)

    # The stacked rows first, each as tall as its tallest cell.
    stacked: list[tuple[float, float, list[_PlacedCell]]] = []  # (top, height, cells)
    y = 0.0
    for row in group.rows:
        cells, content_height = _lay_out_cells(pdf, row, spanning_columns, edges)
        row_height = max(content_height, _line_height(BODY_SIZE)) + 2 * CELL_PAD_Y
        stacked.append((y, row_height, cells))
        y += row_height
    height = max(y, spanning_height + 2 * CELL_PAD_Y)

    lines: list[_Line] = []
    boxes: list[_Box] = []
    for placed in spanning:
        boxes.append(_Box(placed.x, placed.width, 0.0, height, placed.cell.fill))
        lines += _place(placed, 0.0, height, group.center_vertically)
    for index, (top, row_height, cells) in enumerate(stacked):
        # The last stacked row stretches when the spanning cells are taller.
        bottom = height if index == len(stacked) - 1 else top + row_height
        for cell in cells:
            boxes.append(_Box(cell.x, cell.width, top, bottom, cell.cell.fill))
            lines += _place(cell, top, bottom - top, group.center_vertically)
    return _LaidOutGroup(height, tuple(lines), tuple(boxes), group.keep_with_next)


# --- Grid: drawing ------------------------------------------------------------------------


def _draw_slice(pdf: FPDF, group: _LaidOutGroup, start: float, end: float) -> None:
    """Draw the part of ``group`` between ``start`` and ``end`` (group coordinates) at the
    current position: every cell it crosses is boxed, every line wholly inside is printed."""
    left, top = pdf.l_margin, pdf.get_y()
    visible = [
        (box, max(box.top, start), min(box.bottom, end))
        for box in group.boxes
        if min(box.bottom, end) - max(box.top, start) > EPSILON
    ]
    # Fills, then text, then borders: a neighbour's fill never covers a border or a letter.
    for box, box_top, box_bottom in visible:
        if box.fill:
            pdf.set_fill_color(*box.fill)
            pdf.rect(left + box.x, top + box_top - start, box.width, box_bottom - box_top, "F")
    for line in group.lines:
        if line.text and line.y >= start - EPSILON and line.y + line.height <= end + EPSILON:
            pdf.set_font(FONT, line.style, line.size)
            pdf.set_xy(left + line.x, top + line.y - start)
            pdf.cell(line.width, line.height, line.text, align=line.align)
    pdf.set_draw_color(*BORDER_COLOR)
    for box, box_top, box_bottom in visible:
        pdf.rect(left + box.x, top + box_top - start, box.width, box_bottom - box_top, "D")
    pdf.set_y(top + end - start)


def _next_start(group: _LaidOutGroup, end: float) -> float | None:
    """Where the part after a cut at ``end`` begins: the first line not yet printed."""
    pending = [line.y for line in group.lines if line.y + line.height > end + EPSILON]
    return min(pending) if pending else None


class _Table:
    """Draws row groups under ``headings``, repeating the headings on each new page."""

    def __init__(
        self, pdf: _SkpPdf, widths: Sequence[float], headings: Sequence[RowGroup] = ()
    ) -> None:
        self.pdf = pdf
        self.widths = widths
        self.headings = [_lay_out_group(pdf, heading, widths) for heading in headings]
        self.headings_height = sum(heading.height for heading in self.headings)

    def draw(self, groups: Iterable[RowGroup]) -> None:
        started = False
        for group in groups:
            laid_out = _lay_out_group(self.pdf, group, self.widths)
            if not started:
                # Headings stay with at least the start of the first group.
                needed = self.headings_height + min(laid_out.height, MIN_SLICE)
                if laid_out.keep_with_next:
                    needed += MIN_SLICE
                if _room(self.pdf) < needed:
                    self.pdf.add_page()
                self._draw_headings()
                started = True
            self._draw_group(laid_out)

    def _draw_headings(self) -> None:
        for heading in self.headings:
            _draw_slice(self.pdf, heading, 0.0, heading.height)

    def _continue_on_new_page(self) -> None:
        self.pdf.add_page()
        self._draw_headings()

    def _fresh_page_room(self) -> float:
        return self.pdf.body_bottom - MARGIN_TOP - self.headings_height

    def _draw_group(self, group: _LaidOutGroup) -> None:
        start = 0.0
        just_broke = False
        while True:
            room = _room(self.pdf)
            needed = group.height - start + (MIN_SLICE if group.keep_with_next else 0.0)
            if needed <= room + EPSILON:
                _draw_slice(self.pdf, group, start, group.height)
                return
            keep_together = (
                start == 0.0 and group.height <= KEEP_TOGETHER_SHARE * self._fresh_page_room()
            )
            if not just_broke and (keep_together or room < MIN_SLICE):
                self._continue_on_new_page()
                just_broke = True
                continue
            end = start + room
            resume = _next_start(group, end)
            if resume is None:  # only the cell padding is left over: close the boxes here
                _draw_slice(self.pdf, group, start, min(end, group.height))
                return
            _draw_slice(self.pdf, group, start, end)
            self._continue_on_new_page()
            just_broke = True
            start = resume


# --- Sections -----------------------------------------------------------------------------


def _scaled_widths(pdf: FPDF, proportions: Sequence[float]) -> list[float]:
    total = sum(proportions)
    return [pdf.epw * share / total for share in proportions]


def _heading_cell(text: str, span: int = 1, size: float = BODY_SIZE) -> Cell:
    return Cell((Paragraph(text, "B", size, "C"),), span, HEADING_FILL)


def _draw_title(pdf: _SkpPdf, document: SkpDocument) -> None:
    pdf.set_font(FONT, "B", 14)
    pdf.cell(pdf.epw, 7, "SASARAN KINERJA PEGAWAI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(pdf.epw, 5, _pendekatan_title(document), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(pdf.epw, 5, _form_subtitle(document), align="C", new_x="LMARGIN", new_y="NEXT")
    if not _is_final(document):
        pdf.set_text_color(*DRAFT_COLOR)
        pdf.cell(
            pdf.epw,
            5,
            "DRAFT – belum disetujui Pejabat Penilai Kinerja",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(*TEXT_COLOR)
    _gap(pdf, 3)
    _draw_title_facts(pdf, document)
    _gap(pdf, 2)


def _draw_title_facts(pdf: _SkpPdf, document: SkpDocument) -> None:
    """Instansi on the left; period, version and status on the right."""
    half = pdf.epw / 2
    top = pdf.get_y()
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.multi_cell(half - 5, _line_height(BODY_SIZE), _clean_text(document.instansi.upper()))
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    periode = format_periode(document.periode_awal, document.periode_akhir)
    pdf.cell(half, _line_height(BODY_SIZE), f"PERIODE PENILAIAN: {periode}", align="R")
    pdf.set_xy(pdf.l_margin + half, top + _line_height(BODY_SIZE))
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.cell(half, _line_height(BODY_SIZE), _version_line(document), align="R")
    pdf.set_y(max(left_bottom, top + 2 * _line_height(BODY_SIZE)))


def _person_rows(pegawai: PersonBlock, penilai: PersonBlock | None) -> list[tuple[str, str, str]]:
    """(label, pegawai's value, penilai's value) for the header table."""

    def value(person: PersonBlock | None, attribute: str) -> str:
        return _or_dash(getattr(person, attribute) if person else None)

    return [
        ("Nama", value(pegawai, "nama"), value(penilai, "nama")),
        ("NIP", _nip_text(pegawai), _nip_text(penilai)),
        (
            "Pangkat/Gol. Ruang",
            value(pegawai, "pangkat_golongan"),
            value(penilai, "pangkat_golongan"),
        ),
        ("Jabatan", value(pegawai, "jabatan"), value(penilai, "jabatan")),
        ("Unit Kerja", value(pegawai, "unit_kerja"), value(penilai, "unit_kerja")),
    ]


def _draw_people(pdf: _SkpPdf, document: SkpDocument) -> None:
    widths = _scaled_widths(pdf, (8, 30, 95.5, 8, 30, 95.5))
    heading = RowGroup(
        rows=(
            (
                _heading_cell("No"),
                _heading_cell("PEGAWAI YANG DINILAI", span=2),
                _heading_cell("No"),
                _heading_cell("PEJABAT PENILAI KINERJA", span=2),
            ),
        ),
        center_vertically=True,
    )
    groups = [
        RowGroup(
            rows=(
                (
                    Cell(_text(str(number), align="C")),
                    Cell(_text(label)),
                    Cell(_text(own)),
                    Cell(_text(str(number), align="C")),
                    Cell(_text(label)),
                    Cell(_text(theirs)),
                ),
            )
        )
        for number, (label, own, theirs) in enumerate(
            _person_rows(document.pegawai, document.pejabat_penilai), start=1
        )
    ]
    _Table(pdf, widths, (heading,)).draw(groups)


@dataclass(frozen=True)
class _HasilKerjaForm:
    """Which optional columns the HASIL KERJA table has for this SKP."""

    show_aspek: bool  # the kualitatif form has no aspek
    show_perspektif: bool  # JPT form only

    @classmethod
    def of(cls, document: SkpDocument) -> _HasilKerjaForm:
        indikator = [i for rhk in document.rhk_utama + document.rhk_tambahan for i in rhk.indikator]
        return cls(
            show_aspek=any(i.aspek for i in indikator) or not indikator,
            show_perspektif=document.jenis_form == JenisFormSkp.JPT,
        )

    def columns(self) -> list[tuple[str, float]]:
        """(title, relative width) of each column."""
        columns = [
            ("No", 9.0),
            ("Rencana Hasil Kerja Pimpinan yang Diintervensi", 54.0),
            ("Rencana Hasil Kerja", 60.0),
            ("Aspek", 19.0),
            ("Indikator Kinerja Individu", 72.0),
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


def _hasil_kerja_headings(form: _HasilKerjaForm) -> tuple[RowGroup, ...]:
    columns = form.columns()
    return (
        RowGroup(rows=((_heading_cell("HASIL KERJA", span=len(columns)),),)),
        RowGroup(
            rows=(tuple(_heading_cell(title) for title, _ in columns),), center_vertically=True
        ),
        RowGroup(
            rows=(
                tuple(
                    _heading_cell(f"({number})", size=SMALL_SIZE)
                    for number in range(1, len(columns) + 1)
                ),
            )
        ),
    )


def _section_row(title: str, column_count: int) -> RowGroup:
    return RowGroup(
        rows=((Cell((Paragraph(title, "B"),), column_count, SECTION_FILL),),),
        keep_with_next=True,
    )


def _intervensi_content(rhk: RhkRow) -> tuple[Paragraph, ...]:
    content = list(_text(rhk.intervensi))
    if rhk.penugasan_dari:
        content.append(Paragraph(f"Penugasan dari: {rhk.penugasan_dari}", "I", SMALL_SIZE))
    return tuple(content)


def _rhk_content(rhk: RhkRow) -> tuple[Paragraph, ...]:
    content = list(_text(rhk.teks))
    if rhk.klasifikasi:
        content.append(Paragraph(f"Klasifikasi: {humanize_code(rhk.klasifikasi)}", "I", SMALL_SIZE))
    return tuple(content)


def _indikator_cells(indikator: IndikatorRow | None, form: _HasilKerjaForm) -> tuple[Cell, ...]:
    cells = []
    if form.show_aspek:
        cells.append(Cell(_text(humanize_code(indikator.aspek) if indikator else None)))
    cells.append(Cell(_text(indikator.teks if indikator else None)))
    cells.append(Cell(_text(indikator.target if indikator else None)))
    if form.show_perspektif:
        cells.append(Cell(_text(humanize_code(indikator.perspektif) if indikator else None)))
    return tuple(cells)


def _rhk_group(rhk: RhkRow, form: _HasilKerjaForm) -> RowGroup:
    """One RHK: number, intervened RHK and its text span all of its indicator rows."""
    rows = tuple(_indikator_cells(indikator, form) for indikator in rhk.indikator)
    return RowGroup(
        spanning=(
            Cell(_text(rhk.nomor, align="C")),
            Cell(_intervensi_content(rhk)),
            Cell(_rhk_content(rhk)),
        ),
        rows=rows or (_indikator_cells(None, form),),
    )


def _empty_row(column_count: int) -> RowGroup:
    return RowGroup(rows=((Cell(_text("-")), Cell(_text("-"), column_count - 1)),))


def _hasil_kerja_groups(document: SkpDocument, form: _HasilKerjaForm) -> Iterable[RowGroup]:
    column_count = len(form.columns())
    for title, rhks in (("A. Utama", document.rhk_utama), ("B. Tambahan", document.rhk_tambahan)):
        yield _section_row(title, column_count)
        if not rhks:
            yield _empty_row(column_count)
        for rhk in rhks:
            yield _rhk_group(rhk, form)


def _draw_hasil_kerja(pdf: _SkpPdf, document: SkpDocument) -> None:
    form = _HasilKerjaForm.of(document)
    widths = _scaled_widths(pdf, [width for _, width in form.columns()])
    _Table(pdf, widths, _hasil_kerja_headings(form)).draw(_hasil_kerja_groups(document, form))


def _perilaku_group(number: int, perilaku: PerilakuRow) -> RowGroup:
    nilai = (Paragraph(perilaku.nilai, "B"),) + tuple(
        Paragraph(panduan, bullet="•") for panduan in perilaku.panduan
    )
    return RowGroup(
        rows=(
            (
                Cell(_text(str(number), align="C")),
                Cell(nilai),
                Cell(_text(perilaku.ekspektasi)),
            ),
        )
    )


def _draw_perilaku(pdf: _SkpPdf, document: SkpDocument) -> None:
    widths = _scaled_widths(pdf, (9, 150, 108))
    headings = (
        RowGroup(rows=((_heading_cell("PERILAKU KERJA", span=3),),)),
        RowGroup(
            rows=(
                (
                    _heading_cell("No"),
                    _heading_cell("Perilaku Kerja"),
                    _heading_cell("Ekspektasi Khusus Pimpinan"),
                ),
            )
        ),
    )
    groups = [
        _perilaku_group(number, perilaku)
        for number, perilaku in enumerate(document.perilaku, start=1)
    ]
    _Table(pdf, widths, headings).draw(groups or [_empty_row(3)])


def _numbered_groups(items: Sequence[str]) -> list[RowGroup]:
    if not items:
        return [RowGroup(rows=((Cell(()), Cell(_text("-"))),))]  # nothing to number
    return [
        RowGroup(rows=((Cell(_text(f"{number}.", align="C")), Cell(_text(item))),))
        for number, item in enumerate(items, start=1)
    ]


def _draw_catatan(pdf: _SkpPdf, catatan: Sequence[str]) -> None:
    widths = _scaled_widths(pdf, (9, 258))
    headings = (RowGroup(rows=((_heading_cell("CATATAN", span=2),),)),)
    _Table(pdf, widths, headings).draw(_numbered_groups(catatan))


def _draw_lampiran(pdf: _SkpPdf, document: SkpDocument) -> None:
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
    _gap(pdf, 3)
    widths = _scaled_widths(pdf, (9, 258))
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
        groups += _numbered_groups(items)
    _Table(pdf, widths, ()).draw(groups)


# --- Signatures ---------------------------------------------------------------------------

SIGNATURE_WIDTH = 95.0
SIGNATURE_SPACE = 22.0  # mm left blank for the wet or electronic signature


def _signature_height() -> float:
    line = _line_height(BODY_SIZE)
    return 6 + 2 * line + SIGNATURE_SPACE + 3 * line


def _draw_signature(
    pdf: FPDF, x: float, top: float, caption: str, person: PersonBlock | None, above: str
) -> None:
    line = _line_height(BODY_SIZE)
    pdf.set_xy(x, top)
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.cell(SIGNATURE_WIDTH, line, _clean_text(above), align="C")
    pdf.set_xy(x, top + line)
    pdf.set_font(FONT, "B", BODY_SIZE)
    pdf.cell(SIGNATURE_WIDTH, line, caption, align="C")
    pdf.set_xy(x, top + 2 * line + SIGNATURE_SPACE)
    pdf.set_font(FONT, "BU", BODY_SIZE)
    pdf.multi_cell(SIGNATURE_WIDTH, line, _or_dash(person.nama if person else None), align="C")
    pdf.set_x(x)
    pdf.set_font(FONT, "", BODY_SIZE)
    pdf.cell(SIGNATURE_WIDTH, line, f"NIP. {_nip_text(person)}", align="C")


def _draw_signatures(pdf: _SkpPdf, document: SkpDocument) -> None:
    """Pegawai on the left, pejabat penilai on the right under the place and date."""
    _gap(pdf, 6)
    if _room(pdf) < _signature_height():
        pdf.add_page()
    top = pdf.get_y()
    left_x = pdf.l_margin + 10
    right_x = pdf.w - pdf.r_margin - 10 - SIGNATURE_WIDTH
    _draw_signature(pdf, left_x, top, "Pegawai yang Dinilai", document.pegawai, "")
    _draw_signature(
        pdf,
        right_x,
        top,
        "Pejabat Penilai Kinerja",
        document.pejabat_penilai,
        document.tempat_tanggal or "",
    )
