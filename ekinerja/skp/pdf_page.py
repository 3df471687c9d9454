"""The page every printed document shares (the SKP, the evaluation document): A4 landscape,
the embedded font, the draft watermark, the footer with the owner and the page number, and
the wording of dates and codes (docs/decisions/0007-skp-document-pdf.md).

Kept apart from the documents so that they print alike: a reader who knows the SKP finds the
evaluation document laid out the same way.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

from fpdf import FPDF

from ekinerja.skp.dokumen_model import PersonBlock

MARGIN_X = 15.0  # mm; A4 landscape leaves 267 mm of text width
MARGIN_TOP = 12.0
BODY_BOTTOM_GAP = 16.0  # mm kept free at the bottom of every page for the footer
FOOTER_FROM_BOTTOM = 10.0

FONT = "SourceSans"
BODY_SIZE = 9.0  # pt
SMALL_SIZE = 8.0
LINE_SPACING = 1.3  # line height as a multiple of the font size
PT_TO_MM = 25.4 / 72

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


# --- Wording ------------------------------------------------------------------------------


def format_tanggal(day: date) -> str:
    """``1 Januari 2026``: dates as Indonesian documents write them."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_periode(awal: date, akhir: date) -> str:
    return f"{format_tanggal(awal)} s.d. {format_tanggal(akhir)}"


def month_name(month: int) -> str:
    return _MONTHS[month - 1]


def humanize_code(value: str | None) -> str | None:
    """``PENERIMA_LAYANAN`` → ``Penerima Layanan``: the document carries enum codes for aspek,
    perspektif and klasifikasi; anything that is not such a code is printed as given."""
    if value is None or not value.replace("_", "").isupper() or " " in value:
        return value
    return value.replace("_", " ").title()


def or_dash(value: str | None) -> str:
    cleaned = clean_text(value or "")
    return cleaned if cleaned.strip() else "-"


def clean_text(text: str) -> str:
    """Line breaks and tabs as the layout understands them (pasted text brings CR and tabs)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def nip_text(person: PersonBlock | None) -> str:
    # A NON-ASN official (a Bupati, a minister) has no NIP; the form prints a dash.
    return or_dash(person.nip if person else None)


# --- The PDF document ---------------------------------------------------------------------


class DocumentPdf(FPDF):
    """FPDF with the documents' fonts, draft watermark and page footer. ``identity`` says whose
    document a page belongs to, on every page, so that a loose sheet can be put back."""

    def __init__(self, *, title: str, author: str, identity: str, final: bool) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.identity = identity
        self.final = final
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        # Every break is decided by the layout, which measures before it draws.
        self.set_auto_page_break(False)
        self.c_margin = 0  # cell padding is handled by the grid
        self.set_line_width(0.2)
        _register_fonts(self)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("ekinerja")
        self.set_lang("id")

    @property
    def body_bottom(self) -> float:
        return self.h - BODY_BOTTOM_GAP

    def header(self) -> None:
        if not self.final:
            self._draw_watermark()
        self.set_y(MARGIN_TOP)

    def footer(self) -> None:
        self.set_y(self.h - FOOTER_FROM_BOTTOM)
        self.set_font(FONT, "", SMALL_SIZE)
        self.set_text_color(*MUTED_COLOR)
        self.cell(self.epw / 2, 4, self.identity, align="L")
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


def line_height(size_pt: float) -> float:
    return size_pt * PT_TO_MM * LINE_SPACING


def gap(pdf: FPDF, height: float) -> None:
    pdf.set_y(pdf.get_y() + height)


def room(pdf: DocumentPdf) -> float:
    """What is left of the page's body below the current position."""
    return pdf.body_bottom - pdf.get_y()
