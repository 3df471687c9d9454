"""Supervised background loops: whatever a loop raises, it is run again after a growing wait
(never in a tight loop), its health follows, and the log says so once per outage and once on
recovery, not once per retry."""

from __future__ import annotations

import asyncio
import logging

from ekinerja.db.errors import DatabaseUnavailable
from ekinerja.supervision import LoopHealth, retry_delay, running_loops, supervise


def test_the_wait_doubles_up_to_its_cap():
    assert [retry_delay(n, 1.0, 60.0) for n in (1, 2, 3, 6, 7, 50)] == [1, 2, 4, 32, 60, 60]


async def test_a_failing_loop_is_restarted_and_reports_its_health(caplog):
    caplog.set_level(logging.INFO, logger="ekinerja.supervision")
    stop = asyncio.Event()
    attempts: list[str] = []
    seen: dict[str, dict] = {}

    async def loop(health: LoopHealth) -> None:
        attempts.append("start")
        if len(attempts) <= 3:  # an outage of three attempts, then a good pass
            raise DatabaseUnavailable()
        health.succeeded()
        seen["ok"] = health.as_json()
        stop.set()

    async def watch() -> None:
        health = next(h for h in running_loops() if h.name == "probe")
        await health.until(lambda h: h.consecutive_failures == 3)
        seen["failing"] = health.as_json()

    # The loop's task runs first and registers its health before the watcher looks.
    supervising = asyncio.create_task(supervise("probe", loop, stop, 0.001, 0.004))
    await asyncio.wait_for(asyncio.gather(supervising, watch()), timeout=10)

    assert len(attempts) == 4
    assert seen["failing"]["state"] == "failing"
    assert seen["failing"]["lastError"] == "DATABASE_UNAVAILABLE (DatabaseUnavailable)"
    assert seen["ok"]["state"] == "ok" and seen["ok"]["consecutiveFailures"] == 0
    assert [r.getMessage().split(";")[0] for r in caplog.records] == [
        "probe failing",
        "probe recovered after 3 failed attempts over 0 s",
    ]
    assert not [h for h in running_loops() if h.name == "probe"]  # gone with the loop
