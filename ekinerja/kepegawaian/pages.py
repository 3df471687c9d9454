"""Keyset pages over pegawai ordered by (nama, id): stable under inserts, no OFFSET scans."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import orjson

MAX_PAGE = 100


class PageError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PageRequest:
    first: int
    after: tuple[str, int] | None

    @classmethod
    def parse(cls, first: int, after: str | None) -> PageRequest:
        if not 1 <= first <= MAX_PAGE:
            raise PageError("first", f"first must be between 1 and {MAX_PAGE} (got {first})")
        return cls(first, decode_cursor(after) if after else None)


@dataclass(frozen=True)
class Page:
    ids: list[int]
    cursors: list[str]
    has_next_page: bool


def encode_cursor(nama: str, pegawai_id: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([nama, pegawai_id])).decode()


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        nama, pegawai_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(nama, str) and isinstance(pegawai_id, int):
            return nama, pegawai_id
    except (ValueError, TypeError):
        pass
    raise PageError("after", "after is not a cursor this API issued")


def page_from_rows(rows: list[dict], request: PageRequest) -> Page:
    """``rows`` hold (id, nama) ordered by (nama, id), already after the cursor, at most
    ``first + 1`` of them: the extra one only tells whether a next page exists."""
    shown = rows[: request.first]
    return Page(
        ids=[row["id"] for row in shown],
        cursors=[encode_cursor(row["nama"], row["id"]) for row in shown],
        has_next_page=len(rows) > request.first,
    )


def after_clause(request: PageRequest, first_param: int) -> tuple[str, list]:
    """SQL condition and parameters for "after the cursor", numbered from ``first_param``."""
    if request.after is None:
        return "TRUE", []
    return f"(g.nama, g.id) > (${first_param}, ${first_param + 1})", list(request.after)
