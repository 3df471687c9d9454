"""What every HTTP request passes through on its way in and out, as one middleware: its request
id, CORS, the answers to an exception no endpoint answered (a lost database's 503, a bug's 500,
a client gone) and the one log line of the request.

Each concern's rule lives in its own module (request_id.py, cors.py, envelope.py,
database_outage.py, client_disconnect.py); this only applies them in the order they were
applied as five middlewares, each wrapping ``send`` again (issue 17: that stack was ~15 % of
``{ __typename }``'s CPU). From the outside in:

1. the request id (taken or made) is on the scope, on every log line and on every response,
   the ones answered here included;
2. a CORS preflight is answered here, before routing and authentication; every other response
   gets the CORS headers of its origin and ``Vary: Origin``, whatever its status;
3. an exception no endpoint answered, before the response started: a lost database is 503 with
   Retry-After and its code (one warning line, no trace); anything else is 500 INTERNAL_ERROR
   with the request id, raised on so the server logs its trace. Once a response has started
   nothing more can be sent: the exception is raised on (the connection just ends);
4. a client that went away (its body cut off, or a response sent to a closed connection) is one
   INFO line, not a server error;
5. one INFO line per request (logger ``ekinerja.http.access``): method, path (no query string:
   the evidence store's links carry signatures there), status, duration in ms and client
   address, with the request id like every line; what the endpoint learnt of the request is
   added: the GraphQL operation's name (at most 100 characters, only a valid GraphQL name),
   the instansi and the principal's kind (``person``, ``client``, ``admin``).
   ``EKINERJA_ACCESS_LOG=false`` turns it off (a proxy in front that logs requests already);
   uvicorn's own access line is always off, so there is never a second line for the same
   request;
6. the request's metrics (ekinerja/observability/metrics.py: one histogram observation) and,
   with tracing on, its span (ekinerja/observability/tracing.py).

What an endpoint learns (the operation, the instansi, the principal) it leaves in
``scope["state"]`` under ``operation`` (the bounded metrics label), ``operation_name``,
``instansi`` and ``principal`` (``note_caller``).
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ekinerja.http.client_disconnect import GONE, log_gone
from ekinerja.http.cors import CorsPolicy, is_preflight_request
from ekinerja.http.database_outage import outage_answer
from ekinerja.http.envelope import internal_error
from ekinerja.http.request_id import HEADER as REQUEST_ID_HEADER
from ekinerja.http.request_id import request_id_of
from ekinerja.logging import request_id_var
from ekinerja.observability import tracing
from ekinerja.observability.metrics import observe_request
from ekinerja.settings import Settings

access_log = logging.getLogger("ekinerja.http.access")
_REQUEST_ID = REQUEST_ID_HEADER.encode()
_ORIGIN = b"origin"
_PREFLIGHT_METHOD = b"access-control-request-method"


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.policy = CorsPolicy.of(settings)
        self.logs_requests = settings.access_log
        self.per_instansi = settings.metrics_per_instansi
        self.records = True  # the request's metrics (off: bench/observability_cost.py's baseline)
        tracing.enable(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # One pass over the raw headers for what this layer reads: of a repeated header, the
        # last X-Request-ID and the first Origin, as before.
        incoming_id = origin = preflight_method = None
        for name, value in scope["headers"]:
            if name == _REQUEST_ID:
                incoming_id = value
            elif name == _ORIGIN:
                if origin is None:
                    origin = value.decode("latin-1")
            elif name == _PREFLIGHT_METHOD:
                preflight_method = value
        request_id = request_id_of(incoming_id)
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started_at = time.perf_counter()
        response = _Response(send, request_id)
        if tracing.tracer is not None:
            with tracing.server_span(scope, request_id) as span:
                try:
                    await self._through(scope, receive, response, origin, preflight_method)
                finally:
                    tracing.finish_server_span(span, scope, response.status)
                    self._ended(scope, response.status, started_at, token)
            return
        try:
            await self._through(scope, receive, response, origin, preflight_method)
        finally:
            self._ended(scope, response.status, started_at, token)

    async def _through(self, scope, receive, response, origin, preflight_method) -> None:
        if is_preflight_request(scope, origin, preflight_method):
            await self.policy.preflight(origin)(scope, receive, response.send)  # type: ignore[arg-type]
        else:
            response.decorate(self.policy.headers_for(origin))
            await self._answering(scope, receive, response)

    def _ended(self, scope: Scope, status: int | None, started_at: float, token) -> None:
        if self.records:
            observe_request(scope, status, time.perf_counter() - started_at, self.per_instansi)
        if self.logs_requests:
            _log_request(scope, status, started_at)
        request_id_var.reset(token)

    async def _answering(self, scope: Scope, receive: Receive, response: _Response) -> None:
        try:
            await self.app(scope, receive, response.send)
        except GONE:  # raised for HTTP requests only
            log_gone(scope)
        except Exception as error:
            if response.status is not None:
                raise  # nothing more can be sent: the connection ends, the server logs it
            answer = outage_answer(error, scope)
            if answer is not None:
                try:
                    await answer(scope, receive, response.send)
                except GONE:
                    log_gone(scope)
                return
            # A bug's 500 in the envelope (decision 0031), then raised on so the server logs
            # the trace under the request id.
            await internal_error()(scope, receive, response.send)
            raise


class _Response:
    """``send`` of one request, writing this layer's headers into the response's start: the
    request id on every response; on every one but a preflight's, the origin's CORS headers and
    ``Vary: Origin`` (every answer depends on Origin, so shared caches must key on it). Its
    status is noted: the log line says it, and once it is set nothing else may be sent."""

    __slots__ = ("_send", "cors_headers", "decorates", "request_id", "status")

    def __init__(self, send: Send, request_id: str) -> None:
        self._send = send
        self.request_id = request_id
        self.cors_headers: dict[str, str] = {}
        self.decorates = False
        self.status: int | None = None

    def decorate(self, cors_headers: dict[str, str]) -> None:
        self.cors_headers = cors_headers
        self.decorates = True

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            headers = MutableHeaders(scope=message)
            if self.decorates:
                if self.cors_headers:
                    headers.update(self.cors_headers)
                headers.add_vary_header("Origin")
            headers[REQUEST_ID_HEADER] = self.request_id
        await self._send(message)


def _log_request(scope: Scope, status: int | None, started_at: float) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    milliseconds = round((time.perf_counter() - started_at) * 1000, 1)
    client = scope.get("client")
    address = client[0] if client else None
    method, path = scope["method"], scope["path"]
    state = scope["state"]
    access_log.info(
        "%s %s %s %.1f ms",
        method,
        path,
        status if status is not None else "-",  # no response: the client went away first
        milliseconds,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": milliseconds,
            "client": address,
            "operation": state.get("operation_name"),
            "instansi": state.get("instansi"),
            "principal": state.get("principal"),
        },
    )


def note_caller(scope: Scope, principal, instansi) -> None:
    """What an endpoint learnt of the caller, for the request's log line, metrics and span:
    the principal's kind and the instansi's kode (``scope["state"]``)."""
    state = scope["state"]
    if principal is not None:
        state["principal"] = principal_kind(principal)
    if instansi is not None:
        state["instansi"] = instansi.kode


def principal_kind(principal) -> str:
    """``client`` (an API client), ``person`` (someone with a NIP), else ``admin``."""
    if principal.client_id is not None:
        return "client"
    return "person" if principal.is_person else "admin"
