"""The /graphql endpoint: Strawberry's ASGI view, with every operation run inside its tenant's
binding transaction."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.tenant_selection import select_tenant
from ekinerja.schema import Schema
from ekinerja.schema.context import Context
from ekinerja.schema.errors import with_error_code
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import TenantError
from ekinerja.tenants.registry import as_bound


def _has_errors(result: Any) -> bool:
    results = result if isinstance(result, list) else [result]
    return any(isinstance(r, ExecutionResult) and r.errors for r in results)


class GraphQLView(GraphQL):
    def __init__(self, schema: Schema, settings: Settings, authenticator: Authenticator) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            # Queries only over POST: keeps operations out of URLs and logs, and closes the
            # cross-site GET door before cookie sessions arrive.
            allow_queries_via_get=False,
        )
        self.settings = settings
        self.authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except TenantError as error:
            # Raised while building the context, before any byte of the response was sent.
            response = JSONResponse(
                {"errors": [{"message": error.message, "extensions": {"code": error.code}}]},
                status_code=error.http_status,
            )
            await response(scope, receive, send)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return Context(
            request=request,
            response=response,
            request_id=request.scope.get("state", {}).get("request_id", ""),
            settings=self.settings,
            instansi=await select_tenant(request),
            principal=await self.authenticator.authenticate(request),
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # Here rather than in a schema extension: parse errors never reach extensions' results.
        for error in result.errors or ():
            with_error_code(error)
        return await super().process_result(request, result)

    async def execute_operation(
        self, request, request_adapter, request_data, context, root_value, sub_response
    ):  # type: ignore[override]  # noqa: E501
        execute = super().execute_operation
        arguments = (request, request_adapter, request_data, context, root_value, sub_response)
        if context.instansi is None:
            return await execute(*arguments)
        async with tenant_transaction(as_bound(context.instansi)) as transaction:
            result = await execute(*arguments)
            if _has_errors(result):
                # Nothing half-written: an operation that reports any error commits nothing.
                await transaction.rollback()
            return result
