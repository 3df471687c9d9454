"""Reading an import file (CSV or XLSX) into rows: dicts from column name to cell text.

Keys are the header's names in canonical form (layout.canonical_column). A blank row inside
the data is kept as a blank dict (validation skips it) so that list position still gives the
row number a spreadsheet shows; blank rows at the end are dropped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path

from ekinerja.kepegawaian.importer.layout import EXTRA_CELLS, canonical_column

_READ_PROGRESS_EVERY = 2000
# Doubles hold integers exactly only up to 2**53: an 18-digit NIP typed into a number cell is
# already rounded, so it is passed on in exponent form, which validation refuses with a hint.
_EXACT_FLOAT_LIMIT = 2**53
_CSV_SEPARATORS = ",;\t|"

ReadProgress = Callable[[int, int | None], None]


class ReadError(ValueError):
    """A file that cannot be read as a table at all (as opposed to a bad row in it)."""


def _ignore(_done: int, _total: int | None) -> None:
    return None


def read_rows(path: str | Path, on_progress: ReadProgress = _ignore) -> list[dict[str, str]]:
    """The data rows of a `.csv` or `.xlsx` file, the first row being the header."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, on_progress)
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path, on_progress)
    raise ReadError(f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")


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


def _to_rows(
    lines: Iterable[list[str]], name: str, on_progress: ReadProgress, total: int | None
) -> list[dict[str, str]]:
    iterator = iter(lines)
    try:
        header = _header(next(iterator), name)
    except StopIteration:
        raise ReadError(f"{name}: the file is empty") from None
    width = len(header)
    rows: list[dict[str, str]] = []
    last_filled = 0
    for cells in iterator:
        row = {column: "" for column in header if column}
        for column, cell in zip(header, cells, strict=False):
            if column:
                row[column] = cell
        extra = [cell.strip() for cell in cells[width:] if cell.strip()]
        if extra:
            row[EXTRA_CELLS] = " | ".join(extra)
        rows.append(row)
        if any(cell.strip() for cell in cells):
            last_filled = len(rows)
        if len(rows) % _READ_PROGRESS_EVERY == 0:
            on_progress(len(rows), total)
    del rows[last_filled:]
    on_progress(len(rows), len(rows))
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; cp1252 reads every byte.
        return data.decode("cp1252")


def _separator(first_line: str) -> str:
    """The most frequent candidate in the header: `;` where Excel uses a decimal comma (as in
    Indonesian locales), `,` elsewhere."""
    counts = {sep: first_line.count(sep) for sep in _CSV_SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(path: Path, on_progress: ReadProgress) -> list[dict[str, str]]:
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    total = max(text.count("\n") - 1, 0)
    lines = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line))
    try:
        return _to_rows(lines, path.name, on_progress, total)
    except csv.Error as error:
        raise ReadError(f"{path.name}: not a readable CSV file ({error})") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT_LIMIT:
            return str(int(value))
        return repr(value)  # e.g. 1.986092620150511e+17, which no NIP check accepts
    return str(value)


def _xlsx_lines(sheet) -> Iterator[list[str]]:
    for values in sheet.iter_rows(values_only=True):
        yield [_cell_text(value) for value in values]


def _read_xlsx(path: Path, on_progress: ReadProgress) -> list[dict[str, str]]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ReadError(f"{path.name}: not a readable XLSX file ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        total = (sheet.max_row - 1) if sheet.max_row else None
        return _to_rows(_xlsx_lines(sheet), path.name, on_progress, total)
    finally:
        workbook.close()
