"""The Tortoise engine the service configures (``"engine": "ekinerja.db.engine"``): Tortoise's
asyncpg client with every wait bounded and a broken connection thrown away.

- Taking a connection from the pool waits at most ``acquire_timeout`` (asyncpg's pool waits
  forever by default: with a pool of 2, the 200th request waited minutes).
- Database errors leave as ekinerja.db.errors failures (DatabaseUnavailable, DatabaseTimeout,
  DatabaseLockTimeout), so the HTTP layer answers 503 once for every endpoint.
- A connection whose call timed out, was cancelled or lost its server is terminated at once. A
  timed-out asyncpg call leaves the connection cancelling its statement, and the next statement
  on it (Tortoise's ROLLBACK, the pool's reset) waits until the server confirms: forever, if the
  server is frozen. Terminating it ends the transaction on the server too.
- Tortoise keeps a connection forever when BEGIN fails (its ``__aexit__`` never runs when
  ``__aenter__`` raised): here it goes back to the pool.
- A transaction carries the statement and lock timeouts the tenant binding sets
  (``transaction_limits``), so they cost no round trip of their own.
- Round trips are the hot path's cost (issue 17): a transaction opens with the statements that
  must start it (the tenant binding) in the same round trip as BEGIN, and a connection goes back
  to the pool without asyncpg's ``RESET ALL`` round trip — nothing here changes session state
  (every setting is transaction-local, LISTEN has its own connection), and asyncpg still rolls
  back a transaction left open and drops listeners on release.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    NestedTransactionContext,
    PoolConnectionWrapper,
    TransactionContextPooled,
)
from tortoise.backends.base_postgres.client import translate_exceptions
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

from ekinerja.db.errors import (
    DatabaseLockTimeout,
    DatabaseTimeout,
    breaks_connection,
    raise_translated,
    translate,
)
from ekinerja.observability import tracing
from ekinerja.observability.metrics import DB_TIMEOUTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransactionLimits:
    """``statement_timeout`` and ``lock_timeout`` for set_config, in milliseconds ("0": none)."""

    statement_timeout: str = "0"
    lock_timeout: str = "0"


def _gone(connection: Any) -> bool:
    """Closed, or terminated: a pool detaches a terminated connection's proxy at once, and the
    proxy then answers every call with InterfaceError."""
    try:
        return connection.is_closed()
    except asyncpg.InterfaceError:
        return True


def _discard(connection: Any) -> None:
    """Terminate ``connection`` (its server session ends, and with it any transaction)."""
    if not _gone(connection):
        connection.terminate()


def _count_timeout(error: BaseException, acquiring: bool = False) -> None:
    """A call that ran out of time, counted by kind for /metrics (failures only: nothing is
    counted on the way of a call that succeeds)."""
    failure = translate(error)
    if isinstance(failure, DatabaseLockTimeout):
        DB_TIMEOUTS.labels("lock").inc()
    elif isinstance(failure, DatabaseTimeout):
        if acquiring:
            kind = "acquire"
        elif any(isinstance(e, asyncpg.QueryCanceledError) for e in _causes(error)):
            kind = "statement"
        else:
            kind = "no_answer"
        DB_TIMEOUTS.labels(kind).inc()


def _causes(error: BaseException | None):
    for _ in range(8):
        if error is None:
            return
        yield error
        error = error.__cause__ or error.__context__


class _Translating:
    """Database errors out of every call as ekinerja.db.errors failures. The one place every
    statement goes out: with tracing on (ekinerja/observability/tracing.py), each is a span."""

    async def _translate_exceptions(self, func, *args, **kwargs):
        try:
            if tracing.tracer is None:
                return await super()._translate_exceptions(func, *args, **kwargs)  # type: ignore[misc]
            with tracing.statement_span(args[0] if args else func.__name__):
                return await super()._translate_exceptions(func, *args, **kwargs)  # type: ignore[misc]
        except BaseException as error:
            self._after_failure(error)
            _count_timeout(error)
            raise_translated(error)

    def _after_failure(self, error: BaseException) -> None:
        """The pooled client's connections are dealt with by ``_PooledConnection``."""


async def _session_needs_no_reset(connection: asyncpg.Connection) -> None:
    """The pool's reset (asyncpg has already rolled back an open transaction): nothing to undo,
    because the service sets nothing beyond a transaction (see the module's docstring)."""


class Client(_Translating, AsyncpgDBClient):
    def __init__(
        self,
        *,
        acquire_timeout: float | None = None,
        statement_timeout_ms: int = 0,
        lock_timeout_ms: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.acquire_timeout = acquire_timeout
        self.transaction_limits = TransactionLimits(str(statement_timeout_ms), str(lock_timeout_ms))
        self.waiting = 0  # callers waiting for a pooled connection (/metrics)

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_session_needs_no_reset, **kwargs)

    def transaction_opened_with(self, prelude: str) -> _PooledTransaction:
        """A pooled transaction whose BEGIN carries ``prelude`` (statements without parameters,
        sent as one simple query with it): one round trip where there would be two."""
        context = self._in_transaction()
        context.client.prelude = prelude
        return context

    async def _ensure_pool(self) -> None:
        if not self._pool:  # created on first use, once, as Tortoise does
            async with self._pool_init_lock:
                if not self._pool:
                    await self.create_connection(with_db=True)

    def acquire_connection(self) -> _PooledConnection:
        return _PooledConnection(self, self._pool_init_lock)

    def _in_transaction(self) -> _PooledTransaction:
        return _PooledTransaction(Transaction(self), self._pool_init_lock)

    def pool_usage(self) -> tuple[int, int, int] | None:
        """(open connections, in use, maximum), or None before the pool exists."""
        pool = self._pool
        if pool is None:
            return None
        return pool.get_size(), pool.get_size() - pool.get_idle_size(), pool.get_max_size()


class Transaction(_Translating, TransactionWrapper):
    """A transaction that sends its own BEGIN, COMMIT and savepoints (asyncpg's transaction
    object sends BEGIN alone, so a binding after it would be a round trip of its own)."""

    def __init__(self, connection: Client | Transaction) -> None:
        super().__init__(connection)
        self.acquire_timeout = connection.acquire_timeout
        self.transaction_limits = connection.transaction_limits
        self.depth = connection.depth + 1 if isinstance(connection, Transaction) else 0
        self.prelude = ""

    def _in_transaction(self) -> NestedTransactionContext:
        return NestedTransactionContext(Transaction(self))

    def _after_failure(self, error: BaseException) -> None:
        if breaks_connection(error) and self._connection is not None:
            _discard(self._connection)

    @property
    def _savepoint(self) -> str:
        return f"ekinerja_savepoint_{self.depth}"

    @translate_exceptions
    async def begin(self) -> None:
        if self.depth:
            await self._connection.execute(f"SAVEPOINT {self._savepoint}")
        else:
            await self._connection.execute(f"BEGIN; {self.prelude}" if self.prelude else "BEGIN")
        self.transaction = True  # what Tortoise's wrapper checks to tell a begun transaction

    def _check_open(self) -> None:
        if not self.transaction:
            raise TransactionManagementError("Transaction is in invalid state")
        if self._finalized:
            raise TransactionManagementError("Transaction already finalised")

    @translate_exceptions
    async def commit(self) -> None:
        self._check_open()
        await self._connection.execute(
            f"RELEASE SAVEPOINT {self._savepoint}" if self.depth else "COMMIT"
        )
        self._finalized = True

    @translate_exceptions
    async def rollback(self) -> None:
        if _gone(self._connection):
            # Nothing to roll back: the server ended the transaction with the connection.
            self._finalized = True
            return
        self._check_open()
        await self._connection.execute(
            f"ROLLBACK TO SAVEPOINT {self._savepoint}" if self.depth else "ROLLBACK"
        )
        self._finalized = True


async def _acquire(client: Client) -> Any:
    client.waiting += 1
    try:
        await client._ensure_pool()
        return await client._pool.acquire(timeout=client.acquire_timeout)
    except Exception as error:
        _count_timeout(error, acquiring=True)
        raise_translated(error)
    finally:
        client.waiting -= 1


async def _release(client: Client, connection: Any) -> None:
    """Back to the pool (a terminated connection is simply dropped). The pool resets a live one
    first, bounded by the acquire timeout; if that fails asyncpg terminates it, and whatever the
    request did stands, so the failure is only logged."""
    try:
        await client._pool.release(connection)
    except Exception as error:  # expected when the database went away: one line, no trace
        log.info("a pooled connection could not be reset and was closed: %r", error)


class _PooledConnection(PoolConnectionWrapper):
    """One pooled connection for one statement outside a transaction."""

    client: Client

    async def __aenter__(self) -> Any:
        self.connection = await _acquire(self.client)
        return self.connection

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc is not None and breaks_connection(exc):
            _discard(self.connection)
        await _release(self.client, self.connection)


class _PooledTransaction(TransactionContextPooled):
    client: Transaction

    async def __aenter__(self) -> Transaction:
        parent: Client = self.client._parent  # type: ignore[assignment]
        self.client._connection = await _acquire(parent)
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            await self._end()
            raise
        return self.client

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc is not None and breaks_connection(exc):
                _discard(self.client._connection)
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:
                    await self.client.rollback()
        finally:
            await self._end()

    async def _end(self) -> None:
        try:
            await _release(self.client._parent, self.client._connection)  # type: ignore[arg-type]
        finally:
            get_connections().reset(self.token)


client_class = Client  # what Tortoise looks up in an engine module
