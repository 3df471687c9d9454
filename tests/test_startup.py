"""Start-up refuses an unsafe configuration in one line (issue 14, defect 5): development mode
by default against a database server, weak or missing production secrets, a token signing key
that does not parse. The embedded default still starts with no configuration."""

from __future__ import annotations

import logging
import os
import subprocess

import orjson
import pytest
from joserfc.jwk import ECKey, RSAKey

from ekinerja.cli.serve import listening_on
from ekinerja.http.app import create_app
from ekinerja.http.same_origin import allowed_origins
from ekinerja.settings import Settings
from ekinerja.startup import StartupRefused, check_startup
from ekinerja.storage.setup import public_base_url
from tests.support import cli

SERVER = "postgresql://ekinerja:hunter2-db-password@db.internal:5432/ekinerja"
STRONG = "k3Jx9-PqZr0v_Lm2Wn8tYb4Hc6Fd1Gs7Ae5Ui"  # 38 characters, not a placeholder


@pytest.fixture(autouse=True)
def no_mode_in_the_environment(monkeypatch):
    """These tests decide the mode themselves, whatever the shell running them has set."""
    for name in ("EKINERJA_MODE", "DATABASE_URL", "EKINERJA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def settings(tmp_path, **values) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)


def refusal(configured: Settings) -> str:
    with pytest.raises(StartupRefused) as refused:
        check_startup(configured)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_default_development_mode_against_a_server_is_refused(tmp_path, monkeypatch):
    message = refusal(settings(tmp_path, database_url=SERVER))
    assert "EKINERJA_MODE" in message and "db.internal:5432/ekinerja" in message
    assert "hunter2" not in message  # the password stays out of logs and terminals
    # Read from the environment, as a deployment would set it.
    monkeypatch.setenv("DATABASE_URL", SERVER)
    assert "EKINERJA_MODE" in refusal(Settings(_env_file=None, data_dir=tmp_path))
    with pytest.raises(StartupRefused):
        create_app(Settings(_env_file=None, data_dir=tmp_path))


def test_development_asked_for_by_name_runs_with_a_loud_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", SERVER)
    monkeypatch.setenv("EKINERJA_MODE", "development")
    with caplog.at_level(logging.WARNING, logger="ekinerja.startup"):
        check_startup(Settings(_env_file=None, data_dir=tmp_path))
    [warning] = [r for r in caplog.records if r.name == "ekinerja.startup"]
    assert warning.levelno == logging.WARNING
    assert "DEVELOPMENT MODE" in warning.getMessage() and "dev-login" in warning.getMessage()
    assert "hunter2" not in warning.getMessage()


def test_the_embedded_default_needs_no_configuration(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="ekinerja.startup"):
        check_startup(settings(tmp_path))
        create_app(settings(tmp_path))
    assert not [r for r in caplog.records if r.name == "ekinerja.startup"]


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (None, "must be set in production"),
        ("", "must be set in production"),
        ("short-but-random-Qx8", "shorter than 32 characters"),
        ("change-me", "a placeholder"),
        ("secret", "a placeholder"),
        ("replace-with-a-long-random-string", "a placeholder"),  # the compose file's old default
        ("change-me-" * 5, "a placeholder"),
        ("x" * 48, "one character repeated"),
    ],
)
def test_production_refuses_a_missing_or_weak_session_secret(tmp_path, secret, reason):
    message = refusal(settings(tmp_path, mode="production", session_secret=secret))
    assert message.startswith("EKINERJA_SESSION_SECRET") and reason in message


def test_production_refuses_a_weak_storage_signing_secret_when_one_is_set(tmp_path):
    strong = settings(tmp_path, mode="production", session_secret=STRONG)
    check_startup(strong)
    weak = settings(
        tmp_path, mode="production", session_secret=STRONG, storage_signing_secret="change-me"
    )
    assert refusal(weak).startswith("EKINERJA_STORAGE_SIGNING_SECRET is a placeholder")


def _jwk(key, private: bool = True) -> str:
    return orjson.dumps(key.as_dict(private=private)).decode()


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("not json", "it is not JSON"),
        ("[1, 2]", "not a private JWK"),
        ('{"kty": "oct", "k": "c2VjcmV0"}', "not a private JWK"),
        ('{"kty": "RSA", "n": "abc"}', "not a private JWK"),
        (_jwk(RSAKey.generate_key(2048), private=False), "only the public part"),
        (_jwk(ECKey.generate_key("P-384")), "not a private JWK"),  # ES256 needs P-256
    ],
)
@pytest.mark.parametrize("mode", ["development", "production"])
def test_a_token_signing_key_that_does_not_parse_is_refused(tmp_path, key, says, mode):
    configured = settings(tmp_path, mode=mode, session_secret=STRONG, token_signing_key=key)
    message = refusal(configured)
    assert message.startswith("EKINERJA_TOKEN_SIGNING_KEY") and says in message


@pytest.mark.parametrize("key", [RSAKey.generate_key(2048), ECKey.generate_key("P-256")])
def test_a_private_rsa_or_p256_signing_key_is_accepted(tmp_path, key):
    check_startup(
        settings(tmp_path, mode="production", session_secret=STRONG, token_signing_key=_jwk(key))
    )


def _cli(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python -m ekinerja ARGS`, forked warm (tests/support/cli.py): the refusals tested here
    come after the command line is imported and before anything starts, so a cold
    interpreter's seconds would be all they cost. (A setting refused from a cold start, in one
    line: tests/test_cli_errors.py.)"""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    clean.pop("DATABASE_URL", None)
    env = clean | {"EKINERJA_DATA_DIR": str(tmp_path)} | env
    return cli.run(*args, env=env, cwd=tmp_path, timeout=120)  # cwd: no .env from the tree


def test_serve_and_worker_refuse_in_one_line_before_doing_anything(tmp_path):
    # Unreachable on purpose: a refusal must come before any connection is tried.
    server = "postgresql://ekinerja@127.0.0.1:9/ekinerja"
    worker = _cli(tmp_path, "worker", "--once", DATABASE_URL=server)
    serve = _cli(
        tmp_path,
        "serve",
        DATABASE_URL=server,
        EKINERJA_MODE="production",
        EKINERJA_SESSION_SECRET="change-me",
    )
    for result, says in ((worker, "EKINERJA_MODE is not set"), (serve, "is a placeholder")):
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "STARTUP_REFUSED" in lines[0] and says in lines[0], lines


def test_serve_port_is_where_browsers_reach_the_service(tmp_path):
    """`ekinerja serve --port 8765` without EKINERJA_PUBLIC_URL: cookie posts from the page at
    port 8765 are same-origin and the local store's links point there (they named 8000)."""
    moved = listening_on(settings(tmp_path), None, 8765)
    assert public_base_url(moved) == "http://127.0.0.1:8765"
    assert "http://localhost:8765" in allowed_origins(moved)
    configured = settings(tmp_path, public_url="https://kinerja.example.go.id")
    assert public_base_url(listening_on(configured, "0.0.0.0", 8765)) == (
        "https://kinerja.example.go.id"
    )
