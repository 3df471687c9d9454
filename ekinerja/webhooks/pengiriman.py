"""Deliveries in the database: fanning the outbox out to subscriptions, claiming what is due,
recording each attempt, and replays. Every function here runs inside one short tenant-bound
transaction; the HTTP calls happen between them (`pengirim.py`), never inside one, so a slow
receiver holds no lock and no transaction open."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ekinerja import audit
from ekinerja.db.sql import fetch
from ekinerja.models.tenant import WebhookLangganan, WebhookPengiriman
from ekinerja.peristiwa import feed
from ekinerja.refusals import Refusal
from ekinerja.schema.ids import EVENT_TYPE, encode_id, event_data, event_entitas_id
from ekinerja.settings import Settings
from ekinerja.webhooks.alamat import penerima
from ekinerja.webhooks.enums import StatusPengiriman
from ekinerja.webhooks.langganan import Pengelola, get

FAN_OUT_PAGE = 500
FAN_OUT_PAGES_PER_RUN = 20  # a backlog is worked off over several runs


async def salurkan(now: datetime) -> int:
    """Create a due delivery for every new event each active subscription wants, and move the
    subscription's position past them, in one transaction: nothing is fanned out twice or
    lost. Subscriptions another worker holds are skipped, not waited for."""
    made = 0
    subscriptions = await WebhookLangganan.select_for_update(skip_locked=True).filter(aktif=True)
    for langganan in subscriptions:
        posisi = feed.Posisi(langganan.posisi_txid, langganan.posisi_id)
        for _ in range(FAN_OUT_PAGES_PER_RUN):
            page = await feed.baca(posisi, FAN_OUT_PAGE, langganan.jenis)
            if page.peristiwa:
                rows = await fetch(
                    """INSERT INTO webhook_pengiriman
                         (langganan_id, event_id, status, percobaan, berikutnya_pada, dibuat_pada)
                       SELECT $1, e, $2, 0, $3, now() FROM unnest($4::bigint[]) AS e
                       ON CONFLICT (langganan_id, event_id) DO NOTHING RETURNING id""",
                    langganan.id,
                    StatusPengiriman.MENUNGGU.value,
                    now,
                    [e.id for e in page.peristiwa],
                )
                made += len(rows)
            posisi = page.akhir
            if not page.ada_lagi:
                break
        langganan.posisi_txid, langganan.posisi_id = posisi.txid, posisi.id
        await langganan.save(update_fields=["posisi_txid", "posisi_id"])
    return made


@dataclass(frozen=True)
class Klaim:
    """A delivery taken for one attempt, with what sending it needs."""

    pengiriman_id: int
    percobaan: int
    langganan_id: int
    url: str
    rahasia: str
    rahasia_lama: str | None
    body: bytes
    jenis: str
    event_id: int
    penerima: str
    """The receiver: `alamat.penerima` of the URL (its in-flight bound, kapasitas.py)."""


def body_of(row: dict[str, Any], kode_instansi: str) -> bytes:
    data = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
    envelope = {
        # Global ids, as the change feed gives them (decision 0028).
        "id": encode_id(EVENT_TYPE, row["event_id"], kode_instansi),
        "jenis": row["jenis"],
        "instansi": kode_instansi,
        "entitas": row["entitas"],
        "entitasId": event_entitas_id(row["entitas"], row["entitas_id"], kode_instansi),
        "terjadiPada": row["terjadi_pada"].isoformat(),
        "data": event_data(data, kode_instansi),
    }
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


_RECEIVERS_SQL = "SELECT DISTINCT url FROM webhook_langganan WHERE aktif"


async def klaim(
    now: datetime,
    lease: timedelta,
    limit: int,
    kode_instansi: str,
    per_penerima: int,
    terbuka: dict[str, int],
) -> list[Klaim]:
    """Take up to ``limit`` due deliveries of active subscriptions, at most ``per_penerima``
    per receiver less the attempts already open to it (``terbuka``), each receiver's earliest
    first and receivers in turn. Their due time moves to the end of a lease, so another worker
    (or this one after a crash) retries them only then. The receiver of each active
    subscription's URL is `alamat.penerima`'s, computed here and handed to the query."""
    urls = [r["url"] for r in await fetch(_RECEIVERS_SQL)]
    rows = await fetch(
        """WITH antre AS (
               SELECT p.id, r.penerima, row_number() OVER (
                   PARTITION BY r.penerima ORDER BY p.berikutnya_pada, p.id) AS urutan
               FROM webhook_pengiriman p
               JOIN webhook_langganan pl ON pl.id = p.langganan_id AND pl.aktif
               JOIN unnest($8::text[], $9::text[]) AS r(url, penerima) ON r.url = pl.url
               WHERE p.status = $3 AND p.berikutnya_pada <= $1)
           UPDATE webhook_pengiriman d SET berikutnya_pada = $2
           FROM webhook_langganan l, outbox_event e
           WHERE d.id IN (
               SELECT p.id FROM webhook_pengiriman p JOIN antre a ON a.id = p.id
               LEFT JOIN unnest($5::text[], $6::int[]) AS t(penerima, jumlah)
                 ON t.penerima = a.penerima
               WHERE p.status = $3 AND p.berikutnya_pada <= $1
                 AND a.urutan <= $7 - coalesce(t.jumlah, 0)
               ORDER BY a.urutan, p.berikutnya_pada, p.id LIMIT $4
               FOR UPDATE OF p SKIP LOCKED)
             AND l.id = d.langganan_id AND e.id = d.event_id
           RETURNING d.id, d.percobaan, l.id AS langganan_id, l.url, l.rahasia, l.rahasia_lama,
             l.rahasia_lama_sampai, e.id AS event_id, e.jenis, e.entitas, e.entitas_id, e.data,
             e.terjadi_pada""",
        now,
        now + lease,
        StatusPengiriman.MENUNGGU.value,
        limit,
        list(terbuka),
        list(terbuka.values()),
        per_penerima,
        urls,
        [penerima(url) for url in urls],
    )
    return [
        Klaim(
            pengiriman_id=r["id"],
            percobaan=r["percobaan"],
            langganan_id=r["langganan_id"],
            url=r["url"],
            rahasia=r["rahasia"],
            rahasia_lama=r["rahasia_lama"]
            if r["rahasia_lama_sampai"] and r["rahasia_lama_sampai"] > now
            else None,
            body=body_of(r, kode_instansi),
            jenis=r["jenis"],
            event_id=r["event_id"],
            penerima=penerima(r["url"]),
        )
        for r in sorted(rows, key=lambda r: r["id"])
    ]


@dataclass(frozen=True)
class Hasil:
    """How one attempt went: an HTTP status, or the error that stopped it."""

    klaim: Klaim
    kode: int | None
    galat: str | None

    @property
    def berhasil(self) -> bool:
        return self.kode is not None and 200 <= self.kode < 300


def backoff(attempts: int, settings: Settings) -> timedelta:
    """Wait after the ``attempts``-th failure: base, 2×base, 4×base, … up to the maximum."""
    seconds = settings.webhook_backoff_seconds * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, settings.webhook_backoff_max_seconds))


async def catat(hasil: Hasil, now: datetime, settings: Settings) -> StatusPengiriman:
    attempts = hasil.klaim.percobaan + 1
    if hasil.berhasil:
        status, due = StatusPengiriman.TERKIRIM, now
    elif attempts >= settings.webhook_max_attempts:
        status, due = StatusPengiriman.GAGAL, now  # the dead letter: only a replay revives it
    else:
        status, due = StatusPengiriman.MENUNGGU, now + backoff(attempts, settings)
    await WebhookPengiriman.filter(id=hasil.klaim.pengiriman_id).update(
        status=status,
        percobaan=attempts,
        berikutnya_pada=due,
        kode_terakhir=hasil.kode,
        galat_terakhir=None if hasil.berhasil else (hasil.galat or f"HTTP {hasil.kode}")[:2000],
        terkirim_pada=now if hasil.berhasil else None,
    )
    return status


_RESET = {
    "status": StatusPengiriman.MENUNGGU,
    "percobaan": 0,
    "kode_terakhir": None,
    "galat_terakhir": None,
    "terkirim_pada": None,
}


async def kirim_ulang(pengiriman_id: int, by: Pengelola, now: datetime) -> WebhookPengiriman:
    """Send one delivery again from scratch (a dead letter, or one the receiver lost)."""
    found = await WebhookPengiriman.select_for_update().get_or_none(id=pengiriman_id)
    if found is not None:
        await get(found.langganan_id, by)  # NOT_FOUND unless the caller manages it
    else:
        raise Refusal("NOT_FOUND", f"no webhook delivery with id {pengiriman_id}", "id")
    await WebhookPengiriman.filter(id=found.id).update(**_RESET, berikutnya_pada=now)
    await audit.record(by.subject, "webhook.kirim_ulang", "webhook_pengiriman", found.id)
    return await WebhookPengiriman.get(id=found.id)


async def putar_ulang(langganan_id: int, by: Pengelola, sejak: feed.Posisi, now: datetime) -> int:
    """Deliver again every wanted event after ``sejak`` up to the subscription's position,
    including those from before it existed: delivered, failed or never made alike."""
    langganan = await get(langganan_id, by, lock=True)
    rows = await fetch(
        """INSERT INTO webhook_pengiriman
             (langganan_id, event_id, status, percobaan, berikutnya_pada, dibuat_pada)
           SELECT $1, e.id, $2, 0, $3, now() FROM outbox_event e
           WHERE (e.txid, e.id) > ($4, $5) AND (e.txid, e.id) <= ($6, $7)
             AND e.jenis = ANY($8::text[])
           ON CONFLICT (langganan_id, event_id) DO UPDATE SET status = EXCLUDED.status,
             percobaan = 0, berikutnya_pada = EXCLUDED.berikutnya_pada, kode_terakhir = NULL,
             galat_terakhir = NULL, terkirim_pada = NULL
           RETURNING id""",
        langganan.id,
        StatusPengiriman.MENUNGGU.value,
        now,
        sejak.txid,
        sejak.id,
        langganan.posisi_txid,
        langganan.posisi_id,
        langganan.jenis,
    )
    await audit.record(by.subject, "webhook.putar_ulang", "webhook_langganan", langganan.id,
                       sejak=[sejak.txid, sejak.id], jumlah=len(rows))  # fmt: skip
    return len(rows)
