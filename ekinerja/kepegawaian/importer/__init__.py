"""Bulk import of pegawai and units (UNOR) from CSV or XLSX files in a SIASN-like layout.

    rows = read_rows("pegawai.xlsx")
    result = await import_pegawai("KABBGR", rows, actor="admin", source="pegawai.xlsx")
    if not result.ok: ...  # result.errors: every bad row, nothing written

The layout is in layout.py and docs/import.md.
"""

from ekinerja.kepegawaian.importer.ekspor import write_csv
from ekinerja.kepegawaian.importer.reader import ReadError, read_rows
from ekinerja.kepegawaian.importer.records import Counts, RowError
from ekinerja.kepegawaian.importer.service import ImportResult, import_pegawai, import_unor

__all__ = [
    "Counts",
    "ImportResult",
    "ReadError",
    "RowError",
    "import_pegawai",
    "import_unor",
    "read_rows",
    "write_csv",
]
