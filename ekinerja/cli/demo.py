"""`ekinerja demo …`: a realistic demo agency, written through the pegawai import."""

from __future__ import annotations

from pathlib import Path

import typer

from ekinerja.cli._progress import phase_progress
from ekinerja.cli._runtime import console, run_with_database
from ekinerja.cli.importer import show_result
from ekinerja.kepegawaian.demo import MIN_PEGAWAI, generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai, write_csv
from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS

app = typer.Typer(no_args_is_help=True, help="Demo data for a kabupaten-like agency.")

PEGAWAI = typer.Option(500, "--pegawai", min=MIN_PEGAWAI, help="How many pegawai.")
SEED = typer.Option(1, "--seed", help="The same seed gives the same agency.")


@app.command("seed")
def seed(
    tenant: str = typer.Option(..., "--tenant", help="Kode instansi to fill."),
    pegawai: int = PEGAWAI,
    seed: int = SEED,
) -> None:
    """Generate an agency and import it into an instansi (re-running changes nothing)."""
    rows = generate_demo_rows(pegawai, seed)
    source = f"demo seed={seed} pegawai={pegawai}"
    with phase_progress() as progress:

        async def work(_settings, _address):
            return await import_pegawai(
                tenant, rows, actor="demo", source=source, on_progress=progress
            )

        result = run_with_database(work)
    show_result(result, tenant)


@app.command("export")
def export(
    output: Path = typer.Argument(..., dir_okay=False, help="CSV file to write."),
    pegawai: int = PEGAWAI,
    seed: int = SEED,
) -> None:
    """Write a demo agency as a pegawai import file (to try `ekinerja import pegawai`)."""
    rows = generate_demo_rows(pegawai, seed)
    write_csv(output, rows, PEGAWAI_COLUMNS)
    console.print(f"wrote {len(rows)} pegawai to {output}")
