"""The service's watcher of registry changes: it forgets each kode the registry's triggers
announce on `ekinerja_registry` (shared migration 0008), so a suspension, a migration or an
admin grant takes effect in every process at once, not after the cache's floor
(ekinerja/tenants/registry.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.listen import listen
from ekinerja.settings import Settings
from ekinerja.supervision import LoopHealth, until_woken
from ekinerja.tenants.registry import forget

NOTIFY_CHANNEL = "ekinerja_registry"


async def watch_registry(
    address: DatabaseAddress,
    settings: Settings,
    stop: asyncio.Event,
    health: LoopHealth,
    heard: Callable[[str], None] = lambda kode: None,
) -> None:
    """Until ``stop``; run supervised (ekinerja/supervision.py). A lost LISTEN connection
    raises, and the cache is emptied then and at every start: what changed while nobody
    listened was not heard."""
    woken: set[str] = set()
    wake = asyncio.Event()
    listener = await listen(address, settings, NOTIFY_CHANNEL, woken, wake)
    forget()
    try:
        while not stop.is_set():
            health.succeeded()
            await until_woken(wake, stop, settings.worker_sweep_seconds)
            wake.clear()
            if listener.is_closed():
                raise ConnectionError("the registry's LISTEN connection was lost")
            while woken:
                kode = woken.pop()
                forget(kode)
                heard(kode)
    finally:
        forget()
        listener.terminate()
