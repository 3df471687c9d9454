"""The schema extensions every operation passes through: limits, caches and error masking."""

from __future__ import annotations

from functools import partial

from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from ekinerja.logging import request_id_var
from ekinerja.schema.errors import is_unexpected
from ekinerja.settings import Settings


class MaskUnexpectedErrors(MaskErrors):
    """Replace unexpected errors by a message carrying the request id, which the logs also
    carry, so support can find the stack trace without the client ever seeing it."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = request_id_var.get()
        return GraphQLError(
            message=f"Unexpected error; quote request id {request_id} when reporting it.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL_ERROR", "requestId": request_id},
        )


def build_extensions(settings: Settings) -> list:
    """Classes and factories, never instances: an extension instance holds the execution context
    of one operation, so each operation gets its own. (The parser and validation caches live at
    module level in Strawberry and are shared all the same.)"""
    extensions: list = [
        partial(ParserCache, maxsize=512),
        partial(ValidationCache, maxsize=512),
        partial(QueryDepthLimiter, max_depth=settings.graphql_max_depth),
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(MaxAliasesLimiter, max_alias_count=settings.graphql_max_aliases),
        MaskUnexpectedErrors,
    ]
    if settings.is_production:
        extensions.append(DisableIntrospection)
    return extensions
