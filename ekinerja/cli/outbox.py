"""`ekinerja outbox pangkas`: prune outbox events, finished webhook deliveries and expired
idempotency keys past their retention (the worker does this hourly; this is for a schedule
without the worker, or to see what it removes)."""

from __future__ import annotations

import typer
from rich.console import Console

from ekinerja.cli._runtime import chosen_instansi, run_with_database
from ekinerja.events.retensi import cutoffs, pangkas
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

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
    """Prune what no one can still need (see ekinerja/events/retensi.py)."""

    async def work(settings, _address):
        before, keys_before = cutoffs(
            hari or settings.outbox_retention_days, settings.idempotency_ttl_hours
        )
        done = []
        for instansi in await chosen_instansi(tenant):
            async with tenant_transaction(as_bound(instansi)):
                done.append((instansi.kode, await pangkas(before, keys_before)))
        return done

    for kode, result in run_with_database(work):
        console.print(
            f"{kode}: {result.events} events, {result.deliveries} deliveries, "
            f"{result.idempotency_keys} idempotency keys pruned"
        )
