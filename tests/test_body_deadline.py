"""A request body must arrive within EKINERJA_REQUEST_BODY_SECONDS on /graphql and
/oauth/token too, as it must on the imports: a client that sends its headers and then stalls
(slowloris) held a worker for as long as its connection lived, under the byte limit but with no
time limit. Now it is answered 408 BODY_TIMEOUT in the one error envelope.

The stall is real: the app under uvicorn on a socket, a raw client that promises 100 bytes,
sends a few and waits. Nothing sleeps: the answer is awaited under an outer bound that only a
broken test reaches."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn

from ekinerja.http.app import create_app
from tests.support.auth import principal_header
from tests.support.server import settings_for

DEADLINE = 0.3  # seconds, the test deployment's EKINERJA_REQUEST_BODY_SECONDS
GENEROUS = 30  # a bound on a broken test, never reached otherwise


@asynccontextmanager
async def served(app) -> AsyncIterator[int]:
    """``app`` under a real uvicorn on a loopback socket; its port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    config = uvicorn.Config(app, log_config=None, lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        await serving
        sock.close()


async def stalled_request(
    port: int, path: str, content_type: str, start: bytes, headers: dict[str, str] | None = None
):
    """POST ``path`` (with ``headers``) promising a 100-byte body, send ``start`` of it and no
    more; the status, headers and JSON body of the answer, and how long after the headers went
    it came."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    try:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: 100\r\n"
            "Origin: http://127.0.0.1\r\n"
        ) + "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        head += "\r\n"
        writer.write(head.encode() + start)
        await writer.drain()
        sent = loop.time()
        async with asyncio.timeout(GENEROUS):
            status_line = await reader.readline()
            answer = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                answer[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(answer["content-length"]))
        waited = loop.time() - sent
    finally:
        writer.close()
    return int(status_line.split()[1]), answer, json.loads(body), waited


@pytest.fixture
def app(database):
    return create_app(settings_for(database, request_body_seconds=DEADLINE))


async def test_a_stalled_graphql_body_is_refused_at_the_deadline(app, idp, tenant, team):
    # Authenticated: /graphql authenticates before it reads a body, so only a caller with a
    # token (its own, or a stolen one) got this far.
    caller = principal_header(idp, tenant.kode, team.staf.nip)
    async with served(app) as port:
        status, headers, body, waited = await stalled_request(
            port, "/graphql", "application/json", b'{"query": "{ __typ', caller
        )

    assert status == 408, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BODY_TIMEOUT"
    assert f"{DEADLINE:g} s" in error["message"]
    assert headers["content-type"].startswith("application/")
    # The server and this client share one event loop and its clock: the answer cannot come
    # before the deadline the server waited for (a bound that cannot flake, not a race).
    assert waited >= DEADLINE


async def test_a_stalled_token_request_is_refused_at_the_deadline(app):
    async with served(app) as port:
        status, headers, body, waited = await stalled_request(
            port, "/oauth/token", "application/x-www-form-urlencoded", b"grant_type=client_"
        )

    assert status == 408, body
    # RFC 6749's shape for OAuth libraries, the one envelope beside it.
    assert body["error"] == "invalid_request"
    assert f"{DEADLINE:g} s" in body["error_description"]
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BODY_TIMEOUT"
    assert headers["cache-control"] == "no-store"
    assert waited >= DEADLINE


def test_the_deadline_has_a_sane_default(database):
    settings = settings_for(database)
    assert 0 < settings.request_body_seconds <= 60
