"""A small OpenID Connect provider for tests, served over real HTTP by uvicorn on a free local
port: real keys (joserfc), a JWKS endpoint, discovery, and the authorization-code flow with
PKCE (S256) — enough for the service to validate tokens and log browsers in.

With `issues_refresh_tokens` it also behaves as Keycloak does with refresh tokens (issue 18):
the code exchange gives one, the refresh_token grant rotates it (the access token carries the
then current `login_claims`: roles changed since login show), a spent one used again is
refused (`invalid_grant`) and ends its whole family, and the RFC 7009 revocation endpoint ends
a family; what happened is counted for the tests (`refreshes`, `reuses`, `revoked`)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode

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
        self.reset_refresh()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def reset_refresh(self) -> None:
        """No refresh tokens (the default of the session-wide provider), nothing counted."""
        self.issues_refresh_tokens = False
        self.access_lifetime = 300
        self.token_endpoint_down = False  # answers 503
        self.token_endpoint_stall = 0.0  # seconds of silence before a 504 (no token spent)
        self.token_endpoint_delay = 0.0  # seconds before a refresh is answered (and done)
        self.revocation_down = False
        self.refreshes = 0  # refresh grants honoured
        self.reuses = 0  # spent refresh tokens presented again
        self.revoked: list[str] = []  # refresh tokens revoked at /revoke
        self.issued: list[str] = []  # every refresh token handed out
        self._family_of: dict[str, str] = {}  # refresh token -> its family
        self._current: dict[str, str | None] = {}  # family -> its live token (None: ended)

    def _new_refresh(self, family: str) -> str:
        token = "rt-" + secrets.token_urlsafe(24)
        self._family_of[token] = family
        self._current[family] = token
        self.issued.append(token)
        return token

    def current_refresh_tokens(self) -> list[str]:
        return [token for token in self._current.values() if token is not None]

    def end_all_refresh_tokens(self) -> None:
        """The provider forgets every grant (its admin logged everyone out, the SSO session
        expired): each refresh token is refused from now on."""
        for family in self._current:
            self._current[family] = None

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
                    "revocation_endpoint": f"{self.base}/revoke",
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

        def client_of(request: Request, form: dict[str, str]) -> str | None:
            header = request.headers.get("authorization", "")
            if header.lower().startswith("basic "):
                decoded = base64.b64decode(header[6:]).decode()
                return unquote(decoded.partition(":")[0])
            return form.get("client_id")

        async def refresh(request: Request, form: dict[str, str]) -> JSONResponse:
            if self.token_endpoint_stall:
                await asyncio.sleep(self.token_endpoint_stall)
                return JSONResponse({"error": "temporarily_unavailable"}, 504)
            if self.token_endpoint_down:
                return JSONResponse({"error": "temporarily_unavailable"}, 503)
            if client_of(request, form) != self.client_id:
                return JSONResponse({"error": "invalid_client"}, 401)
            if self.token_endpoint_delay:
                await asyncio.sleep(self.token_endpoint_delay)
            presented = str(form.get("refresh_token"))
            family = self._family_of.get(presented)
            if family is None or self._current.get(family) is None:
                return JSONResponse({"error": "invalid_grant", "why": "unknown or ended"}, 400)
            if self._current[family] != presented:
                self.reuses += 1
                self._current[family] = None  # a spent token again: the family is ended
                return JSONResponse({"error": "invalid_grant", "why": "reused"}, 400)
            self.refreshes += 1
            return JSONResponse(
                {
                    "token_type": "Bearer",
                    "expires_in": self.access_lifetime,
                    "access_token": self.token(self.login_claims, lifetime=self.access_lifetime),
                    "refresh_token": self._new_refresh(family),
                }
            )

        async def revoke(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            if self.revocation_down:
                return JSONResponse({"error": "temporarily_unavailable"}, 503)
            if client_of(request, form) != self.client_id:
                return JSONResponse({"error": "invalid_client"}, 401)
            presented = str(form.get("token"))
            self.revoked.append(presented)
            family = self._family_of.get(presented)
            if family is not None:
                self._current[family] = None
            return JSONResponse({})  # RFC 7009: 200 whether or not the token was known

        async def token(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            if form.get("grant_type") == "refresh_token":
                return await refresh(request, form)
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
            tokens = {
                "token_type": "Bearer",
                "expires_in": self.access_lifetime,
                "access_token": self.token(self.login_claims, lifetime=self.access_lifetime),
                "id_token": self.token({**id_claims, "auth_time": now}),
            }
            if self.issues_refresh_tokens:
                tokens["refresh_token"] = self._new_refresh(secrets.token_urlsafe(8))
            return JSONResponse(tokens)

        return Starlette(
            routes=[
                Route(f"{REALM_PATH}/.well-known/openid-configuration", discovery),
                Route(f"{REALM_PATH}/certs", certs),
                Route(f"{REALM_PATH}/auth", authorize),
                Route(f"{REALM_PATH}/token", token, methods=["POST"]),
                Route(f"{REALM_PATH}/revoke", revoke, methods=["POST"]),
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
