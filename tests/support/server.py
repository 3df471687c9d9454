"""Where the tests find PostgreSQL: DATABASE_URL's server, else 127.0.0.1:5432 when it answers,
else an embedded server the session starts itself. Each session gets a fresh database on it."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.embedded import start_embedded
from ekinerja.settings import Settings


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def find_server() -> tuple[DatabaseAddress, str]:
    """The server to test against, and how it was found. EKINERJA_TEST_POSTGRES=embedded forces
    the embedded server (to check the path a machine without PostgreSQL takes)."""
    forced_embedded = os.environ.get("EKINERJA_TEST_POSTGRES") == "embedded"
    url = os.environ.get("DATABASE_URL")
    if url and not forced_embedded:
        return DatabaseAddress.parse(url).with_database("postgres"), "DATABASE_URL"
    if not forced_embedded and _answers("127.0.0.1", 5432):
        return DatabaseAddress("127.0.0.1", 5432, "postgres", None, "postgres"), "127.0.0.1:5432"
    data_dir = Path(tempfile.mkdtemp(prefix="ekinerja-test-pg-"))
    return start_embedded(data_dir, "postgres", keep_running=False), "embedded"


# Development keys and session secrets of the test run, kept out of the working tree and
# removed when the run ends.
_DATA_DIR = Path(tempfile.mkdtemp(prefix="ekinerja-test-data-"))
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)


def settings_for(address: DatabaseAddress, **overrides) -> Settings:
    """Settings for a test: this database, nothing read from a developer's `.env`. The mode is
    given explicitly (development unless overridden): development is refused against a
    database server when it is only the default (ekinerja/startup.py)."""
    values = {"database_url": address.url(), "data_dir": _DATA_DIR, "mode": "development"}
    values |= overrides
    if values.get("mode") == "production":
        values.setdefault("session_secret", "test-session-secret-" + "x" * 32)
    return Settings(_env_file=None, **values)
