"""Creating and removing throwaway tenants in tests."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from tortoise.backends.base.client import TransactionalDBClient

from ekinerja.db.config import DatabaseAddress
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.identifiers import quote_identifier
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound

_counter = itertools.count(1)


def fresh_kode(prefix: str = "T") -> str:
    return f"{prefix}{next(_counter):05d}"


async def new_tenant(
    role_prefix: str,
    prefix: str = "T",
    jenis: JenisInstansi = JenisInstansi.KABUPATEN,
    provinsi: str | None = None,
) -> Instansi:
    instansi, _ = await create_tenant(
        fresh_kode(prefix), f"Instansi Uji {prefix}", jenis, role_prefix, provinsi
    )
    return instansi


class _RollBack(Exception):
    """Ends a rolled_back block's transaction without committing it."""


@asynccontextmanager
async def rolled_back(instansi: Instansi) -> AsyncIterator[TransactionalDBClient]:
    """A transaction bound to ``instansi``, as ``tenant_transaction``, rolled back at the end
    instead of committed. For tests that share one tenant (conftest's ``module_tenant``) and each
    do all their work inside one such transaction (a fixture yielding inside it): every test
    then starts from the same untouched tenant, as it would with a tenant of its own, without
    building one. Only for code that stays in the transaction (no ``outside_binding``, no
    connection of its own) and keeps no tenant data between transactions."""
    try:
        async with tenant_transaction(as_bound(instansi)) as connection:
            yield connection
            raise _RollBack
    except _RollBack:
        pass


async def superuser_sql(address: DatabaseAddress, sql: str, *args) -> list:
    """Run SQL as the test superuser on a separate connection, outside the app's pool: the way a
    test looks behind the app's back or breaks things on purpose. Without arguments, ``sql`` may
    hold several statements."""
    connection = await asyncpg.connect(**address.asyncpg_kwargs())
    try:
        if args:
            return await connection.fetch(sql, *args)
        await connection.execute(sql)
        return []
    finally:
        await connection.close()


async def drop_tenant(address: DatabaseAddress, instansi: Instansi) -> None:
    await drop_tenants(address, [instansi])


async def drop_tenants(address: DatabaseAddress, tenants: list[Instansi]) -> None:
    """Drop the tenants' schemas and roles and their registry rows: one connection, one
    transaction per tenant (a single one would hold a lock on every table of every schema,
    past max_locks_per_transaction)."""
    connection = await asyncpg.connect(**address.asyncpg_kwargs())
    try:
        for instansi in tenants:
            await connection.execute(
                f"DROP SCHEMA IF EXISTS {quote_identifier(instansi.schema_name)} CASCADE;"
                f"DROP ROLE IF EXISTS {quote_identifier(instansi.role_name)}"
            )
    finally:
        await connection.close()
    await Instansi.filter(id__in=[instansi.id for instansi in tenants]).delete()
