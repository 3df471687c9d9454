"""Running an async command against the configured database (its errors become one line in
ekinerja.cli.main)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rich.console import Console

from ekinerja.cli._errors import debugging
from ekinerja.db.config import DatabaseAddress, DatabaseLimits
from ekinerja.db.lifecycle import close_database, open_database, resolve_address
from ekinerja.logging import configure_logging
from ekinerja.models.shared import Instansi, StatusInstansi
from ekinerja.settings import LogFormat, Settings, get_settings
from ekinerja.tenants.registry import get_servable_instansi, list_instansi

T = TypeVar("T")
console = Console(stderr=True)


def step(message: str) -> None:
    """One line on stderr saying what a slow start is doing now (the embedded server's first
    start, migrations, the demo seed): in a pipe and in a log too, unlike progress bars."""
    console.print(message, markup=False, highlight=False, soft_wrap=True)


def run_with_database(
    work: Callable[[Settings, DatabaseAddress], Awaitable[T]], *, service_limits: bool = False
) -> T:
    """Run ``work`` with the ORM open. Commands wait on the database without time limits
    (DatabaseLimits.for_commands); ``service_limits`` gives a long-running service (the worker)
    the service's bounded waits instead."""
    settings = get_settings()
    configure_logging(LogFormat.TEXT, "WARNING", tracebacks=debugging())
    address = resolve_address(settings, progress=step)

    async def main() -> T:
        limits = DatabaseLimits.for_requests if service_limits else DatabaseLimits.for_commands
        await open_database(address, settings, limits(settings))
        try:
            return await work(settings, address)
        finally:
            await close_database()

    return asyncio.run(main())  # errors: one line from ekinerja.cli.main


async def chosen_instansi(kodes: list[str] | None) -> list[Instansi]:
    """The instansi named (each must be servable), else every active one: for commands that
    sweep tenants (gc, ledgers)."""
    if kodes:
        return [await get_servable_instansi(k) for k in kodes]
    return [i for i in await list_instansi() if i.status is StatusInstansi.ACTIVE]
