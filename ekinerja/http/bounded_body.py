"""Reading a request body under a byte limit (and, for callers that give one, a deadline): the
one rule every endpoint that reads a body applies. A body whose Content-Length already says it
is too large is refused before any of it is read; one that arrives larger (chunked, or lying
about its length) is refused as soon as the byte past the limit arrives, and no more is read. A
deadline bounds a sender trickling its body.

Callers map the two exceptions to their own answers: /graphql to its envelope's 413
TOO_LARGE (graphql_body.py), the token endpoint to RFC 6749's `invalid_request` (oauth.py),
the file uploads to 413 TOO_LARGE / 408 BODY_TIMEOUT.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Mapping
from pathlib import Path


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is over {limit} bytes")
        self.limit = limit


class BodyTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request body did not arrive within {seconds:g} s")
        self.seconds = seconds


def check_declared(headers: Mapping[str, str], limit: int) -> None:
    """Refuse a body whose Content-Length says it is over ``limit``, before reading any. A
    missing or malformed length is no refusal: the count of what arrives still applies."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)


class ByteCount:
    """The bytes of one body so far; ``add`` refuses the chunk that takes it past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.received = 0

    def add(self, chunk: bytes) -> bytes:
        self.received += len(chunk)
        if self.received > self.limit:
            raise BodyTooLarge(self.limit)
        return chunk


async def read_bounded(
    headers: Mapping[str, str],
    chunks: AsyncIterable[bytes],
    limit: int,
    seconds: float | None = None,
) -> bytes:
    """The whole body, at most ``limit`` bytes, arrived within ``seconds`` (None: no deadline)."""
    check_declared(headers, limit)
    count, parts = ByteCount(limit), []

    async def read() -> None:
        async for chunk in chunks:
            parts.append(count.add(chunk))

    await _within(read(), seconds)
    return b"".join(parts)


async def write_bounded(
    headers: Mapping[str, str],
    chunks: AsyncIterable[bytes],
    path: Path,
    limit: int,
    seconds: float | None = None,
) -> None:
    """The body streamed to ``path`` (for files too large to hold), under the same rules; what
    was written of a refused body stays for the caller to remove with its directory."""
    check_declared(headers, limit)
    count = ByteCount(limit)

    async def write() -> None:
        with path.open("wb") as out:
            async for chunk in chunks:
                out.write(count.add(chunk))

    await _within(write(), seconds)


async def _within(reading, seconds: float | None) -> None:
    if seconds is None:
        await reading
        return
    try:
        async with asyncio.timeout(seconds):
            await reading
    except TimeoutError:
        raise BodyTimeout(seconds) from None
