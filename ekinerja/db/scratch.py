"""Throwaway databases for test sessions and benchmarks: created fresh, dropped with the tenant
roles they created (roles are cluster-wide and would otherwise outlive the database)."""

from __future__ import annotations

import asyncpg

from ekinerja.db.config import DatabaseAddress
from ekinerja.tenants.identifiers import quote_identifier, role_prefix_for_database


async def create_scratch_database(server: DatabaseAddress, name: str) -> DatabaseAddress:
    await drop_scratch_database(server, name)
    connection = await asyncpg.connect(**server.asyncpg_kwargs())
    try:
        await connection.execute(f"CREATE DATABASE {quote_identifier(name)}")
    finally:
        await connection.close()
    return server.with_database(name)


async def drop_scratch_database(server: DatabaseAddress, name: str) -> None:
    connection = await asyncpg.connect(**server.asyncpg_kwargs())
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {quote_identifier(name)} WITH (FORCE)")
        roles = await connection.fetch(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)",
            role_prefix_for_database(name),
        )
        for row in roles:
            await connection.execute(f"DROP ROLE {quote_identifier(row['rolname'])}")
    finally:
        await connection.close()
