"""What /graphql accepts as a request body, checked before any of it is used: at most
`graphql_max_body_bytes` (413 otherwise, refused from Content-Length before anything is read),
UTF-8 JSON nested at most 1024 deep (orjson's bound: no recursion, however deep the input),
and one JSON object (an operation; batches are not supported). Each refusal is a
RequestRefused, which the view answers with the /graphql envelope
`{"errors": [{"message", "extensions": {"code"}}]}`."""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope

from ekinerja.http.bounded_body import BodyTooLarge, ByteCount, check_declared
from ekinerja.refusals import RequestRefused


class BodyRefused(RequestRefused):
    def __init__(self, message: str, http_status: int = 400, code: str | None = None) -> None:
        super().__init__(message, code)
        self.http_status = http_status


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(f"the request body is over {limit} bytes", 413, "TOO_LARGE")


def limited(scope: Scope, receive: Receive, limit: int) -> Receive:
    """``receive`` for a request whose body may be at most ``limit`` bytes: refused at once
    when its Content-Length says more, else as soon as more arrives (a chunked body); the rule
    is bounded_body.py's."""
    if scope["type"] != "http":
        return receive
    try:
        check_declared(Headers(scope=scope), limit)
    except BodyTooLarge:
        raise _too_large(limit) from None
    count = ByteCount(limit)

    async def receive_within_limit() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            try:
                count.add(message.get("body", b""))
            except BodyTooLarge:
                raise _too_large(limit) from None
        return message

    return receive_within_limit


def decode_operation(body: str | bytes) -> dict[str, Any]:
    """The JSON object of one GraphQL operation, or a refusal saying what is wrong."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        # Invalid UTF-8, lone surrogates, NaN, nesting past 1024 and plain syntax errors alike.
        raise BodyRefused(f"the request body is not JSON: {error}") from None
    if isinstance(decoded, list):
        raise BodyRefused("batches are not supported: send one operation as a JSON object")
    if not isinstance(decoded, dict):
        raise BodyRefused(
            'the request body must be a JSON object such as {"query": "...", "variables": {}}'
        )
    return decoded


def as_refusal(error: HTTPException) -> BodyRefused:
    """Strawberry's own refusals of a request (unsupported content type, no query, an operation
    type the method does not allow, ...) in the same envelope as ours."""
    code = "NOT_FOUND" if error.status_code == 404 else None
    return BodyRefused(error.reason, error.status_code, code)
