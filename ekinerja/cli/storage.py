"""`ekinerja storage …`: housekeeping of the evidence store."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.markup import escape

from ekinerja.cli._runtime import chosen_instansi, console, run_with_database
from ekinerja.models.shared import Instansi
from ekinerja.pelaksanaan.bukti import Collected, collect
from ekinerja.storage import ObjectStore, StorageError, store_from_settings
from ekinerja.tenants.registry import as_bound

app = typer.Typer(no_args_is_help=True, help="The evidence (bukti dukung) store.")


@dataclass(frozen=True)
class Swept:
    """How gc went in one instansi: what it removed, or the one-line reason it stopped."""

    kode: str
    collected: Collected | None = None
    error: str | None = None


async def collect_each(store: ObjectStore, tenants: list[Instansi], grace: int) -> list[Swept]:
    """gc in every tenant, one after another. A tenant that fails (the store down, its schema
    unreadable) is reported and the next one is still swept: one instansi's trouble must not
    leave every other's garbage in place."""
    swept = []
    for instansi in tenants:
        try:
            swept.append(Swept(instansi.kode, await collect(store, as_bound(instansi), grace)))
        except Exception as error:
            swept.append(Swept(instansi.kode, error=_one_line(error)))
    return swept


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    if isinstance(error, StorageError):
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


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

    async def work(settings, _address) -> list[Swept]:
        store = store_from_settings(settings)
        grace = (
            grace_seconds if grace_seconds is not None else settings.evidence_upload_expiry_seconds
        )
        try:
            return await collect_each(store, await chosen_instansi(tenant), grace)
        finally:
            await store.close()

    swept = run_with_database(work)
    for done in swept:
        if done.collected is not None:
            console.print(
                f"{done.kode}: {done.collected.expired_rows} expired upload(s), "
                f"{done.collected.orphan_objects} orphan object(s) removed",
                soft_wrap=True,
            )
    failed = [done for done in swept if done.error is not None]
    for done in failed:
        console.print(f"[red]FAILED[/red] {done.kode}: {escape(done.error)}", soft_wrap=True)
    if failed:
        raise typer.Exit(1)
