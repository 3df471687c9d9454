"""Keyset pages: one page-size policy and one opaque cursor for every list of the API that can
grow (decision 0029).

A list is read in one fixed order whose last term is the row id, so the order is total. A
cursor carries the sort key values of the last row shown, not an offset: the next page is
"rows after these values", which neither skips nor repeats a row when rows are inserted or
removed between pages. The cursor also carries the instansi it was made in and the list it
belongs to: a cursor of another instansi or another list is refused, never reinterpreted.

Cursors are opaque to clients (base64url) and checked, not secret: a checksum refuses an edited
or truncated one; a cursor forged with the right checksum only positions a page inside a list
the caller may read anyway, because every page is filtered by authorization as the first is.
They carry no key, so a deployment's secrets can rotate without invalidating the cursors an
integrator keeps between runs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from ekinerja.refusals import Refusal

DEFAULT_FIRST = 20
MAX_FIRST = 100

_VERSION = 1
_CHECK = 6  # bytes of blake2b in front of the payload

R = TypeVar("R")
KeyValue = int | str | date | datetime | time | Decimal


@dataclass(frozen=True)
class Keyset:
    """How one list is ordered: its name (``Query.daftarPegawai``; a cursor of one list is
    refused by another), the ``order_by`` terms (``-`` for descending) ending with a term that
    makes the order total (the row id, or a key unique in the list such as SIASN's (NIP,
    window)), and the Python type of each term's value."""

    name: str
    order: tuple[str, ...]
    types: tuple[type, ...]

    def __post_init__(self) -> None:
        if len(self.order) != len(self.types):
            raise ValueError(f"{self.name}: one type per term")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(term.lstrip("-") for term in self.order)


@dataclass(frozen=True)
class PageRequest:
    """A valid page request: ``first`` within the policy, ``after`` the decoded sort key
    values of the row the page starts after (None: from the start)."""

    first: int = DEFAULT_FIRST
    after: tuple | None = None


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page: its rows, each row's sort key values (for its cursor) and whether more
    follow."""

    rows: list[R]
    keys: list[tuple]
    has_next_page: bool


def check_first(first: int, field: str = "first") -> int:
    if not 1 <= first <= MAX_FIRST:
        raise Refusal(
            "INVALID_INPUT", f"{field}: must be between 1 and {MAX_FIRST} (got {first})", field
        )
    return first


def _tag(value: KeyValue) -> Any:
    # bool is an int: refuse it rather than encode a key no list has.
    if isinstance(value, bool):
        raise TypeError("bool is not a sort key")
    if isinstance(value, int | str):
        return value
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"h": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    raise TypeError(f"{type(value).__name__} is not a sort key")


def _untag(value: Any, expected: type) -> KeyValue:
    if expected is int and type(value) is int:
        return value
    if expected is str and isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        [(tag, text)] = value.items()
        if isinstance(text, str):
            if expected is datetime and tag == "t":
                parsed = datetime.fromisoformat(text)
                if parsed.tzinfo is not None:
                    return parsed
            elif expected is date and tag == "d":
                return date.fromisoformat(text)
            elif expected is time and tag == "h":
                return time.fromisoformat(text)
            elif expected is Decimal and tag == "n":
                return Decimal(text)
    raise ValueError("a sort key of the wrong type")


def encode_cursor(instansi: str, keyset: Keyset, keys: Sequence[KeyValue]) -> str:
    payload = orjson.dumps([_VERSION, instansi, keyset.name, [_tag(k) for k in keys]])
    check = hashlib.blake2b(payload, digest_size=_CHECK).digest()
    return base64.urlsafe_b64encode(check + payload).decode().rstrip("=")


def decode_cursor(instansi: str, keyset: Keyset, cursor: str, field: str = "after") -> tuple:
    """The sort key values ``cursor`` names, or a refusal naming ``field`` (INVALID_INPUT)
    when it is not a cursor this API issued for this list in this instansi."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        check, payload = raw[:_CHECK], raw[_CHECK:]
        if hashlib.blake2b(payload, digest_size=_CHECK).digest() != check:
            raise ValueError("checksum")
        version, kode, name, tagged = orjson.loads(payload)
    except (binascii.Error, ValueError, TypeError):
        raise _not_ours(field) from None
    if version != _VERSION or name != keyset.name:
        raise Refusal("INVALID_INPUT", f"{field}: the cursor belongs to another list", field)
    if kode != instansi:
        raise Refusal("INVALID_INPUT", f"{field}: the cursor belongs to another instansi", field)
    try:
        if not isinstance(tagged, list) or len(tagged) != len(keyset.types):
            raise ValueError("arity")
        return tuple(_untag(v, t) for v, t in zip(tagged, keyset.types, strict=True))
    except (ValueError, TypeError, InvalidOperation):
        raise _not_ours(field) from None


def _not_ours(field: str) -> Refusal:
    return Refusal("INVALID_INPUT", f"{field}: not a cursor this API issued", field)


def page_request(
    instansi: str, keyset: Keyset, first: int, after: str | None, *, field: str = "after"
) -> PageRequest:
    """The checked request of ``first``/``after`` (refusals name the argument at fault)."""
    check_first(first)
    return PageRequest(first, decode_cursor(instansi, keyset, after, field) if after else None)


def page_from(rows: list[R], request: PageRequest, key) -> Page[R]:
    """``rows`` are already after the cursor, in order, at most ``first + 1`` of them: the
    extra one only tells whether a next page exists. ``key(row)`` gives a row's sort key."""
    shown = rows[: request.first]
    return Page(shown, [tuple(key(row)) for row in shown], len(rows) > request.first)


def after_q(keyset: Keyset, after: tuple) -> Q:
    """Rows strictly after ``after`` in ``keyset``'s order, as a tortoise condition: for
    terms (a, b, id), a > x OR (a = x AND b > y) OR (a = x AND b = y AND id > z), each
    comparison flipped for a descending term. Every term is NOT NULL."""
    alternatives = []
    for i, term in enumerate(keyset.order):
        equal = {field: after[j] for j, field in enumerate(keyset.fields[:i])}
        op = "lt" if term.startswith("-") else "gt"
        alternatives.append(Q(**equal, **{f"{term.lstrip('-')}__{op}": after[i]}))
    return Q(*alternatives, join_type="OR")


async def keyset_page(query: QuerySet, keyset: Keyset, request: PageRequest) -> Page:
    """One page of model rows: one SELECT with the keyset condition, order and limit."""
    if request.after is not None:
        query = query.filter(after_q(keyset, request.after))
    rows = await query.order_by(*keyset.order).limit(request.first + 1)
    return page_from(list(rows), request, lambda row: [getattr(row, f) for f in keyset.fields])
