"""The /graphql endpoint: Strawberry's ASGI view, with every operation authenticated, bound to
its instansi and run inside that instansi's binding transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.pegawai_dikenal import dikenal, ingat
from ekinerja.auth.principal import Role
from ekinerja.http.cross_tenant import is_cross_tenant, record_cross_tenant_read
from ekinerja.http.database_outage import raise_database_failure
from ekinerja.http.edge import note_caller
from ekinerja.http.envelope import refusal_response
from ekinerja.http.graphql_body import (
    BodyRefused,
    as_refusal,
    check_content_type,
    decode_operation,
    limited,
    read_body,
)
from ekinerja.http.graphql_media import (
    GRAPHQL_RESPONSE,
    JSON,
    graphql_response,
    negotiate,
    negotiated,
    shaped,
)
from ekinerja.http.integrasi import ReplayedResult, replayed, with_document_id
from ekinerja.http.live import Connections, LiveHandler, LiveWebSocketAdapter, serve_sse, wants_sse
from ekinerja.integrasi.dokumen_terpercaya import resolve_query
from ekinerja.integrasi.idempotensi import idempotent_request
from ekinerja.models.tenant import Pegawai
from ekinerja.observability.metrics import OperationLabels, count_error
from ekinerja.refusals import RequestRefused
from ekinerja.schema import Schema
from ekinerja.schema.context import Context
from ekinerja.schema.documents import parsed
from ekinerja.schema.errors import REQUEST_ERROR_CODE, with_error_code
from ekinerja.schema.outside_transaction import run_after, run_before
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound

_LOGIN_BANNER = """
<div style="position:fixed;top:0;right:0;z-index:10;padding:6px 12px;font:13px sans-serif;
            background:#fff8e1;border:1px solid #e0c36b">
  {links} ·
  <form method="post" action="/auth/logout" style="display:inline;margin:0">
    <button type="submit" style="font:inherit;padding:0;border:0;background:none;
            color:#0645ad;text-decoration:underline;cursor:pointer">log out</button>
  </form>
</div>"""


def _has_errors(result: Any) -> bool:
    results = result if isinstance(result, list) else [result]
    return any(isinstance(r, ExecutionResult) and r.errors for r in results)


def _refusal(error: RequestRefused, request_headers: Headers) -> JSONResponse:
    """A refusal in the /graphql envelope, in the negotiated media type (a client preferring
    application/graphql-response+json learns that the 4xx comes from the GraphQL server, not a
    proxy); when nothing was acceptable (406), application/json."""
    media_type = negotiate(request_headers.get("accept")) or JSON
    return refusal_response(error, media_type=f"{media_type}; charset=utf-8")


def _no_operation(request: Request, reason: str) -> JSONResponse:
    """GetOperation() failed (an operationName the document does not define, several operations
    and none named): a GraphQL request error like a validation error, not a malformed request:
    400 without data as application/graphql-response+json, 200 with null data as
    application/json."""
    error = {"message": reason, "extensions": {"code": REQUEST_ERROR_CODE}}
    count_error(REQUEST_ERROR_CODE, "graphql")
    if negotiate(request.headers.get("accept")) == GRAPHQL_RESPONSE:
        body, status, media_type = {"errors": [error]}, 400, GRAPHQL_RESPONSE
    else:
        body, status, media_type = {"data": None, "errors": [error]}, 200, JSON
    return JSONResponse(body, status_code=status, media_type=f"{media_type}; charset=utf-8")


_ALLOW = {"Allow": "POST"}


def _opens_graphiql(scope: Scope, headers: Headers) -> bool:
    """A browser asking for the GraphiQL page (Strawberry's rule: GET, no query, HTML or any
    type accepted)."""
    accept = headers.get("accept", "")
    no_query = b"query=" not in scope.get("query_string", b"")
    return scope["method"] == "GET" and no_query and ("text/html" in accept or "*/*" in accept)


def admit(scope: Scope, graphiql: bool) -> None:
    """What GraphQL over HTTP refuses before anything is read or anyone authenticated (decision
    0025): a method other than POST (405 with Allow, a mutation over GET included; GET serves
    only the GraphiQL page, in development), an Accept header that allows neither of our media
    types (406), a body that is not declared application/json in UTF-8 (415)."""
    headers = Headers(scope=scope)
    method = scope["method"]
    if method == "GET" and graphiql and _opens_graphiql(scope, headers):
        return
    if method != "POST":
        raise BodyRefused(
            f"GraphQL operations are accepted over POST only, not {method}: queries and "
            "mutations alike (operations stay out of URLs and logs, and a cross-site GET "
            "cannot run one with a browser's cookie)",
            405,
            "METHOD_NOT_ALLOWED",
            _ALLOW,
        )
    if negotiate(headers.get("accept")) is None:
        raise BodyRefused(
            f"the Accept header allows neither {GRAPHQL_RESPONSE} nor {JSON}, the media types "
            "this endpoint answers in",
            406,
            "NOT_ACCEPTABLE",
        )
    check_content_type(headers)


class GraphQLView(GraphQL):
    # Live updates (decision 0042): graphql-transport-ws only (not the legacy graphql-ws),
    # authenticated at connection_init, subscriptions only, limited (ekinerja/http/live.py).
    graphql_transport_ws_handler_class = LiveHandler
    websocket_adapter_class = LiveWebSocketAdapter

    def __init__(
        self,
        schema: Schema,
        settings: Settings,
        authenticator: Authenticator,
        database: Any = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            # Queries only over POST: keeps operations out of URLs and logs, and closes the
            # cross-site GET door for cookie sessions.
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=settings.live_init_seconds),
            max_subscriptions_per_connection=settings.live_max_subscriptions_per_connection,
        )
        self.settings = settings
        self.authenticator = authenticator
        self.database = database  # where the live updates' hub listens (None: DATABASE_URL)
        self.live_connections = Connections(settings.live_max_connections_per_principal)
        # The metrics' `operation` label, bounded (ekinerja/observability/metrics.py).
        self.operation_labels = OperationLabels(settings.metrics_max_operations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)  # a WebSocket: LiveHandler
        try:
            if wants_sse(scope):
                return await serve_sse(self, scope, receive, send)
            admit(scope, graphiql=self.graphql_ide is not None)
            limit = self.settings.graphql_max_body_bytes
            seconds = self.settings.request_body_seconds
            await super().__call__(scope, limited(scope, receive, limit, seconds), send)
        except RequestRefused as error:
            # Raised before any byte of the response was sent: no data, a clear refusal.
            await _refusal(error, Headers(scope=scope))(scope, receive, send)

    async def run(self, request, context=UNSET, root_value=UNSET):  # type: ignore[override]
        try:
            if request.scope["type"] == "websocket":
                return await super().run(request, context, root_value)
            if isinstance(request, Request) and request.method == "POST":
                return await self._run_operation(request)
            # The GraphiQL page (GET), a websocket.
            return negotiated(request, await super().run(request, context, root_value))
        except HTTPException as error:
            if isinstance(error.__cause__, CannotGetOperationTypeError):
                return _no_operation(request, error.reason)
            raise as_refusal(error) from None  # answered in our envelope by __call__

    async def _run_operation(self, request: Request) -> Response:
        """Strawberry's run() for what a POST can be here: one operation (admit() and the body
        checks refuse the rest), answered by a result, never a stream (this view has no
        streaming transport, the schema no incremental delivery). Its general run() asked of
        every request whether it was a websocket, wanted GraphiQL or returned a subscription
        (the last an isinstance against a runtime Protocol): ~8 % of `{ __typename }`'s CPU
        (issue 17)."""
        request_adapter = self.request_adapter_class(request)
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, response=sub_response)
        # Strawberry's reading of a POST, for the one body admit() lets through (one JSON
        # operation, its Content-Type checked) and no streaming transport (this view has none):
        # it parsed the Content-Type again with the email package and looked for a streaming
        # Accept on every request.
        raw = await read_body(request)
        request_data = with_document_id(operation_of(self.parse_json(raw)), raw, self.parse_json)
        result = await self.execute_operation(
            request=request,
            request_adapter=request_adapter,
            request_data=request_data,
            context=context,
            root_value=None,
            sub_response=sub_response,
        )
        response_data = await self.process_result(request=request, result=result)
        if result.errors:
            self._handle_errors(result.errors, response_data)
        return graphql_response(request, self.encode_json(response_data), sub_response)

    def parse_json(self, data: str | bytes) -> dict:
        return decode_operation(data)  # bounded, strict, one operation (graphql_body.py)

    def encode_json(self, data: object) -> bytes:
        # orjson: the same JSON as the standard library's (UTF-8 rather than \u escapes), in a
        # fraction of the CPU every response pays (issue 17).
        return orjson.dumps(data)

    def is_websocket_origin_allowed(self, request, origin: str) -> bool:
        # A page of any origin may open the socket: a bearer token is no ambient credential,
        # and a connection authenticated by the session cookie has its Origin checked at
        # connection_init (LiveHandler, the same-origin rule of decision 0017).
        return True

    async def render_graphql_ide(self, request: Request) -> Response:
        links = '<a href="/auth/login">log in</a>'
        if not self.settings.is_production:
            links += ' · <a href="/auth/dev-login">log in as a demo user</a>'
        html = self.graphql_ide_html.replace("<body>", "<body>" + _LOGIN_BANNER.format(links=links))
        return HTMLResponse(html)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        context = Context(
            request=request,
            response=response,
            request_id=request.scope.get("state", {}).get("request_id", ""),
            settings=self.settings,
            instansi=None,
            live_address=self.database,
        )
        if request.scope["type"] == "websocket":
            return context  # authenticated at connection_init (LiveHandler)
        if request.method == "GET":
            return context  # the GraphiQL page; operations over GET are refused anyway
        authenticated = await self.authenticator.authenticate(request)
        context.principal = authenticated.principal
        context.instansi = authenticated.instansi
        note_caller(request.scope, authenticated.principal, authenticated.instansi)
        return context

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if isinstance(result, ReplayedResult):
            return result.body  # type: ignore[return-value]
        raise_database_failure(result)  # the whole request fails: 503 (database_outage.py)
        # Here rather than in a schema extension: parse errors never reach extensions' results.
        for error in result.errors or ():
            with_error_code(error)
            count_error((error.extensions or {}).get("code"), "graphql")
        return shaped(request, result.errors, await super().process_result(request, result))

    async def execute_operation(
        self, request, request_adapter, request_data, context, root_value, sub_response
    ):  # type: ignore[override]  # noqa: E501
        execute = super().execute_operation
        arguments = (request, request_adapter, request_data, context, root_value, sub_response)
        if isinstance(request_data, GraphQLRequestData):
            # Trusted documents (decision 0015), before anything runs and outside the tenant
            # binding, whose role cannot read `shared`.
            request_data.query = await resolve_query(
                context.principal, request_data.query, getattr(request_data, "document_hash", None)
            )
            _one_operation_chosen(request_data, self.settings.graphql_max_tokens)
            name = _operation_name(request_data, self.settings.graphql_max_tokens)
            state = request.scope["state"]
            state["operation"] = self.operation_labels(name)
            if name is not None:
                state["operation_name"] = name[:100]
        if context.instansi is None:
            return await execute(*arguments)  # idempotency keys live in a tenant: none here
        idempotent = _idempotency_key(context, request, request_data, self.settings)
        if not idempotent and _reads_no_data(context, request_data, self.settings):
            return await execute(*arguments)  # `{ __typename }`: no transaction to pay for
        await _before_transaction(context, request_data, self.settings)
        async with tenant_transaction(as_bound(context.instansi)) as transaction:
            await _identify_person(context)
            stored = idempotent and await idempotent.claim(self.settings.idempotency_ttl_hours)
            result = replayed(stored, sub_response) if stored else await execute(*arguments)
            if _has_errors(result):
                # Nothing half-written: an operation that reports any error commits nothing.
                # An idempotency key's row goes too: the retry of a failure executes again.
                await transaction.rollback()
            else:
                if idempotent and not stored:
                    # The body run() is about to send, kept in this transaction: it commits
                    # with the mutation's writes or not at all.
                    status = sub_response.status_code or 200
                    body = self.encode_json_string(await self.process_result(request, result))
                    await idempotent.remember(status, body)
                if _is_cross_tenant(context):
                    await _audit_read(context, request_data)
        await run_after(context)
        if _has_errors(result) and _is_cross_tenant(context):
            async with tenant_transaction(as_bound(context.instansi)):
                await _audit_read(context, request_data)
        return result


def operation_of(data: dict) -> GraphQLRequestData:
    """The operation of a decoded body, refused with Strawberry's own messages (answered in
    our envelope as every refusal of the view)."""
    query = data.get("query")
    if not isinstance(query, str | None):
        raise HTTPException(
            400, "The GraphQL operation's `query` must be a string or null, if provided."
        )
    variables = data.get("variables")
    if not isinstance(variables, dict | None):
        raise HTTPException(
            400, "The GraphQL operation's `variables` must be an object or null, if provided."
        )
    extensions = data.get("extensions")
    if not isinstance(extensions, dict | None):
        raise HTTPException(
            400, "The GraphQL operation's `extensions` must be an object or null, if provided."
        )
    return GraphQLRequestData(
        query=query,
        variables=variables,
        operation_name=data.get("operationName"),
        extensions=extensions,
        protocol="http",
    )


def _operation_name(request_data: GraphQLRequestData, max_tokens: int) -> str | None:
    """The name of the operation that runs: ``operationName``, else the name of the document's
    operation (its parse is cached: `_one_operation_chosen` or the execution parses it too)."""
    if request_data.operation_name is not None or not request_data.query:
        return request_data.operation_name
    try:
        document = parsed(request_data.query, max_tokens)
    except GraphQLError:
        return None
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            return definition.name.value if definition.name is not None else None
    return None


def _one_operation_chosen(request_data: GraphQLRequestData, max_tokens: int) -> None:
    """GetOperation() of the GraphQL spec: a document of several operations needs an
    operationName. Strawberry runs the first one instead, so a client that forgot the name would
    get the result of an operation it may not have meant; it gets a request error, as the spec
    says. (Parsed within the token limit; a document that does not parse is left to the normal
    path, which reports the syntax error.)"""
    if request_data.operation_name is not None or not request_data.query:
        return
    try:
        document = parsed(request_data.query, max_tokens)
    except GraphQLError:
        return
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1:
        cause = CannotGetOperationTypeError(None)
        raise HTTPException(
            400, "Must provide operationName if the query contains several operations."
        ) from cause


async def _before_transaction(context: Context, request_data: Any, settings: Settings) -> None:
    """Object-store calls the operation needs, made before its transaction (decision 0018)."""
    if isinstance(request_data, GraphQLRequestData):
        await run_before(
            context,
            request_data.query,
            request_data.operation_name,
            request_data.variables,
            settings.graphql_max_tokens,
            settings.graphql_max_aliases,
        )


def _idempotency_key(context: Context, request: Request, request_data: Any, settings: Settings):
    if not isinstance(request_data, GraphQLRequestData):
        return None
    return idempotent_request(
        context.principal,
        request.headers,
        request_data.query,
        request_data.operation_name,
        request_data.variables,
        settings.graphql_max_tokens,
    )


def _introspection_only(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """The operation selects only `__typename`, `__schema` or `__type` at its root."""
    try:
        document = parsed(query or "", max_tokens)
    except GraphQLError:
        return False  # the normal path reports it
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name and d.name.value == operation_name))
    ]
    return len(operations) == 1 and all(
        isinstance(selection, FieldNode) and selection.name.value in _INTROSPECTION
        for selection in operations[0].selection_set.selections
    )


_INTROSPECTION = frozenset({"__typename", "__schema", "__type"})


def _reads_no_data(context: Context, request_data: Any, settings: Settings) -> bool:
    """An operation that reads only the schema, for a principal already known to the
    instansi, needs no transaction: the floor every client pays (`{ __typename }`) is then
    authentication alone (issue 17). A cross-tenant read still goes the audited way."""
    return (
        isinstance(request_data, GraphQLRequestData)
        and not _is_cross_tenant(context)
        and _known_person(context)
        and _introspection_only(
            request_data.query, request_data.operation_name, settings.graphql_max_tokens
        )
    )


def _acts_as_person(context: Context) -> bool:
    principal = context.principal
    return (
        principal is not None and principal.is_person and not principal.has_role(Role.CENTRAL_ADMIN)
    )


def _known_person(context: Context) -> bool:
    """Not a person, or a person whose pegawai row this process has found before."""
    if not _acts_as_person(context):
        return True
    context.pegawai_id = dikenal(context.instansi.schema_name, context.principal.nip)
    return context.pegawai_id is not None


async def _identify_person(context: Context) -> None:
    """A person acting in their own instansi must be one of its pegawai (their row is found
    once per process, pegawai_dikenal.py)."""
    if not _acts_as_person(context):
        return
    principal = context.principal
    schema_name = context.instansi.schema_name
    found = dikenal(schema_name, principal.nip)
    if found is None:
        found = await Pegawai.filter(nip=principal.nip).first().values_list("id", flat=True)
        if found is None:
            raise AccessDenied(
                f"NIP {principal.nip} is not a pegawai of instansi {context.instansi.kode}",
                code="FORBIDDEN",
            )
        ingat(schema_name, principal.nip, found)
    context.pegawai_id = found


def _is_cross_tenant(context: Context) -> bool:
    return is_cross_tenant(context.principal, context.instansi.kode)


async def _audit_read(context: Context, request_data: Any) -> None:
    await record_cross_tenant_read(
        context.principal,
        getattr(request_data, "operation_name", None),
        getattr(request_data, "query", "") or "",
    )
