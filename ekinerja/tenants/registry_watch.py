"""The service's watcher of registry changes: it forgets each kode the registry's triggers
announce on `ekinerja_registry` (shared migration 0008), so a suspension, a migration or an
admin grant takes effect in every process at once, not after the cache's floor
(ekinerja/tenants/registry.py); and each API client announced there as `client:<id>` (shared
migration 0010), so a revocation, a scope or a grant changed takes effect at once too
(ekinerja/auth/klien_dikenal.py); and each tenant schema announced as `pengaturan:<schema>`
(tenant migration 0021), so an instansi's settings changed take effect at once too
(ekinerja/pengaturan/reader.py). One channel, one LISTEN connection."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ekinerja import pengaturan
from ekinerja.auth import klien_dikenal
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
    heard: Callable[[str], None] = lambda payload: None,
) -> None:
    """Until ``stop``; run supervised (ekinerja/supervision.py). A lost LISTEN connection
    raises, and the caches are emptied then and at every start: what changed while nobody
    listened was not heard. ``heard`` is told each payload once it is forgotten."""
    woken: set[str] = set()
    wake = asyncio.Event()
    listener = await listen(address, settings, NOTIFY_CHANNEL, woken, wake)
    _forget_all()
    try:
        while not stop.is_set():
            health.succeeded()
            await until_woken(wake, stop, settings.worker_sweep_seconds)
            wake.clear()
            if listener.is_closed():
                raise ConnectionError("the registry's LISTEN connection was lost")
            while woken:
                payload = woken.pop()
                if payload.startswith(klien_dikenal.NOTIFY_PREFIX):
                    klien_dikenal.lupakan(payload.removeprefix(klien_dikenal.NOTIFY_PREFIX))
                elif payload.startswith(pengaturan.NOTIFY_PREFIX):
                    pengaturan.lupakan(payload.removeprefix(pengaturan.NOTIFY_PREFIX))
                else:
                    forget(payload)
                heard(payload)
    finally:
        _forget_all()
        listener.terminate()


def _forget_all() -> None:
    forget()
    klien_dikenal.lupakan()
    pengaturan.lupakan()
