"""Cells a spreadsheet would run as formulas (CSV injection, OWASP): neutralised in every CSV
this service writes, and the neutralising mark taken off again when such a file is imported.

Excel, LibreOffice and Google Sheets run a cell starting with `=`, `+`, `-` or `@` as a formula
(`=cmd|' /C calc'!A0` starts a program through DDE, `=HYPERLINK(...)` leaks data), and strip a
leading tab or carriage return first. Names, units and jabatan come from imports and from
people, so any text may start that way. The OWASP rule: put a single quote before such a
cell, which spreadsheets show as text, and quote every text cell, so a separator inside a value
(Excel in an Indonesian locale splits on `;`, which a `,`-separated writer does not quote)
cannot start a new cell that is then run.

Numbers stay numbers: an int or Decimal is written bare, and a text that is only a number
(`-5`, `+62`, `-1,5`) is left as it is, since a spreadsheet reads it as that number and runs
nothing; a quote would turn a negative quantity into text nobody can sum.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?")
_GUARD = "'"


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a cell: text a spreadsheet would run gets a leading `'`."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return _GUARD + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeCsvWriter:
    """A csv.writer that writes every row through safe_cell and quotes every text cell (numbers
    stay bare, so they remain numbers)."""

    def __init__(self, file: IO[str], **options: Any) -> None:
        self._writer = csv.writer(file, quoting=csv.QUOTE_NONNUMERIC, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def unguarded(text: str) -> str:
    """A cell read back from a file, without the `'` an export put before a formula character,
    so exporting and re-importing a file changes nothing."""
    if text.startswith(_GUARD) and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text
