"""The schema extensions every operation passes through: limits, caches and error masking."""

from __future__ import annotations

from functools import partial

from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_limit
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit

from ekinerja.error_codes import ErrorCode
from ekinerja.logging import request_id_var
from ekinerja.schema.errors import is_unexpected
from ekinerja.schema.input_checks import InputChecks
from ekinerja.settings import Settings


class MaskUnexpectedErrors(MaskErrors):
    """Replace unexpected errors by a message carrying the request id, which the logs also
    carry, so support can find the stack trace without the client ever seeing it."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def _process_result(self, result: object) -> None:
        # Strawberry's checks the result against a runtime Protocol, ~2 % of a request's CPU
        # (issue 17's profile); an execution result has `errors` or it has none.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = request_id_var.get()
        return GraphQLError(
            message=f"Unexpected error; quote request id {request_id} when reporting it.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": ErrorCode.INTERNAL_ERROR.value, "requestId": request_id},
        )


def build_extensions(settings: Settings) -> list:
    """Classes and factories, never instances: an extension instance holds the execution context
    of one operation, so each operation gets its own. (The parser and validation caches live at
    module level in Strawberry and are shared all the same.)"""
    # The depth and alias rules are made once per schema: Strawberry's QueryDepthLimiter and
    # MaxAliasesLimiter make a new rule class per operation, which is part of the validation
    # cache's key, so no operation would ever hit the cache.
    limits = [
        depth_limit(settings.graphql_max_depth, None),
        alias_limit(settings.graphql_max_aliases),
    ]
    extensions: list = [
        partial(ParserCache, maxsize=512),
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(AddValidationRules, limits),
        InputChecks,
        partial(ValidationCache, maxsize=512),
        MaskUnexpectedErrors,
    ]
    if settings.is_production:
        extensions.append(DisableIntrospection)
    return extensions
