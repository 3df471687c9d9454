"""A throwaway PostgreSQL cluster a fault test or benchmark owns outright: created with initdb in
a temporary directory, listening on a free 127.0.0.1 port with trust authentication, and
stopped (fast or immediate), started again, frozen and thawed at will. The shared test server
cannot be treated that way; this one is nobody else's.

The binaries are the ones pgserver ships in its wheel (a dependency of the project), else
PostgreSQL 15 from the system packages. As root, PostgreSQL refuses to run, so the cluster runs
as pgserver's system user, the way the embedded server does.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import psutil

from ekinerja.db.config import DatabaseAddress

SYSTEM_BINARIES = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"
# Durability against a crashed process, not a crashed machine: written WAL survives an
# immediate stop in the kernel's page cache, and the cluster starts in a second.
SERVER_OPTIONS = (
    "-c fsync=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB "
    "-c log_min_messages=warning"
)


def _binaries() -> Path:
    try:
        from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:  # pragma: no cover - pgserver is a dependency
        return SYSTEM_BINARIES
    return POSTGRES_BIN_PATH if (POSTGRES_BIN_PATH / "pg_ctl").exists() else SYSTEM_BINARIES


def _system_user() -> str | None:
    """Who runs the server: this user, or pgserver's user when this one is root."""
    if os.geteuid() != 0:
        return None
    from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists("pgserver")
    ensure_prefix_permissions(_binaries())
    return "pgserver"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ClusterError(RuntimeError):
    pass


class ScratchCluster:
    """One cluster in its own temporary directory. ``start()`` creates it on first use;
    ``remove()`` stops it and deletes the directory."""

    def __init__(self) -> None:
        self.user = _system_user()
        self.directory = Path(tempfile.mkdtemp(prefix="ekinerja-cluster-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = _free_port()
        self._frozen: list[psutil.Process] = []
        if self.user is not None:
            shutil.chown(self.directory, self.user, self.user)

    def address(self, database: str = "postgres") -> DatabaseAddress:
        return DatabaseAddress("127.0.0.1", self.port, SUPERUSER, None, database)

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(_binaries() / program), *arguments]
        # Output to a file, never a pipe: the server inherits it and would keep a pipe open.
        with (self.directory / "commands.log").open("a") as output:
            finished = subprocess.run(
                command, stdout=output, stderr=subprocess.STDOUT, user=self.user, timeout=120
            )
        if finished.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise ClusterError(f"{program} {' '.join(arguments)} failed: {tail}")

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-N")
        options = f"-h 127.0.0.1 -p {self.port} -k {self.directory} {SERVER_OPTIONS}"
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
                  "-o", options)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``fast``: sessions are ended and the server shuts down cleanly; ``immediate``: every
        process quits at once, as in a crash (recovery runs at the next start)."""
        self.thaw()
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", str(self.data))

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def _processes(self) -> list[psutil.Process]:
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        postmaster = psutil.Process(pid)
        return [postmaster, *postmaster.children(recursive=True)]

    def freeze(self) -> None:
        """SIGSTOP the postmaster, then every backend and helper process: stopping the
        postmaster alone would leave open connections served. Connections are still accepted
        by the kernel and then hang, as with a hung machine."""
        for process in self._processes():  # the postmaster first: it forks no more after
            process.send_signal(signal.SIGSTOP)
            self._frozen.append(process)

    def thaw(self) -> None:
        for process in reversed(self._frozen):
            try:
                process.send_signal(signal.SIGCONT)
            except psutil.NoSuchProcess:
                pass
        self._frozen.clear()

    def is_running(self) -> bool:
        pid_file = self.data / "postmaster.pid"
        return pid_file.exists() and psutil.pid_exists(int(pid_file.read_text().split()[0]))

    def remove(self) -> None:
        self.thaw()
        if self.is_running():
            self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> ScratchCluster:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.remove()
