"""What /graphql accepts as a request body, checked before any of it is used: declared as
`application/json` (UTF-8; any other Content-Type, or none, is 415 `UNSUPPORTED_TYPE`), at most
`graphql_max_body_bytes` (413 otherwise, refused from Content-Length before anything is read),
all arrived within `request_body_seconds` of the view starting to read it (408 `BODY_TIMEOUT`
otherwise: a sender that stalls or trickles its body holds a worker no longer),
UTF-8 JSON nested at most 1024 deep (orjson's bound: no recursion, however deep the input),
and one JSON object (an operation; batches are not supported) whose `operationName` is a string
or null. Each refusal is a RequestRefused, which the view answers with the /graphql envelope
`{"errors": [{"message", "extensions": {"code"}}]}`."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope

from ekinerja.http.bounded_body import BodyTimeout, BodyTooLarge, ByteCount, check_declared
from ekinerja.refusals import RequestRefused


class BodyRefused(RequestRefused):
    def __init__(
        self,
        message: str,
        http_status: int = 400,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, code)
        self.http_status = http_status
        self.headers = headers or {}


REQUEST_MEDIA_TYPE = "application/json"


def check_content_type(headers: Headers) -> None:
    """A POST body must be declared `application/json`, in UTF-8 (the spec's one required
    request type; form and multipart bodies are refused: they are what a cross-site form can
    send without a preflight). No Content-Type is refused too, as the spec recommends."""
    declared = headers.get("content-type")
    media, *parameters = (p.strip() for p in (declared or "").split(";"))
    charset = next(
        (
            v.strip().strip('"').lower()
            for n, _, v in (p.partition("=") for p in parameters)
            if n.strip().lower() == "charset"
        ),
        "utf-8",
    )
    if media.lower() == REQUEST_MEDIA_TYPE and charset in ("utf-8", "utf8"):
        return
    said = f"Content-Type {declared[:100]!r}" if declared else "no Content-Type"
    raise BodyRefused(
        f"the request body must be {REQUEST_MEDIA_TYPE} in UTF-8 (the request had {said})",
        415,
        "UNSUPPORTED_TYPE",
        {"Accept-Post": f"{REQUEST_MEDIA_TYPE}; charset=utf-8"},
    )


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(f"the request body is over {limit} bytes", 413, "TOO_LARGE")


def _too_slow(seconds: float) -> BodyRefused:
    return BodyRefused(str(BodyTimeout(seconds)), 408, "BODY_TIMEOUT")


def limited(scope: Scope, receive: Receive, limit: int, seconds: float | None = None) -> Receive:
    """``receive`` for a request whose body may be at most ``limit`` bytes: refused at once
    when its Content-Length says more, else as soon as more arrives (a chunked body); the rule
    is bounded_body.py's. With ``seconds``, the whole body must have arrived that long after
    this call (408); what is received after it (a disconnect) is waited for as long as it
    takes."""
    if scope["type"] != "http":
        return receive
    try:
        check_declared(Headers(scope=scope), limit)
    except BodyTooLarge:
        raise _too_large(limit) from None
    count = ByteCount(limit)
    loop = asyncio.get_running_loop()
    deadline = None if seconds is None else loop.time() + seconds
    body_complete = False

    async def receive_within_limit() -> Message:
        nonlocal body_complete
        if body_complete or deadline is None:
            message = await receive()
        else:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _too_slow(seconds) from None
        if message["type"] == "http.request":
            try:
                count.add(message.get("body", b""))
            except BodyTooLarge:
                raise _too_large(limit) from None
            body_complete = not message.get("more_body", False)
        return message

    return receive_within_limit


async def read_body(request: Request) -> bytes:
    """The whole body of ``request``, read from its ``receive`` (``limited``: bounded, within
    its deadline) without Starlette's stream generator, and kept where Request.body() keeps it,
    so a later read gets it again."""
    chunks = []
    while True:
        message = await request.receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    request._body = body  # Starlette's own attribute for a body already read
    return body


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
    operation_name = decoded.get("operationName")
    if not isinstance(operation_name, (str, type(None))):
        raise BodyRefused("operationName must be a string or null, if provided")
    if operation_name == "":
        decoded["operationName"] = None  # the spec: the empty string is the same as none
    return decoded


def as_refusal(error: HTTPException) -> BodyRefused:
    """Strawberry's own refusals of a request (unsupported content type, no query, an operation
    type the method does not allow, ...) in the same envelope as ours."""
    code = "NOT_FOUND" if error.status_code == 404 else None
    return BodyRefused(error.reason, error.status_code, code)
