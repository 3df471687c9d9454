"""A database failure answers every endpoint the same way: 503 with Retry-After, the request id
and the failure's code (DATABASE_UNAVAILABLE, DATABASE_TIMEOUT, DATABASE_LOCK_TIMEOUT), sent as
a normal response so the client's connection stays open for its retry. Without this the error
escaped to the server, which answered a bare text/plain 500 and closed the connection.

Every endpoint answers in the one envelope (envelope.py, decision 0031), ``{"errors":
[{"message", "extensions": {"code", "requestId"}}]}``. A failure after the response has started
(a streamed export) can only end the connection. edge.py applies this to every request.
"""

from __future__ import annotations

import logging
from collections import Counter

from starlette.responses import JSONResponse
from starlette.types import Scope
from strawberry.types import ExecutionResult

from ekinerja.db.errors import DatabaseFailure, database_failure
from ekinerja.http.envelope import error_response
from ekinerja.observability.metrics import DATABASE_FAILURE_RESPONSES

log = logging.getLogger(__name__)

# Requests answered 503 since the process started, by code (/metrics).
answered: Counter[str] = Counter()


def outage_response(failure: DatabaseFailure) -> JSONResponse:
    headers = {"Retry-After": str(failure.retry_after_seconds)}
    return error_response(failure.code, failure.message, 503, headers=headers)


def raise_database_failure(result: ExecutionResult) -> None:
    """GraphQL reports a resolver's exception as an error beside the other fields' data. A
    failed database fails the whole request instead (its transaction is gone): raised here, it
    is answered 503 by the middleware."""
    for error in result.errors or ():
        failure = database_failure(error.original_error) if error.original_error else None
        if failure is not None:
            raise failure


def outage_answer(error: Exception, scope: Scope) -> JSONResponse | None:
    """The 503 answering ``error`` when a failed database is behind it (counted for /metrics,
    one warning line), else None. Only for a response not yet started (edge.py)."""
    failure = database_failure(error)
    if failure is None:
        return None
    answered[failure.code] += 1
    DATABASE_FAILURE_RESPONSES.labels(failure.code).inc()
    # One line, no stack trace: the database's state is the news, not our code.
    cause = failure.__cause__ or error
    log.warning(
        "answered 503 %s: %s: %s",
        failure.code,
        type(cause).__name__,
        cause,
        extra={"path": scope.get("path")},
    )
    return outage_response(failure)
