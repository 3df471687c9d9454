"""The GraphQL schema: types, queries, extensions and error policy."""

from __future__ import annotations

import logging
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from ekinerja.schema.errors import is_unexpected
from ekinerja.schema.extensions import build_extensions
from ekinerja.schema.query import Mutation, Query
from ekinerja.settings import Settings

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

log = logging.getLogger("ekinerja.graphql")


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors (validation, refusals) are the client's business; unexpected ones are
        # logged once with their stack trace and the request id, then masked.
        for error in errors:
            if is_unexpected(error):
                log.error(
                    "unexpected error in GraphQL operation",
                    exc_info=error.original_error,
                    extra={"path": error.path},
                )


def build_schema(
    settings: Settings, query: type = Query, mutation: type | None = Mutation
) -> Schema:
    return Schema(
        query=query,
        mutation=mutation,
        extensions=build_extensions(settings),
        config=StrawberryConfig(disable_field_suggestions=True),
    )


def export_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"
