"""The GraphQL schema: types, queries, extensions and error policy."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from ekinerja.schema.compiled.execution import CompilingExecutionContext
from ekinerja.schema.errors import is_unexpected
from ekinerja.schema.extensions import OperationChecks, OperationChecksRunner, build_extensions
from ekinerja.schema.node import guard_root_fields
from ekinerja.schema.query import Mutation, Query
from ekinerja.schema.scalars import SCALAR_OVERRIDES
from ekinerja.schema.subscription import Subscription
from ekinerja.settings import Settings

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

log = logging.getLogger("ekinerja.graphql")


# graphql-core's suggestions (" Did you mean 'tahun'?", "... the enum value 'BULANAN'?"),
# wherever they stand in a message: names are quoted, and a name never holds a "?".
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")


class Schema(strawberry.Schema):
    def __init__(self, *args, hide_suggestions: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Production names nothing the caller did not write (types, fields, arguments, enum
        # values): the schema is not published there. Development keeps every suggestion.
        self.hide_suggestions = hide_suggestions

    def create_extensions_runner(self, execution_context, extensions):
        if len(extensions) == 1 and isinstance(extensions[0], OperationChecks):
            return OperationChecksRunner(execution_context, extensions)
        return super().create_extensions_runner(execution_context, extensions)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors (validation, refusals) are the client's business; unexpected ones are
        # logged once with their stack trace and the request id, then masked.
        for error in errors:
            if self.hide_suggestions:
                error.message = _SUGGESTION.sub("", error.message)
            if is_unexpected(error):
                log.error(
                    "unexpected error in GraphQL operation",
                    exc_info=error.original_error,
                    extra={"path": error.path},
                )


def build_schema(
    settings: Settings,
    query: type = Query,
    mutation: type | None = Mutation,
    subscription: type | None = Subscription,
) -> Schema:
    guard_root_fields(query, mutation)
    return Schema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=build_extensions(settings),
        scalar_overrides=SCALAR_OVERRIDES,
        hide_suggestions=settings.is_production,
        execution_context_class=CompilingExecutionContext if settings.compiled_reads else None,
    )


def export_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"
