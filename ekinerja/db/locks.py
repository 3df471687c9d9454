"""Serialising a check-then-write on one key with a transaction-level advisory lock.

A rule checked by reading ("no other SKP covers these dates", "at most 20 subscriptions") and
then enforced by writing is a race under READ COMMITTED: two transactions both read before
either commits, and both write. Taking ``serialize(kind, *key)`` before the check makes the
second transaction wait until the first ends; its check then runs on a fresh snapshot that
includes the first one's write (each statement of a READ COMMITTED transaction sees what
committed before the statement began), so it is refused exactly as it would be one after the
other. The lock is released when the transaction ends; it is taken inside the caller's
(tenant-bound) transaction and scoped to its schema, so tenants never wait on each other.

``shared=True`` takes the lock in share mode: holders of a shared lock do not wait on each
other, only on (and for) the exclusive holder — for many writers that must not overlap one
rare operation (ratings and the penetapan that fixes their batch).
"""

from __future__ import annotations

from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION

# A 64-bit hash of schema and name (the key space of the bigint form). Unbound, current_schema()
# is NULL, and a NULL key would silently lock nothing: hence the coalesce.
_KEY = "hashtextextended(coalesce(current_schema(), '') || $1, 0)"
_EXCLUSIVE = f"SELECT pg_advisory_xact_lock({_KEY})"
_SHARED = f"SELECT pg_advisory_xact_lock_shared({_KEY})"


def lock_name(kind: str, *key: object) -> str:
    """The name hashed into the lock key (after the schema): ``:skp:42``."""
    return ":" + ":".join([kind, *map(str, key)])


async def serialize(kind: str, *key: object, shared: bool = False) -> None:
    """Wait for, then hold until the transaction ends, the lock on ``kind`` and ``key``."""
    await get_connection(CONNECTION).execute_query(
        _SHARED if shared else _EXCLUSIVE, [lock_name(kind, *key)]
    )
