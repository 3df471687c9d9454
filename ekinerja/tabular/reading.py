"""Reading an untrusted CSV or XLSX file a row at a time, within Limits.

    for cells in read_table(path, limits):   # the header first, then each data row
        ...

Rows are lists of cell text. Nothing is materialised whole: a CSV is scanned once in chunks
(size, encoding, control bytes) and then parsed line by line; an XLSX is checked for its
unpacked size before openpyxl opens it, and its first sheet is streamed (read-only mode). The
deadline and the row cap are checked on every row, so passing either stops the reading thread
at once. Blank rows between filled ones are kept (as empty lists), so that the position of a row
is the row number a spreadsheet shows; blank rows after the last filled one are dropped.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ekinerja.tabular.errors import NotText, ReadError, TooLarge, TooManyRows
from ekinerja.tabular.formulas import unguarded
from ekinerja.tabular.limits import Deadline, Limits
from ekinerja.tabular.xlsx_guard import check_xlsx

ReadProgress = Callable[[int, int | None], None]  # (rows done, rows in all if known)

_PROGRESS_EVERY = 2000
_SCAN_CHUNK = 1024 * 1024
_SEPARATORS = ",;\t|"
# Text has no C0 control characters besides tab, line feed and carriage return; a NUL (which
# PostgreSQL cannot store in text) or another control byte means a binary file.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The five bytes Windows-1252 leaves undefined: a file with them is in no encoding we read.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Doubles hold integers exactly only up to 2**53: an 18-digit NIP typed into a number cell is
# already rounded, so it is passed on in exponent form, which validation refuses with a hint.
_EXACT_FLOAT_LIMIT = 2**53


def _ignore(_done: int, _total: int | None) -> None:
    return None


def read_table(
    path: str | Path, limits: Limits, on_progress: ReadProgress = _ignore
) -> Iterator[list[str]]:
    """The rows of a `.csv` or `.xlsx` file, the header first. Raises a ReadError subclass when
    the file is not a readable table or passes a limit (TooLarge, TooManyRows, NotText,
    TooSlow), as soon as that is known."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        opened = _csv_rows(path, limits)
    elif suffix in {".xlsx", ".xlsm"}:
        opened = _xlsx_rows(path, limits)
    else:
        raise ReadError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx"
        )
    deadline = Deadline(limits.seconds)
    with opened as (rows, total):
        yield from _bounded(rows, path.name, limits, deadline, on_progress, total)


def _bounded(
    rows: Iterator[list[str]],
    name: str,
    limits: Limits,
    deadline: Deadline,
    on_progress: ReadProgress,
    total: int | None,
) -> Iterator[list[str]]:
    header = next(rows, None)
    if header is None:
        raise ReadError(f"{name}: the file is empty")
    yield _checked(header, name, 1, limits)
    position = blank_run = 0
    for cells in rows:
        deadline.check(name)
        position += 1
        cells = _checked(cells, name, position + 1, limits)
        if not any(cell.strip() for cell in cells):
            # Held back until a filled row follows: trailing blank rows are never yielded.
            blank_run += 1
            if position > 2 * limits.max_rows:  # bounds scanning a file of blank lines
                raise TooManyRows(
                    f"{name}: more than {2 * limits.max_rows:,} rows, counting blank ones"
                )
            continue
        if position > limits.max_rows:
            raise TooManyRows(
                f"{name}: more than {limits.max_rows:,} data rows; split it into smaller files"
            )
        for _ in range(blank_run):
            yield []
        blank_run = 0
        yield cells
        if position % _PROGRESS_EVERY == 0:
            on_progress(position, total)
    on_progress(position - blank_run, position - blank_run)


def _checked(cells: list[str], name: str, row: int, limits: Limits) -> list[str]:
    if len(cells) > limits.max_columns:
        if any(cell.strip() for cell in cells[limits.max_columns :]):
            raise ReadError(
                f"{name}: row {row} has cells beyond column {limits.max_columns}, "
                "more than any layout has"
            )
        cells = cells[: limits.max_columns]
    checked = []
    for cell in cells:
        if "\x00" in cell:  # (an XLSX cell; a CSV with one was refused by its scan)
            raise NotText(f"{name}: row {row} holds a NUL character; it is not text")
        checked.append(unguarded(cell) if cell[:1] == "'" else cell)
    return checked


def _check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise TooLarge(f"{path.name}: {size:,} bytes, more than the {limits.max_bytes:,} allowed")


@dataclass(frozen=True)
class _CsvFacts:
    encoding: str
    lines: int


def _scan_csv(path: Path, limits: Limits) -> _CsvFacts:
    """One pass over the bytes, a chunk at a time: size, control bytes, the encoding."""
    _check_size(path, limits)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = is_cp1252 = True
    lines = 0
    with path.open("rb") as file:
        start = file.read(4)
        if start.startswith(_ZIP_MAGIC):
            raise NotText(f"{path.name}: a zip archive (an XLSX?), not CSV text; send it as XLSX")
        if start.startswith(_UTF16_BOMS):
            raise NotText(f"{path.name}: UTF-16 text; save it as CSV UTF-8 (or CSV)")
        file.seek(0)
        while chunk := file.read(_SCAN_CHUNK):
            control = _CONTROL.search(chunk)
            if control:
                line = lines + chunk.count(b"\n", 0, control.start()) + 1
                byte = chunk[control.start()]
                raise NotText(
                    f"{path.name}: line {line} holds the control byte 0x{byte:02x}"
                    f"{' (NUL)' if byte == 0 else ''}; it is not a text CSV file"
                )
            lines += chunk.count(b"\n")
            if is_utf8:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            is_cp1252 = is_cp1252 and not _CP1252_UNDEFINED.search(chunk)
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    if is_utf8:
        return _CsvFacts("utf-8-sig", lines)
    if is_cp1252:
        # Excel on Windows saves "CSV" in the ANSI code page.
        return _CsvFacts("cp1252", lines)
    raise NotText(f"{path.name}: neither UTF-8 nor Windows-1252 text; it is not a CSV file")


def _separator(first_line: str) -> str:
    """The most frequent candidate in the header: `;` where Excel uses a decimal comma (as in
    Indonesian locales), `,` elsewhere."""
    counts = {sep: first_line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


@contextmanager
def _csv_rows(path: Path, limits: Limits) -> Iterator[tuple[Iterator[list[str]], int | None]]:
    facts = _scan_csv(path, limits)
    with path.open(encoding=facts.encoding, newline="") as file:
        separator = _separator(file.readline(64 * 1024))
        file.seek(0)

        def rows() -> Iterator[list[str]]:
            try:
                yield from csv.reader(file, delimiter=separator)
            except csv.Error as error:
                raise ReadError(f"{path.name}: not a readable CSV file ({error})") from None

        yield rows(), max(facts.lines - 1, 0)


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


@contextmanager
def _xlsx_rows(path: Path, limits: Limits) -> Iterator[tuple[Iterator[list[str]], int | None]]:
    _check_size(path, limits)
    check_xlsx(path, limits.max_xlsx_bytes)
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    unreadable = f"{path.name}: not a readable XLSX file"
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises whatever its parsers meet in a broken file
        raise ReadError(f"{unreadable} ({type(error).__name__}: {error})") from None
    try:
        if not workbook.worksheets:
            raise ReadError(f"{unreadable} (no worksheet)")
        sheet = workbook.worksheets[0]  # the only sheet read

        # The sheet's own width, but never more than one column beyond what is read (to see
        # whether anything lies there): a sheet may declare 16,384 columns.
        width = min(sheet.max_column or limits.max_columns + 1, limits.max_columns + 1)

        def rows() -> Iterator[list[str]]:
            try:
                for values in sheet.iter_rows(values_only=True, max_col=width):
                    yield [_cell_text(value) for value in values]
            except Exception as error:  # as above, while streaming the sheet
                raise ReadError(f"{unreadable} ({type(error).__name__}: {error})") from None

        yield rows(), (sheet.max_row - 1) if sheet.max_row else None
    finally:
        workbook.close()
