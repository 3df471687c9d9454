"""DATABASE_URL parsing and the ORM configuration derived from it."""

from __future__ import annotations

import pytest

from ekinerja.db.config import (
    UNBOUND_SCHEMA,
    DatabaseAddress,
    DatabaseLimits,
    DatabaseUrlError,
    tortoise_config,
)
from ekinerja.settings import Settings


def test_tcp_url():
    address = DatabaseAddress.parse("postgresql://app:s%40cret@db.internal:6432/ekinerja")
    assert address == DatabaseAddress("db.internal", 6432, "app", "s@cret", "ekinerja")


def test_unix_socket_url():
    address = DatabaseAddress.parse("postgresql://postgres:@/ekinerja?host=/tmp/pg")
    assert address.host == "/tmp/pg" and address.database == "ekinerja" and address.password is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x@h/db", "must start with postgresql://"),
        ("postgresql://x@h", "names no database"),
    ],
)
def test_bad_urls_are_refused_clearly(url, message):
    with pytest.raises(DatabaseUrlError, match=message):
        DatabaseAddress.parse(url)


def test_pool_is_bounded_and_unbound_by_default():
    settings = Settings(_env_file=None, db_pool_max=7, db_statement_cache_size=0)
    config = tortoise_config(DatabaseAddress.parse("postgresql://p@h/db"), settings)
    credentials = config["connections"]["default"]["credentials"]
    assert credentials["maxsize"] == 7
    assert credentials["schema"] == UNBOUND_SCHEMA
    assert credentials["statement_cache_size"] == 0


def test_the_service_waits_within_limits_and_commands_without():
    settings = Settings(
        _env_file=None,
        db_acquire_timeout_seconds=3,
        db_statement_timeout_seconds=10,
        db_lock_timeout_seconds=2,
        db_idle_in_transaction_timeout_seconds=30,
    )
    address = DatabaseAddress.parse("postgresql://p@h/db")
    service = tortoise_config(address, settings)["connections"]["default"]
    assert service["engine"] == "ekinerja.db.engine"
    bounded = service["credentials"]
    # The pool wait and connecting; statements: the server's timeout, the client's a second later.
    assert (bounded["acquire_timeout"], bounded["timeout"], bounded["command_timeout"]) == (
        3,
        3,
        11,
    )
    assert (bounded["statement_timeout_ms"], bounded["lock_timeout_ms"]) == (10_000, 2_000)
    idle = {"idle_in_transaction_session_timeout": "30000", "jit": "off"}
    assert bounded["server_settings"] == idle
    commands = DatabaseLimits.for_commands(settings)
    waiting = tortoise_config(address, settings, commands)["connections"]["default"]["credentials"]
    assert (waiting["acquire_timeout"], waiting["command_timeout"]) == (None, None)
    assert (waiting["statement_timeout_ms"], waiting["lock_timeout_ms"]) == (0, 0)
    assert waiting["server_settings"] == idle


@pytest.mark.parametrize(
    "address",
    [
        DatabaseAddress("db.internal", 6432, "app", "p@ss:w/rd", "ekinerja"),
        DatabaseAddress("/tmp/pg", 5432, "postgres", None, "ekinerja"),
    ],
)
def test_url_round_trips(address):
    assert DatabaseAddress.parse(address.url()) == address
