"""Counting round trips to PostgreSQL on the wire: a TCP proxy in front of the test server that
reads the frontend protocol and counts each message that makes the client wait for the server.

Tortoise's statement log (query_counter.py) sees neither BEGIN/COMMIT nor what asyncpg sends by
itself (the pool's RESET ALL, a statement's Parse before its first Bind). A round trip is what
costs a request its latency and the server its CPU, so the hot-path tests count those: in the
extended protocol a Sync ends one (Parse/Bind/Execute/Sync is one), in the simple protocol a
Query is one (``BEGIN; SELECT …`` sent as one Query is one).
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

from ekinerja.db.config import DatabaseAddress

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


@dataclass
class RoundTrips:
    """What the clients sent while counting: one entry per round trip, the statements in it."""

    trips: list[list[str]] = field(default_factory=list)
    counting: bool = False

    def __len__(self) -> int:
        return len(self.trips)

    def describe(self) -> str:
        return "\n".join(f"{n}. {' | '.join(t) or '(sync)'}" for n, t in enumerate(self.trips, 1))


class _Frontend:
    """Reads one client's typed messages (after its startup message)."""

    def __init__(self, counter: RoundTrips) -> None:
        self.counter = counter
        self.buffer = b""
        self.pending: list[str] = []  # statements since the last Sync

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= 5:
            kind = self.buffer[:1]
            (length,) = struct.unpack("!I", self.buffer[1:5])
            if len(self.buffer) < 1 + length:
                return
            body = self.buffer[5 : 1 + length]
            self.buffer = self.buffer[1 + length :]
            self._message(kind, body)

    def _message(self, kind: bytes, body: bytes) -> None:
        if kind == b"Q":  # simple query: a round trip of its own
            self._trip([body.rstrip(b"\0").decode(errors="replace")])
        elif kind == b"P":  # Parse: name\0 query\0 …
            _, _, rest = body.partition(b"\0")
            self.pending.append(rest.partition(b"\0")[0].decode(errors="replace"))
        elif kind == b"B" and not self.pending:
            self.pending.append("(prepared)")
        elif kind == b"S":  # Sync ends the extended-protocol round trip
            self._trip(self.pending)
            self.pending = []

    def _trip(self, statements: list[str]) -> None:
        if self.counter.counting:
            self.counter.trips.append(list(statements))


@dataclass
class WireProxy:
    address: DatabaseAddress
    counter: RoundTrips

    @contextmanager
    def count(self):
        """Yields the round trips every connection through the proxy makes inside the block."""
        self.counter.trips.clear()
        self.counter.counting = True
        try:
            yield self.counter
        finally:
            self.counter.counting = False


async def _pipe(reader, writer, on_data=None) -> None:
    try:
        while data := await reader.read(65536):
            if on_data is not None:
                on_data(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


@asynccontextmanager
async def wire_proxy(server: DatabaseAddress) -> AsyncIterator[WireProxy]:
    """A proxy on 127.0.0.1 in front of ``server``; connect to ``proxy.address`` instead."""
    counter = RoundTrips()
    tasks: set[asyncio.Task] = set()

    async def serve(client_reader, client_writer) -> None:
        # The startup phase by hand: an SSL or GSS request is declined here, so the session
        # stays plain text and readable (asyncpg's default `prefer` then connects without TLS).
        while True:
            head = await client_reader.readexactly(8)
            length, code = struct.unpack("!II", head)
            rest = await client_reader.readexactly(length - 8)
            if code not in (_SSL_REQUEST, _GSS_REQUEST):
                break
            client_writer.write(b"N")
            await client_writer.drain()
        if server.host.startswith("/"):  # a socket directory (the embedded server)
            server_reader, server_writer = await asyncio.open_unix_connection(
                f"{server.host}/.s.PGSQL.{server.port}"
            )
        else:
            server_reader, server_writer = await asyncio.open_connection(server.host, server.port)
        server_writer.write(head + rest)  # the StartupMessage (or a CancelRequest)
        frontend = _Frontend(counter)
        both = [
            asyncio.create_task(_pipe(client_reader, server_writer, frontend.feed)),
            asyncio.create_task(_pipe(server_reader, client_writer)),
        ]
        tasks.update(both)
        await asyncio.gather(*both)

    listener = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield WireProxy(
            DatabaseAddress("127.0.0.1", port, server.user, server.password, server.database),
            counter,
        )
    finally:
        listener.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
