"""Validation of everything that becomes a PostgreSQL identifier.

Schema and role names are the only SQL text built from data; they are derived from a validated
kode instansi and checked again against a strict pattern right before they are quoted, so no
unchecked input ever reaches SQL.
"""

from __future__ import annotations

import re

from ekinerja.tenants.errors import InvalidIdentifier, InvalidTenantCode

# BKN's kode instansi are short alphanumeric codes (e.g. "3201", "A5EB"). We accept 2–16 ASCII
# letters or digits, case-insensitively, and store them upper-case.
_KODE = re.compile(r"[A-Z0-9]{2,16}")
_ASCII_SPACE = " \t\r\n"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")
TENANT_SCHEMA_PREFIX = "t_"


def normalize_kode(raw: str) -> str:
    # Upper-casing only ASCII: Unicode case mapping turns "ßeca" into "SSECA" and "ſecd" (long
    # s) into "SECD", so a code nobody registered would name, and act on, another instansi.
    kode = raw.strip(_ASCII_SPACE) if isinstance(raw, str) else ""
    kode = kode.upper() if kode.isascii() else ""
    if not _KODE.fullmatch(kode):
        shown = raw[:40] + "…" if isinstance(raw, str) and len(raw) > 40 else raw
        raise InvalidTenantCode(
            f"kode instansi {shown!r} is invalid: use 2 to 16 letters or digits (ASCII A–Z, 0–9)"
        )
    return kode


def validate_identifier(name: str, what: str = "identifier") -> str:
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise InvalidIdentifier(
            f"{what} {name!r} is invalid: use at most 63 characters a–z, 0–9 and _, "
            "not starting with a digit"
        )
    return name


def quote_identifier(name: str) -> str:
    """Quote a name for SQL after validating it; the only way our code splices a name into SQL."""
    return f'"{validate_identifier(name)}"'


def schema_name_for(kode: str) -> str:
    return validate_identifier(
        f"{TENANT_SCHEMA_PREFIX}{normalize_kode(kode).lower()}", "schema name"
    )


def role_prefix_for_database(database: str) -> str:
    """Roles are cluster-wide, schemas per database: prefix roles with the database name so two
    databases on one cluster (development and tests, say) never share a tenant role."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]
    if not cleaned or cleaned[0].isdigit():
        cleaned = f"db_{cleaned}"
    return f"{cleaned}_"


def role_name_for(schema_name: str, prefix: str) -> str:
    return validate_identifier(f"{prefix}{validate_identifier(schema_name)}", "role name")
