"""Work on `shared` from inside a tenant-bound request.

A request runs in one transaction bound to its tenant, whose role cannot touch `shared` (the
wall of decision 0001). The few operations an agency admin may perform on registry rows of
its own (its API clients) therefore run in a separate transaction on another pooled
connection, as the service's own role, and commit on their own: callers keep that work to a
single registry change and record its audit line in the request's transaction afterwards.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient, TransactionContext
from tortoise.connection import connections

from ekinerja.db.config import CONNECTION

_root: BaseDBAsyncClient | None = None


def remember_root() -> None:
    """Called right after the ORM starts, outside any transaction: the pool-level client."""
    global _root
    _root = connections.get(CONNECTION)


def outside_binding() -> TransactionContext:
    """``async with outside_binding():`` — models and raw SQL inside use a fresh, unbound
    transaction; the request's binding is back when the block ends."""
    if _root is None:
        raise RuntimeError("the database is not open")
    return _root._in_transaction()
