"""Spreadsheets exchanged with people: reading an untrusted CSV or XLSX upload within limits
(rows, bytes, unpacked size, columns, time) and writing CSV cells a spreadsheet will not run
as formulas. Both imports (progres harian over HTTP, pegawai and units from the CLI) read
through here, and every CSV export writes through here."""

from ekinerja.tabular.errors import (
    NotText,
    ReadError,
    TooLarge,
    TooManyRows,
    TooSlow,
)
from ekinerja.tabular.formulas import SafeCsvWriter, safe_cell, safe_row
from ekinerja.tabular.limits import FirstErrors, Limits
from ekinerja.tabular.reading import read_table

__all__ = [
    "FirstErrors",
    "Limits",
    "NotText",
    "ReadError",
    "SafeCsvWriter",
    "TooLarge",
    "TooManyRows",
    "TooSlow",
    "read_table",
    "safe_cell",
    "safe_row",
]
