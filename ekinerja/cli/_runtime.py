"""Running an async command against the configured database, with errors as clean messages."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import close_database, open_database, resolve_address
from ekinerja.logging import configure_logging
from ekinerja.models.shared import Instansi, StatusInstansi
from ekinerja.settings import LogFormat, Settings, get_settings
from ekinerja.tenants.errors import TenantError
from ekinerja.tenants.registry import get_servable_instansi, list_instansi

T = TypeVar("T")
console = Console(stderr=True)


def run_with_database(work: Callable[[Settings, DatabaseAddress], Awaitable[T]]) -> T:
    settings = get_settings()
    configure_logging(LogFormat.TEXT, "WARNING")
    address = resolve_address(settings)

    async def main() -> T:
        await open_database(address, settings)
        try:
            return await work(settings, address)
        finally:
            await close_database()

    try:
        return asyncio.run(main())
    except TenantError as error:
        console.print(f"[red]error[/red] ({error.code}): {error.message}")
        raise typer.Exit(2) from None


async def chosen_instansi(kodes: list[str] | None) -> list[Instansi]:
    """The instansi named (each must be servable), else every active one: for commands that
    sweep tenants (gc, ledgers)."""
    if kodes:
        return [await get_servable_instansi(k) for k in kodes]
    return [i for i in await list_instansi() if i.status is StatusInstansi.ACTIVE]
