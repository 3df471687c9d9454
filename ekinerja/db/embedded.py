"""The embedded PostgreSQL of the zero-setup default (`ekinerja serve` without DATABASE_URL).

pgserver ships PostgreSQL binaries inside its wheel and runs as root, so a fresh machine needs
nothing but `pip install`. Data lives in a local directory and survives restarts.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from ekinerja.db.config import DatabaseAddress

log = logging.getLogger(__name__)

DATABASE = "ekinerja"

# Handles stay referenced for the life of the process: pgserver stops a server when its last
# handle goes away, and this process is using it until it exits.
_handles: list[object] = []


def start_embedded(
    data_dir: Path, database: str = DATABASE, keep_running: bool = False
) -> DatabaseAddress:
    """Start (or reuse) the embedded server under ``data_dir/pgdata`` and ensure ``database``.
    With ``keep_running`` the server outlives this process (fast restarts); otherwise it stops
    when the process exits."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = (data_dir / "pgdata").resolve()
        pgdata.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode=None if keep_running else "stop")
        _handles.append(server)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    log.info("embedded PostgreSQL ready", extra={"pgdata": str(pgdata)})
    return DatabaseAddress.parse(server.get_uri(database))
