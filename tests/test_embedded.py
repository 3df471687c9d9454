"""The embedded PostgreSQL of the zero-setup default starts and serves a database."""

from __future__ import annotations

import asyncpg

from ekinerja.db.embedded import start_embedded


async def test_embedded_server_starts_and_creates_its_database(tmp_path):
    address = start_embedded(tmp_path, "ekinerja_embedded", keep_running=False)
    assert address.database == "ekinerja_embedded"
    connection = await asyncpg.connect(**address.asyncpg_kwargs())
    try:
        assert await connection.fetchval("SELECT current_database()") == "ekinerja_embedded"
    finally:
        await connection.close()
    # Starting again reuses the same data directory and database.
    assert start_embedded(tmp_path, "ekinerja_embedded", keep_running=False) == address
