"""A real HTTP server for webhook tests: uvicorn on a 127.0.0.1 socket the test bound (and
listens on) before the server starts, so no request can race its start. It records every
request and answers from a script of status codes (200 once the script runs out). A receiver
made with ``hold`` records each request on arrival and answers only once the test sets it: a
receiver that hangs for exactly as long as the test wants."""

from __future__ import annotations

import asyncio
import socket
from collections import deque
from dataclasses import dataclass

import uvicorn


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self, *answers: int, hold: asyncio.Event | None = None) -> None:
        self.requests: list[Received] = []
        self.answers = deque(answers)
        self.hold = hold
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = self._socket.getsockname()[1]
        self._server = uvicorn.Server(
            uvicorn.Config(
                self._app, log_level="warning", lifespan="off", access_log=False, interface="asgi3"
            )
        )
        self._task: asyncio.Task | None = None
        self._arrived = asyncio.Condition()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def received(self, count: int) -> list[Received]:
        """Wait until ``count`` requests have arrived (an outer timeout bounds the wait); with
        ``hold``, arrived but not yet answered."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)
        return self.requests

    async def _app(self, scope, receive, send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.requests.append(Received(scope["path"], headers, body))
        status = self.answers.popleft() if self.answers else 200
        if self.hold is not None:
            async with self._arrived:
                self._arrived.notify_all()
            await self.hold.wait()
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        async with self._arrived:
            self._arrived.notify_all()

    async def __aenter__(self) -> Receiver:
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        return self

    async def __aexit__(self, *_exc) -> None:
        if self.hold is not None:
            self.hold.set()  # the server waits for open requests before it stops
        self._server.should_exit = True
        await self._task
        self._socket.close()
