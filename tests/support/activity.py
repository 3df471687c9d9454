"""What the test database's sessions are doing, seen from a connection of the test's own (so
the service's pool is not asked about itself): who sits idle in a transaction, who waits on a
lock. Waiting for a condition polls the server, never a clock."""

from __future__ import annotations

import asyncio

import asyncpg

from ekinerja.db.config import DatabaseAddress

_IDLE_IN_TRANSACTION = """
SELECT pid, state, left(query, 200) AS query FROM pg_stat_activity
WHERE datname = $1 AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"""

_WAITING_ON_LOCK = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = $1 AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"""


async def idle_in_transaction(database: DatabaseAddress) -> list[dict]:
    """Sessions of the test database that hold a transaction open while doing nothing."""
    connection = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        return [dict(r) for r in await connection.fetch(_IDLE_IN_TRANSACTION, database.database)]
    finally:
        await connection.close()


async def until_waiting_on_lock(database: DatabaseAddress, count: int = 1) -> None:
    """Return once ``count`` sessions of the test database wait on a lock (an outer timeout
    bounds the wait)."""
    connection = await asyncpg.connect(**database.asyncpg_kwargs())
    try:
        while await connection.fetchval(_WAITING_ON_LOCK, database.database) < count:
            await asyncio.sleep(0.02)  # polling the server's state, not waiting for time
    finally:
        await connection.close()
