"""Binding a unit of work to one tenant schema: one pool, one transaction, one statement.

Inside ``tenant_transaction(t)`` every query of the task runs in a single PostgreSQL transaction
whose ``search_path`` is the tenant's schema and whose role is the tenant's role, both set with
``set_config(..., true)`` (transaction-local, so PgBouncer transaction pooling is safe and nothing
leaks to the next user of the pooled connection). The tenant role can use only its own schema, so
PostgreSQL itself refuses any statement that reaches another tenant's tables, schema-qualified or
not. See docs/decisions/0001-tenant-binding.md.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.transactions import in_transaction

from ekinerja.db.config import CONNECTION
from ekinerja.tenants.context import BoundTenant, _bound
from ekinerja.tenants.identifiers import validate_identifier

# The transaction's statement and lock timeouts ride along (the connection's limits, see
# ekinerja/db/engine.py): transaction-local like the binding, at no extra round trip.
_BIND_SQL = (
    "SELECT set_config('search_path', $1, true), set_config('role', $2, true), "
    "set_config('statement_timeout', $3, true), set_config('lock_timeout', $4, true)"
)


async def bind_connection(connection: TransactionalDBClient, tenant: BoundTenant) -> None:
    """Bind an open transaction to ``tenant`` until it ends. The one place binding SQL runs."""
    schema = validate_identifier(tenant.schema_name, "schema name")
    role = validate_identifier(tenant.role_name, "role name")
    limits = connection.transaction_limits  # type: ignore[attr-defined]
    await connection.execute_query(
        _BIND_SQL, [schema, role, limits.statement_timeout, limits.lock_timeout]
    )


@asynccontextmanager
async def tenant_transaction(tenant: BoundTenant) -> AsyncIterator[TransactionalDBClient]:
    """Run the enclosed work in one transaction bound to ``tenant``; commit on success."""
    async with in_transaction(CONNECTION) as connection:
        await bind_connection(connection, tenant)
        token = _bound.set(tenant)
        try:
            yield connection
        finally:
            _bound.reset(token)
