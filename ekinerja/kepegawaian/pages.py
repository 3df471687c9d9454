"""Keyset pages over pegawai ordered by (nama, id): stable under inserts, no OFFSET scans
(the policy and the cursors: ekinerja/paging.py)."""

from __future__ import annotations

from ekinerja.paging import Page, PageRequest, page_from

__all__ = ["Page", "PageRequest", "after_clause", "page_from_rows"]


def page_from_rows(rows: list[dict], request: PageRequest) -> Page:
    """``rows`` hold (id, nama) ordered by (nama, id), already after the cursor, at most
    ``first + 1`` of them: the extra one only tells whether a next page exists."""
    return page_from(rows, request, lambda row: (row["nama"], row["id"]))


def after_clause(request: PageRequest, first_param: int) -> tuple[str, list]:
    """SQL condition and parameters for "after the cursor", numbered from ``first_param``."""
    if request.after is None:
        return "TRUE", []
    return f"(g.nama, g.id) > (${first_param}, ${first_param + 1})", list(request.after)
