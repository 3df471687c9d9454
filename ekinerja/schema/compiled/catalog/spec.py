"""What a catalog entry can say about a GraphQL field, and the SQL helpers entries share.

A field is one of
- ``Column``: a value computed from the type's row (alias ``{row}``);
- ``One``: an object read from another table (alias ``{child}``), at most one row;
- ``Many``: a list of objects read from another table, in a stated order;
- ``Listed``: a list that takes arguments, its source and order built from them;
- ``Same``: an object of another type over the same row (the row carries every column that
  type's entries read);
- ``Paged``: a connection (`first`, `after`) of rows read from another table, in a keyset's
  order, paged and counted as paging.py and schema/connection.py do;
- absent: not compiled (the root field that reaches it runs on its resolvers).

An object read from elsewhere may be about another pegawai than its row (an RHK's intervened
RHK is its owner's superior's): ``relation`` says how far from the caller it may be, at most,
and the planner checks the policy of the fields below it for that relation (the wider of it
and the one already proven). Unset, the objects are about the same pegawai as the row.

Statement parameters every plan may use: ``$1`` the day the request reads as of ("today" in
the instansi's time zone), ``$2`` the instansi's kode (for global ids). The root's own
parameters follow. Fields with arguments are compiled only when no argument is given, or
through ``Listed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from ekinerja.auth.policy import Relation
from ekinerja.paging import Keyset

TODAY = "$1"
KODE = "$2"


@dataclass(frozen=True)
class Column:
    sql: str


@dataclass(frozen=True)
class One:
    type_name: str
    source: str  # FROM … WHERE … [ORDER BY …] for {child}, correlated with {row}
    relation: Relation | None = None


@dataclass(frozen=True)
class Same:
    type_name: str
    relation: Relation | None = None  # the row's own


@dataclass(frozen=True)
class Many:
    type_name: str
    source: str  # FROM … WHERE … for {child}, correlated with {row}
    order: str  # ORDER BY expressions over {child}: the resolvers' order, ties included
    relation: Relation | None = None


@dataclass(frozen=True)
class Listed:
    """A list computed from the row that takes arguments: ``build`` gets the field's coerced
    arguments and gives its (source, order), or None for arguments the plan cannot express."""

    type_name: str
    build: Callable[[dict[str, Any]], tuple[str, str] | None]
    relation: Relation | None = None


@dataclass(frozen=True)
class Paged:
    """A `…Connection` field taking `first` and `after`: the rows of ``source`` (FROM … WHERE …
    for {child}, correlated with {row}) in ``keyset``'s order, whose fields are the columns of
    {child} of the same names. The cursors are paging.py's for ``keyset``; a cursor the
    resolvers would refuse, or a `first` out of range, is not compiled."""

    type_name: str  # the connection's type
    keyset: Keyset
    source: str
    relation: Relation | None = None


def gid_sql(type_name: str, row_id: str) -> str:
    """The opaque id of ekinerja/schema/ids.py: unpadded base64url of `Type:KODE:row`."""
    return (
        "replace(rtrim(translate(encode(convert_to("
        f"'{type_name}:' || {KODE} || ':' || {row_id}, 'UTF8'), 'base64'), '+/', '-_'), '='), "
        "E'\\n', '')"
    )


def global_id(type_name: str, id_column: str = "id") -> Column:
    return Column(gid_sql(type_name, f"{{row}}.{id_column}"))


def nullable_global_id(type_name: str, id_column: str) -> Column:
    return Column(
        f"CASE WHEN {{row}}.{id_column} IS NULL THEN NULL "
        f"ELSE {gid_sql(type_name, f'{{row}}.{id_column}')} END"
    )


def column(name: str) -> Column:
    return Column(f"{{row}}.{name}")


def decimal_sql(expression: str) -> str:
    """numeric(18, 4) as the API shows it (skp/formatting.py `plain`): `10.0000` → `10`,
    `2.5000` → `2.5`; trim_scale (PostgreSQL 13) drops exactly the trailing zeros."""
    return f"trim_scale({expression})::text"


def decimal(name: str) -> Column:
    return Column(decimal_sql(f"{{row}}.{name}"))


def instant(name: str) -> Column:
    """A timestamptz as Python's isoformat() of the UTC datetime asyncpg returns:
    `2026-01-02T03:04:05+00:00`, with `.ffffff` only when there are microseconds (PostgreSQL's
    own JSON would trim trailing zeros)."""
    utc = f"({{row}}.{name} AT TIME ZONE 'UTC')"
    return Column(
        f"CASE WHEN {{row}}.{name} IS NULL THEN NULL ELSE "
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN extract(microseconds FROM {utc})::int % 1000000 = 0 THEN '' "
        f"ELSE '.' || to_char({utc}, 'US') END || '+00:00' END"
    )


def template(sql: str) -> str:
    """SQL text as a catalog template: its own braces escaped, so only {row} and {child}
    are filled in."""
    return sql.replace("{", "{{").replace("}", "}}")


def text(value: str) -> str:
    """A string as an SQL literal inside a catalog template: an escape string (E'…', its
    backslashes and quotes doubled), which means the same whatever
    standard_conforming_strings says. A value with a NUL character cannot be one."""
    if "\x00" in value:
        raise ValueError("an SQL literal cannot hold a NUL character")
    return template("E'" + value.replace("\\", "\\\\").replace("'", "''") + "'")


def sql_literal(value: Any) -> str | None:
    """A sort key value of a decoded cursor as a typed SQL literal (no braces, so it can go
    through the catalog's templates more than once); None for a type not written here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value}::bigint"
    if isinstance(value, datetime):
        return None  # no keyset below a root orders by an instant yet
    if isinstance(value, date):
        return f"'{value.isoformat()}'::date"
    if isinstance(value, time) and value.tzinfo is None:
        return f"'{value.isoformat()}'::time"
    return None
