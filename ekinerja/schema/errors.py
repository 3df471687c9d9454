"""Errors GraphQL clients are meant to see. Anything else is masked (see extensions.py)."""

from __future__ import annotations

from graphql import GraphQLError
from tortoise.exceptions import ValidationError

from ekinerja.db.errors import DatabaseFailure
from ekinerja.error_codes import ErrorCode
from ekinerja.refusals import Refusal
from ekinerja.tenants.errors import TenantError


class ClientError(Exception):
    """An expected failure with a machine-readable code, shown to the client as is."""

    code: ErrorCode = ErrorCode.BAD_REQUEST

    def __init__(self, message: str, code: ErrorCode | str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = ErrorCode(code)  # a code not in ErrorCode is a bug: ValueError


class NoInstansiSelected(ClientError):
    code = ErrorCode.NO_INSTANSI_SELECTED


# A domain refusal reaching a query field (a mutation returns it as data) is shown as is. A
# database failure is not the operation's fault: it fails the whole request with a 503
# (ekinerja/http/database_outage.py), its code and no stack trace.
EXPECTED_ERRORS = (ClientError, TenantError, Refusal, DatabaseFailure)

# Tortoise checks a value against its column before PostgreSQL would (a 5,000-character nip
# looked up, a text too long to store): the caller's input, not a fault of the service.
INPUT_ERRORS = (ValidationError,)
_INPUT_MESSAGE_LIMIT = 200  # such a message quotes the value: not all of a long one

# The code of every request error: nothing ran (GraphQL over HTTP answers these 400 to clients
# accepting application/graphql-response+json, see ekinerja/http/graphql_media.py).
REQUEST_ERROR_CODE = ErrorCode.GRAPHQL_VALIDATION_FAILED


def is_request_error(error: GraphQLError) -> bool:
    """Refused before execution: a parse or validation error (no original error), or a
    variable whose value does not fit its type or is missing (graphql-core keeps the scalar's
    own GraphQLError as the original). Errors of execution have a path."""
    original = error.original_error
    return not error.path and (original is None or isinstance(original, GraphQLError))


def is_unexpected(error: GraphQLError) -> bool:
    """Request errors and ours are expected; the rest is not."""
    original = error.original_error
    return not (is_request_error(error) or isinstance(original, EXPECTED_ERRORS + INPUT_ERRORS))


def with_error_code(error: GraphQLError) -> GraphQLError:
    """Give an error its machine-readable ``extensions.code``: the code of an expected error
    (and the input field at fault, for a refusal that names one), or GRAPHQL_VALIDATION_FAILED
    for a request refused before execution (syntax, unknown field, depth, token or alias limits,
    a literal or variable of the wrong type or value). Masked errors carry INTERNAL_ERROR
    already."""
    if (error.extensions or {}).get("code"):
        return error
    original = error.original_error
    if isinstance(original, EXPECTED_ERRORS):
        extra = {"code": str(original.code)}
        if getattr(original, "field", None):
            extra["field"] = original.field
    elif isinstance(original, INPUT_ERRORS):
        extra = {"code": ErrorCode.INVALID_INPUT.value}
        if len(error.message) > _INPUT_MESSAGE_LIMIT:
            error.message = error.message[:_INPUT_MESSAGE_LIMIT] + "…"
    elif is_request_error(error):
        extra = {"code": REQUEST_ERROR_CODE.value}
    else:
        return error
    error.extensions = {**(error.extensions or {}), **extra}
    return error
