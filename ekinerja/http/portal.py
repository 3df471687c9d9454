"""The reference portal (issue 19) served at /portal/: the static files of `portal/` as they are
(native ES modules, no build step), and `/portal/config.json`, which tells the portal how this
service signs people in. A portal deployed on its own origin is the same files with its own
`config.json` naming this service's URL (docs/portal.md).

Every answer carries a strict Content-Security-Policy: scripts and styles only from the portal's
own files (no inline script, no eval), requests only to this service and the evidence store's
origin (uploads go straight to it), no framing. Files are revalidated on every load (ETag), so a
deployment is seen at once without a bundler's hashed names, and sent gzipped.
"""

from __future__ import annotations

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, request_response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ekinerja.http.envelope import error_response
from ekinerja.http.same_origin import origin_of
from ekinerja.settings import Settings, StorageBackend

PREFIX = "/portal"
_CHECKOUT_PORTAL = Path(__file__).resolve().parents[2] / "portal"


def portal_directory(settings: Settings) -> Path | None:
    """Where the portal's files are, or None when there is no portal to serve."""
    directory = settings.portal_dir or _CHECKOUT_PORTAL
    return directory if (directory / "index.html").is_file() else None


def content_security_policy(settings: Settings) -> str:
    connect = ["'self'"]
    if settings.storage_backend is StorageBackend.S3:
        store = settings.s3_public_endpoint_url or settings.s3_endpoint_url
        if store and (origin := origin_of(store)):
            connect.append(origin)  # evidence is posted straight to the store
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            f"connect-src {' '.join(connect)}",
            f"form-action 'self' {' '.join(connect[1:])}".rstrip(),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


class _PortalHeaders:
    """The portal's security and caching headers on whatever the wrapped app answers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(settings).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cache-control", b"no-cache"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def decorated(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, decorated)


def portal_config(settings: Settings) -> dict:
    """What the served portal needs to know: the API is this origin; which logins exist."""
    return {
        "api": "",
        "masuk": {
            "oidc": bool(settings.oidc_issuer and settings.oidc_client_id),
            "pengembangan": not settings.is_production,
        },
        "instansi": None if settings.is_production else settings.demo_tenant,
    }


def portal_routes(settings: Settings) -> list[BaseRoute]:
    directory = portal_directory(settings)
    if directory is None:

        async def absent(request: Request) -> Response:
            return error_response(
                "NOT_FOUND", "no portal here: set EKINERJA_PORTAL_DIR to the portal's files", 404
            )

        return [Route(PREFIX, absent), Route(PREFIX + "/{path:path}", absent)]

    config = portal_config(settings)

    async def to_index(request: Request) -> Response:
        return RedirectResponse(PREFIX + "/", status_code=308)

    async def config_json(request: Request) -> Response:
        return JSONResponse(config)

    files = StaticFiles(directory=directory, html=True, follow_symlink=False)
    return [
        Route(PREFIX, to_index),
        Route(PREFIX + "/config.json", _PortalHeaders(request_response(config_json), settings)),
        # Compressed: a phone on a slow link downloads the gzipped sizes the budget counts.
        Mount(PREFIX, app=GZipMiddleware(_PortalHeaders(files, settings), minimum_size=512)),
    ]
