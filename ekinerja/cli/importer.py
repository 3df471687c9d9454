"""`ekinerja import pegawai|unor FILE --tenant KODE`: bulk import from CSV or XLSX.

Every row is validated first; if any is bad, all errors are listed (row, column, reason),
nothing is written and the exit code is 1. The layout is in docs/import.md.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from ekinerja.cli._progress import phase_progress
from ekinerja.cli._runtime import console, run_with_database
from ekinerja.kepegawaian.importer import (
    ImportResult,
    import_pegawai,
    import_unor,
    read_rows,
)
from ekinerja.tabular import SafeCsvWriter

app = typer.Typer(no_args_is_help=True, help="Import pegawai and units from CSV or XLSX files.")

FILE = typer.Argument(..., exists=True, dir_okay=False, readable=True, help=".csv or .xlsx")
TENANT = typer.Option(..., "--tenant", help="Kode instansi to import into.")
ACTOR = typer.Option("cli", "--actor", help="Who imports, for the audit log.")
ERRORS_CSV = typer.Option(
    None, "--errors-csv", help="Also write the errors to this CSV file (row, column, reason)."
)


@app.command("pegawai")
def pegawai(
    file: Path = FILE,
    tenant: str = TENANT,
    actor: str = ACTOR,
    errors_csv: Path | None = ERRORS_CSV,
) -> None:
    """Import pegawai with their units, jabatan and current definitive assignment."""
    _import_file("pegawai", file, tenant, actor, errors_csv)


@app.command("unor")
def unor(
    file: Path = FILE,
    tenant: str = TENANT,
    actor: str = ACTOR,
    errors_csv: Path | None = ERRORS_CSV,
) -> None:
    """Import units (UNOR_ID, UNOR_NAMA, UNOR_ATASAN_ID), e.g. units that are still vacant."""
    _import_file("unor", file, tenant, actor, errors_csv)


def _import_file(kind: str, file: Path, tenant: str, actor: str, errors_csv: Path | None) -> None:
    importer = import_pegawai if kind == "pegawai" else import_unor
    with phase_progress() as progress:
        rows = read_rows(file, progress.reading)  # an unreadable file: one line (cli.main)

        async def work(_settings, _address) -> ImportResult:
            return await importer(tenant, rows, actor=actor, source=file.name, on_progress=progress)

        result = run_with_database(work)
    show_result(result, tenant, errors_csv)


def show_result(result: ImportResult, tenant: str, errors_csv: Path | None = None) -> None:
    """Print what was written, or every error (then exit 1)."""
    if result.ignored_columns:
        console.print(
            f"[yellow]ignored columns[/yellow] (not in the {result.kind} layout): "
            + ", ".join(result.ignored_columns)
        )
    if result.errors:
        table = Table("row", "column", "reason", title=f"{result.source}: rejected")
        for error in result.errors:
            table.add_row(str(error.row), error.column, error.reason)
        console.print(table)
        if errors_csv:
            _write_errors(result, errors_csv)
        bad_rows = len({error.row for error in result.errors})
        if result.error_count > len(result.errors):  # the list is capped (import_max_errors)
            summary = f"{result.error_count} errors, the first {len(result.errors)} listed"
        else:
            summary = f"{len(result.errors)} errors in {bad_rows} rows"
        console.print(f"[red]{summary}; nothing was written.[/red]")
        raise typer.Exit(1)
    table = Table("", "created", "updated", "unchanged", title=f"{result.source} → {tenant}")
    for name, counts in result.counts().items():
        if result.kind == "unor" and name != "units":
            continue
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    console.print(table)
    console.print(f"imported {result.rows} rows")


def _write_errors(result: ImportResult, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = SafeCsvWriter(file)  # reasons quote cells, which may look like formulas
        writer.writerow(["ROW", "COLUMN", "REASON"])
        writer.writerows((e.row, e.column, e.reason) for e in result.errors)
    console.print(f"errors written to {path}")
