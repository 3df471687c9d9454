"""The operator's command line (issue 18): `--version`, listings on stdout with `--json`,
`db status|stop` and the embedded server's lifetime, quiet embedded logs, and the test session's
EKINERJA_TEST_DB_PREFIX. Real processes and a real PostgreSQL throughout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest

from ekinerja.db.embedded import status
from tests.test_cli_errors import cli, on

ROOT = Path(__file__).resolve().parents[1]


def test_version_is_the_installed_packages(tmp_path):
    # Forked warm: --version from a cold interpreter is tests/test_cli_errors.py's test_version.
    result = cli("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"ekinerja {metadata.version('ekinerja')}\n")


async def test_tenants_list_prints_to_stdout_and_json_parses(database, tenant, tmp_path):
    text = cli("tenants", "list", cwd=tmp_path, **on(database))
    assert text.returncode == 0, text.stderr
    assert tenant.kode in text.stdout and tenant.kode not in text.stderr

    as_json = cli("tenants", "list", "--json", cwd=tmp_path, **on(database))
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
    [mine] = [row for row in rows if row["kode"] == tenant.kode]
    assert mine["schema"] == tenant.schema_name and mine["status"] == "ACTIVE"


def test_idp_list_json_is_an_array(database, tmp_path):
    result = cli("idp", "list", "--json", cwd=tmp_path, **on(database))
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)


# A process that uses the embedded server the way `serve` does (starts it if need be, keeps it
# while it runs, leaves through ekinerja/db/embedded.py at exit): `serve` itself would spend its
# first start seeding the demo instansi.
_HOLDER = """
import sys, time
from pathlib import Path
from ekinerja.db.embedded import start_embedded
start_embedded(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
"""


def _holder(data_dir: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout.readline().strip() == "ready"
    return holder


def test_db_status_and_stop_and_the_embedded_servers_lifetime(tmp_path):
    data_dir = tmp_path / "data"
    env = {"EKINERJA_DATA_DIR": str(data_dir)}

    def ekinerja(*args: str) -> subprocess.CompletedProcess:
        return cli(*args, cwd=tmp_path, **env)

    try:
        never = ekinerja("db", "status")
        assert never.returncode == 3 and "not running" in never.stdout, never.stdout

        # A command started it (its first start: initdb, announced) and stopped it at exit.
        migrated = ekinerja("migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert "first start" in migrated.stderr
        assert "pgserver" not in migrated.stderr and "port=5432" not in migrated.stderr
        assert ekinerja("db", "status").returncode == 3
        assert not status(data_dir).running

        # A long-running user (as serve): running, and the command beside it leaves it up.
        holder = _holder(data_dir)
        shown = ekinerja("db", "status")
        assert shown.returncode == 0, shown.stdout + shown.stderr
        found = status(data_dir)
        assert found.running and f"pid {found.pid}" in shown.stdout
        assert "unix socket" in shown.stdout and str(found.socket) in shown.stdout
        assert str(holder.pid) in shown.stdout
        as_json = json.loads(ekinerja("db", "status", "--json").stdout)
        assert as_json["running"] and as_json["users"] == [holder.pid]
        assert ekinerja("tenants", "list", "--json").returncode == 0
        assert status(data_dir).running

        refused = ekinerja("db", "stop")
        assert refused.returncode == 2 and "in use" in refused.stderr
        assert status(data_dir).running

        # Killed without leaving: the next user adopts it and stops it when done.
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        assert status(data_dir).running
        assert ekinerja("tenants", "list").returncode == 0
        assert not status(data_dir).running

        # db stop: clean stop of a running server; stopping again says it is not running.
        holder = _holder(data_dir)
        holder.stdin.close()
        holder.wait(30)  # it stopped the server it started
        assert not status(data_dir).running
        holder = _holder(data_dir)
        stopped = ekinerja("db", "stop", "--force")
        assert stopped.returncode == 0 and "stopped" in stopped.stdout, stopped.stderr
        assert not status(data_dir).running
        again = ekinerja("db", "stop")
        assert again.returncode == 0 and "not running" in again.stdout
        holder.stdin.close()
        assert holder.wait(30) == 0
    finally:
        if status(data_dir).running:
            ekinerja("db", "stop", "--force")


def test_verbose_shows_the_embedded_servers_own_log_lines(tmp_path):
    data_dir = tmp_path / "data"
    try:
        result = cli("--verbose", "migrate", cwd=tmp_path, EKINERJA_DATA_DIR=str(data_dir))
        assert result.returncode == 0, result.stderr
        assert "pgserver" in result.stderr
    finally:
        assert not status(data_dir).running


def _collect(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider",
         "tests/test_scalars.py"],
        env=os.environ | env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("prefix", ["ops_check"])
def test_the_session_says_which_server_and_database_it_uses(prefix):
    started = time.monotonic()
    named = _collect({"EKINERJA_TEST_DB_PREFIX": prefix})
    assert named.returncode == 0, named.stdout + named.stderr
    [header] = [line for line in named.stdout.splitlines() if line.startswith("postgres: ")]
    assert f"database {prefix}_" in header
    assert any(where in header for where in ("DATABASE_URL", "127.0.0.1:5432", "embedded"))
    assert time.monotonic() - started < 60  # saying so starts no server

    refused = _collect({"EKINERJA_TEST_DB_PREFIX": "Not-A-Name"})
    assert refused.returncode != 0 and "EKINERJA_TEST_DB_PREFIX" in refused.stdout + refused.stderr
