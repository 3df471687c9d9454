"""The Starlette application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Route

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.setup import session_secret, token_authenticator
from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import close_database, open_database
from ekinerja.http.graphql_view import GraphQLView
from ekinerja.http.health import healthz, readyz
from ekinerja.http.login import login_routes
from ekinerja.http.request_id import RequestIdMiddleware
from ekinerja.http.skp_document import skp_document_endpoint
from ekinerja.schema import Schema, build_schema
from ekinerja.settings import Settings


def create_app(
    settings: Settings,
    database: DatabaseAddress | None = None,
    schema: Schema | None = None,
    authenticator: Authenticator | None = None,
) -> Starlette:
    """The service. With ``database`` the app opens and closes the ORM in its lifespan; without,
    the caller (a test session, say) has opened it already."""
    http = httpx.AsyncClient()  # JWKS and token-endpoint calls; closed with the app
    tokens = token_authenticator(settings, http)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if database is not None:
            await open_database(database, settings)
        try:
            yield
        finally:
            await http.aclose()
            if database is not None:
                await close_database()

    graphql = GraphQLView(schema or build_schema(settings), settings, authenticator or tokens)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/skp/{skp_id:int}/dokumen.pdf", skp_document_endpoint(authenticator or tokens)),
            *login_routes(settings, tokens),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(settings),
                session_cookie="ekinerja_session",
                same_site="lax",
                https_only=settings.is_production,
                max_age=8 * 3600,
            ),
        ],
        lifespan=lifespan,
    )
