"""`POST /oauth/token` (client credentials, RFC 6749 §4.4) and `GET /oauth/jwks.json` (the
public keys its tokens are signed with, for anyone else who wants to check them).

Errors follow RFC 6749 §5.2: JSON `{error, error_description}`, 401 `invalid_client` for bad
credentials (with `WWW-Authenticate` when they came as HTTP Basic), 400 otherwise.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ekinerja.auth.api_clients import authenticate_secret
from ekinerja.auth.service_tokens import NoSigningKey, issue, public_keys
from ekinerja.settings import Settings

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(status: int, code: str, description: str, basic: bool = False) -> JSONResponse:
    headers = dict(NO_STORE)
    if basic and status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="ekinerja"'
    return JSONResponse({"error": code, "error_description": description}, status, headers)


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


def oauth_routes(settings: Settings) -> list[Route]:
    async def token(request: Request) -> JSONResponse:
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return _error(
                400, "invalid_request", "send the form as application/x-www-form-urlencoded"
            )
        # Parsed here (RFC 6749 bodies are small url-encoded forms), not with Starlette's
        # form parser, which would need python-multipart for nothing else.
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        form = {name: values[0] for name, values in fields.items()}
        if form.get("grant_type") != "client_credentials":
            return _error(400, "unsupported_grant_type", "only grant_type=client_credentials")
        basic = _basic(request)
        client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
        if not client_id or not secret:
            return _error(
                401, "invalid_client", "send client_id and client_secret", basic is not None
            )
        client = await authenticate_secret(str(client_id), str(secret))
        if client is None:
            return _error(
                401, "invalid_client", "unknown client or wrong secret", basic is not None
            )
        requested = str(form.get("scope") or "").split()
        unknown = sorted(set(requested) - set(client.scopes))
        if unknown:
            return _error(400, "invalid_scope", f"not granted to this client: {' '.join(unknown)}")
        scopes = sorted(set(requested or client.scopes))
        try:
            access_token, lifetime = issue(settings, client.client_id, scopes)
        except NoSigningKey as exc:
            return _error(503, "temporarily_unavailable", str(exc))
        return JSONResponse(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": lifetime,
                "scope": " ".join(scopes),
            },
            headers=NO_STORE,
        )

    async def jwks(_request: Request) -> JSONResponse:
        try:
            return JSONResponse(public_keys(settings).as_dict())
        except NoSigningKey as exc:
            return _error(404, "not_found", str(exc))

    return [
        Route("/oauth/token", token, methods=["POST"]),
        Route("/oauth/jwks.json", jwks, methods=["GET"]),
    ]
