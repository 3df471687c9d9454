"""The request pipeline of every authenticated HTTP endpoint besides /graphql (the PDFs, the
SIASN CSVs, the imports and their jobs), decision 0031. One order, one set of answers:

1. what the endpoint accepts, checked before anyone is authenticated or anything read: the
   body's type (415 UNSUPPORTED_TYPE) and its declared length (413 TOO_LARGE);
2. authentication (bearer token or the browser session with its same-origin check, the one
   ``Authenticator`` /graphql uses too): 401;
3. the instansi: the token's own, or the one `X-Instansi` selects among those the principal
   may act for (unknown 404, suspended 403, not migrated 503);
4. the cross-tenant trace (http/cross_tenant.py) when the principal reads another instansi,
   before anything is authorized, so a refused request is traced as an allowed one is;
5. authorization from the policy table (`auth/policy.py`): ``operation`` for endpoints whose
   reach is the whole instansi, else the handler calls ``authorize`` with the relation it
   found (the PDFs: the SKP's owner);
6. the handler; every refusal it raises becomes the one error envelope (envelope.py) with the
   request id, the right status and Retry-After where there is one.

The request id, CORS, database outages (503) and unexpected errors (500) are the app's
middleware, shared with /graphql.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from ekinerja.auth.authentication import Authenticator
from ekinerja.auth.errors import AccessDenied
from ekinerja.auth.policy import Operation, Relation, allows
from ekinerja.auth.principal import Principal
from ekinerja.http.bounded_body import BodyTimeout, BodyTooLarge, check_declared
from ekinerja.http.cross_tenant import audit_cross_tenant_request
from ekinerja.http.edge import note_caller
from ekinerja.http.envelope import HttpRefusal, error_response, refusal_response
from ekinerja.http.per_key_limit import LimitReached
from ekinerja.models.shared import Instansi
from ekinerja.refusals import Refusal, RequestRefused, RowsRefused
from ekinerja.schema.ids import check_id
from ekinerja.tabular import ReadError
from ekinerja.tenants.context import BoundTenant
from ekinerja.tenants.registry import as_bound

# The body an endpoint that reads none accepts: anything larger is refused unread.
NO_BODY_BYTES = 64 * 1024
RETRY_AFTER_SECONDS = 10  # a guess at when a place frees up; imports take seconds

# A domain refusal's status by code; any other code is the endpoint's ``refusal_status``.
_REFUSAL_STATUS = {
    "NOT_FOUND": 404,
    "ID_OF_OTHER_INSTANSI": 404,  # names nothing here
    "FILE_EXPIRED": 410,
    "INVALID_INPUT": 400,
}


@dataclass(frozen=True)
class Bound:
    """A request that passed the pipeline's checks: who calls, in which instansi."""

    request: Request
    principal: Principal
    instansi: Instansi
    tenant: BoundTenant


async def bind(authenticator: Authenticator, request: Request) -> Bound:
    """Steps 2 to 4: the principal and the instansi it acts in (AccessDenied when none is
    selected), with the cross-tenant trace."""
    authenticated = await authenticator.authenticate(request)
    note_caller(request.scope, authenticated.principal, authenticated.instansi)
    if authenticated.instansi is None:
        raise AccessDenied("no instansi selected: send its kode in X-Instansi")
    tenant = as_bound(authenticated.instansi)
    await audit_cross_tenant_request(authenticated.principal, tenant, request)
    return Bound(request, authenticated.principal, authenticated.instansi, tenant)


def path_id(bound: Bound, param: str, type_name: str) -> int:
    """The row a path's id names: the global id the API hands out (decision 0028), refused as
    GraphQL refuses it: INVALID_INPUT for another type or no id at all (a bare row number
    included: it names a row in no particular instansi), ID_OF_OTHER_INSTANSI (404 here) for
    another instansi's."""
    raw = str(bound.request.path_params[param])
    return check_id(raw, "id", type_name, bound.tenant.kode).row_id


def authorize(principal: Principal, operation: Operation, relation: Relation) -> None:
    """The policy table's answer; AccessDenied naming the operation when it says no."""
    if not allows(principal, operation, relation):
        raise AccessDenied(f"not allowed: {operation.value}")


def too_busy(busy: LimitReached, what: str = "imports are already running") -> HttpRefusal:
    return HttpRefusal(
        "TOO_MANY_IMPORTS",
        f"{busy.limit} {what} for this instansi; retry later",
        429,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def refusal(error: Exception, refusal_status: int = 400) -> Response:
    """The envelope of every refusal an endpoint may raise; anything else is raised on (the
    database outage and unexpected-error middleware answer it)."""
    if isinstance(error, RequestRefused):
        return refusal_response(error)
    if isinstance(error, RowsRefused):
        # GraphQL's BarisDitolak.baris (KesalahanBaris), named as there (decision 0034).
        baris = [{"baris": p.row, "field": p.field, "message": p.message} for p in error.problems]
        return error_response(
            error.code, error.message, 422, field="baris", baris=baris, jumlahKesalahan=error.total
        )
    if isinstance(error, Refusal):
        status = _REFUSAL_STATUS.get(error.code, refusal_status)
        return error_response(error.code, error.message, status, field=error.field)
    if isinstance(error, ReadError):
        return error_response(error.code, str(error), error.http_status, field="file")
    if isinstance(error, LimitReached):
        return refusal_response(too_busy(error))
    if isinstance(error, BodyTooLarge):
        return error_response("TOO_LARGE", f"the request body is over {error.limit} bytes", 413)
    if isinstance(error, BodyTimeout):
        return error_response("BODY_TIMEOUT", str(error), 408)
    raise error


REFUSALS = (RequestRefused, Refusal, ReadError, LimitReached, BodyTooLarge, BodyTimeout)

Handler = Callable[[Bound], Awaitable[Response]]


def bound_endpoint(
    authenticator: Authenticator,
    handler: Handler,
    *,
    operation: Operation | None = None,
    max_body_bytes: int = NO_BODY_BYTES,
    accepts: Callable[[Request], None] | None = None,
    refusal_status: int = 400,
) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint running ``handler`` through the pipeline (module docstring).
    ``accepts`` raises a refusal for a request the endpoint cannot take (its body's type);
    ``refusal_status`` is the status of a domain refusal whose code has none of its own (400
    for bad input, 409 where the refusal is about the state of a record)."""

    async def endpoint(request: Request) -> Response:
        try:
            if accepts is not None:
                accepts(request)
            check_declared(request.headers, max_body_bytes)
            bound = await bind(authenticator, request)
            if operation is not None:
                authorize(bound.principal, operation, Relation.OTHER_IN_TENANT)
            return await handler(bound)
        except REFUSALS as error:
            return refusal(error, refusal_status)

    return endpoint
