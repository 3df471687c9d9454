"""`ekinerja statistik …`: the national read model, for a scheduled or first full refresh."""

from __future__ import annotations

import typer
from rich.console import Console

from ekinerja.cli._per_tenant import each_tenant, report
from ekinerja.cli._progress import phase_progress
from ekinerja.cli._runtime import chosen_instansi, run_with_database, step
from ekinerja.kepegawaian.calendar import today
from ekinerja.nasional.read_model import segarkan

app = typer.Typer(no_args_is_help=True, help="The national figures (read model).")
console = Console()


@app.command("segarkan")
def segarkan_command(
    tahun: int = typer.Option(None, "--tahun", help="Default: this year."),
    tenant: list[str] = typer.Option(
        None, "--tenant", help="Kode instansi (repeatable). Default: every active instansi."
    ),
    concurrency: int = typer.Option(8, "--concurrency", min=1, max=64),
) -> None:
    """Recompute instansi figures into the national read model. A failing instansi is
    reported at the end (exit 1); the others are still refreshed."""
    # WIB `today`: no instansi is bound here (the figures span many of them).
    year = tahun or today().year

    with phase_progress() as progress:

        async def work(_settings, _address):
            chosen = await chosen_instansi(tenant)
            step(f"{year}: refreshing {len(chosen)} instansi, {concurrency} at a time")
            done = 0

            async def one(instansi):
                nonlocal done
                try:
                    return await segarkan(instansi, year)
                finally:
                    done += 1
                    progress("instansi", done, len(chosen))

            return await each_tenant(chosen, one, concurrency)

        outcomes = run_with_database(work)
    refreshed = sum(1 for outcome in outcomes if outcome.error is None)
    console.print(f"{year}: {refreshed} instansi refreshed")
    report(outcomes)
