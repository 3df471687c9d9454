"""Live updates' fan-out (decision 0042): one LISTEN per process on the outbox's channel, one read
of the notified tenant's new events per notification, each event offered to that tenant's
subscribers, each of whom decides whether they may read it (the policy of `skp:read`, asked
again for every event: a transfer since the subscription counts).

Nothing polls per subscriber. The hub keeps, per tenant with subscribers, the feed position it
has read up to (decision 0012's order: no gaps, no repeats) and reads on a notification, and
once every ``live_catchup_seconds`` too: an event hidden at its notification behind an older
transaction still open becomes visible only when that one ends, which notifies nothing if it
wrote no event. Each subscriber has a bounded queue; one that does not keep up is ended
(``Lambat``), never allowed to grow memory: it resumes from its last cursor.

The loop runs only while someone subscribes (in this process), supervised: a lost LISTEN
connection (a database restart) restarts it, and the first pass after a start reads every
tenant with subscribers from its position, so nothing notified meanwhile is missed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.listen import listen
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.feed import Peristiwa, Posisi
from ekinerja.peristiwa.outbox import NOTIFY_CHANNEL
from ekinerja.peristiwa.retensi import ensure_not_expired
from ekinerja.refusals import Refusal
from ekinerja.settings import Settings
from ekinerja.supervision import LoopHealth, supervise, until_woken
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import BoundTenant

log = logging.getLogger(__name__)

PAGE = 200
# At most this many already-committed events a "from now" subscriber skips: the events written
# while the oldest open transaction (of any database on the server) was running.
PAST_LIMIT = 10_000

# Decides, inside the tenant's transaction, which of the events the subscriber may receive.
Saring = Callable[[list[Peristiwa]], Awaitable[list[Peristiwa]]]


class Lambat(Exception):
    """The subscriber's queue filled up: it was dropped (it resumes from its last cursor)."""


_END = object()


@dataclass(eq=False)
class Pelanggan:
    """One live subscription: its tenant, its filter and its bounded queue."""

    tenant: BoundTenant
    saring: Saring
    setelah: Posisi
    kapasitas: int
    antrean: asyncio.Queue = field(init=False)
    jatuh: bool = False
    # Joined "from now": events committed before it joined that the feed shows only later (an
    # older transaction was still open). Skipped when they come, so "from now" means it.
    lewati: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.antrean = asyncio.Queue(self.kapasitas + 1)  # one more: the end marker

    def terima(self, events: list[Peristiwa]) -> None:
        for event in events:
            if self.jatuh:
                return
            if event.posisi <= self.setelah:
                continue
            if event.id in self.lewati:
                self.lewati.discard(event.id)
                continue
            if self.antrean.qsize() >= self.kapasitas:
                self.jatuh = True
                self.antrean.put_nowait(_END)
                return
            self.antrean.put_nowait(event)
            self.setelah = event.posisi

    async def berikutnya(self) -> Peristiwa:
        item = await self.antrean.get()
        if item is _END:
            raise Lambat()
        return item


@dataclass(eq=False)
class _Tenant:
    bound: BoundTenant
    posisi: Posisi
    pelanggan: set[Pelanggan] = field(default_factory=set)
    kunci: asyncio.Lock = field(default_factory=asyncio.Lock)


class Siaran:
    """The process's hub. ``gabung`` / ``keluar`` per subscription; the loop runs while any."""

    def __init__(self, settings: Settings, address: DatabaseAddress) -> None:
        self.settings = settings
        self.address = address
        self.tenants: dict[str, _Tenant] = {}
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self.listening = asyncio.Event()  # set once a LISTEN is in place (tests wait on it)
        self._changed = asyncio.Event()

    async def siap(self, count: int) -> None:
        """Until ``count`` subscriptions have joined and the LISTEN is in place (tests)."""
        while self.jumlah < count:
            await self._changed.wait()
        await self.listening.wait()

    @property
    def jumlah(self) -> int:
        return sum(len(t.pelanggan) for t in self.tenants.values())

    async def gabung(self, pelanggan: Pelanggan, cursor: Posisi | None) -> None:
        """Join ``pelanggan``; with ``cursor``, first queue what it may read after it up to the
        hub's position (under the tenant's lock, so the live reads neither skip nor repeat)."""
        self._start()
        schema = pelanggan.tenant.schema_name
        state = self.tenants.get(schema)
        if state is None:
            async with tenant_transaction(pelanggan.tenant):
                now = await feed.horizon()
            state = self.tenants.setdefault(
                schema, _Tenant(pelanggan.tenant, Posisi(now.txid - 1, feed.MAX_ID))
            )
        async with state.kunci:
            if cursor is None:
                pelanggan.setelah = state.posisi
                async with tenant_transaction(pelanggan.tenant):
                    pelanggan.lewati = await feed.terlihat_setelah(state.posisi, PAST_LIMIT)
            else:
                await self._backlog(pelanggan, cursor, state.posisi)
            state.pelanggan.add(pelanggan)
        self._changed.set()
        self._changed = asyncio.Event()

    async def _backlog(self, pelanggan: Pelanggan, cursor: Posisi, upto: Posisi) -> None:
        pelanggan.setelah = cursor
        async with tenant_transaction(pelanggan.tenant):
            await ensure_not_expired(cursor, "after")
            posisi = cursor
            while posisi < upto:
                page = await feed.baca(posisi, PAGE)
                events = [e for e in page.peristiwa if e.posisi <= upto]
                pelanggan.terima(await pelanggan.saring(events))
                if pelanggan.jatuh:
                    raise Refusal(
                        "INVALID_CURSOR",
                        f"more than {pelanggan.kapasitas} events after this cursor: subscribe "
                        "without one and read the rest by query",
                        "after",
                    )
                if not page.ada_lagi:
                    break
                posisi = page.akhir
        pelanggan.setelah = max(pelanggan.setelah, upto)

    def keluar(self, pelanggan: Pelanggan) -> None:
        state = self.tenants.get(pelanggan.tenant.schema_name)
        if state is not None:
            state.pelanggan.discard(pelanggan)
            if not state.pelanggan:
                del self.tenants[pelanggan.tenant.schema_name]
        if not self.tenants and self._stop is not None:
            self._stop.set()  # nobody listens here any more: neither do we
            self._stop, self._task = None, None
            self.listening = asyncio.Event()

    def _start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._stop = asyncio.Event()
        stop = self._stop
        settings = self.settings
        self._task = asyncio.create_task(
            supervise(
                "live-updates",
                lambda health: self._listen(stop, health),
                stop,
                settings.background_retry_seconds,
                settings.background_retry_max_seconds,
            )
        )

    async def _listen(self, stop: asyncio.Event, health: LoopHealth) -> None:
        woken: set[str] = set()
        wake = asyncio.Event()
        listener = await listen(self.address, self.settings, NOTIFY_CHANNEL, woken, wake)
        try:
            woken.update(self.tenants)  # what was notified while nobody listened
            self.listening.set()
            while not stop.is_set():
                if listener.is_closed():
                    raise ConnectionError("the live updates' LISTEN connection was lost")
                wake.clear()
                due, caught_up = set(woken), not woken
                woken.clear()
                if caught_up:  # the rest ran out: every tenant with subscribers, once
                    due = set(self.tenants)
                for schema in due:
                    await self._read(schema)
                health.succeeded()
                await until_woken(wake, stop, self.settings.live_catchup_seconds)
        finally:
            listener.terminate()

    async def _read(self, schema: str) -> None:
        state = self.tenants.get(schema)
        if state is None:
            return  # a tenant nobody here follows
        async with state.kunci:
            async with tenant_transaction(state.bound):
                while True:
                    page = await feed.baca(state.posisi, PAGE)
                    if page.peristiwa:
                        for pelanggan in list(state.pelanggan):
                            pelanggan.terima(await pelanggan.saring(page.peristiwa))
                            if pelanggan.jatuh:
                                state.pelanggan.discard(pelanggan)
                    state.posisi = page.akhir
                    if not page.ada_lagi:
                        break


_hub: dict[tuple[int, int], Siaran] = {}


def hub(settings: Settings, address: DatabaseAddress | None = None) -> Siaran:
    """The process's hub (one per event loop and settings: tests run several), listening at
    ``address`` (the app's database), else at the settings' DATABASE_URL."""
    key = (id(asyncio.get_running_loop()), id(settings))
    found = _hub.get(key)
    if found is None:
        address = address or DatabaseAddress.parse(settings.database_url or "")
        found = _hub[key] = Siaran(settings, address)
    return found
