"""The browser's side of server-side sessions (decision 0017): the cookie that carries the
session id, and authentication by it.

`SessionAuthenticator` wraps the token authenticator every endpoint uses: a request with an
Authorization header is a bearer request as before; one without it but with the session
cookie is authenticated by the session, after the same-origin check when it changes
something. So every endpoint that authenticates, today's and tomorrow's, gets both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection
from starlette.responses import Response

from ekinerja.auth import sesi as sessions
from ekinerja.auth.authentication import TENANT_HEADER, Authenticated, Authenticator, bind_instansi
from ekinerja.http.same_origin import allowed_origins, ensure_same_origin
from ekinerja.settings import Settings

if TYPE_CHECKING:
    from ekinerja.auth.sesi_idp import SessionIdp

COOKIE = "ekinerja_session"


class SessionAuthenticator:
    def __init__(
        self, tokens: Authenticator, settings: Settings, idp: SessionIdp | None = None
    ) -> None:
        self.tokens = tokens
        self.idp = idp  # renews a session's grant at the provider (issue 18)
        self.lifetimes = sessions.Lifetimes.of(settings)
        self.origins = allowed_origins(settings)

    async def authenticate(self, request: HTTPConnection) -> Authenticated:
        # A bearer request is decided by its header alone: its cookies are not even parsed.
        if (
            "authorization" in request.headers
            or (session_id := request.cookies.get(COOKIE)) is None
        ):
            return await self.tokens.authenticate(request)
        ensure_same_origin(request, self.origins)
        principal = await sessions.principal_of(session_id, self.lifetimes, self.idp)
        return await bind_instansi(principal, request.headers.get(TENANT_HEADER))


def set_session_cookie(
    response: Response, session_id: str, expires_at: datetime, settings: Settings
) -> None:
    """HttpOnly (no script reads it), SameSite=Lax (other sites' posts go without it),
    Secure in production; it dies with the session at the latest."""
    response.set_cookie(
        COOKIE,
        session_id,
        expires=expires_at.astimezone(UTC),  # the header wants GMT
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=settings.is_production
    )
