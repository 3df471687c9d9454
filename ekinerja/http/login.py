"""Browser login for portals and GraphiQL: OIDC authorization code with PKCE (S256) through
authlib's Starlette client. The access token is validated once, at login, into a server-side
session (decision 0017); the browser gets only the session's random id in an HTTP-only cookie.
Logout is a POST that revokes the session. The OIDC state and PKCE verifier ride in a separate
short-lived cookie, `ekinerja_login`, signed by Starlette's SessionMiddleware and sent to
/auth only; it never holds a token.

`/auth/login?kembali=...` says where the callback goes after the login (default /graphql), kept
in that cookie: a path of this service (one leading "/", not "//") or a URL of an origin in the
CORS allowlist (a portal on its own origin). Anything else is refused at the start, 400
INVALID_INPUT naming `kembali`: the login is no open redirect.

In development mode `/auth/dev-login` signs in as a demo pegawai with a local development token
(`?nip=NIP[&admin=1][&kembali=...]`, `kembali` checked as for the login).
"""

from __future__ import annotations

import html
import warnings
from datetime import UTC, datetime
from urllib.parse import urlsplit

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
from ekinerja.auth import sesi as sessions
from ekinerja.auth.authentication import TokenAuthenticator, bind_instansi, principal_from
from ekinerja.auth.dev_tokens import DEV_ADMIN_ROLE, mint_dev_token
from ekinerja.auth.sesi_idp import SessionIdp
from ekinerja.http.browser_sessions import COOKIE, clear_session_cookie, set_session_cookie
from ekinerja.http.client_address import UNKNOWN, client_address
from ekinerja.http.cors import CorsPolicy
from ekinerja.http.envelope import error_response, refusal_response
from ekinerja.http.same_origin import allowed_origins, ensure_same_origin, origin_of
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.kepegawaian.demo.identities import DemoRole, demo_identities
from ekinerja.models.shared import Instansi, SesiBrowser
from ekinerja.models.tenant import Pegawai
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import TenantError
from ekinerja.tenants.registry import as_bound, get_servable_instansi


def _refused(error: RequestRefused) -> JSONResponse:
    return refusal_response(error)


DEFAULT_RETURN = "/graphql"
_DEV_PEOPLE_PER_ROLE = 5
RETURN_PARAMETER = "kembali"
_RETURN_KEY = "kembali"  # in the signed login-state cookie
_MAX_RETURN = 1000  # characters: the login-state cookie must stay small


def return_target(kembali: str, origins: frozenset[str]) -> str | None:
    """``kembali`` if a browser sent there stays on this service or goes to an allowed origin,
    else None. Only printable ASCII without a backslash is considered: browsers read "\\" as "/"
    and drop tabs and newlines, so "/\\evil" or "/<TAB>/evil" would be "//evil" to them."""
    if not kembali or len(kembali) > _MAX_RETURN or "\\" in kembali:
        return None
    if any(not 0x20 < ord(character) < 0x7F for character in kembali):
        return None
    if kembali.startswith("/"):
        return None if kembali.startswith("//") else kembali  # a path here; "//" is a host
    try:
        parts = urlsplit(kembali)
    except ValueError:
        return None
    if "@" in parts.netloc:
        return None  # credentials in the URL: where it goes is not what it seems to say
    origin = origin_of(kembali)
    if origin is None or origin not in origins:
        return None
    return kembali


def _bad_return() -> JSONResponse:
    return error_response(
        "INVALID_INPUT",
        f"`{RETURN_PARAMETER}` must be a path of this service (starting with one /) or a "
        "URL of an origin in EKINERJA_CORS_ALLOWED_ORIGINS",
        400,
        field=RETURN_PARAMETER,
    )


def login_routes(
    settings: Settings, authenticator: TokenAuthenticator, idp: SessionIdp | None = None
) -> list[Route]:
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

    lifetimes = sessions.Lifetimes.of(settings)
    origins = allowed_origins(settings)
    return_origins = CorsPolicy.of(settings).origins  # the session's origins are among them

    async def start_session(
        request: Request,
        token: str,
        via: str,
        kembali: str = DEFAULT_RETURN,
        refresh_token: str | None = None,
    ) -> Response:
        """The one way into a browser session (OIDC callback, development login). The OIDC
        provider's refresh token, if it gave one, is kept sealed in the row (issue 18)."""
        try:
            address = client_address(request, settings.trusted_proxies)
            verified = await authenticator.verify(token)
            principal = await principal_from(verified)
            bound = await bind_instansi(principal, None)
            session_id, row = await sessions.start(
                principal,
                datetime.fromtimestamp(verified.claims["exp"], UTC),
                lifetimes,
                user_agent=request.headers.get("user-agent"),
                # Behind a trusted reverse proxy, the client it forwarded for (client_address.py).
                ip_address=None if address == UNKNOWN else address,
                refresh_token=refresh_token,
                idp=idp,
            )
        except RequestRefused as error:
            if refresh_token and idp is not None:
                await idp.provider.revoke(refresh_token)  # no session holds it: best effort
            return _refused(error)
        request.session.clear()  # the login state is spent
        if previous := request.cookies.get(COOKIE):
            # No session lives on unseen under a new login. Its refresh token is dropped, not
            # revoked at the provider: the new login is likely the same SSO session there
            # (Keycloak revokes the client's session with the token, the new grant with it).
            await sessions.end(previous)
        if bound.instansi is not None:
            async with tenant_transaction(as_bound(bound.instansi)):
                await audit.record(
                    principal.subject, "login", "principal", principal.subject, via=via
                )
        response = RedirectResponse(kembali, status_code=303)
        set_session_cookie(response, session_id, row.expires_at, settings)
        return response

    async def login(request: Request) -> Response:
        if oauth.create_client("sso") is None:
            return error_response(
                "LOGIN_NOT_CONFIGURED",
                "set EKINERJA_OIDC_ISSUER and EKINERJA_OIDC_CLIENT_ID to enable browser login",
                404,
            )
        kembali = request.query_params.get(RETURN_PARAMETER)
        if kembali is not None and return_target(kembali, return_origins) is None:
            return _bad_return()
        request.session.pop(_RETURN_KEY, None)
        if kembali is not None:
            request.session[_RETURN_KEY] = kembali  # signed: the callback can trust it came here
        return await oauth.sso.authorize_redirect(request, str(request.url_for("auth_callback")))

    async def callback(request: Request) -> Response:
        try:
            tokens = await oauth.sso.authorize_access_token(request)
        except OAuthError as error:
            return error_response("LOGIN_FAILED", error.description or error.error, 401)
        # Checked again: the allowlist may have changed since the login started.
        kept = request.session.get(_RETURN_KEY)
        kembali = return_target(kept, return_origins) if isinstance(kept, str) else None
        refresh_token = tokens.get("refresh_token")
        return await start_session(
            request,
            tokens["access_token"],
            via="oidc",
            kembali=kembali or DEFAULT_RETURN,
            refresh_token=refresh_token if isinstance(refresh_token, str) else None,
        )

    async def logout(request: Request) -> Response:
        if request.method != "POST":
            # A link (or a prefetch, or another site's <img>) must not end a session.
            return HTMLResponse(_LOGOUT_PAGE)
        session_id = request.cookies.get(COOKIE)
        if session_id is not None:
            try:
                ensure_same_origin(request, origins)
            except RequestRefused as error:
                return _refused(error)
            # Its refresh token is revoked at the provider too (best effort, with a timeout):
            # the session here ends whatever the provider answers.
            ended = await sessions.end(session_id, idp)
            if ended is not None and ended.instansi_kode is not None:
                await _audit_logout(ended)
        response = RedirectResponse("/graphql", status_code=303)
        clear_session_cookie(response, settings)
        return response

    async def dev_login(request: Request) -> Response:
        if settings.is_production:
            return error_response("NOT_FOUND", "no development login in production", 404)
        kode = request.query_params.get("instansi", settings.demo_tenant)
        nip = request.query_params.get("nip")
        if nip:
            kembali = request.query_params.get(RETURN_PARAMETER)
            target = DEFAULT_RETURN if kembali is None else return_target(kembali, return_origins)
            if target is None:
                return _bad_return()
            roles = (DEV_ADMIN_ROLE,) if request.query_params.get("admin") else ()
            token = mint_dev_token(settings, nip=nip, instansi=kode, roles=roles)
            return await start_session(request, token, via="development", kembali=target)
        return HTMLResponse(await _demo_users_page(kode))

    async def dev_people(request: Request) -> Response:
        """Development: who to log in as, by role, for a portal's login page (issue 19)."""
        if settings.is_production:
            return error_response("NOT_FOUND", "no development login in production", 404)
        kode = request.query_params.get("instansi", settings.demo_tenant)
        try:
            instansi = await get_servable_instansi(kode)
        except TenantError as error:
            return error_response(error.code, error.message, 404, field="instansi")
        async with tenant_transaction(as_bound(instansi)):
            today = await hari_ini()
            found = {
                role.value: [
                    {"nip": who.nip, "nama": who.nama, "jabatan": who.jabatan, "unit": who.unit}
                    for who in await demo_identities(role, today, _DEV_PEOPLE_PER_ROLE)
                ]
                for role in DemoRole
            }
        return JSONResponse({"instansi": kode, "nama": instansi.nama, "peran": found})

    return [
        Route("/auth/dev-login/pengguna", dev_people, name="auth_dev_people"),
        Route("/auth/login", login, name="auth_login"),
        Route("/auth/callback", callback, name="auth_callback"),
        Route("/auth/logout", logout, methods=["GET", "POST"], name="auth_logout"),
        Route("/auth/dev-login", dev_login, name="auth_dev_login"),
    ]


_LOGOUT_PAGE = """<!doctype html><title>Log out</title>
<form method="post" action="/auth/logout"><button type="submit">Log out</button></form>"""


async def _audit_logout(ended: SesiBrowser) -> None:
    instansi = await Instansi.get_or_none(kode=ended.instansi_kode)
    if instansi is not None:
        async with tenant_transaction(as_bound(instansi)):
            await audit.record(ended.nip, "logout", "principal", ended.nip)


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
