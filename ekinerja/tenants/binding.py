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
from tortoise.connection import get_connections

from ekinerja.db.config import CONNECTION
from ekinerja.observability import tracing
from ekinerja.tenants.context import BoundTenant, _bound
from ekinerja.tenants.identifiers import validate_identifier


# The transaction's statement and lock timeouts ride along (the connection's limits, see
# ekinerja/db/engine.py): transaction-local like the binding, at no extra round trip. So does
# jit=off: the connection asks for it at start-up (ekinerja/db/config.py), but a pooler in
# transaction mode drops that startup parameter (PgBouncer's ignore_startup_parameters), and a
# tenant's statements (the cascades, the compiled reads) are the ones it matters for
# (decision 0038).
def _binding_sql(search_path: str, role: str, statement_timeout: str, lock_timeout: str) -> str:
    return (
        f"SELECT set_config('search_path', {search_path}, true), "
        f"set_config('role', {role}, true), "
        f"set_config('statement_timeout', {statement_timeout}, true), "
        f"set_config('lock_timeout', {lock_timeout}, true), "
        "set_config('jit', 'off', true)"
    )


_BIND_SQL = _binding_sql("$1", "$2", "$3", "$4")


def _binding_values(connection, tenant: BoundTenant) -> list[str]:
    limits = connection.transaction_limits
    return [
        validate_identifier(tenant.schema_name, "schema name"),
        validate_identifier(tenant.role_name, "role name"),
        limits.statement_timeout,
        limits.lock_timeout,
    ]


def _literal(value: str) -> str:
    # Only validated identifiers and decimal milliseconds arrive here; quoted all the same.
    return "'" + value.replace("'", "''") + "'"


async def bind_connection(connection: TransactionalDBClient, tenant: BoundTenant) -> None:
    """Bind an open transaction to ``tenant`` until it ends, with a statement of its own."""
    await connection.execute_query(_BIND_SQL, _binding_values(connection, tenant))


def tenant_transaction(tenant: BoundTenant):
    """Run the enclosed work in one transaction bound to ``tenant``; commit on success. A new
    transaction is bound in its BEGIN's round trip (ekinerja/db/engine.py); one nested in
    another transaction (a savepoint) binds with a statement of its own. With tracing on
    (ekinerja/observability/tracing.py) the transaction is a span, its statements within."""
    if tracing.tracer is None:
        return _tenant_transaction(tenant)
    return _traced(tenant)


@asynccontextmanager
async def _traced(tenant: BoundTenant) -> AsyncIterator[TransactionalDBClient]:
    with tracing.tracer.start_as_current_span(
        "tenant binding",
        attributes={"ekinerja.instansi": tenant.kode, "db.namespace": tenant.schema_name},
    ):
        async with _tenant_transaction(tenant) as connection:
            yield connection


@asynccontextmanager
async def _tenant_transaction(tenant: BoundTenant) -> AsyncIterator[TransactionalDBClient]:
    client = get_connections().get(CONNECTION)
    opens_bound = hasattr(client, "transaction_opened_with")  # the pool, not a transaction
    if opens_bound:
        binding = _binding_sql(*map(_literal, _binding_values(client, tenant)))
        opening = client.transaction_opened_with(binding)
    else:
        opening = client._in_transaction()
    async with opening as connection:
        if not opens_bound:
            await bind_connection(connection, tenant)
        token = _bound.set(tenant)
        try:
            yield connection
        finally:
            _bound.reset(token)
