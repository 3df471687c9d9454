"""The background loop of `ekinerja worker` (inside `serve` in development): webhook delivery
and the upkeep of each instansi; beside it, the loop running import jobs
(ekinerja/kepegawaian/impor/loop.py).

It wakes when a tenant's outbox notifies (sent on commit, naming the schema) and at least every
`worker_sweep_seconds`. Notified tenants have their webhooks run at once and their national
figures refreshed within a minute (at most once a minute each: ChangedFigures). Every pass
also runs the tenants with an active subscription (listed afresh every ten minutes) and those
left with retries, and gives a few tenants whose figures are older than
`statistik_max_age_seconds` their upkeep: results whose
keberatan period ran out are announced (`evaluasi.final`), the outbox is pruned past its
retention, the day's deadline reminders are made, and the figures are recomputed. Notified
tenants also get their notifications made and emailed (ekinerja/pemberitahuan/pekerja.py). So
every instansi is looked after regularly even
without events.

The loop is supervised (ekinerja/supervision.py): a failing pass, the database gone or frozen,
ends in a retry with backoff on a fresh LISTEN connection, logged once per outage, never in the
death of the worker. Its health (`worker`, and `worker.upkeep` for the upkeep, whose failures
do not stop deliveries) shows in /readyz and /metrics.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from tortoise.timezone import now as utc_now

from ekinerja.auth import sesi as sessions
from ekinerja.db.config import DatabaseAddress
from ekinerja.db.errors import DatabaseUnavailable
from ekinerja.db.listen import listen
from ekinerja.kepegawaian.calendar import today
from ekinerja.kepegawaian.impor.loop import run_imports
from ekinerja.models.shared import Instansi
from ekinerja.nasional.read_model import segarkan_banyak, usang
from ekinerja.pemberitahuan.pekerja import jalankan_banyak as beritahu
from ekinerja.penilaian.pengumuman import umumkan_final
from ekinerja.peristiwa.outbox import NOTIFY_CHANNEL
from ekinerja.peristiwa.retensi import cutoffs, pangkas
from ekinerja.settings import Settings
from ekinerja.storage import used_links
from ekinerja.supervision import LoopHealth, error_kind, reported, supervise, until_woken
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.antrean import Sampler
from ekinerja.webhooks.worker import Worker, servable

log = logging.getLogger(__name__)

STATISTICS_PER_PASS = 20
# Listing tenants with a subscription costs a query per tenant, so it is redone only now and
# then; a tenant subscribing in between is run when its outbox notifies, and kept in the sweep
# while it has deliveries to retry.
RELIST_SUBSCRIBED = timedelta(minutes=10)
NOTIFIED_STATISTICS_AGE = timedelta(minutes=1)


async def announce_finals(tenants: list[Instansi]) -> int:
    """Results whose keberatan period ran out, announced as `evaluasi.final`."""
    announced = 0
    for instansi in tenants:
        async with tenant_transaction(as_bound(instansi)):
            announced += await umumkan_final()
    return announced


async def prune(tenants: list[Instansi], settings: Settings) -> None:
    before, keys_before = cutoffs(settings.outbox_retention_days, settings.idempotency_ttl_hours)
    for instansi in tenants:
        async with tenant_transaction(as_bound(instansi)):
            await pangkas(before, keys_before)


async def upkeep(
    tenants: list[Instansi],
    older_than: timedelta,
    limit: int,
    settings: Settings | None = None,
) -> list[Instansi]:
    """For up to ``limit`` of ``tenants`` whose national figures are older than given:
    announce newly final results, prune the outbox (with ``settings``: the hourly upkeep, not
    the one after activity), then recompute the figures (whose age marks the upkeep). The
    instansi looked after."""
    # WIB `today`: no instansi is bound here (many are served); a year, not a date, so the
    # zones (at most two hours apart) differ only in the first hours of 1 January.
    tahun = today().year
    stale = (await usang(tenants, tahun, older_than))[:limit]
    await announce_finals(stale)
    if settings is not None:
        await prune(stale, settings)
        if stale:  # at the upkeep's pace, not every pass: ended sessions, used links (0017)
            await sessions.prune(sessions.Lifetimes.of(settings))
            await used_links.prune()
        # The day's deadline reminders, also where nothing happens (decision 0041).
        await beritahu(stale, settings, tenggat=True)
    await segarkan_banyak(stale, tahun, concurrency=4)
    return stale


class ChangedFigures:
    """Instansi whose data changed (their outbox notified) since their national figures were
    last computed: each is recomputed as soon as its figures are ``min_age`` old (so at most
    once a minute each), then forgotten. A change is thus in the figures within a minute and a
    pass. Before, a change that came while the figures were younger than a minute was dropped,
    and the figures waited for the next change or the hourly upkeep (issue 18, bench/scale.py).
    """

    def __init__(self, min_age: timedelta) -> None:
        self.min_age = min_age
        self._waiting: dict[str, Instansi] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    def changed(self, tenants: list[Instansi]) -> None:
        for instansi in tenants:
            self._waiting[instansi.schema_name] = instansi

    async def refresh_due(self) -> list[Instansi]:
        """Recompute those whose figures are old enough now; the others keep waiting."""
        if not self._waiting:
            return []
        waiting = list(self._waiting.values())
        refreshed = await upkeep(waiting, self.min_age, len(waiting))
        for instansi in refreshed:
            self._waiting.pop(instansi.schema_name, None)
        return refreshed


async def run_forever(worker: Worker, address: DatabaseAddress, stop: asyncio.Event) -> None:
    """The worker until ``stop`` is set, supervised (ekinerja/supervision.py): a failing pass
    (the database down, restarting or frozen) is retried with backoff on a new LISTEN
    connection, and its health shows in /readyz and /metrics."""
    settings = worker.settings
    retry = (settings.background_retry_seconds, settings.background_retry_max_seconds)
    with reported("worker.upkeep") as upkeep_health:  # across restarts of the loop
        try:
            await asyncio.gather(
                supervise(
                    "worker",
                    lambda health: _deliver(worker, address, stop, health, upkeep_health),
                    stop,
                    *retry,
                ),
                # Import jobs of the admin instansi (decision 0022): a loop of its own, so a
                # long import never delays a webhook.
                supervise(
                    "worker.impor",
                    lambda health: run_imports(address, settings, stop, health),
                    stop,
                    *retry,
                ),
            )
        finally:
            # Attempts still in flight record their outcome before the caller closes the HTTP
            # client and the database; otherwise they wait out their lease to be retried.
            await worker.drain()


async def _deliver(
    worker: Worker,
    address: DatabaseAddress,
    stop: asyncio.Event,
    health: LoopHealth,
    upkeep_health: LoopHealth,
) -> None:
    woken: set[str] = set()
    wake = asyncio.Event()
    settings = worker.settings
    max_age = timedelta(seconds=settings.statistik_max_age_seconds)
    listener = await listen(address, settings, NOTIFY_CHANNEL, woken, wake)
    subscribed: list[Instansi] = []
    retrying: dict[str, Instansi] = {}
    emailing: dict[str, Instansi] = {}
    listed_at = None
    sampler = Sampler(settings.metrics_per_instansi)
    # A minute between two computations of one instansi's figures, less a pass: a change is in
    # the figures within a minute of it.
    sweep = timedelta(seconds=settings.worker_sweep_seconds)
    changed = ChangedFigures(max(NOTIFIED_STATISTICS_AGE - sweep, timedelta(0)))
    try:
        while not stop.is_set():
            if listener.is_closed():  # notifications would be missed: start afresh
                raise DatabaseUnavailable()
            wake.clear()
            moment = utc_now()
            if listed_at is None or moment - listed_at > RELIST_SUBSCRIBED:
                subscribed, listed_at = await worker.subscribed_tenants(), moment
                retrying.clear()  # the fresh list holds every tenant with a subscription
            every = await servable()
            notified = [i for i in every if i.schema_name in woken]
            woken.clear()
            due = {i.schema_name: i for i in [*subscribed, *notified, *retrying.values()]}
            for instansi in await worker.run_many(list(due.values())):
                retrying[instansi.schema_name] = instansi
            # Notifications of the notified instansi and emails to retry (decision 0041).
            told = {i.schema_name: i for i in [*notified, *emailing.values()]}
            emailing = {
                i.schema_name: i for i in await beritahu(list(told.values()), settings, True)
            }
            health.succeeded()
            if sampler.due():  # the queues' gauges (/metrics), every few passes
                try:
                    await sampler.sample([*subscribed, *retrying.values()])
                except Exception as error:  # a number can wait; deliveries cannot
                    log.warning("sampling the webhook queues failed: %s", error_kind(error))
            try:
                changed.changed(notified)
                await changed.refresh_due()
                await upkeep(every, max_age, STATISTICS_PER_PASS, settings)
                upkeep_health.succeeded()
            except Exception as error:  # upkeep can wait for the next pass; deliveries cannot
                upkeep_health.failed(error)
            await until_woken(wake, stop, settings.worker_sweep_seconds)
    finally:
        # Not a graceful close: that would wait on a server that may not answer.
        listener.terminate()
