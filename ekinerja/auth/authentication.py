"""Turning a request into a principal.

The service takes an ``Authenticator``; the default authenticates nobody, so every field that
needs a principal is refused until token validation (OIDC, issue 4) is plugged in here. Deny
when unsure.
"""

from __future__ import annotations

from typing import Protocol

from starlette.requests import HTTPConnection

from ekinerja.auth.principal import Principal


class Authenticator(Protocol):
    async def authenticate(self, request: HTTPConnection) -> Principal | None: ...


class NoAuthentication:
    async def authenticate(self, request: HTTPConnection) -> Principal | None:
        return None
