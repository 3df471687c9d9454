"""Managing subscriptions. An API client manages its own; the admin instansi sees and manages
every subscription of the instansi. Anything else is NOT_FOUND (ids reveal nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.timezone import now

from ekinerja import audit
from ekinerja.db.locks import serialize
from ekinerja.models.tenant import WebhookLangganan
from ekinerja.peristiwa.feed import MAX_ID, horizon
from ekinerja.peristiwa.jenis import check_jenis
from ekinerja.refusals import Refusal, invalid
from ekinerja.webhooks.alamat import check_url
from ekinerja.webhooks.rahasia import Segel, new_secret

# How long the previous secret still signs after a rotation: time to deploy the new one.
OLD_SECRET_GRACE = timedelta(hours=24)
MAX_PER_CLIENT = 20


@dataclass(frozen=True)
class Pengelola:
    """Who manages: an API client (its own subscriptions) or an admin (all of them)."""

    subject: str
    client_id: str | None  # None: the admin instansi


@dataclass(frozen=True)
class Terbit:
    """A subscription with its secret in the clear: returned once, when made or rotated."""

    langganan: WebhookLangganan
    rahasia: str


def _subscribed_jenis(values: list[str]) -> list[str]:
    if not values:
        raise invalid("jenis", "subscribe to at least one event type")
    return check_jenis(values)


async def _room_for_one_more(client_id: str, field: str) -> None:
    """Refuse TOO_MANY if the client already has MAX_PER_CLIENT active subscriptions. Every
    way to one more active one (a new subscription, a paused one resumed) counts under the
    client's lock, held to the end of the transaction: concurrent ones count one by one."""
    await serialize("webhook_langganan", client_id)
    if await WebhookLangganan.filter(client_id=client_id, aktif=True).count() >= MAX_PER_CLIENT:
        raise Refusal("TOO_MANY", f"at most {MAX_PER_CLIENT} active subscriptions per client",
                      field)  # fmt: skip


async def get(langganan_id: int, by: Pengelola, *, lock: bool = False) -> WebhookLangganan:
    query = WebhookLangganan.select_for_update() if lock else WebhookLangganan
    found = await query.get_or_none(id=langganan_id)
    if found is None or (by.client_id is not None and found.client_id != by.client_id):
        raise Refusal("NOT_FOUND", f"no webhook subscription with id {langganan_id}", "id")
    return found


async def daftar(by: Pengelola) -> list[WebhookLangganan]:
    query = WebhookLangganan.all()
    if by.client_id is not None:
        query = query.filter(client_id=by.client_id)
    return await query.order_by("id")


async def buat(
    by: Pengelola, url: str, jenis: list[str], segel: Segel, allow_private: bool
) -> Terbit:
    """A new subscription starts at the feed's present: it receives what happens from now on
    (a replay can reach back)."""
    if by.client_id is None:
        raise Refusal(
            "NOT_AN_API_CLIENT", "a webhook belongs to an API client: the client subscribes",
            "url",
        )  # fmt: skip
    await _room_for_one_more(by.client_id, "url")
    start = await horizon()
    found = await WebhookLangganan.create(
        client_id=by.client_id,
        url=check_url(url, allow_private),
        jenis=_subscribed_jenis(jenis),
        rahasia="",
        posisi_txid=start.txid - 1,
        posisi_id=MAX_ID,
    )
    secret = new_secret()
    found.rahasia = segel.seal(secret, found.id)
    await found.save(update_fields=["rahasia"])
    await audit.record(by.subject, "webhook.buat", "webhook_langganan", found.id,
                       url=found.url, jenis=found.jenis)  # fmt: skip
    return Terbit(found, secret)


async def ubah(
    langganan_id: int,
    by: Pengelola,
    allow_private: bool,
    url: str | None = None,
    jenis: list[str] | None = None,
    aktif: bool | None = None,
) -> WebhookLangganan:
    found = await get(langganan_id, by, lock=True)
    if found.dicabut_pada is not None:
        raise Refusal("REVOKED", "the subscription was revoked; make a new one", "id")
    if url is not None:
        found.url = check_url(url, allow_private)
    if jenis is not None:
        found.jenis = _subscribed_jenis(jenis)
    if aktif and not found.aktif:  # resuming: one more active, as a new one would be
        await _room_for_one_more(found.client_id, "aktif")
    if aktif is not None:
        found.aktif = aktif
    await found.save()
    await audit.record(by.subject, "webhook.ubah", "webhook_langganan", found.id,
                       url=found.url, jenis=found.jenis, aktif=found.aktif)  # fmt: skip
    return found


async def putar_rahasia(langganan_id: int, by: Pengelola, segel: Segel) -> Terbit:
    """A new secret; the previous one keeps signing (alongside) for OLD_SECRET_GRACE."""
    found = await get(langganan_id, by, lock=True)
    if found.dicabut_pada is not None:
        raise Refusal("REVOKED", "the subscription was revoked; make a new one", "id")
    secret = new_secret()
    found.rahasia_lama, found.rahasia_lama_sampai = found.rahasia, now() + OLD_SECRET_GRACE
    found.rahasia = segel.seal(secret, found.id)
    await found.save()
    await audit.record(by.subject, "webhook.putar_rahasia", "webhook_langganan", found.id)
    return Terbit(found, secret)


async def cabut(langganan_id: int, by: Pengelola) -> WebhookLangganan:
    """Revoke for good: nothing more is fanned out or sent; its deliveries stay to inspect."""
    found = await get(langganan_id, by, lock=True)
    if found.dicabut_pada is None:
        found.aktif, found.dicabut_pada = False, now()
        found.rahasia_lama = found.rahasia_lama_sampai = None
        await found.save()
        await audit.record(by.subject, "webhook.cabut", "webhook_langganan", found.id)
    return found
