"""Reads of another instansi leave a trace there: the one rule for /graphql and every other
authenticated endpoint (PDFs, CSV exports, imports).

A request is cross-tenant when the principal's home instansi is not the one it is bound to: a
central admin choosing an instansi with X-Instansi, an API client among its grants. The trace is
a `cross_tenant.read` row in the audit log of the instansi read, so its admins see who looked.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from ekinerja import audit
from ekinerja.auth.principal import Principal
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.context import BoundTenant

CROSS_TENANT_READ = "cross_tenant.read"
_MAX_QUERY = 2000  # characters of the query kept in the audit row
_ENTITY_ID_LENGTH = 50  # audit_event.entity_id


def is_cross_tenant(principal: Principal | None, instansi_kode: str) -> bool:
    return principal is not None and principal.instansi_kode != instansi_kode


async def record_cross_tenant_read(principal: Principal, operation: str | None, query: str) -> None:
    """The audit row; call inside the binding of the instansi read. The operation (a GraphQL
    operationName the caller chose, or "METHOD /path" with a global id in it) is the row's
    entity id, which holds 50 characters: a longer one is shortened there and kept whole in the
    detail, so a long name can neither fail the trace (and with it the request) nor hide."""
    detail = {"query": query[:_MAX_QUERY]}
    shown = operation
    if operation is not None and len(operation) > _ENTITY_ID_LENGTH:
        shown = operation[: _ENTITY_ID_LENGTH - 1] + "…"
        detail["operation"] = operation[:_MAX_QUERY]
    await audit.record(principal.subject, CROSS_TENANT_READ, "operation", shown, **detail)


async def audit_cross_tenant_request(
    principal: Principal, tenant: BoundTenant, request: HTTPConnection
) -> None:
    """For endpoints other than /graphql: record the request (method, path and query string)
    if it crosses instansi, in a transaction of its own, before the endpoint does its work, so a
    refused, failed or streamed request is traced as a successful one is (as /graphql traces
    its errors too)."""
    if not is_cross_tenant(principal, tenant.kode):
        return
    method = getattr(request, "method", "GET")
    async with tenant_transaction(tenant):
        await record_cross_tenant_read(principal, f"{method} {request.url.path}", request.url.query)
