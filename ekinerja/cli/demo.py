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
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound, get_servable_instansi

app = typer.Typer(no_args_is_help=True, help="Demo data for a kabupaten-like agency.")

PEGAWAI = typer.Option(500, "--pegawai", min=MIN_PEGAWAI, help="How many pegawai.")
SEED = typer.Option(1, "--seed", help="The same seed gives the same agency.")


@app.command("seed")
def seed(
    tenant: str = typer.Option(..., "--tenant", help="Kode instansi to fill."),
    pegawai: int = PEGAWAI,
    seed: int = SEED,
    skp_tahun: int = typer.Option(
        None, "--skp-tahun", help="Also give everyone an approved, cascaded SKP for this year."
    ),
) -> None:
    """Generate an agency and import it into an instansi (re-running changes nothing)."""
    rows = generate_demo_rows(pegawai, seed)
    source = f"demo seed={seed} pegawai={pegawai}"
    with phase_progress() as progress:

        async def work(_settings, _address):
            result = await import_pegawai(
                tenant, rows, actor="demo", source=source, on_progress=progress
            )
            created = await _seed_skp(tenant, skp_tahun) if skp_tahun and result.ok else 0
            return result, created

        result, created = run_with_database(work)
    show_result(result, tenant)
    if skp_tahun:
        console.print(f"demo SKPs for {skp_tahun}: {created} created")


async def _seed_skp(kode: str, tahun: int) -> int:
    instansi = await get_servable_instansi(kode)
    async with tenant_transaction(as_bound(instansi)):
        return await seed_demo_skp(tahun)


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
