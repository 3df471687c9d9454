"""Permission classes for fields and mutations. Deny by default: a field that reads tenant data
declares who may; without a principal of the bound tenant nothing is read."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from ekinerja.auth.principal import Role
from ekinerja.schema.context import Info
from ekinerja.schema.errors import ClientError


class Unauthenticated(ClientError):
    code = "UNAUTHENTICATED"


class Forbidden(ClientError):
    code = "FORBIDDEN"


class IsTenantMember(BasePermission):
    """A principal of the instansi this operation is bound to."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        context = info.context
        if context.principal is None:
            raise Unauthenticated("authentication required")
        if context.instansi is None or context.principal.instansi_kode != context.instansi.kode:
            raise Forbidden("this principal does not belong to the selected instansi")
        return True


class IsAdminInstansi(IsTenantMember):
    """An admin instansi of the instansi this operation is bound to."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        super().has_permission(source, info, **kwargs)
        if not info.context.principal.has_role(Role.ADMIN_INSTANSI):
            raise Forbidden("only an admin instansi may do this")
        return True
