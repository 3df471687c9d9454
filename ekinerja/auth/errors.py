"""Authentication and authorization refusals that end a request with 401 or 403 and no data."""

from __future__ import annotations


class AuthError(Exception):
    code = "UNAUTHENTICATED"
    http_status = 401

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidToken(AuthError):
    code = "INVALID_TOKEN"


class AccessDenied(AuthError):
    code = "FORBIDDEN"
    http_status = 403
