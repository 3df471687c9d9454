"""Writing rows in an import layout to a CSV file (demo data, benchmarks, templates)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path


def write_csv(
    path: str | Path, rows: Iterable[Mapping[str, str]], columns: tuple[str, ...]
) -> None:
    """UTF-8 with a byte-order mark, which tells Excel the encoding; every cell quoted, so a
    separator inside a name cannot shift a row."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
