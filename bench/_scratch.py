"""A throwaway database for a benchmark: created on DATABASE_URL's server (else
127.0.0.1:5432), the shared schema migrated and the ORM opened on it; closed and dropped, with
its tenant roles, however the benchmark ends."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ekinerja.db.config import DatabaseAddress, DatabaseLimits
from ekinerja.db.lifecycle import close_database, open_database
from ekinerja.db.scratch import create_scratch_database, drop_scratch_database
from ekinerja.settings import Settings
from ekinerja.tenants.migrations import migrate_shared


def server_address() -> DatabaseAddress:
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    return DatabaseAddress.parse(url).with_database("postgres")


@asynccontextmanager
async def scratch_database(
    name: str, **settings: object
) -> AsyncIterator[tuple[DatabaseAddress, Settings]]:
    """``(address, settings)`` of database ``name``; ``settings`` override the defaults."""
    server = server_address()
    address = await create_scratch_database(server, name)
    # Development unless overridden, given explicitly: a default development mode is refused
    # against a database server (ekinerja/startup.py).
    configured = Settings(
        _env_file=None, database_url=address.url(), **({"mode": "development"} | settings)
    )
    # Seeding a benchmark is a command's work: no request timeouts.
    await open_database(address, configured, DatabaseLimits.for_commands(configured))
    try:
        await migrate_shared()
        yield address, configured
    finally:
        await close_database()
        await drop_scratch_database(server, name)
