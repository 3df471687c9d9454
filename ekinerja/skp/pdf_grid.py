"""Tables for the printed documents, laid out here rather than with ``FPDF.table()``: that
refuses a row taller than a page, and one RHK with a long text and several indicators can be
taller than a page. The grid wraps every cell first, then draws row groups slice by slice, so a
group splits across pages (each part boxed) and the headings repeat on every page the table
reaches (docs/decisions/0007-skp-document-pdf.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode

from ekinerja.skp.pdf_page import (
    BODY_SIZE,
    BORDER_COLOR,
    FONT,
    HEADING_FILL,
    MARGIN_TOP,
    SECTION_FILL,
    DocumentPdf,
    clean_text,
    line_height,
    or_dash,
    room,
)

CELL_PAD_X = 1.6  # mm inside every cell
CELL_PAD_Y = 1.2
MIN_SLICE = 14.0  # mm: below this much room a table goes to the next page instead of splitting
# A row group up to this share of a page moves whole to the next page rather than split; a
# taller one is split where it stands, so that it does not leave most of a page blank.
KEEP_TOGETHER_SHARE = 0.5
EPSILON = 0.01


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
    height (an RHK), each entry of ``rows`` is a row in the columns after them (its IKI), and
    ``trailing`` cells fill the last columns over the whole height (the feedback on the RHK)."""

    rows: tuple[tuple[Cell, ...], ...]
    spanning: tuple[Cell, ...] = ()
    trailing: tuple[Cell, ...] = ()
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


def text_content(text: str | None, style: str = "", align: str = "L") -> tuple[Paragraph, ...]:
    """A cell holding one paragraph; empty values print as ``-`` like on the paper form."""
    return (Paragraph(or_dash(text), style, BODY_SIZE, align),)


# --- Grid: layout -------------------------------------------------------------------------


def _wrap(pdf: FPDF, text: str, width: float, height: float) -> list[str]:
    lines = pdf.multi_cell(
        max(width, 1.0),
        height,
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
        height = line_height(paragraph.size)
        indent = _bullet_indent(pdf, paragraph.bullet)
        wrapped = _wrap(pdf, clean_text(paragraph.text), width - indent, height)
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
    trailing_from = len(widths) - sum(cell.span for cell in group.trailing)
    trailing, trailing_height = _lay_out_cells(pdf, group.trailing, trailing_from, edges)

    # The stacked rows first, each as tall as its tallest cell.
    stacked: list[tuple[float, float, list[_PlacedCell]]] = []  # (top, height, cells)
    y = 0.0
    for row in group.rows:
        cells, content_height = _lay_out_cells(pdf, row, spanning_columns, edges)
        row_height = max(content_height, line_height(BODY_SIZE)) + 2 * CELL_PAD_Y
        stacked.append((y, row_height, cells))
        y += row_height
    height = max(y, max(spanning_height, trailing_height) + 2 * CELL_PAD_Y)

    lines: list[_Line] = []
    boxes: list[_Box] = []
    for placed in spanning + trailing:
        boxes.append(_Box(placed.x, placed.width, 0.0, height, placed.cell.fill))
        lines += _place(placed, 0.0, height, group.center_vertically)
    for index, (top, row_height, cells) in enumerate(stacked):
        # The last stacked row stretches when the spanning or trailing cells are taller.
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


class Table:
    """Draws row groups under ``headings``, repeating the headings on each new page."""

    def __init__(
        self, pdf: DocumentPdf, widths: Sequence[float], headings: Sequence[RowGroup] = ()
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
                if room(self.pdf) < needed:
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
            available = room(self.pdf)
            needed = group.height - start + (MIN_SLICE if group.keep_with_next else 0.0)
            if needed <= available + EPSILON:
                _draw_slice(self.pdf, group, start, group.height)
                return
            keep_together = (
                start == 0.0 and group.height <= KEEP_TOGETHER_SHARE * self._fresh_page_room()
            )
            if not just_broke and (keep_together or available < MIN_SLICE):
                self._continue_on_new_page()
                just_broke = True
                continue
            end = start + available
            resume = _next_start(group, end)
            if resume is None:  # only the cell padding is left over: close the boxes here
                _draw_slice(self.pdf, group, start, min(end, group.height))
                return
            _draw_slice(self.pdf, group, start, end)
            self._continue_on_new_page()
            just_broke = True
            start = resume


# --- Building blocks ----------------------------------------------------------------------


def scaled_widths(pdf: FPDF, proportions: Sequence[float]) -> list[float]:
    """Column widths in mm from relative ones, filling the text width."""
    total = sum(proportions)
    return [pdf.epw * share / total for share in proportions]


def heading_cell(text: str, span: int = 1, size: float = BODY_SIZE) -> Cell:
    return Cell((Paragraph(text, "B", size, "C"),), span, HEADING_FILL)


def section_row(title: str, column_count: int) -> RowGroup:
    """A shaded title across the table ("A. Utama"), kept with the row that follows it."""
    return RowGroup(
        rows=((Cell((Paragraph(title, "B"),), column_count, SECTION_FILL),),),
        keep_with_next=True,
    )


def empty_row(column_count: int) -> RowGroup:
    return RowGroup(rows=((Cell(text_content("-")), Cell(text_content("-"), column_count - 1)),))


def numbered_groups(items: Sequence[str]) -> list[RowGroup]:
    """``1.``, ``2.``, … in the first column and each item in the second."""
    if not items:
        return [RowGroup(rows=((Cell(()), Cell(text_content("-"))),))]  # nothing to number
    return [
        RowGroup(rows=((Cell(text_content(f"{number}.", align="C")), Cell(text_content(item))),))
        for number, item in enumerate(items, start=1)
    ]
