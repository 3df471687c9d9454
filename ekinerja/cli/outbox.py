"""`ekinerja outbox pangkas`: prune outbox events, finished webhook deliveries and expired
idempotency keys past their retention (the worker does this hourly; this is for a schedule
without the worker, or to see what it removes)."""

from __future__ import annotations

import typer
from rich.console import Console

from ekinerja.cli._per_tenant import bound, each_tenant, report
from ekinerja.cli._runtime import chosen_instansi, run_with_database
from ekinerja.peristiwa.retensi import cutoffs, pangkas

app = typer.Typer(no_args_is_help=True, help="The transactional outbox.")
console = Console()


@app.command("pangkas")
def pangkas_command(
    tenant: list[str] = typer.Option(
        None, "--tenant", help="Kode instansi (repeatable). Default: every active instansi."
    ),
    hari: int = typer.Option(
        None, "--hari", min=7, help="Default: EKINERJA_OUTBOX_RETENTION_DAYS."
    ),
) -> None:
    """Prune what no one can still need (see ekinerja/events/retensi.py). A failing instansi
    is reported at the end (exit 1); the others are still pruned."""

    async def work(settings, _address):
        before, keys_before = cutoffs(
            hari or settings.outbox_retention_days, settings.idempotency_ttl_hours
        )
        return await each_tenant(
            await chosen_instansi(tenant), bound(lambda: pangkas(before, keys_before))
        )

    report(
        run_with_database(work),
        lambda result: (
            f"{result.events} events, {result.deliveries} deliveries, "
            f"{result.idempotency_keys} idempotency keys pruned"
        ),
        console,
    )
