"""`ekinerja storage …`: housekeeping of the evidence store."""

from __future__ import annotations

import typer

from ekinerja.cli._per_tenant import Outcome, each_tenant, report
from ekinerja.cli._runtime import chosen_instansi, run_with_database
from ekinerja.models.shared import Instansi
from ekinerja.pelaksanaan.bukti import Collected, collect
from ekinerja.storage import ObjectStore, store_from_settings
from ekinerja.tenants.registry import as_bound

app = typer.Typer(no_args_is_help=True, help="The evidence (bukti dukung) store.")


async def collect_each(
    store: ObjectStore, tenants: list[Instansi], grace: int
) -> list[Outcome[Collected]]:
    """gc in every tenant, one after another. A tenant that fails (the store down, its schema
    unreadable) is reported and the next one is still swept: one instansi's trouble must not
    leave every other's garbage in place."""
    return await each_tenant(tenants, lambda instansi: collect(store, as_bound(instansi), grace))


def _removed(collected: Collected) -> str:
    return (
        f"{collected.expired_rows} expired upload(s), "
        f"{collected.orphan_objects} orphan object(s) removed"
    )


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
    """Delete expired unconfirmed uploads and every stored object no evidence refers to.
    Every instansi is swept even when one fails; failures are listed at the end (exit 1)."""

    async def work(settings, _address) -> list[Outcome[Collected]]:
        store = store_from_settings(settings)
        grace = (
            grace_seconds if grace_seconds is not None else settings.evidence_upload_expiry_seconds
        )
        try:
            return await collect_each(store, await chosen_instansi(tenant), grace)
        finally:
            await store.close()

    report(run_with_database(work), _removed)
