"""The embedded PostgreSQL of the zero-setup default (`ekinerja serve` without DATABASE_URL).

pgserver ships PostgreSQL binaries inside its wheel and runs as root, so a fresh machine needs
nothing but `pip install`. Data lives in ``DATA_DIR/pgdata`` and survives restarts. The server
listens on a unix socket only (in the data directory, or a short runtime directory when that
path is too long for a socket), never on a TCP port.

Its lifetime: a process that starts the server stops it when it exits, and so does the last of
several processes using it (``serve`` beside a CLI command). A server left running by a killed
ekinerja process is adopted (the next process to use it stops it as if it had started it); one
not started that way (by hand, or with ``keep_running``) is left running. Who uses it is a list
of pids in ``DATA_DIR/embedded-postgres.json``; dead pids are pruned, so a crashed process does
not keep the server up forever (pgserver's own list of handles does, which is why its cleanup is
not used). ``ekinerja db status`` and ``ekinerja db stop`` report and stop it.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ekinerja.db.config import DatabaseAddress

log = logging.getLogger(__name__)

DATABASE = "ekinerja"
USERS_FILE = "embedded-postgres.json"
LOCK_FILE = "embedded-postgres.lock"

# pgserver logs every command it runs (~15 lines per start, one of them `port=5432` although the
# server listens on a socket only): shown only with `ekinerja --verbose` or log level DEBUG.
PGSERVER_LOGGER = "pgserver"
verbose = False

Progress = Callable[[str], None]


def _quiet_pgserver() -> None:
    shown = verbose or logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    logging.getLogger(PGSERVER_LOGGER).setLevel(logging.DEBUG if shown else logging.WARNING)


class EmbeddedNotInstalled(RuntimeError):
    """No DATABASE_URL, and this installation has no embedded PostgreSQL (the `embedded` extra:
    a development checkout has it, the service's image does not)."""


def _pgserver():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _quiet_pgserver()
        try:
            import pgserver
        except ImportError:
            raise EmbeddedNotInstalled(
                "DATABASE_URL is not set and the embedded PostgreSQL is not installed: set "
                "DATABASE_URL to your PostgreSQL server, or install it with "
                "pip install 'ekinerja[embedded]'"
            ) from None

        return pgserver


@dataclass(frozen=True)
class EmbeddedStatus:
    """What ``DATA_DIR/pgdata``'s postmaster.pid says, and who uses the server."""

    data_dir: Path
    pgdata: Path
    initialised: bool
    running: bool
    pid: int | None = None
    socket: Path | None = None  # the socket file (.s.PGSQL.PORT), when it listens on one
    host: str | None = None  # a TCP address, when it listens on one (never, on Linux)
    port: int | None = None
    users: tuple[int, ...] = ()  # live ekinerja processes using it

    @property
    def listens_on(self) -> str:
        if self.socket is not None:
            return f"unix socket {self.socket} (no TCP port)"
        if self.host is not None:
            return f"{self.host}:{self.port}"
        return "-"

    def as_dict(self) -> dict[str, object]:
        return {
            "running": self.running,
            "pid": self.pid,
            "data_dir": str(self.data_dir),
            "pgdata": str(self.pgdata),
            "initialised": self.initialised,
            "socket": str(self.socket) if self.socket else None,
            "host": self.host,
            "port": self.port,
            "users": list(self.users),
        }


def pgdata_of(data_dir: Path) -> Path:
    return (Path(data_dir) / "pgdata").expanduser().resolve()


@dataclass(frozen=True)
class _Postmaster:
    """postmaster.pid: pid, data directory, start time, port, socket directory, listen address,
    shared memory, status (PostgreSQL's own layout)."""

    pid: int
    port: int | None
    socket_dir: Path | None
    hostname: str | None

    @property
    def socket_path(self) -> Path | None:
        return self.socket_dir / f".s.PGSQL.{self.port}" if self.socket_dir else None


def _postmaster(pgdata: Path) -> _Postmaster | None:
    """What postmaster.pid says, when its server process runs; else None. Read without
    pgserver, so `db status` works on an installation without the embedded extra."""
    try:
        lines = [line.strip() for line in (pgdata / "postmaster.pid").read_text().splitlines()]
        pid = int(lines[0])
        port = int(lines[3]) if lines[3] else None
    except (OSError, IndexError, ValueError):  # none, or being written or removed right now
        return None
    if not _alive(pid):
        return None
    socket_dir = Path(lines[4]) if len(lines) > 4 and lines[4] else None
    hostname = lines[5] if len(lines) > 5 and lines[5] else None
    return _Postmaster(pid, port, socket_dir, hostname)


def status(data_dir: Path) -> EmbeddedStatus:
    """The embedded server under ``data_dir``: never starts it."""
    data_dir = Path(data_dir).expanduser().resolve()
    pgdata = pgdata_of(data_dir)
    initialised = (pgdata / "PG_VERSION").exists()
    info = _postmaster(pgdata) if initialised else None
    users = tuple(_live(_read_users(data_dir)))
    if info is None:
        return EmbeddedStatus(data_dir, pgdata, initialised, False, users=users)
    return EmbeddedStatus(
        data_dir,
        pgdata,
        initialised,
        True,
        pid=info.pid,
        socket=info.socket_path,
        host=info.hostname if info.socket_dir is None else None,
        port=info.port,
        users=users,
    )


# --- who uses it -------------------------------------------------------------------------------


def _lock(data_dir: Path):
    import fasteners

    return fasteners.InterProcessLock(str(data_dir / LOCK_FILE))


def _read_users(data_dir: Path) -> dict:
    try:
        state = json.loads((data_dir / USERS_FILE).read_text())
    except (OSError, ValueError):
        return {"users": [], "stop_when_unused": False}
    return {
        "users": [int(p) for p in state.get("users", [])],
        "stop_when_unused": bool(state.get("stop_when_unused", False)),
    }


def _write_users(data_dir: Path, state: dict) -> None:
    path = data_dir / USERS_FILE
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(state))
    scratch.replace(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's (the server runs as pgserver's user under root)
        return True
    try:  # a zombie is dead, only not yet reaped
        return " Z " not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]
    except (OSError, IndexError):
        return True


def _live(state: dict, *, besides: int | None = None) -> list[int]:
    return [p for p in state["users"] if p != besides and _alive(p)]


# --- start and stop ----------------------------------------------------------------------------


def start_embedded(
    data_dir: Path,
    database: str = DATABASE,
    keep_running: bool = False,
    progress: Progress | None = None,
) -> DatabaseAddress:
    """Start (or reuse) the embedded server under ``data_dir/pgdata`` and ensure ``database``.
    With ``keep_running`` the server outlives this process; otherwise it stops when the last
    process using it exits, if one of them started it (see the module). ``progress`` hears
    about the slow steps (the first start's initdb, creating the database)."""
    say = progress or (lambda _message: None)
    data_dir = Path(data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = pgdata_of(data_dir)
    pgserver = _pgserver()
    with _lock(data_dir):
        state = _read_users(data_dir)
        others = _live(state, besides=os.getpid())
        was_running = _postmaster(pgdata) is not None
        if not (pgdata / "PG_VERSION").exists():
            say(f"embedded PostgreSQL: first start, creating its data directory {pgdata} (initdb)")
        elif not was_running:
            log.debug("starting the embedded PostgreSQL in %s", pgdata)
        pgdata.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: pgserver never stops it; this module does (_leave, db stop).
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        if not was_running:
            stop_when_unused = not keep_running
        else:  # one of ours started it (its users may all have died: adopted), or not: leave it
            stop_when_unused = state["stop_when_unused"] and not keep_running
        _write_users(
            data_dir,
            {"users": [*others, os.getpid()], "stop_when_unused": stop_when_unused},
        )
    _once_at_exit(data_dir)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        say(f"embedded PostgreSQL: creating database {database}")
        server.psql(f'CREATE DATABASE "{database}";')
    address = DatabaseAddress.parse(server.get_uri(database))
    log.debug("embedded PostgreSQL ready", extra={"pgdata": str(pgdata), "host": address.host})
    return address


_registered: set[tuple[Path, int]] = set()


def _once_at_exit(data_dir: Path) -> None:
    if (data_dir, os.getpid()) not in _registered:
        _registered.add((data_dir, os.getpid()))
        atexit.register(_leave, data_dir, os.getpid())


def _leave(data_dir: Path, pid: int) -> None:
    """At exit: this process no longer uses the server; the last one out stops it if one of
    them started it."""
    if os.getpid() != pid:  # a forked child inherits the parent's atexit, not its use
        return
    try:
        with _lock(data_dir):
            state = _read_users(data_dir)
            others = _live(state, besides=pid)
            _write_users(data_dir, {**state, "users": others})
            if others or not state["stop_when_unused"]:
                return
            stop_embedded(data_dir, locked=True)
    except Exception:  # at exit: say it, never fail the process's exit status for it
        log.warning("could not stop the embedded PostgreSQL in %s", data_dir, exc_info=True)


class EmbeddedInUse(RuntimeError):
    """`db stop` while ekinerja processes use the server (without --force)."""


def stop_embedded(data_dir: Path, *, force: bool = True, locked: bool = False) -> bool:
    """Stop the server under ``data_dir`` cleanly (pg_ctl stop, fast mode: sessions are ended,
    nothing is lost). False when it was not running. Without ``force`` it refuses
    (EmbeddedInUse) while a live ekinerja process other than this one uses it."""
    data_dir = Path(data_dir).expanduser().resolve()
    if not locked:
        with _lock(data_dir):
            return stop_embedded(data_dir, force=force, locked=True)
    pgdata = pgdata_of(data_dir)
    if _postmaster(pgdata) is None:
        return False
    state = _read_users(data_dir)
    others = _live(state, besides=os.getpid())
    if others and not force:
        raise EmbeddedInUse(
            f"the embedded PostgreSQL in {pgdata} is in use by ekinerja process(es) "
            f"{', '.join(map(str, others))}: stop them first (a serve with Ctrl+C), or use --force"
        )
    try:
        _pgserver().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_system_user())
    except subprocess.CalledProcessError:
        if _postmaster(pgdata) is not None:
            raise
    _write_users(data_dir, {"users": [], "stop_when_unused": False})
    return True


def _system_user() -> str | None:
    """pgserver runs the server as its own system user when it runs as root."""
    return "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
