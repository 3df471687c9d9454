"""`POST /oauth/token` (client credentials, RFC 6749 §4.4) and `GET /oauth/jwks.json` (the
public keys its tokens are signed with, for anyone else who wants to check them).

Errors follow RFC 6749 §5.2, for OAuth libraries: JSON `{error, error_description}`, and
carry the service's one error envelope beside them (`errors`, decision 0031: the code in
`extensions.code`, e.g. UNAUTHENTICATED, and the request id), 401 `invalid_client` for bad
credentials (with `WWW-Authenticate` when they came as HTTP Basic), 400 otherwise; 413 for a
form over 4 KiB; 408 (`invalid_request`, code BODY_TIMEOUT) for a form that has not all arrived
within `request_body_seconds` (a stalled sender holds a worker no longer); 429 `slow_down` (the
OAuth registry's code for "too fast", RFC 8628) with `Retry-After` past the per-address or
per-client-id rate (settings `token_rate_per_*`), which bounds guessing a client's secret. The
address is the peer's, or behind a trusted reverse proxy the one it forwarded for
(client_address.py).
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from urllib.parse import parse_qs, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ekinerja.auth.api_clients import authenticate_secret
from ekinerja.auth.service_tokens import NoSigningKey, issue, public_keys
from ekinerja.http.bounded_body import BodyTimeout, BodyTooLarge, read_bounded
from ekinerja.http.client_address import client_address
from ekinerja.http.envelope import oauth_body
from ekinerja.http.rate_limit import RateLimiter
from ekinerja.settings import Settings

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_FORM_BYTES = 4096  # grant type, id, secret and scopes fit many times over
# RFC 6749's error (and status, where it tells more) -> the envelope's code.
_CODES: dict[tuple[str, int | None], str] = {
    ("invalid_request", 413): "TOO_LARGE",
    ("invalid_request", 408): "BODY_TIMEOUT",
    ("invalid_request", None): "BAD_REQUEST",
    ("invalid_client", None): "UNAUTHENTICATED",
    ("unsupported_grant_type", None): "BAD_REQUEST",
    ("invalid_scope", None): "FORBIDDEN",
    ("slow_down", None): "RATE_LIMITED",
    ("temporarily_unavailable", None): "TOKEN_ISSUER_UNAVAILABLE",
    ("not_found", None): "NOT_FOUND",
}


def _error(
    status: int, code: str, description: str, basic: bool = False, retry_after: int | None = None
) -> JSONResponse:
    headers = dict(NO_STORE)
    if basic and status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="ekinerja"'
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    ours = _CODES.get((code, status)) or _CODES[(code, None)]
    return JSONResponse(oauth_body(code, description, ours), status, headers)


def _slow_down(limiter: RateLimiter, key: str, who: str) -> JSONResponse | None:
    wait = limiter.retry_after(key)
    if wait is None:
        return None
    message = f"too many token requests {who}; retry in {wait} s"
    return _error(429, "slow_down", message, retry_after=wait)


async def _small_body(request: Request, seconds: float) -> bytes | JSONResponse:
    """The body, or the refusal once it passes MAX_FORM_BYTES or has not all arrived within
    ``seconds`` (read no further; bounded_body.py)."""
    try:
        return await read_bounded(request.headers, request.stream(), MAX_FORM_BYTES, seconds)
    except BodyTooLarge:
        return _error(413, "invalid_request", f"the form is over {MAX_FORM_BYTES} bytes")
    except BodyTimeout as error:
        return _error(408, "invalid_request", str(error))


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


def oauth_routes(settings: Settings, clock: Callable[[], float] = time.monotonic) -> list[Route]:
    """The routes; ``clock`` drives the rate limits (tests pass their own)."""
    per_address = RateLimiter(settings.token_rate_per_address, clock)
    per_client = RateLimiter(settings.token_rate_per_client, clock)

    async def token(request: Request) -> JSONResponse:
        address = client_address(request, settings.trusted_proxies)
        limited = _slow_down(per_address, address, "from this address")
        if limited is not None:
            return limited
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return _error(
                400, "invalid_request", "send the form as application/x-www-form-urlencoded"
            )
        body = await _small_body(request, settings.request_body_seconds)
        if isinstance(body, JSONResponse):
            return body
        # Parsed here (RFC 6749 bodies are small url-encoded forms), not with Starlette's
        # form parser, which would need python-multipart for nothing else.
        fields = parse_qs(body.decode("utf-8", "replace"))
        form = {name: values[0] for name, values in fields.items()}
        if form.get("grant_type") != "client_credentials":
            return _error(400, "unsupported_grant_type", "only grant_type=client_credentials")
        basic = _basic(request)
        client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
        if not client_id or not secret:
            return _error(
                401, "invalid_client", "send client_id and client_secret", basic is not None
            )
        # Counted whatever the outcome, known id or not: this is what bounds secret guessing.
        limited = _slow_down(per_client, str(client_id), "for this client id")
        if limited is not None:
            return limited
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
