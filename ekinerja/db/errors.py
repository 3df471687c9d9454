"""The database failing, as opposed to a request failing: the server unreachable, restarting or
frozen, a statement past its time, a lock held too long. Each kind has a code clients see
(with HTTP 503 and Retry-After) and says whether the connection it happened on is still usable.

Database calls raise these in place of the driver's errors (ekinerja/db/engine.py translates at
the ORM's boundary); ``database_failure`` also recognises the driver's own errors for code that
talks to asyncpg directly.
"""

from __future__ import annotations

import asyncio
from typing import NoReturn

import asyncpg
from tortoise.exceptions import DBConnectionError


class DatabaseFailure(Exception):
    code = "DATABASE_UNAVAILABLE"
    message = "the database is unavailable; retry later"
    retry_after_seconds = 5

    def __init__(self) -> None:
        super().__init__(self.message)


class DatabaseUnavailable(DatabaseFailure):
    """Cannot connect, or the connection ended (a restart, a crash, a killed session)."""


class DatabaseTimeout(DatabaseFailure):
    """No answer in time: a statement past statement_timeout, a silent (frozen) server, or no
    pooled connection free within the acquire timeout."""

    code = "DATABASE_TIMEOUT"
    message = "the database did not answer in time; retry later"


class DatabaseLockTimeout(DatabaseFailure):
    """A row or table this request needs stayed locked by another transaction past
    lock_timeout."""

    code = "DATABASE_LOCK_TIMEOUT"
    message = "data this request needs is locked by another transaction; retry later"
    retry_after_seconds = 1


# The server's answers meaning "not now", by class: the session is gone or never started.
_SERVER_GONE = (
    asyncpg.PostgresConnectionError,  # 08xxx, e.g. connection was closed mid-operation
    asyncpg.CannotConnectNowError,  # starting up or shutting down
    asyncpg.AdminShutdownError,  # fast shutdown, or a terminated backend
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.IdleInTransactionSessionTimeoutError,
    asyncpg.InterfaceError,  # the client's side of the connection is closed
    DBConnectionError,
)
# The driver's state machine out of step with the server, as a connection cut mid-operation
# can leave it ("cannot switch to state 12; another operation (2) is in progress"): that
# connection is done for. (Not a stale statement cache: that one asyncpg recovers from.)
_CLIENT_OUT_OF_STEP = asyncpg.InternalClientError
_BREAKING = (
    asyncio.CancelledError,
    asyncio.TimeoutError,
    OSError,
    *_SERVER_GONE,
    _CLIENT_OUT_OF_STEP,
)


def _classify(error: BaseException, from_database_call: bool) -> type[DatabaseFailure] | None:
    if isinstance(error, DatabaseFailure):
        return type(error)
    if isinstance(error, asyncpg.LockNotAvailableError):
        return DatabaseLockTimeout
    if isinstance(error, asyncpg.QueryCanceledError):
        return DatabaseTimeout
    if isinstance(error, _SERVER_GONE):
        return DatabaseUnavailable
    if isinstance(error, _CLIENT_OUT_OF_STEP) and not isinstance(
        error, asyncpg.OutdatedSchemaCacheError
    ):
        return DatabaseUnavailable
    # Bare timeouts and socket errors are the database's only when they come out of a database
    # call: elsewhere they may be anybody's (an HTTP client, an object store).
    if from_database_call and isinstance(error, asyncio.TimeoutError):
        return DatabaseTimeout
    if from_database_call and isinstance(error, OSError):
        return DatabaseUnavailable
    return None


def _chain(error: BaseException | None):
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _find(error: BaseException, from_database_call: bool) -> DatabaseFailure | None:
    for link in _chain(error):
        kind = _classify(link, from_database_call)
        if kind is not None:
            return link if isinstance(link, DatabaseFailure) else kind()
    return None


def database_failure(error: BaseException) -> DatabaseFailure | None:
    """The database failure behind ``error`` (itself, or what it was raised from or while
    handling: the ORM and GraphQL wrap errors), or None when the database is not to blame."""
    return _find(error, from_database_call=False)


def translate(error: BaseException) -> DatabaseFailure | None:
    """What a failed database call raises instead of ``error`` (``error`` itself when it is
    one of ours already), or None when the failure is the request's own (a constraint, a
    syntax error) and ``error`` stands."""
    return _find(error, from_database_call=True)


def raise_translated(error: BaseException) -> NoReturn:
    """Raise ``error`` as a failed database call reports it (see ``translate``)."""
    failure = translate(error)
    if failure is None or failure is error:
        raise error
    raise failure from error


def breaks_connection(error: BaseException) -> bool:
    """Whether the connection a database call failed on must be thrown away, never reused: it
    is gone, or a timed-out or cancelled call left asyncpg cancelling the statement on a server
    that may never confirm (a frozen one), so the next statement on it would wait as long.
    A statement or lock timeout reported by the server leaves a usable connection, and a
    failure already translated had its connection dealt with where it happened."""
    if isinstance(error, DatabaseFailure | asyncpg.OutdatedSchemaCacheError):
        return False
    return isinstance(error, _BREAKING)
