"""Listing commands: a table on stdout, or with `--json` a JSON array of objects (one per row,
the same fields, machine-readable). Whatever else a listing says (a count, a hint) goes to
stderr, so stdout is only the listing."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

JSON = typer.Option(False, "--json", help="A JSON array of objects on stdout, for scripts.")
stdout = Console()  # what a listing says besides its rows


def show(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], as_json: bool, title: str | None = None
) -> None:
    """``rows`` (dicts with the keys ``columns``) as a table with those columns, or as JSON."""
    if as_json:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, default=str, indent=2) + "\n")
        sys.stdout.flush()
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*("-" if row[c] is None else _cell(row[c]) for c in columns))
    # In a pipe rich would assume 80 columns and cut cells short (…): whole cells there.
    Console(width=None if sys.stdout.isatty() else 1000).print(table)


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)
