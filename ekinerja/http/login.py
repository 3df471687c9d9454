"""Browser login for portals and GraphiQL: OIDC authorization code with PKCE (S256) through
authlib's Starlette client; the validated access token lives in a signed, HTTP-only session
cookie and goes through the same validation as a bearer token on every request.

In development mode `/auth/dev-login` signs in as a demo pegawai with a local development token.
"""

from __future__ import annotations

import html
import warnings

import authlib.deprecate  # noqa: F401  (installs authlib's own "always show" filter first)

from ekinerja.refusals import RequestRefused

with warnings.catch_warnings():
    # authlib 1.9 announces a future move of its httpx integration on import; nothing to do yet.
    warnings.filterwarnings("ignore", "The httpx module is deprecated")
    from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ekinerja import audit
from ekinerja.auth.authentication import (
    SESSION_TOKEN_KEY,
    TokenAuthenticator,
    bind_instansi,
    principal_from,
)
from ekinerja.auth.dev_tokens import DEV_ADMIN_ROLE, mint_dev_token
from ekinerja.models.tenant import Pegawai
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import TenantError
from ekinerja.tenants.registry import as_bound, get_servable_instansi


def _refused(error: RequestRefused) -> JSONResponse:
    return JSONResponse(
        {"error": error.code, "message": error.message}, status_code=error.http_status
    )


def login_routes(settings: Settings, authenticator: TokenAuthenticator) -> list[Route]:
    oauth = OAuth()
    if settings.oidc_issuer and settings.oidc_client_id:
        oauth.register(
            "sso",
            server_metadata_url=settings.oidc_discovery_url
            or f"{settings.oidc_issuer}/.well-known/openid-configuration",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
        )

    async def start_session(request: Request, token: str, via: str) -> Response:
        try:
            principal = await principal_from(await authenticator.verify(token))
            bound = await bind_instansi(principal, None)
        except RequestRefused as error:
            return _refused(error)
        request.session.clear()
        request.session[SESSION_TOKEN_KEY] = token
        if bound.instansi is not None:
            async with tenant_transaction(as_bound(bound.instansi)):
                await audit.record(
                    principal.subject, "login", "principal", principal.subject, via=via
                )
        return RedirectResponse("/graphql", status_code=303)

    async def login(request: Request) -> Response:
        if oauth.create_client("sso") is None:
            return JSONResponse(
                {
                    "error": "LOGIN_NOT_CONFIGURED",
                    "message": "set EKINERJA_OIDC_ISSUER and "
                    "EKINERJA_OIDC_CLIENT_ID to enable browser login",
                },
                status_code=404,
            )
        return await oauth.sso.authorize_redirect(request, str(request.url_for("auth_callback")))

    async def callback(request: Request) -> Response:
        try:
            tokens = await oauth.sso.authorize_access_token(request)
        except OAuthError as error:
            return JSONResponse(
                {"error": "LOGIN_FAILED", "message": error.description or error.error},
                status_code=401,
            )
        return await start_session(request, tokens["access_token"], via="oidc")

    async def logout(request: Request) -> Response:
        request.session.clear()
        return RedirectResponse("/graphql", status_code=303)

    async def dev_login(request: Request) -> Response:
        if settings.is_production:
            return JSONResponse({"error": "NOT_FOUND"}, status_code=404)
        kode = request.query_params.get("instansi", settings.demo_tenant)
        nip = request.query_params.get("nip")
        if nip:
            roles = (DEV_ADMIN_ROLE,) if request.query_params.get("admin") else ()
            token = mint_dev_token(settings, nip=nip, instansi=kode, roles=roles)
            return await start_session(request, token, via="development")
        return HTMLResponse(await _demo_users_page(kode))

    return [
        Route("/auth/login", login, name="auth_login"),
        Route("/auth/callback", callback, name="auth_callback"),
        Route("/auth/logout", logout, name="auth_logout"),
        Route("/auth/dev-login", dev_login, name="auth_dev_login"),
    ]


async def _demo_users_page(kode: str) -> str:
    try:
        instansi = await get_servable_instansi(kode)
    except TenantError as error:
        return f"<p>{html.escape(error.message)}</p>"
    async with tenant_transaction(as_bound(instansi)):
        people = await Pegawai.all().order_by("id").limit(25)
    items = "".join(
        f"<li>{html.escape(p.nama)} ({p.nip}) — "
        f'<a href="?instansi={kode}&nip={p.nip}">as pegawai</a> · '
        f'<a href="?instansi={kode}&nip={p.nip}&admin=1">as admin instansi</a></li>'
        for p in people
    )
    empty = "<li>No pegawai yet: run <code>ekinerja demo seed</code>.</li>"
    return (
        f"<h1>Log in to {html.escape(instansi.nama)} as a demo user</h1>"
        f"<p>Development mode only.</p><ul>{items or empty}</ul>"
    )
