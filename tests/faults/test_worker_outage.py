"""The webhook worker through a database outage: it does not die (it used to: `ekinerja worker`
exited, and inside `serve` it stopped silently), it logs the outage once and its recovery once,
/readyz and /metrics show it failing and then well, and once the database is back it delivers
what was written meanwhile, on a new LISTEN connection."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from ekinerja.background import run_forever
from ekinerja.db.lifecycle import database_context
from ekinerja.http.app import create_app
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.supervision import LoopHealth, running_loops
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks import langganan
from ekinerja.webhooks.rahasia import Segel
from ekinerja.webhooks.worker import Worker
from tests.support.faults import Site
from tests.support.receiver import Receiver

pytestmark = pytest.mark.faults

GUARD_SECONDS = 60
ST = JenisPeristiwa.SKP_DISETUJUI


async def announce(tenant, n: int) -> None:
    async with tenant_transaction(as_bound(tenant)):
        for k in range(n):
            await emit(ST, "skp", k, {"k": k})


def worker_health() -> LoopHealth:
    return next(h for h in running_loops() if h.name == "worker")


async def test_the_worker_survives_an_outage_and_delivers_the_backlog(running: Site, caplog):
    settings = running.tuned(
        worker_sweep_seconds=3600,  # only notifications (and restarts) make it look again
        background_retry_seconds=0.05,
        background_retry_max_seconds=0.2,
        db_statement_timeout_seconds=2,
        db_acquire_timeout_seconds=2,
    )
    tenant = running.tenants[1]
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="ekinerja.supervision")
    async with (
        asyncio.timeout(GUARD_SECONDS),
        database_context(running.address, settings),
        httpx.AsyncClient() as http,
        httpx.AsyncClient(transport=httpx.ASGITransport(create_app(settings)),
                          base_url="http://t") as api,
        Receiver() as receiver,
    ):  # fmt: skip
        async with tenant_transaction(as_bound(tenant)):
            by = langganan.Pengelola("faults", "faults-hook")
            segel = Segel.from_settings(settings)
            await langganan.buat(by, receiver.url(), [ST.value], segel, allow_private=True)
        working = asyncio.create_task(run_forever(Worker(settings, http), running.address, stop))
        try:
            await announce(tenant, 1)
            await receiver.received(1)
            health = worker_health()
            await asyncio.to_thread(running.cluster.stop, "fast")
            await health.until(lambda h: h.consecutive_failures >= 3)
            down, metrics_down = await api.get("/readyz"), await api.get("/metrics")
            await asyncio.to_thread(running.cluster.start)
            await announce(tenant, 3)  # while the worker may still be waiting to retry
            await receiver.received(4)
            await health.until(lambda h: h.up)
            up, metrics_up = await api.get("/readyz"), await api.get("/metrics")
        finally:
            stop.set()
            await working

    assert down.status_code == 503
    failing = down.json()["background"]["worker"]
    assert failing["state"] == "failing" and failing["consecutiveFailures"] >= 3
    assert failing["lastError"].startswith("DATABASE_UNAVAILABLE")
    assert 'ekinerja_background_loop_up{loop="worker"} 0.0' in metrics_down.text
    assert up.json()["background"]["worker"]["state"] == "ok"
    assert 'ekinerja_background_loop_up{loop="worker"} 1.0' in metrics_up.text
    assert 'ekinerja_background_loop_consecutive_failures{loop="worker"} 0.0' in metrics_up.text
    # Once when it started failing, once when it recovered: not once per retry.
    said = [r.getMessage().split(" ")[:2] for r in caplog.records
            if r.name == "ekinerja.supervision"]  # fmt: skip
    assert [words[1] for words in said if words[0] == "worker"] == ["failing;", "recovered"]
