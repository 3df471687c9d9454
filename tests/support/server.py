"""Where the tests find PostgreSQL: DATABASE_URL's server, else 127.0.0.1:5432 when it answers,
else an embedded server the session starts itself (in a temporary directory, stopped and removed
when the session ends). Each session gets a fresh database on it, named
``EKINERJA_TEST_DB_PREFIX`` (default ``ekinerja_test``) and the session's pid; its tenant roles
are named after the database (role_prefix_for_database), so they share that prefix too."""

from __future__ import annotations

import atexit
import os
import re
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


PREFIX_VARIABLE = "EKINERJA_TEST_DB_PREFIX"
DEFAULT_PREFIX = "ekinerja_test"
# Role names are cut at 40 characters of the database name (role_prefix_for_database): the
# prefix leaves room for the pid, so two sessions never share roles.
_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,29}")


def scratch_database_name() -> str:
    """This session's scratch database: ``EKINERJA_TEST_DB_PREFIX``_PID."""
    prefix = os.environ.get(PREFIX_VARIABLE) or DEFAULT_PREFIX
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(
            f"{PREFIX_VARIABLE}={prefix!r}: lowercase letters, digits and _, starting with a "
            "letter, at most 30 characters"
        )
    return f"{prefix}_{os.getpid()}"


def chosen_server() -> str:
    """Which server find_server will use, without starting anything (the session's header)."""
    forced_embedded = os.environ.get("EKINERJA_TEST_POSTGRES") == "embedded"
    url = os.environ.get("DATABASE_URL")
    if url and not forced_embedded:
        address = DatabaseAddress.parse(url)
        return f"DATABASE_URL ({address.host}:{address.port})"
    if not forced_embedded and _answers("127.0.0.1", 5432):
        return "127.0.0.1:5432"
    return "embedded (a temporary data directory, removed at the end)"


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
    # Registered first, so it runs last: after the server is stopped (ekinerja/db/embedded.py
    # stops it at exit, this session having started it).
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
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
