"""Authentication and authorization refusals that end a request with 401 or 403 and no data."""

from __future__ import annotations

from ekinerja.refusals import RequestRefused


class AuthError(RequestRefused):
    code = "UNAUTHENTICATED"
    http_status = 401


class InvalidToken(AuthError):
    code = "INVALID_TOKEN"


class AccessDenied(AuthError):
    code = "FORBIDDEN"
    http_status = 403
