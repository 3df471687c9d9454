"""Every CLI failure is one line on stderr (`ekinerja: error: …`, exit code ≠ 0); a traceback
only with `--debug` or EKINERJA_DEBUG=1; commands that sweep tenants go on past a failing one
and report it at the end (issue 14, defect 16). The CLI runs as a process of its own: forked
from a warm interpreter (tests/support/cli.py), cold from ``python -m`` where the start itself
is tested (a setting refused before anything runs, ``--version``)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from ekinerja import __version__
from ekinerja.cli._errors import describe
from ekinerja.db.config import DatabaseAddress
from ekinerja.models.shared import Instansi
from ekinerja.refusals import Refusal
from ekinerja.storage import StorageUnavailable
from tests.support import cli as ekinerja_cli
from tests.support.kepegawaian_db import table_counts
from tests.support.tenants import drop_tenant, new_tenant, superuser_sql

PREFIX = "ekinerja: error: "


def _env(cwd: Path, env: dict[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    clean.pop("DATABASE_URL", None)
    return clean | {"EKINERJA_DATA_DIR": str(cwd / "data")} | env


def cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """``python -m ekinerja …`` with only the given settings (no developer .env: cwd is a
    scratch directory), forked warm."""
    return ekinerja_cli.run(*args, env=_env(cwd, env), cwd=cwd)


def cli_cold(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """The same from a fresh interpreter."""
    return ekinerja_cli.run_cold(*args, env=_env(cwd, env), cwd=cwd)


def on(database: DatabaseAddress) -> dict[str, str]:
    return {"DATABASE_URL": database.url(), "EKINERJA_MODE": "development"}


def one_line(result: subprocess.CompletedProcess) -> str:
    """The single line a failed command printed (asserting that it is one)."""
    assert result.returncode != 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX), result.stderr
    return lines[0]


def test_a_bad_mode_is_one_line_naming_the_variable_and_its_values(tmp_path):
    result = cli_cold("tenants", "list", cwd=tmp_path, EKINERJA_MODE="prod")

    line = one_line(result)
    assert result.returncode == 2
    assert "EKINERJA_MODE='prod'" in line and "'development' or 'production'" in line


@pytest.mark.parametrize("how", ["--debug", "EKINERJA_DEBUG=1"])
def test_debug_adds_the_traceback(tmp_path, how):
    flags, env = (["--debug"], {}) if how == "--debug" else ([], {"EKINERJA_DEBUG": "1"})

    result = cli(*flags, "tenants", "list", cwd=tmp_path, EKINERJA_MODE="prod", **env)

    assert result.returncode == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(PREFIX + "invalid setting")


def test_version(tmp_path):
    result = cli_cold("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, f"ekinerja {__version__}")


def test_an_unreachable_database_is_one_line(tmp_path):
    with socket.socket() as free:  # a port nothing listens on once closed
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]

    result = cli(
        "tenants", "list", cwd=tmp_path,
        DATABASE_URL=f"postgresql://ekinerja@127.0.0.1:{port}/ekinerja", EKINERJA_MODE="production",
    )  # fmt: skip

    line = one_line(result)
    assert result.returncode == 1 and f"127.0.0.1', {port}" in line, line


def test_a_bad_database_url_is_one_line(tmp_path):
    line = one_line(cli("tenants", "list", cwd=tmp_path, DATABASE_URL="mysql://x/y"))
    assert "DATABASE_URL" in line


@pytest.mark.parametrize(
    "content",
    [b"NIP,NAMA\n199001012015011001,Budi\x00\n", bytes(range(256)) * 40],
    ids=["nul-byte", "garbage"],
)
async def test_an_unreadable_import_is_one_line_and_writes_nothing(
    database, tenant, tmp_path, content
):
    file = tmp_path / "pegawai.csv"
    file.write_bytes(content)

    result = cli("import", "pegawai", str(file), "--tenant", tenant.kode, cwd=tmp_path,
                 **on(database))  # fmt: skip

    assert "pegawai.csv" in one_line(result)
    assert (await table_counts(tenant))["Pegawai"] == 0


def test_an_unknown_tenant_is_one_line_with_its_code(database, tmp_path):
    file = tmp_path / "pegawai.csv"
    file.write_text("NIP,NAMA\n")
    result = cli("import", "pegawai", str(file), "--tenant", "NOSUCH1", cwd=tmp_path,
                 **on(database))  # fmt: skip
    assert "TENANT_NOT_FOUND" in one_line(result) and result.returncode == 2


def test_unexpected_errors_name_their_type_and_point_at_debug():
    assert describe(RuntimeError("boom\n  at line 2")) == (
        "RuntimeError: boom at line 2 (run with --debug for details)",
        1,
    )
    assert describe(Refusal("NOT_FOUND", "no API client 'x'")) == (
        "NOT_FOUND: no API client 'x'",
        2,
    )
    # The store's message already says what failed and why; no type name, no --debug hint.
    assert describe(StorageUnavailable("DELETE k failed: timeout")) == (
        "DELETE k failed: timeout",
        1,
    )


# ------------------------------------------------------------------ sweeping tenants


@pytest.fixture
async def broken(database, role_prefix):
    """A registered, current instansi whose schema is gone: every command in it fails."""
    instansi = await new_tenant(role_prefix, prefix="B")
    await superuser_sql(database, f'DROP SCHEMA "{instansi.schema_name}" CASCADE')
    yield instansi
    await drop_tenant(database, instansi)


SWEEPS = {
    "angka-kredit": ("angka-kredit", "hitung", "--tahun", "2026"),
    "outbox": ("outbox", "pangkas"),
    "statistik": ("statistik", "segarkan", "--tahun", "2026"),
    "storage": ("storage", "gc"),
    "worker": ("worker", "--once"),
}


@pytest.mark.parametrize("command", list(SWEEPS))
async def test_a_sweep_goes_on_past_a_failing_tenant_and_reports_it(
    database, tenant, broken, tmp_path, command
):
    tenants = ("--tenant", broken.kode, "--tenant", tenant.kode)  # the broken one first

    result = cli(*SWEEPS[command], *tenants, cwd=tmp_path, **on(database))

    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    failed = [line for line in output.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith(f"FAILED {broken.kode}: "), output
    assert "1 of 2 instansi failed" in output
    if command == "statistik":
        assert "2026: 1 instansi refreshed" in output
    else:  # the good tenant was still done, after the broken one
        assert f"{tenant.kode}: " in output
    assert await Instansi.filter(kode=tenant.kode).exists()
