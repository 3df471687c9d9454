"""`ekinerja statistik …`: the national read model, for a scheduled or first full refresh."""

from __future__ import annotations

import typer
from rich.console import Console

from ekinerja.cli._runtime import chosen_instansi, run_with_database
from ekinerja.kepegawaian.calendar import today
from ekinerja.nasional.read_model import segarkan_banyak

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
    """Recompute instansi figures into the national read model."""
    year = tahun or today().year

    async def work(_settings, _address):
        return await segarkan_banyak(await chosen_instansi(tenant), year, concurrency)

    console.print(f"{year}: {run_with_database(work)} instansi refreshed")
