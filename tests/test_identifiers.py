"""Everything that becomes a PostgreSQL identifier is validated first."""

from __future__ import annotations

import pytest

from ekinerja.tenants.errors import InvalidIdentifier, InvalidTenantCode
from ekinerja.tenants.identifiers import (
    normalize_kode,
    quote_identifier,
    role_name_for,
    role_prefix_for_database,
    schema_name_for,
)


@pytest.mark.parametrize(
    ("raw", "kode"),
    [("3201", "3201"), (" a5eb ", "A5EB"), ("K1", "K1"), ("ABCDEFGHIJ123456", "ABCDEFGHIJ123456")],
)
def test_valid_kode_is_normalised(raw, kode):
    assert normalize_kode(raw) == kode


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "A",
        "ABCDEFGHIJ1234567",
        "32-01",
        "32 01",
        'x"; DROP SCHEMA shared; --',
        "kab_bogor",
        "ÄÖ",
        None,
        # Unicode that case-maps onto ASCII would name another instansi ("ßeca" → "SSECA").
        "ßeca",
        "ſecd",
        "ıd01",
        "ﬁx01",
        "ＡＢ１２",
        "\u00a0AB",
        "A" * 41,
    ],
)
def test_invalid_kode_is_refused_with_a_clear_message(raw):
    with pytest.raises(InvalidTenantCode, match="2 to 16 letters or digits"):
        normalize_kode(raw)


def test_a_long_kode_is_shown_cut_short_in_the_refusal():
    with pytest.raises(InvalidTenantCode) as refused:
        normalize_kode("X" * 10_000)
    assert len(refused.value.message) < 200


def test_schema_and_role_names_derive_from_the_kode():
    assert schema_name_for("a5eb") == "t_a5eb"
    assert role_name_for("t_a5eb", "ekinerja_") == "ekinerja_t_a5eb"


@pytest.mark.parametrize(
    "name", ['t_1"; drop', "T_upper", "1starts_with_digit", "a" * 64, "with space", "", "ä"]
)
def test_invalid_identifiers_never_reach_sql(name):
    with pytest.raises(InvalidIdentifier, match="is invalid"):
        quote_identifier(name)


def test_role_name_that_would_exceed_postgres_limit_is_refused():
    with pytest.raises(InvalidIdentifier, match="role name"):
        role_name_for("t_abcdefghij123456", "p" * 50 + "_")


@pytest.mark.parametrize(
    ("database", "prefix"),
    [("ekinerja", "ekinerja_"), ("my-db.prod", "my_db_prod_"), ("2024db", "db_2024db_")],
)
def test_role_prefix_is_a_safe_identifier_from_the_database_name(database, prefix):
    assert role_prefix_for_database(database) == prefix
