"""The Starlette application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from ekinerja.auth.authentication import Authenticator, NoAuthentication
from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import close_database, open_database
from ekinerja.http.graphql_view import GraphQLView
from ekinerja.http.health import healthz, readyz
from ekinerja.http.request_id import RequestIdMiddleware
from ekinerja.schema import Schema, build_schema
from ekinerja.settings import Settings


def create_app(
    settings: Settings,
    database: DatabaseAddress | None = None,
    schema: Schema | None = None,
    authenticator: Authenticator | None = None,
) -> Starlette:
    """The service. With ``database`` the app opens and closes the ORM in its lifespan; without,
    the caller (a test session, say) has opened it already. Without an ``authenticator`` nobody
    is authenticated, so every field that needs a principal is refused."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if database is None:
            yield
            return
        await open_database(database, settings)
        try:
            yield
        finally:
            await close_database()

    graphql = GraphQLView(
        schema or build_schema(settings), settings, authenticator or NoAuthentication()
    )
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )
