"""Writing rows in an import layout to a CSV file (demo data, benchmarks, templates)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ekinerja.tabular import SafeCsvWriter


def write_csv(
    path: str | Path, rows: Iterable[Mapping[str, str]], columns: tuple[str, ...]
) -> None:
    """UTF-8 with a byte-order mark, which tells Excel the encoding; every cell quoted, so a
    separator inside a name cannot shift a row, and text a spreadsheet would run as a formula
    marked as text (the reader takes the mark off again, so the file re-imports unchanged)."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as file:
        writer = SafeCsvWriter(file)
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
