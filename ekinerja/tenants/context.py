"""Which tenant the running task is bound to. Set only by ekinerja.tenants.binding."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from ekinerja.tenants.errors import TenantNotBound


@dataclass(frozen=True, slots=True)
class BoundTenant:
    kode: str
    schema_name: str
    role_name: str


_bound: ContextVar[BoundTenant | None] = ContextVar("ekinerja_bound_tenant", default=None)


def current_tenant() -> BoundTenant:
    tenant = _bound.get()
    if tenant is None:
        raise TenantNotBound("no instansi is bound to this operation")
    return tenant


def bound_tenant_or_none() -> BoundTenant | None:
    return _bound.get()
