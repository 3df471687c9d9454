"""Reading an import file (CSV or XLSX) into rows: dicts from column name to cell text.

Keys are the header's names in canonical form (layout.canonical_column). A blank row inside
the data is kept as a blank dict (validation skips it) so that list position still gives the
row number a spreadsheet shows; blank rows at the end are dropped. The file is read within
limits (rows, bytes, unpacked XLSX size, columns; ekinerja.tabular): passing one, or a file that
is no table, raises a ReadError subclass with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ekinerja.kepegawaian.importer.layout import EXTRA_CELLS, canonical_column
from ekinerja.settings import get_settings
from ekinerja.tabular import Limits, ReadError, read_table
from ekinerja.tabular.reading import ReadProgress

__all__ = ["ReadError", "iter_rows", "read_rows"]


def _ignore(_done: int, _total: int | None) -> None:
    return None


def read_rows(
    path: str | Path, on_progress: ReadProgress = _ignore, limits: Limits | None = None
) -> list[dict[str, str]]:
    """The data rows of a `.csv` or `.xlsx` file, the first row being the header. ``limits``
    default to the configured ones (EKINERJA_IMPORT_*), without a deadline."""
    return list(iter_rows(path, on_progress, limits))


def iter_rows(
    path: str | Path, on_progress: ReadProgress = _ignore, limits: Limits | None = None
) -> Iterator[dict[str, str]]:
    """As read_rows, a row at a time: a caller that turns rows into something smaller keeps
    only that."""
    path = Path(path)
    lines = read_table(path, limits or Limits.from_settings(get_settings()), on_progress)
    header = _header(next(lines), path.name)
    width = len(header)
    for cells in lines:
        row = {column: "" for column in header if column}
        for column, cell in zip(header, cells, strict=False):
            if column:
                row[column] = cell
        extra = [cell.strip() for cell in cells[width:] if cell.strip()]
        if extra:
            row[EXTRA_CELLS] = " | ".join(extra)
        yield row


def _header(cells: list[str], name: str) -> list[str | None]:
    """Canonical column names by position; None for an unnamed column (its cells are ignored)."""
    names: list[str | None] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells, start=1):
        column = canonical_column(cell)
        if not column:
            names.append(None)
            continue
        if column in seen:
            raise ReadError(
                f"{name}: the header names {column} twice (columns {seen[column]} and {position})"
            )
        seen[column] = position
        names.append(column)
    if not seen:
        raise ReadError(f"{name}: the first row is empty; it must be the header")
    return names
