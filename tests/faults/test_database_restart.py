"""PostgreSQL restarted under concurrent writes through the real service on a socket: every
request answered 200 has all its rows, none has more (no duplicates) or some (no half-writes),
the failures during the outage are 503s in the endpoint's JSON shape, and the service recovers
by itself: writes succeed again once the database is back, without restarting anything."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.faults import Load, Site, serving_site, tally

pytestmark = pytest.mark.faults

WRITERS = 8
GUARD_SECONDS = 60  # far above anything the test waits for: it fails rather than hangs


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_writes_survive_a_restart_and_the_service_recovers(running: Site, mode: str):
    settings = running.tuned(db_acquire_timeout_seconds=2, db_statement_timeout_seconds=2)
    stop = asyncio.Event()
    async with asyncio.timeout(GUARD_SECONDS), serving_site(running, settings) as client:
        load = Load(client, running, f"restart-{mode}", WRITERS)
        writing = asyncio.create_task(load.run(stop))
        try:
            await load.until(lambda answers: sum(a.ok for a in answers) >= 20)
            before = len(load.answers)
            await asyncio.to_thread(running.cluster.stop, mode)
            # Requests meet the stopped database before it comes back.
            await load.until(lambda answers: any(not a.ok for a in answers[before:]))
            await asyncio.to_thread(running.cluster.start)
            back = len(load.answers)
            await load.until(lambda answers: sum(a.ok for a in answers[back:]) >= 20)
        finally:
            stop.set()
            await writing
    counted = await tally(running, load)
    assert counted.succeeded > 40 and counted.sent > counted.succeeded
    assert counted.rows_found == counted.succeeded, counted
    assert (counted.lost, counted.duplicated, counted.half_written) == (0, 0, 0), counted
    # Every failure is the clear 503 of a database outage, never a 500 or a dropped connection.
    assert set(counted.failures) <= {"503 DATABASE_UNAVAILABLE", "503 DATABASE_TIMEOUT"}, counted
