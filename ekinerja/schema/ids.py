"""Ids from GraphQL input. Every id the API hands out is a PostgreSQL `integer` row id, so an
input id is decimal digits from 1 to 2147483647. Anything else names no row and never reaches
PostgreSQL, which would answer an out-of-range integer with an error (a 500, before this)."""

from __future__ import annotations

import re

from ekinerja.refusals import Refusal

INT4_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() and int() accept "²", "١٢"


def id_or_none(value: object) -> int | None:
    """The row id ``value`` spells, or None when it can name no row (for lookups, where that
    simply means "not found")."""
    text = str(value)
    if _DIGITS.fullmatch(text) and 1 <= (number := int(text)) <= INT4_MAX:
        return number
    return None


def parse_id(value: object, field: str) -> int | None:
    """An id from input (None stays None), or a refusal naming the field (INVALID_INPUT):
    returned as data by a mutation, a client error in a query, never an unexpected error."""
    if value is None:
        return None
    found = id_or_none(value)
    if found is None:
        shown = str(value)
        shown = repr(shown if len(shown) <= 40 else shown[:40] + "…")
        raise Refusal("INVALID_INPUT", f"{field}: {shown} is not an id (1 to {INT4_MAX})", field)
    return found
