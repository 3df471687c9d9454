"""The start of every authenticated endpoint besides /graphql (imports, exports): who calls,
which instansi the request is bound to, and the cross-tenant trace when those differ."""

from __future__ import annotations

from starlette.requests import Request

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.principal import Principal
from ekinerja.http.cross_tenant import audit_cross_tenant_request
from ekinerja.tenants.context import BoundTenant
from ekinerja.tenants.registry import as_bound


async def bound_request(
    authenticator: Authenticator, request: Request
) -> tuple[Principal, BoundTenant]:
    """The principal and the instansi it acts in (AccessDenied when none is selected), with
    the request traced in that instansi's audit log when it is not the principal's own: before
    the endpoint authorizes anything, so a refused request is traced as an allowed one is."""
    authenticated = await authenticator.authenticate(request)
    if authenticated.instansi is None:
        raise AccessDenied("no instansi selected: send its kode in X-Instansi")
    principal = authenticated.principal
    tenant = as_bound(authenticated.instansi)
    await audit_cross_tenant_request(principal, tenant, request)
    return principal, tenant
