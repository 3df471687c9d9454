"""What a finished import job reports: the counts, the first row errors and their total, the
ignored columns (the `laporan` JSON stored with the job), that report in the names the API
answers it (`untuk_api`: the `ImporKepegawaian` type's, decision 0034), and every row error as
a CSV a spreadsheet opens safely (kesalahan.csv).

The stored `laporan` keeps its own keys (`rows`, `counts`, `errors`, `errorCount`, …): it is
the job's data, read only here and by the GraphQL type, and renaming it would need its rows
rewritten; what a client reads is named at the edge."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from ekinerja.kepegawaian.importer import ImportResult
from ekinerja.tabular import ReadError, SafeCsvWriter

CSV_HEADER = ("ROW", "COLUMN", "REASON")
# The keys of untuk_api that are fields of the ImporKepegawaian GraphQL type.
SCHEMA_KEYS = ("jumlahBaris", "jumlah", "kesalahan", "jumlahKesalahan", "kolomDiabaikan")


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


def untuk_api(report: dict[str, Any] | None) -> dict[str, Any]:
    """The stored report as the import job's JSON shows it: the `ImporKepegawaian` GraphQL
    type's fields and values (`jumlahBaris`, `jumlah`, `kesalahan`, `jumlahKesalahan`,
    `kolomDiabaikan`), then what only the HTTP body has: `berlakuMulai` (the date unit changes
    are recorded on), `jumlahKesalahanTersimpan` (the rows kesalahan.csv holds) and
    `kesalahanBerkas` (`code`, `message`: why the file was no table)."""
    report = report or {}
    berkas = report.get("fileError")
    return {
        "jumlahBaris": report.get("rows"),
        "jumlah": [
            {
                "jenis": name,
                "dibuat": c["created"],
                "diubah": c["updated"],
                "tetap": c["unchanged"],
            }
            for name, c in (report.get("counts") or {}).items()
        ],
        "kesalahan": [
            {"baris": e["row"], "kolom": e["column"], "alasan": e["reason"]}
            for e in report.get("errors", [])
        ],
        "jumlahKesalahan": report.get("errorCount", 0),
        "kolomDiabaikan": report.get("ignoredColumns", []),
        "berlakuMulai": report.get("asOf"),
        "jumlahKesalahanTersimpan": report.get("errorsKept", 0),
        "kesalahanBerkas": None
        if berkas is None
        else {"code": berkas["code"], "message": berkas["message"]},
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
