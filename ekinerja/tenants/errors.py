"""Errors a caller can act on. Each carries a machine-readable code and an HTTP status."""

from __future__ import annotations

from ekinerja.refusals import RequestRefused


class TenantError(RequestRefused):
    code = "TENANT_ERROR"


class InvalidTenantCode(TenantError):
    code = "INVALID_TENANT_CODE"


class InvalidIdentifier(TenantError):
    code = "INVALID_IDENTIFIER"


class TenantNotFound(TenantError):
    code = "TENANT_NOT_FOUND"
    http_status = 404


class TenantAlreadyExists(TenantError):
    code = "TENANT_ALREADY_EXISTS"
    http_status = 409


class TenantSuspended(TenantError):
    code = "TENANT_SUSPENDED"
    http_status = 403


class TenantNotMigrated(TenantError):
    """The tenant's schema is behind the code: serving it could read tables that do not exist."""

    code = "TENANT_MIGRATION_PENDING"
    http_status = 503


class TenantNotBound(TenantError):
    """Instansi data reached with no instansi bound: for a client, no X-Instansi was sent (one
    code for that fault, decision 0030)."""

    code = "NO_INSTANSI_SELECTED"
    http_status = 400
