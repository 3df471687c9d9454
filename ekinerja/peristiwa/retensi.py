"""Pruning what integrations leave behind, so a tenant's outbox does not grow forever:
outbox events older than the retention, finished webhook deliveries, expired idempotency keys.

An event goes only when nobody can still need it: it is older than the retention, every
transaction that could precede it has ended, every subscription (paused ones too) has fanned
it out, and no remaining delivery points at it. Events go as a prefix of the feed's order, and
the end of that prefix is recorded: a change-feed cursor from before it is refused as expired
(the reader starts again and deduplicates by id) instead of silently missing events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.timezone import now

from ekinerja.db.sql import fetch
from ekinerja.models.tenant import OutboxPangkas
from ekinerja.peristiwa.feed import MAX_ID, Posisi, horizon
from ekinerja.refusals import Refusal
from ekinerja.webhooks.enums import StatusPengiriman

_FIRST = "ORDER BY txid, id LIMIT 1"


@dataclass(frozen=True)
class Pangkasan:
    events: int
    deliveries: int
    idempotency_keys: int


async def _first(sql: str, *params) -> Posisi | None:
    rows = await fetch(sql, *params)
    return Posisi(rows[0]["txid"], rows[0]["id"]) if rows else None


async def pangkas(before: datetime, idempotency_before: datetime) -> Pangkasan:
    """Prune the bound tenant (one transaction)."""
    deliveries = await fetch(
        "DELETE FROM webhook_pengiriman WHERE status IN ($1, $2) AND dibuat_pada < $3 RETURNING id",
        StatusPengiriman.TERKIRIM.value,
        StatusPengiriman.GAGAL.value,
        before,
    )
    keys = await fetch(
        "DELETE FROM idempotency_key WHERE dibuat_pada < $1 RETURNING id", idempotency_before
    )
    unlimited = Posisi(MAX_ID, MAX_ID)
    # Exclusive bounds: nothing at or after these goes.
    young = await _first(f"SELECT txid, id FROM outbox_event WHERE terjadi_pada >= $1 {_FIRST}",
                         before)  # fmt: skip
    awaited = await _first(
        "SELECT e.txid, e.id FROM webhook_pengiriman d JOIN outbox_event e ON e.id = d.event_id "
        + _FIRST.replace("txid, id", "e.txid, e.id")
    )
    below = min(young or unlimited, awaited or unlimited, await horizon())
    # Inclusive bound: what every live subscription has fanned out already.
    fanned = await _first(
        "SELECT posisi_txid AS txid, posisi_id AS id FROM webhook_langganan "
        "WHERE dicabut_pada IS NULL ORDER BY posisi_txid, posisi_id LIMIT 1"
    )
    upto = fanned or unlimited
    gone = await fetch(
        "DELETE FROM outbox_event WHERE terjadi_pada < $1 AND (txid, id) < ($2, $3) "
        "AND (txid, id) <= ($4, $5) RETURNING txid, id",
        before,
        below.txid,
        below.id,
        upto.txid,
        upto.id,
    )
    if gone:
        last = max(Posisi(r["txid"], r["id"]) for r in gone)
        mark = await OutboxPangkas.select_for_update().first()
        if mark is None:
            await OutboxPangkas.create(posisi_txid=last.txid, posisi_id=last.id,
                                       dipangkas_pada=now())  # fmt: skip
        elif last > Posisi(mark.posisi_txid, mark.posisi_id):
            mark.posisi_txid, mark.posisi_id, mark.dipangkas_pada = last.txid, last.id, now()
            await mark.save()
    return Pangkasan(len(gone), len(deliveries), len(keys))


async def ensure_not_expired(since: Posisi, field: str = "since") -> None:
    """Refuse a cursor from before the pruned prefix: events after it are gone."""
    mark = await OutboxPangkas.first()
    if mark is not None and since < Posisi(mark.posisi_txid, mark.posisi_id):
        raise Refusal(
            "CURSOR_EXPIRED",
            "events after this cursor were pruned (older than the retention): read again from "
            "the beginning (no cursor) and deduplicate by id",
            field,
        )


def cutoffs(retention_days: int, idempotency_ttl_hours: int) -> tuple[datetime, datetime]:
    moment = now()
    return moment - timedelta(days=retention_days), moment - timedelta(hours=idempotency_ttl_hours)
