"""`ekinerja demo …`: a realistic demo agency, written through the pegawai import."""

from __future__ import annotations

from pathlib import Path

import typer

from ekinerja.cli._progress import phase_progress
from ekinerja.cli._runtime import console, run_with_database, step
from ekinerja.cli.importer import show_result
from ekinerja.kepegawaian.demo import MIN_PEGAWAI, generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai, write_csv
from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS
from ekinerja.models.tenant import Pegawai
from ekinerja.skp.demo_tahun import seed_demo_plans
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
        None,
        "--skp-tahun",
        min=2000,
        max=2100,
        help="Also give everyone an approved, cascaded SKP for this year (this year: walked "
        "up to today). On an instansi that has pegawai, only the SKPs are added.",
    ),
) -> None:
    """Generate an agency and import it into an instansi (re-running changes nothing)."""
    rows = generate_demo_rows(pegawai, seed)
    source = f"demo seed={seed} pegawai={pegawai}"
    with phase_progress() as progress:

        async def work(_settings, _address):
            bound = as_bound(await get_servable_instansi(tenant))
            async with tenant_transaction(bound):
                staffed = await Pegawai.exists()
            result = None
            if not (skp_tahun and staffed):  # next year's plans leave the agency as it is
                result = await import_pegawai(
                    tenant, rows, actor="demo", source=source, on_progress=progress
                )
            if not skp_tahun or (result is not None and not result.ok):
                return result, None
            async with tenant_transaction(bound):
                return result, await seed_demo_plans(skp_tahun, on_step=step)

        result, plans = run_with_database(work)
    if result is not None:
        show_result(result, tenant)
    if plans is not None:
        console.print(f"demo SKPs for {skp_tahun}: {plans.skp} created")
        if plans.tahun_berjalan:
            console.print(f"demo year {skp_tahun} walked up to today: {plans.tahun_berjalan}")


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
