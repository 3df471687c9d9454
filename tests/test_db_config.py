"""DATABASE_URL parsing and the ORM configuration derived from it."""

from __future__ import annotations

import pytest

from ekinerja.db.config import UNBOUND_SCHEMA, DatabaseAddress, DatabaseUrlError, tortoise_config
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


@pytest.mark.parametrize(
    "address",
    [
        DatabaseAddress("db.internal", 6432, "app", "p@ss:w/rd", "ekinerja"),
        DatabaseAddress("/tmp/pg", 5432, "postgres", None, "ekinerja"),
    ],
)
def test_url_round_trips(address):
    assert DatabaseAddress.parse(address.url()) == address
