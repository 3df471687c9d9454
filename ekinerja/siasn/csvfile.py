"""The SIASN shapes as CSV text: a header of SIASN field names, then one line per row, UTF-8.
Written a page at a time, so an export never holds more than one page.

Names, units and jabatan come from imports and from people: every text cell goes through the
formula guard (ekinerja.tabular.formulas), quoted, so a name such as `=cmd|' /C calc'!A0` is
text in a spreadsheet, not a formula; numbers are written bare."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from ekinerja.siasn.ekspor import RwSkp22, columns, values
from ekinerja.tabular import SafeCsvWriter


def _cell(value: Any) -> Any:
    return "" if value is None else value  # csv writes Decimal and int with str()


def _lines(rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def header(kind: type[RwSkp22]) -> bytes:
    return _lines([columns(kind)])


def lines(rows: Iterable[RwSkp22]) -> bytes:
    return _lines(values(row) for row in rows)
