"""What a finished import job reports: the counts, the first row errors and their total, the
ignored columns (the `laporan` JSON the HTTP and GraphQL reads show), and every row error as a
CSV a spreadsheet opens safely (kesalahan.csv)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from ekinerja.kepegawaian.importer import ImportResult
from ekinerja.tabular import ReadError, SafeCsvWriter

CSV_HEADER = ("ROW", "COLUMN", "REASON")


def dari_hasil(result: ImportResult, shown: int) -> dict[str, Any]:
    """The report of an import that ran (written, dry run or refused): its first ``shown``
    errors, and how many there were in all."""
    counts = {
        name: vars(counts)
        for name, counts in result.counts().items()
        if result.kind == "pegawai" or name == "units"
    }
    return {
        "rows": result.rows,
        "asOf": result.as_of.isoformat(),
        "ignoredColumns": result.ignored_columns,
        "counts": {} if result.errors else counts,
        "errors": [
            {"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors[:shown]
        ],
        "errorCount": result.error_count,
        "errorsKept": len(result.errors),
    }


def semua_kesalahan(result: ImportResult) -> list[list[Any]]:
    """Every row error kept (at most MAX_STORED_ERRORS), as [row, column, reason]."""
    return [[e.row, e.column, e.reason] for e in result.errors]


def dari_berkas(error: ReadError) -> dict[str, Any]:
    """The report of a file that could not be read as a table at all."""
    return {
        "rows": 0,
        "errors": [],
        "errorCount": 0,
        "errorsKept": 0,
        "fileError": {"code": error.code, "message": str(error)},
    }


def csv_kesalahan(kesalahan: Iterable[list[Any]], total: int, kept: int) -> Iterator[str]:
    """Every kept error as CSV text, a chunk at a time; a last line says how many were left out
    when the file had more errors than are kept."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)  # reasons quote cells, which may look like formulas
    writer.writerow(CSV_HEADER)
    for index, row in enumerate(kesalahan, start=1):
        writer.writerow(row)
        if index % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if total > kept:
        writer.writerow(["", "", f"{total - kept} more errors not kept; fix these and re-run"])
    yield buffer.getvalue()
