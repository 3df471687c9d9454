"""Writing domain events. Call inside the tenant binding, in the transaction of the change:
the event then commits or rolls back with it (no event without its change, no change without
its event). The row carries the writing transaction's id, which orders the feed."""

from __future__ import annotations

import json
from typing import Any

from ekinerja.db.sql import fetch
from ekinerja.peristiwa.jenis import JenisPeristiwa

# The transaction id as a plain number (xid8 has no cast to bigint; its text form is decimal).
TXID_SQL = "pg_current_xact_id()::text::bigint"

# Listeners (the webhook worker) hear the tenant's schema name when the transaction commits;
# PostgreSQL folds repeats within one transaction into one notification.
NOTIFY_CHANNEL = "ekinerja_outbox"
NOTIFY_SQL = f"pg_notify('{NOTIFY_CHANNEL}', current_schema())"

INSERT_SQL = f"""WITH written AS (
    INSERT INTO outbox_event (txid, jenis, entitas, entitas_id, data, terjadi_pada)
    VALUES ({TXID_SQL}, $1, $2, $3, $4::jsonb, now()) RETURNING id)
SELECT id, {NOTIFY_SQL} FROM written"""


async def emit(
    jenis: JenisPeristiwa, entitas: str, entitas_id: object, data: dict[str, Any]
) -> int:
    rows = await fetch(
        INSERT_SQL, jenis.value, entitas, str(entitas_id), json.dumps(data, default=str)
    )
    return rows[0]["id"]


_INSERT_MANY_SQL = f"""WITH written AS (
    INSERT INTO outbox_event (txid, jenis, entitas, entitas_id, data, terjadi_pada)
    SELECT {TXID_SQL}, $1, $2, e.entitas_id, e.data, now()
    FROM unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS e(entitas_id, data, n)
    ORDER BY e.n RETURNING id)
SELECT count(*) AS jumlah, {NOTIFY_SQL} FROM written"""


async def emit_many(
    jenis: JenisPeristiwa, entitas: str, events: list[tuple[object, dict[str, Any]]]
) -> int:
    """Several events of one type in one statement (a bulk write touching many records), in
    the order given; how many were written."""
    if not events:
        return 0
    rows = await fetch(
        _INSERT_MANY_SQL,
        jenis.value,
        entitas,
        [str(entitas_id) for entitas_id, _ in events],
        [json.dumps(data, default=str) for _, data in events],
    )
    return rows[0]["jumlah"]
