"""A client that disconnects mid-request is logged at INFO, never as a server ERROR (issue 14,
defect 16): the app under a real uvicorn on a socket, a raw client that sends half a body and
closes."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
import uvicorn

from ekinerja.http.app import create_app
from tests.support.auth import principal_header

DISCONNECT_LOGGER = "ekinerja.http.client_disconnect"


class _Seen(logging.Handler):
    """Sets ``done`` when the server has dealt with the cut-off request: our INFO line, or (the
    defect) the server's ERROR with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.done = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == DISCONNECT_LOGGER or record.exc_info:
            self.done.set()


async def _serve(app, sock: socket.socket) -> tuple[uvicorn.Server, asyncio.Task]:
    config = uvicorn.Config(app, log_config=None, lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    return server, asyncio.create_task(server.serve(sockets=[sock]))


@pytest.mark.parametrize(
    "path", ["/graphql", "/pelaksanaan/progres-harian/import"], ids=["graphql", "import"]
)
async def test_a_body_cut_off_is_not_a_server_error(settings, idp, team, tenant, caplog, path):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    port = sock.getsockname()[1]
    seen = _Seen()
    watched = [logging.getLogger(name) for name in ("uvicorn.error", DISCONNECT_LOGGER)]
    for logger in watched:
        logger.addHandler(seen)
    caplog.set_level(logging.INFO)
    server, serving = await _serve(create_app(settings), sock)
    try:
        headers = principal_header(idp, tenant.kode, team.staf.nip) | {
            "Content-Type": "application/json" if path == "/graphql" else "text/csv",
            "Content-Length": "100000",
            "Origin": "http://127.0.0.1",
        }
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()
        )
        writer.write(head.encode() + b"\r\n" + b'{"query": "{ __typename')
        await writer.drain()
        writer.close()  # half the body, then gone
        await writer.wait_closed()
        async with asyncio.timeout(30):  # a bound on a broken test, never reached otherwise
            await seen.done.wait()
    finally:
        for logger in watched:
            logger.removeHandler(seen)
        server.should_exit = True
        await serving
        sock.close()

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    [gone] = [r for r in caplog.records if r.name == DISCONNECT_LOGGER]
    assert gone.levelno == logging.INFO and gone.path == path
