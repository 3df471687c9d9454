"""`ekinerja storage …`: housekeeping of the evidence store."""

from __future__ import annotations

import typer

from ekinerja.cli._runtime import chosen_instansi, console, run_with_database
from ekinerja.pelaksanaan.bukti import collect
from ekinerja.storage import store_from_settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

app = typer.Typer(no_args_is_help=True, help="The evidence (bukti dukung) store.")


@app.command("gc")
def gc(
    tenant: list[str] = typer.Option(
        None, "--tenant", help="Kode instansi (repeatable). Default: every active instansi."
    ),
    grace_seconds: int = typer.Option(
        None,
        "--grace-seconds",
        min=0,
        help="Spare objects younger than this (default: an upload form's life, since an "
        "upload may be in flight).",
    ),
) -> None:
    """Delete expired unconfirmed uploads and every stored object no evidence refers to."""

    async def work(settings, _address):
        store = store_from_settings(settings)
        grace = (
            grace_seconds if grace_seconds is not None else settings.evidence_upload_expiry_seconds
        )
        try:
            chosen = await chosen_instansi(tenant)
            totals = []
            for instansi in chosen:
                async with tenant_transaction(as_bound(instansi)):
                    totals.append((instansi.kode, await collect(store, instansi.kode, grace)))
            return totals
        finally:
            await store.close()

    for kode, collected in run_with_database(work):
        console.print(
            f"{kode}: {collected.expired_rows} expired upload(s), "
            f"{collected.orphan_objects} orphan object(s) removed"
        )
