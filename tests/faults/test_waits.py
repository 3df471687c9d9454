"""Waits on the database are bounded. A row locked in one instansi fails that instansi's
writes after lock_timeout with 503 DATABASE_LOCK_TIMEOUT, and the other instansi is served
meanwhile (its requests used to queue behind the blocked ones for the pool's connections). A
request finding every pooled connection busy gives up after the acquire timeout with 503
DATABASE_TIMEOUT (with a pool of 2, the slowest of 200 waited minutes)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from ekinerja.db.config import CONNECTION
from ekinerja.tenants.identifiers import quote_identifier
from tests.support.faults import BULK, Site, serving_site

pytestmark = pytest.mark.faults

GUARD_SECONDS = 30  # far above the configured timeouts: the test fails rather than hangs


async def write(client, site: Site, which: int, tag: str):
    payload = {"query": BULK, "variables": {"rows": site.rows(tag, which)}}
    return await client.post("/graphql", json=payload, headers=site.headers(which))


def code_of(response) -> str | None:
    body = response.json()
    return body["errors"][0]["extensions"]["code"] if "errors" in body else None


async def test_a_lock_in_one_instansi_fails_its_writes_in_time_and_spares_the_other(
    running: Site,
):
    settings = running.tuned(
        db_pool_max=2, db_lock_timeout_seconds=1, db_acquire_timeout_seconds=20
    )
    # Another session (a stuck job, an operator's open transaction) holds a row instansi A's
    # writes need: new progres rows reference the rencana aksi, so they wait on it.
    holder = await asyncpg.connect(**running.address.asyncpg_kwargs())
    locking = holder.transaction()
    await locking.start()
    schema = quote_identifier(running.tenants[0].schema_name)
    await holder.execute(
        f"SELECT 1 FROM {schema}.rencana_aksi WHERE id = $1 FOR UPDATE",
        running.teams[0].rencana(),
    )
    try:
        async with asyncio.timeout(GUARD_SECONDS), serving_site(running, settings) as client:
            blocked = [write(client, running, 0, f"locked-{n}") for n in range(4)]
            spared = [write(client, running, 1, f"spared-{n}") for n in range(4)]
            answers = await asyncio.gather(*blocked, *spared)
    finally:
        await locking.rollback()
        await holder.close()
    a, b = answers[:4], answers[4:]
    assert [(r.status_code, code_of(r)) for r in a] == [(503, "DATABASE_LOCK_TIMEOUT")] * 4
    assert all(r.headers["retry-after"] for r in a)
    assert [(r.status_code, code_of(r)) for r in b] == [(200, None)] * 4
    written = await running.rows_by_tag("locked-")
    assert not written  # nothing of the refused writes


async def test_a_request_waits_for_a_pooled_connection_no_longer_than_the_acquire_timeout(
    running: Site,
):
    settings = running.tuned(db_pool_min=0, db_pool_max=1, db_acquire_timeout_seconds=1)
    async with asyncio.timeout(GUARD_SECONDS), serving_site(running, settings) as client:
        async with in_transaction(CONNECTION):  # the pool's only connection, kept busy
            busy = await write(client, running, 0, "busy")
        served = await write(client, running, 0, "free")
    assert (busy.status_code, code_of(busy)) == (503, "DATABASE_TIMEOUT")
    assert (served.status_code, code_of(served)) == (200, None)
