"""Live updates' transports on /graphql (decision 0042): graphql-transport-ws over a WebSocket
and GraphQL over SSE (distinct connections mode) for proxies that forbid WebSockets.

Both authenticate like every other request (a bearer token, else the browser session's cookie
with its Origin checked), bind the instansi (X-Instansi, or `X-Instansi` in connection_init's
payload), run subscriptions only (queries and mutations go over POST, in their tenant
transaction) and count against the principal's connections in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http import process_result
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult
from strawberry.utils.aio import aclosing

from ekinerja.auth.authentication import TENANT_HEADER, Authenticated
from ekinerja.schema.documents import parsed
from ekinerja.schema.errors import with_error_code
from ekinerja.settings import Settings

# graphql-transport-ws close codes (the protocol's, and RFC 6455's 1009 for a message too big).
FORBIDDEN = 4403
TOO_MANY = 4429
TIMEOUT = 4408
TOO_BIG = 1009


class Connections:
    """Open live connections per principal in this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open: Counter[str] = Counter()

    def take(self, subject: str) -> bool:
        if self.open[subject] >= self.limit:
            return False
        self.open[subject] += 1
        return True

    def give_back(self, subject: str) -> None:
        self.open[subject] -= 1
        if self.open[subject] <= 0:
            del self.open[subject]


def _credentials(params: Mapping[str, Any]) -> dict[str, str]:
    """Header values a connection_init payload may carry (browsers cannot set a WebSocket's
    headers): `Authorization` and `X-Instansi`, matched without case."""
    found = {}
    for key, value in params.items():
        if isinstance(value, str) and key.lower() in ("authorization", TENANT_HEADER):
            found[key.lower()] = value
    return found


def as_request(scope: dict, params: Mapping[str, Any]) -> HTTPConnection:
    """The handshake as a request to authenticate: its headers (the cookie, Origin, Host)
    with the payload's Authorization and X-Instansi over them; a state-changing method, so a
    cookie-authenticated connection must name an allowed Origin (CSRF, decision 0017: a
    WebSocket is not bound by the same-origin policy)."""
    given = _credentials(params)
    headers = [
        (k, v) for k, v in scope.get("headers", []) if k.decode("latin-1").lower() not in given
    ]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in given.items()]
    return HTTPConnection({**scope, "type": "http", "method": "POST", "headers": headers})


def subscription_only(query: Any, operation_name: Any, max_tokens: int) -> str | None:
    """Why the document may not run over a live transport (None: it may): only subscriptions
    do; a query or mutation goes over POST, in its tenant transaction."""
    if not isinstance(query, str):
        return "the operation's `query` must be a string"
    try:
        document = parsed(query, max_tokens)
    except GraphQLError:
        return None  # the normal path reports the syntax error
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name and d.name.value == operation_name))
    ]
    if len(operations) == 1 and operations[0].operation is not OperationType.SUBSCRIPTION:
        return (
            "only subscriptions run over a live connection: send queries and mutations as "
            "POST /graphql"
        )
    return None


class LiveWebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter with the message size limit (a larger message closes, 1009)."""

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncIterator[object]:
        limit = self.view.settings.live_max_message_bytes
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > limit:  # characters: at least as many bytes
                    await self.close(TOO_BIG, f"message over {limit} bytes")
                    return
                self.last_seen = asyncio.get_running_loop().time()
                try:
                    yield self.view.decode_json(text)
                except Exception as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
        except KeyError as error:
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass

    def decode_json(self, text: str) -> object:  # pragma: no cover - the view decodes
        return self.view.decode_json(text)

    async def send_json(self, message: Mapping[str, object]) -> None:
        """Text frames: graphql-transport-ws messages are JSON strings. The view encodes to
        bytes (orjson), which Strawberry's adapter sent as binary frames: a browser hands those
        to the page as a Blob, and the protocol's clients fail to parse them (issue 19)."""
        try:
            await self.ws.send_text(self.view.encode_json(message).decode())
        except WebSocketDisconnect as error:
            raise WebSocketDisconnected from error


class LiveHandler(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws with authentication at connection_init, the per-principal
    connection limit, subscriptions only, and the server's pings with an idle timeout."""

    subject: str | None = None
    keeper: asyncio.Task | None = None

    @property
    def settings(self) -> Settings:
        return self.view.settings

    async def handle_connection_init(self, message) -> None:
        if self.connection_init_received or self.connection_timed_out:
            return await super().handle_connection_init(message)
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            return await super().handle_connection_init(message)
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        self.connection_init_received = True
        view = self.view
        try:
            authenticated: Authenticated = await view.authenticator.authenticate(
                as_request(self.websocket.ws.scope, payload)
            )
        except Exception as error:  # AuthError, AccessDenied, TenantError: refused, said why
            code = getattr(error, "code", "UNAUTHENTICATED")
            await self.websocket.close(FORBIDDEN, f"{code}: {error}"[:120])
            return
        subject = authenticated.principal.subject
        if not view.live_connections.take(subject):
            await self.websocket.close(TOO_MANY, "TOO_MANY_CONNECTIONS: too many live connections")
            return
        self.subject = subject
        self.context.principal = authenticated.principal
        self.context.instansi = authenticated.instansi
        self.context.connection_params = payload
        await self.send_message({"type": "connection_ack"})
        self.connection_acknowledged = True
        self.keeper = asyncio.create_task(self._keep_alive())

    async def handle_subscribe(self, message) -> None:
        payload = message.get("payload") or {}
        refusal = self.connection_acknowledged and subscription_only(
            payload.get("query"), payload.get("operationName"), self.settings.graphql_max_tokens
        )
        if refusal:
            error = {"message": refusal, "extensions": {"code": "BAD_REQUEST"}}
            await self.send_message({"id": message["id"], "type": "error", "payload": [error]})
            return
        await super().handle_subscribe(message)

    async def _send_result_stream(self, operation, result_source) -> None:
        async def coded():
            async for result in result_source:
                for error in getattr(result, "errors", None) or ():
                    with_error_code(error)  # extensions.code, as on POST (decision 0030)
                yield result

        await super()._send_result_stream(operation, coded())

    async def _keep_alive(self) -> None:
        """Ping every live_ping_seconds; close after live_idle_seconds without a message, and
        as soon as the credentials it was opened with no longer authenticate (a token that
        expired, a browser session ended or revoked): checked at every ping."""
        loop = asyncio.get_running_loop()
        self.websocket.last_seen = loop.time()
        ping, idle = self.settings.live_ping_seconds, self.settings.live_idle_seconds
        with contextlib.suppress(Exception):
            while True:
                silent = loop.time() - self.websocket.last_seen
                if silent >= idle:
                    await self.websocket.close(TIMEOUT, "idle: no message (not even a pong)")
                    return
                await asyncio.sleep(min(ping, idle - silent))
                refused = await still_refused(
                    self.view,
                    as_request(self.websocket.ws.scope, self.context.connection_params or {}),
                )
                if refused:
                    await self.websocket.close(FORBIDDEN, refused[:120])
                    return
                if loop.time() - self.websocket.last_seen >= ping:
                    await self.send_message({"type": "ping"})

    async def shutdown(self) -> None:
        if self.keeper is not None:
            self.keeper.cancel()
        try:
            await super().shutdown()
        finally:
            if self.subject is not None:
                self.view.live_connections.give_back(self.subject)
                self.subject = None


async def still_refused(view, request: HTTPConnection) -> str | None:
    """Why the credentials a live connection was opened with no longer authenticate (`CODE:
    reason`), or None while they do. Bearer tokens are re-validated (their `exp` included) and
    browser sessions re-read, as for any request."""
    try:
        await view.authenticator.authenticate(request)
    except Exception as error:  # AuthError, AccessDenied, TenantError: the connection ends
        return f"{getattr(error, 'code', 'UNAUTHENTICATED')}: {error}"
    return None


def wants_sse(scope: dict) -> bool:
    """A POST asking for text/event-stream: GraphQL over SSE, distinct connections mode."""
    if scope.get("method") != "POST":
        return False
    accept = Headers(scope=scope).get("accept", "")
    return any(p.split(";", 1)[0].strip().lower() == "text/event-stream" for p in accept.split(","))


def _event(name: str, data: bytes = b"") -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + data + b"\n\n"


async def serve_sse(view, scope, receive, send) -> None:
    """One subscription as one event stream (GraphQL over SSE, distinct connections mode):
    `next` events with each result, `complete` at its end, a comment as heartbeat every
    live_ping_seconds. Refusals before the stream starts are answered as on POST (decision
    0031's envelope); errors of the subscription (not allowed, a bad cursor) are its first
    `next`, then `complete`."""
    # Imported here: the view module imports this one.
    from ekinerja.http.graphql_body import (
        BodyRefused,
        check_content_type,
        decode_operation,
        limited,
        read_body,
    )
    from ekinerja.http.graphql_view import operation_of
    from ekinerja.schema.context import Context

    settings = view.settings
    limit, seconds = settings.graphql_max_body_bytes, settings.request_body_seconds
    request = Request(scope, limited(scope, receive, limit, seconds))
    check_content_type(request.headers)
    authenticated = await view.authenticator.authenticate(request)  # cookie: Origin checked
    data = operation_of(decode_operation(await read_body(request)))
    refusal = subscription_only(data.query, data.operation_name, settings.graphql_max_tokens)
    if refusal:
        raise BodyRefused(refusal, 400, "BAD_REQUEST")
    subject = authenticated.principal.subject
    if not view.live_connections.take(subject):
        raise BodyRefused(
            "too many live connections for this principal", 429, "TOO_MANY_CONNECTIONS"
        )
    try:
        context = Context(
            request=request,
            response=Response(),
            request_id=scope.get("state", {}).get("request_id", ""),
            settings=settings,
            instansi=authenticated.instansi,
            principal=authenticated.principal,
            live_address=view.database,
        )
        results = await view.schema.subscribe(
            data.query,
            variable_values=data.variables,
            context_value=context,
            operation_name=data.operation_name,
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache, no-transform"),
                    (b"x-accel-buffering", b"no"),
                ],
            }
        )
        await _stream(view, results, receive, send, request)
    finally:
        view.live_connections.give_back(subject)


async def _stream(view, results, receive, send, request: Request) -> None:
    async def body(chunk: bytes) -> None:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    async def forward() -> None:
        if isinstance(results, ExecutionResult):  # refused before it started
            await body(_event("next", _encoded(results)))
            return
        async with aclosing(results):
            async for result in results:
                await body(_event("next", _encoded(result)))

    async def heartbeat() -> None:
        """A comment every live_ping_seconds; the stream ends, with an error saying why, once
        its credentials no longer authenticate (as the WebSocket's ping does)."""
        while True:
            await asyncio.sleep(view.settings.live_ping_seconds)
            refused = await still_refused(view, request)
            if refused:
                code, _, reason = refused.partition(": ")
                error = {"message": reason, "extensions": {"code": code}}
                await body(_event("next", orjson.dumps({"errors": [error]})))
                return
            await body(b": ping\n\n")

    tasks = [asyncio.create_task(c) for c in (forward(), disconnected(), heartbeat())]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if tasks[0] in done or tasks[2] in done:  # the results ended, or the credentials did
            (tasks[0] if tasks[0] in done else tasks[2]).result()
            await body(_event("complete"))
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task


def _encoded(result: ExecutionResult) -> bytes:
    for error in result.errors or ():
        with_error_code(error)
    return orjson.dumps(process_result(result))
