"""A small identity provider for tests: real keys (joserfc), a JWKS endpoint served over real
HTTP by uvicorn on a free local port, and real signed tokens."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


class TestIdentityProvider:
    __test__ = False  # not a test class, despite the name

    def __init__(self, issuer: str = "https://sso.test/realms/ekinerja") -> None:
        self.issuer = issuer
        self.keys: list[Any] = [self.new_key("rsa-1")]
        self.jwks_hits = 0
        # Listening before the server runs: connections queue in the kernel's backlog until
        # uvicorn accepts them, so nobody has to wait for "server started".
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = self._socket.getsockname()[1]
        self.jwks_uri = f"http://127.0.0.1:{self.port}/certs"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @staticmethod
    def new_key(kid: str, kind: str = "RSA"):
        if kind == "EC":
            return ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig"})
        return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig"})

    def rotate(self, kid: str, kind: str = "RSA"):
        """Publish a new key (the old ones stay published, as IdPs do during rotation)."""
        key = self.new_key(kid, kind)
        self.keys.append(key)
        return key

    def jwks(self) -> dict:
        return KeySet(self.keys).as_dict(private=False)

    def token(
        self,
        claims: dict[str, Any] | None = None,
        *,
        key=None,
        alg: str = "RS256",
        header: dict[str, Any] | None = None,
        lifetime: int = 300,
    ) -> str:
        key = key or self.keys[0]
        now = int(time.time())
        body = {"iss": self.issuer, "aud": "ekinerja", "iat": now, "exp": now + lifetime}
        body.update(claims or {})
        return jwt.encode({"alg": alg, "kid": key.kid, **(header or {})}, body, key)

    # ---- serving the JWKS over HTTP

    def start(self) -> None:
        async def certs(_request):
            self.jwks_hits += 1
            return JSONResponse(self.jwks())

        app = Starlette(routes=[Route("/certs", certs)])
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        sockets = [self._socket]
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve(sockets=sockets)), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
