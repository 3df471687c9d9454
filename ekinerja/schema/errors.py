"""Errors GraphQL clients are meant to see. Anything else is masked (see extensions.py)."""

from __future__ import annotations

from graphql import GraphQLError

from ekinerja.refusals import Refusal
from ekinerja.tenants.errors import TenantError


class ClientError(Exception):
    """An expected failure with a machine-readable code, shown to the client as is."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class NoInstansiSelected(ClientError):
    code = "NO_INSTANSI_SELECTED"


# A domain refusal reaching a query field (a mutation returns it as data) is shown as is.
EXPECTED_ERRORS = (ClientError, TenantError, Refusal)


def is_unexpected(error: GraphQLError) -> bool:
    """Validation and parse errors have no original error; ours are expected; the rest is not."""
    original = error.original_error
    return original is not None and not isinstance(original, EXPECTED_ERRORS)


def with_error_code(error: GraphQLError) -> GraphQLError:
    """Give an error its machine-readable ``extensions.code``: the code of an expected error, or
    GRAPHQL_VALIDATION_FAILED for a document refused before execution (syntax, unknown field,
    depth, token or alias limits). Masked errors carry INTERNAL_ERROR already."""
    if (error.extensions or {}).get("code"):
        return error
    original = error.original_error
    if isinstance(original, EXPECTED_ERRORS):
        code = original.code
    elif original is None and not error.path:
        code = "GRAPHQL_VALIDATION_FAILED"
    else:
        return error
    error.extensions = {**(error.extensions or {}), "code": code}
    return error
