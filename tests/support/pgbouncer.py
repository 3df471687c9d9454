"""A real PgBouncer in transaction pool mode in front of the test session's PostgreSQL server
(tests/support/server.py), started by the tests on a free port with a generated ini: the
deployment's pooler (docs/deployment.md, "PgBouncer") as the service meets it.

The Debian package is enough (``apt-get install pgbouncer``, which .ci/run does); without it
the tests that need one skip, saying why. Authentication is ``trust`` with an auth file naming
the server's user (whose password, if any, PgBouncer passes on to the server). Run as root,
PgBouncer drops to the user that owns the server's socket directory (the embedded server's),
else to ``nobody``: it refuses to run as root.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ekinerja.db.config import DatabaseAddress

# What the service sends at start-up that PgBouncer does not know (asyncpg's server_settings:
# Tortoise's search_path, the connection limits' idle timeout and jit; extra_float_digits is
# psql's and JDBC's): PgBouncer refuses a client sending an unknown startup parameter unless it
# is listed here, and then drops it (docs/deployment.md, decision 0038).
IGNORE_STARTUP_PARAMETERS = (
    "extra_float_digits, search_path, jit, idle_in_transaction_session_timeout"
)


def executable() -> str | None:
    return shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if os.access("/usr/sbin/pgbouncer", os.X_OK) else None
    )


def version() -> tuple[int, ...] | None:
    binary = executable()
    if binary is None:
        return None
    out = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"PgBouncer (\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(p) for p in found.groups() if p is not None) if found else None


def why_not(*, prepared_statements: bool) -> str | None:
    """Why these tests cannot run here, or None."""
    if executable() is None:
        return "pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it)"
    found = version()
    if prepared_statements and (found is None or found < (1, 21)):
        shown = ".".join(map(str, found)) if found else "unknown"
        return (
            f"PgBouncer {shown} cannot keep prepared statements in transaction mode "
            "(max_prepared_statements needs 1.21): the statement cache's variant needs a newer one"
        )
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _run_as(server: DatabaseAddress) -> str | None:
    """The user PgBouncer runs as when started by root (None: started by anyone else)."""
    if os.geteuid() != 0:
        return None
    if server.host.startswith("/"):  # a socket directory: its owner can reach the socket
        owner = os.stat(server.host).st_uid
        if owner != 0:
            return pwd.getpwuid(owner).pw_name
    return "nobody"


@dataclass
class PgBouncer:
    """PgBouncer in front of ``target`` (a database on the session's server). ``pools``: extra
    database names, each an alias of that database with a pool size of its own (name → size)."""

    target: DatabaseAddress
    max_prepared_statements: int = 0
    default_pool_size: int = 4
    pools: dict[str, int] | None = None

    def __post_init__(self) -> None:
        self.server, self.database = self.target, self.target.database
        self.port = _free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="ekinerja-pgbouncer-"))
        self.process: subprocess.Popen | None = None

    def address(self, alias: str | None = None) -> DatabaseAddress:
        """The database through PgBouncer (``alias``: one of ``pools``)."""
        return DatabaseAddress(
            "127.0.0.1", self.port, self.server.user, self.server.password, alias or self.database
        )

    def _ini(self) -> str:
        target = f"host={self.server.host} port={self.server.port} dbname={self.database}"
        if self.server.password:
            target += f" password={self.server.password}"
        lines = [
            "[databases]",
            f"{self.database} = {target}",
            *(f"{alias} = {target} pool_size={size}" for alias, size in (self.pools or {}).items()),
            "",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {self.port}",
            "unix_socket_dir =",
            "auth_type = trust",
            f"auth_file = {self.directory / 'users.txt'}",
            "pool_mode = transaction",
            f"default_pool_size = {self.default_pool_size}",
            "max_client_conn = 200",
            f"ignore_startup_parameters = {IGNORE_STARTUP_PARAMETERS}",
            "log_connections = 0",
            "log_disconnections = 0",
        ]
        if self.max_prepared_statements:
            lines.append(f"max_prepared_statements = {self.max_prepared_statements}")
        return "\n".join(lines) + "\n"

    def start(self) -> PgBouncer:
        binary = executable()
        assert binary is not None, why_not(prepared_statements=False)
        (self.directory / "users.txt").write_text(f'"{self.server.user}" ""\n')
        ini = self.directory / "pgbouncer.ini"
        ini.write_text(self._ini())
        command = [binary, str(ini)]
        user = _run_as(self.server)
        if user is not None:
            self.directory.chmod(0o755)
            command[1:1] = ["-u", user]
        self.log = (self.directory / "pgbouncer.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pgbouncer did not start:\n{self.output()}")
            time.sleep(0.02)
        return self

    def output(self) -> str:
        path = self.directory / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None) is not None:
            self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PgBouncer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
