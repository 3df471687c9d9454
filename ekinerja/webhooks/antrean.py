"""What waits for the webhook worker, sampled for /metrics (docs/operations.md): per instansi
with a subscription, the outbox events not yet fanned out to every active subscription, the
deliveries waiting for an attempt (new or to retry) and the age of the oldest of either (the
worker's lag). One short statement per instansi, at most every SAMPLE_SECONDS (the worker's
loop calls ``sample`` after each pass)."""

from __future__ import annotations

import time
from datetime import datetime

from tortoise.timezone import now as utc_now

from ekinerja.db.sql import fetch
from ekinerja.models.shared import Instansi
from ekinerja.observability.metrics import OUTBOX_DEPTH, QUEUES_SAMPLED, WEBHOOK_QUEUE, WORKER_LAG
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.enums import StatusPengiriman

SAMPLE_SECONDS = 15.0

# The outbox past the earliest position of the active subscriptions (none: nothing waits), and
# the deliveries waiting.
_QUEUE_SQL = """
WITH posisi AS (
    SELECT posisi_txid, posisi_id FROM webhook_langganan WHERE aktif
    ORDER BY posisi_txid, posisi_id LIMIT 1),
tertunda AS (
    SELECT count(e.id) AS jumlah, min(e.terjadi_pada) AS tertua
    FROM posisi p JOIN outbox_event e ON (e.txid, e.id) > (p.posisi_txid, p.posisi_id)),
antre AS (
    SELECT count(*) AS jumlah, min(dibuat_pada) AS tertua
    FROM webhook_pengiriman WHERE status = $1)
SELECT tertunda.jumlah AS outbox, tertunda.tertua AS outbox_tertua,
       antre.jumlah AS antre, antre.tertua AS antre_tertua
FROM tertunda, antre"""


class Sampler:
    def __init__(self, per_instansi: bool) -> None:
        self.per_instansi = per_instansi
        self.sampled_at: float | None = None

    def due(self) -> bool:
        return self.sampled_at is None or time.monotonic() - self.sampled_at >= SAMPLE_SECONDS

    async def sample(self, tenants: list[Instansi]) -> None:
        """Query each of ``tenants``, then set the gauges all at once: per instansi, or (the
        default) the sums of the depths and the greatest lag under an empty label."""
        self.sampled_at = time.monotonic()
        moment = utc_now()
        found: dict[str, tuple[int, int, float]] = {}
        for instansi in {i.kode: i for i in tenants}.values():
            async with tenant_transaction(as_bound(instansi)):
                (row,) = await fetch(_QUEUE_SQL, StatusPengiriman.MENUNGGU.value)
            lag = max(_age(row["outbox_tertua"], moment), _age(row["antre_tertua"], moment))
            found[instansi.kode] = (row["outbox"], row["antre"], lag)
        for gauge in (OUTBOX_DEPTH, WEBHOOK_QUEUE, WORKER_LAG):
            gauge.clear()
        if self.per_instansi:
            for kode, (outbox, antre, lag) in found.items():
                OUTBOX_DEPTH.labels(kode).set(outbox)
                WEBHOOK_QUEUE.labels(kode).set(antre)
                WORKER_LAG.labels(kode).set(lag)
        else:
            values = found.values()
            OUTBOX_DEPTH.labels("").set(sum(v[0] for v in values))
            WEBHOOK_QUEUE.labels("").set(sum(v[1] for v in values))
            WORKER_LAG.labels("").set(max((v[2] for v in values), default=0.0))
        QUEUES_SAMPLED.set(time.time())


def _age(since: datetime | None, moment: datetime) -> float:
    return max(0.0, (moment - since).total_seconds()) if since is not None else 0.0
