"""Reading the outbox in order, for the change feed and the webhook dispatcher.

Ids are handed out when a row is inserted but become visible when their transaction commits,
so "id > last seen" would skip a slow transaction's events. The feed orders by the writing
transaction's id instead and shows only events of transactions older than every transaction
still running (`pg_snapshot_xmin`): those have all ended, and any later write gets a larger
transaction id. So a position, once passed, never gains an event behind it: no gaps, no
duplicates, at the price of waiting for the oldest open transaction (decision 0012).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ekinerja.db.sql import fetch
from ekinerja.refusals import Refusal

MAX_ID = 2**63 - 1
MAX_PAGE = 1000


@dataclass(frozen=True, order=True)
class Posisi:
    """A place in a tenant's feed: after every event at or before (txid, id)."""

    txid: int
    id: int


AWAL = Posisi(0, 0)


@dataclass(frozen=True)
class Peristiwa:
    id: int
    posisi: Posisi
    jenis: str
    entitas: str
    entitas_id: str
    data: dict[str, Any]
    terjadi_pada: datetime


@dataclass(frozen=True)
class Halaman:
    peristiwa: list[Peristiwa]
    akhir: Posisi  # where the next read starts
    ada_lagi: bool


def encode(kode_instansi: str, posisi: Posisi) -> str:
    raw = f"1:{kode_instansi}:{posisi.txid}:{posisi.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kode_instansi: str, cursor: str | None, field: str = "since") -> Posisi:
    """The position a cursor names; a cursor of another instansi is refused, not reinterpreted."""
    if not cursor:
        return AWAL
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, kode, txid, event_id = raw.split(":")
        posisi = Posisi(int(txid), int(event_id))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Refusal("INVALID_CURSOR", f"{cursor!r} is not a change-feed cursor", field) from None
    if version != "1" or kode != kode_instansi:
        raise Refusal("INVALID_CURSOR", "the cursor belongs to another instansi's feed", field)
    return posisi


_HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin"


async def horizon() -> Posisi:
    """The feed's present: every event before it is visible and no later write lands before it
    (the oldest transaction still running)."""
    return Posisi((await fetch(_HORIZON))[0]["xmin"], 0)


_VISIBLE_AFTER_SQL = """SELECT id FROM outbox_event WHERE (txid, id) > ($1, $2)
    ORDER BY txid, id LIMIT $3"""


async def terlihat_setelah(posisi: Posisi, limit: int) -> set[int]:
    """Ids of events after ``posisi`` that are already committed, though the feed shows them
    only once every older transaction has ended: what a subscriber "from now" must not get."""
    return {r["id"] for r in await fetch(_VISIBLE_AFTER_SQL, posisi.txid, posisi.id, limit)}


_PAGE_SQL = f"""
WITH horizon AS ({_HORIZON})
SELECT horizon.xmin, e.* FROM horizon LEFT JOIN LATERAL (
    SELECT id, txid, jenis, entitas, entitas_id, data, terjadi_pada FROM outbox_event
    WHERE (txid, id) > ($1, $2) AND txid < horizon.xmin
      AND ($4::text[] IS NULL OR jenis = ANY($4::text[]))
    ORDER BY txid, id LIMIT $3
) e ON true"""


def _data(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


async def baca(setelah: Posisi, first: int, jenis: list[str] | None = None) -> Halaman:
    """Up to ``first`` events after ``setelah`` (only of ``jenis`` when given), in order.

    When the page is not full, ``akhir`` moves to the horizon: every event before it has been
    seen (or filtered out), so a client polling an idle or filtered feed does not rescan."""
    if not 1 <= first <= MAX_PAGE:
        raise Refusal("INVALID_INPUT", f"first must be from 1 to {MAX_PAGE}", "first")
    rows = await fetch(_PAGE_SQL, setelah.txid, setelah.id, first + 1, jenis)
    xmin = rows[0]["xmin"]
    found = [
        Peristiwa(
            id=r["id"],
            posisi=Posisi(r["txid"], r["id"]),
            jenis=r["jenis"],
            entitas=r["entitas"],
            entitas_id=r["entitas_id"],
            data=_data(r["data"]),
            terjadi_pada=r["terjadi_pada"],
        )
        for r in rows
        if r["id"] is not None
    ]
    if len(found) > first:
        found = found[:first]
        return Halaman(found, found[-1].posisi, True)
    akhir = max(setelah, Posisi(xmin - 1, MAX_ID))
    return Halaman(found, akhir, False)
