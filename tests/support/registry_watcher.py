"""The registry's watcher (ekinerja/tenants/registry_watch.py) run as the app runs it, with
every payload it heard queued, for tests of what the process remembers: a change made by
"another process" is awaited until the watcher has forgotten it, not slept on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from ekinerja.supervision import supervise
from ekinerja.tenants.registry_watch import watch_registry


class Watcher:
    def __init__(self, database, settings) -> None:
        self.database, self.settings = database, settings
        self.heard: asyncio.Queue[str] = asyncio.Queue()
        self.stop = asyncio.Event()
        self.health = None
        self.started = asyncio.Event()

    async def heard_of(self, payload: str) -> None:
        """Until the watcher has forgotten ``payload`` (a kode, `client:<id>`,
        `pengaturan:<schema>`; whatever else it hears meanwhile is passed over)."""

        async def until() -> None:
            while await self.heard.get() != payload:
                pass

        await asyncio.wait_for(until(), 30)

    async def run(self) -> None:
        async def loop(health):
            self.health = health
            self.started.set()
            await watch_registry(self.database, self.settings, self.stop, health,
                                 self.heard.put_nowait)  # fmt: skip

        await supervise("registry-test", loop, self.stop, 0.01, 0.05)

    async def until_listening(self) -> None:
        await self.started.wait()
        await self.health.until(lambda h: h.last_success is not None)


@asynccontextmanager
async def running_watcher(database, settings) -> AsyncIterator[Watcher]:
    """A watcher listening from now on (a NOTIFY committed before is not delivered to it)."""
    running = Watcher(database, settings)
    task = asyncio.create_task(running.run())
    try:
        await asyncio.wait_for(running.until_listening(), 30)
        yield running
    finally:
        running.stop.set()
        await asyncio.wait_for(task, 30)


async def as_another_process(database, sql: str, *args) -> None:
    """``sql`` on a connection of its own, as another process (the CLI, a fix by hand) would."""
    connection = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        await connection.execute(sql, *args)
    finally:
        await connection.close()
