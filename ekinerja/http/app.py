"""The Starlette application."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.sesi_idp import SessionIdp
from ekinerja.auth.setup import session_secret, token_authenticator
from ekinerja.background import run_forever
from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import close_database, open_database
from ekinerja.http.browser_sessions import SessionAuthenticator
from ekinerja.http.edge import EdgeMiddleware
from ekinerja.http.envelope import http_exception
from ekinerja.http.evaluasi_dokumen import evaluasi_document_endpoint
from ekinerja.http.graphql_view import GraphQLView
from ekinerja.http.health import healthz, readyz_endpoint
from ekinerja.http.kepegawaian_impor import kepegawaian_import_routes
from ekinerja.http.login import login_routes
from ekinerja.http.metrics import metrics
from ekinerja.http.oauth import oauth_routes
from ekinerja.http.portal import portal_routes
from ekinerja.http.progres_impor import progres_import_endpoint
from ekinerja.http.siasn_ekspor import siasn_export_routes
from ekinerja.http.skp_dokumen import skp_document_endpoint
from ekinerja.schema import Schema, build_schema
from ekinerja.settings import Settings
from ekinerja.startup import check_startup
from ekinerja.storage import LocalStore, ObjectStore, store_from_settings
from ekinerja.storage.local_routes import local_storage_routes
from ekinerja.supervision import supervise
from ekinerja.tenants.registry_watch import watch_registry
from ekinerja.webhooks.worker import Worker


def create_app(
    settings: Settings,
    database: DatabaseAddress | None = None,
    schema: Schema | None = None,
    authenticator: Authenticator | None = None,
    store: ObjectStore | None = None,
) -> Starlette:
    """The service. With ``database`` the app opens and closes the ORM in its lifespan; without,
    the caller (a test session, say) has opened it already. The evidence store (``store``, else
    the one the settings choose) is on ``app.state.evidence_store`` and closed with the app.
    An unsafe configuration is refused first (StartupRefused, ekinerja/startup.py)."""
    check_startup(settings)
    http = httpx.AsyncClient()  # JWKS and token-endpoint calls; closed with the app
    tokens = token_authenticator(settings, http)
    # Browser sessions' refresh tokens at the OIDC provider (issue 18); None without OIDC login.
    session_idp = SessionIdp.of(settings, http, tokens)
    # A bearer token, else the browser's server-side session and its same-origin check (0017).
    authenticator = SessionAuthenticator(authenticator or tokens, settings, session_idp)
    evidence_store = store if store is not None else store_from_settings(settings)
    # The local store is served by this service itself; an S3 store is reached directly.
    storage_routes = (
        local_storage_routes(evidence_store) if isinstance(evidence_store, LocalStore) else []
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if database is not None:
            await open_database(database, settings)
        # Development runs the background worker in-process; production runs `ekinerja worker`.
        stop_worker = asyncio.Event()
        worker = (
            asyncio.create_task(run_forever(Worker(settings, http), database, stop_worker))
            if database is not None and settings.runs_worker_in_serve
            else None
        )
        # The process's registry cache hears every change at once (issue 17).
        registry_watcher = (
            asyncio.create_task(
                supervise(
                    "registry",
                    lambda health: watch_registry(database, settings, stop_worker, health),
                    stop_worker,
                    settings.background_retry_seconds,
                    settings.background_retry_max_seconds,
                )
            )
            if database is not None
            else None
        )
        if database is not None:
            # The serving process's long-lived objects (modules, the schema, pools) out of the
            # collector's way: a full collection walked them all, a pause of ~0.1 s every few
            # thousand requests (issue 17). What requests allocate is collected as before.
            gc.freeze()
        try:
            yield
        finally:
            stop_worker.set()
            if worker is not None:
                await worker
            if registry_watcher is not None:
                await registry_watcher
            await http.aclose()
            await evidence_store.close()
            if database is not None:
                await close_database()

    graphql = GraphQLView(schema or build_schema(settings), settings, authenticator, database)
    app = Starlette(
        routes=[
            # Every method, the view answers each (decision 0025); and the WebSocket (0042).
            GraphQLRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz_endpoint(settings)),
            Route("/metrics", metrics),
            Route("/skp/{skp_id}/dokumen.pdf", skp_document_endpoint(authenticator)),
            Route(
                "/evaluasi/{evaluasi_id}/dokumen.pdf",
                evaluasi_document_endpoint(authenticator),
            ),
            Route(
                "/pelaksanaan/progres-harian/import",
                progres_import_endpoint(authenticator, settings),
                methods=["POST"],
            ),
            *kepegawaian_import_routes(authenticator, settings),
            *siasn_export_routes(authenticator),
            *login_routes(settings, tokens, session_idp),
            *oauth_routes(settings),
            *storage_routes,
            *portal_routes(settings),
        ],
        middleware=[
            # The request id, CORS (preflights end here, every answer gets its headers, 0024),
            # a lost database's 503, a bug's 500 in the envelope (0031), a client gone (INFO)
            # and the request's log line: one layer (edge.py).
            Middleware(EdgeMiddleware, settings=settings),
            Middleware(
                LoginStateCookie,
                secret_key=session_secret(settings),
                # Only the OIDC state and PKCE verifier between /auth/login and the callback.
                session_cookie="ekinerja_login",
                path="/auth",
                same_site="lax",
                https_only=settings.is_production,
                max_age=600,
            ),
        ],
        # Routing's own 404 and 405 in the one error envelope (decision 0031).
        exception_handlers={HTTPException: http_exception},
        lifespan=lifespan,
    )
    app.state.evidence_store = evidence_store
    return app


class GraphQLRoute(Route):
    """/graphql for HTTP and for the live updates' WebSocket (decision 0042): one route, so
    what lists the app's routes (CORS preflights) sees one path answering every method."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "websocket":
            return super().matches({**scope, "type": "http", "method": "GET"})
        return super().matches(scope)


class LoginStateCookie:
    """Starlette's SessionMiddleware (its signed cookie holds the OIDC state between /auth/login
    and the callback) on the /auth paths only, where its cookie is sent and read: elsewhere it
    parsed the Cookie header and wrapped ``send`` on every request for nothing."""

    def __init__(self, app: ASGIApp, **options) -> None:
        self.app = app
        self.with_session = SessionMiddleware(app, **options)
        self.path = options["path"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if path == self.path or path.startswith(self.path + "/"):
            await self.with_session(scope, receive, send)
        else:
            await self.app(scope, receive, send)
