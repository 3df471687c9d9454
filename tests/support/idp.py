"""A small OpenID Connect provider for tests, served over real HTTP by uvicorn on a free local
port: real keys (joserfc), a JWKS endpoint, discovery, and the authorization-code flow with
PKCE (S256) — enough for the service to validate tokens and log browsers in."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

REALM_PATH = "/realms/ekinerja"


class TestIdentityProvider:
    __test__ = False  # not a test class, despite the name

    def __init__(self, issuer: str | None = None) -> None:
        # Listening before the server runs: connections queue in the kernel's backlog until
        # uvicorn accepts them, so nobody has to wait for "server started".
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = self._socket.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}{REALM_PATH}"
        self.issuer = issuer or self.base
        self.jwks_uri = f"{self.base}/certs"
        self.keys: list[Any] = [self.new_key("rsa-1")]
        self.jwks_hits = 0
        self.login_claims: dict[str, Any] = {}  # who "signs in" at /auth (auto-approved)
        self.client_id = "portal"
        self._codes: dict[str, dict[str, Any]] = {}
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

    # ---- the HTTP side

    def _app(self) -> Starlette:
        async def discovery(_request: Request) -> JSONResponse:
            return JSONResponse(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.base}/auth",
                    "token_endpoint": f"{self.base}/token",
                    "jwks_uri": self.jwks_uri,
                    "response_types_supported": ["code"],
                    "code_challenge_methods_supported": ["S256"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )

        async def certs(_request: Request) -> JSONResponse:
            self.jwks_hits += 1
            return JSONResponse(self.jwks())

        async def authorize(request: Request) -> RedirectResponse | JSONResponse:
            q = request.query_params
            if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                return JSONResponse({"error": "invalid_request", "why": "PKCE S256 required"}, 400)
            code = secrets.token_urlsafe(16)
            self._codes[code] = dict(q)
            target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
            return RedirectResponse(target, status_code=302)

        async def token(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            grant = self._codes.pop(str(form.get("code")), None)
            if grant is None:
                return JSONResponse({"error": "invalid_grant"}, 400)
            verifier = str(form.get("code_verifier", ""))
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if challenge != grant["code_challenge"]:
                return JSONResponse({"error": "invalid_grant", "why": "PKCE mismatch"}, 400)
            now = int(time.time())
            id_claims = {"aud": self.client_id, "nonce": grant.get("nonce"), "sub": "user"}
            return JSONResponse(
                {
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "access_token": self.token(self.login_claims),
                    "id_token": self.token({**id_claims, "auth_time": now}),
                }
            )

        return Starlette(
            routes=[
                Route(f"{REALM_PATH}/.well-known/openid-configuration", discovery),
                Route(f"{REALM_PATH}/certs", certs),
                Route(f"{REALM_PATH}/auth", authorize),
                Route(f"{REALM_PATH}/token", token, methods=["POST"]),
            ]
        )

    def start(self) -> None:
        self._server = uvicorn.Server(
            uvicorn.Config(self._app(), log_level="warning", lifespan="off")
        )
        sockets = [self._socket]
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve(sockets=sockets)), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
