"""Webhook subscriptions and deliveries over GraphQL. An API client (scope webhooks:manage)
subscribes and manages its own; the admin instansi sees and manages every one of the
instansi. The signing secret is returned only by `buatWebhookLangganan` and
`putarRahasiaWebhook`, never read back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from tortoise.timezone import now

from ekinerja.auth.policy import Operation
from ekinerja.events import feed
from ekinerja.events.retensi import ensure_not_expired
from ekinerja.models import tenant as models
from ekinerja.refusals import Refusal
from ekinerja.schema.context import Info
from ekinerja.schema.ids import parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.webhooks import langganan, pengiriman
from ekinerja.webhooks.enums import StatusPengiriman as StatusPengirimanEnum
from ekinerja.webhooks.rahasia import Segel

StatusPengiriman = strawberry.enum(StatusPengirimanEnum)
MAX_DELIVERIES = 200


@strawberry.type(description="An API client's webhook subscription.")
class WebhookLangganan:
    id: strawberry.ID
    client_id: str
    url: str
    jenis: list[str]
    aktif: bool
    dibuat_pada: datetime
    dicabut_pada: datetime | None
    rahasia_lama_berlaku_sampai: datetime | None = strawberry.field(
        description="Until then deliveries are signed with the previous secret too."
    )
    posisi: str = strawberry.field(description="Feed cursor up to which events were fanned out.")

    @classmethod
    def of(cls, found: models.WebhookLangganan, kode: str) -> WebhookLangganan:
        return cls(
            id=strawberry.ID(str(found.id)),
            client_id=found.client_id,
            url=found.url,
            jenis=list(found.jenis),
            aktif=found.aktif,
            dibuat_pada=found.dibuat_pada,
            dicabut_pada=found.dicabut_pada,
            rahasia_lama_berlaku_sampai=found.rahasia_lama_sampai if found.rahasia_lama else None,
            posisi=feed.encode(kode, feed.Posisi(found.posisi_txid, found.posisi_id)),
        )


@strawberry.type(description="A subscription with its signing secret, shown this once.")
class WebhookTerbit:
    langganan: WebhookLangganan
    rahasia: str = strawberry.field(
        description="HMAC-SHA256 key of X-Ekinerja-Signature (t=<unix>,v1=<hex of "
        "HMAC(secret, '<t>.<body>')>). Store it now: it cannot be read again."
    )


@strawberry.type(description="One event to one subscription, with its attempts.")
class WebhookPengiriman:
    id: strawberry.ID
    langganan_id: strawberry.ID
    event_id: strawberry.ID
    jenis: str
    status: StatusPengiriman
    percobaan: int
    berikutnya_pada: datetime | None = strawberry.field(description="Next attempt, if waiting.")
    kode_terakhir: int | None
    galat_terakhir: str | None
    terkirim_pada: datetime | None
    dibuat_pada: datetime

    @classmethod
    def of(cls, found: models.WebhookPengiriman) -> WebhookPengiriman:
        waiting = found.status is StatusPengirimanEnum.MENUNGGU
        return cls(
            id=strawberry.ID(str(found.id)),
            langganan_id=strawberry.ID(str(found.langganan_id)),
            event_id=strawberry.ID(str(found.event_id)),
            jenis=found.event.jenis,
            status=found.status,
            percobaan=found.percobaan,
            berikutnya_pada=found.berikutnya_pada if waiting else None,
            kode_terakhir=found.kode_terakhir,
            galat_terakhir=found.galat_terakhir,
            terkirim_pada=found.terkirim_pada,
            dibuat_pada=found.dibuat_pada,
        )


@strawberry.type(description="How many deliveries a replay queued.")
class PutarUlang:
    jumlah: int


LanggananResult = Annotated[
    WebhookLangganan | MutationError, strawberry.union("WebhookLanggananResult")
]
TerbitResult = Annotated[WebhookTerbit | MutationError, strawberry.union("WebhookTerbitResult")]
PengirimanResult = Annotated[
    WebhookPengiriman | MutationError, strawberry.union("WebhookPengirimanResult")
]
PutarUlangResult = Annotated[PutarUlang | MutationError, strawberry.union("PutarUlangResult")]


async def _pengelola(info: Info) -> langganan.Pengelola:
    await ensure_allowed(info, Operation.MANAGE_WEBHOOKS)
    principal = info.context.principal
    return langganan.Pengelola(principal.subject, principal.client_id)


def _kode(info: Info) -> str:
    return info.context.instansi.kode


def _terbit(info: Info, done: langganan.Terbit) -> WebhookTerbit:
    return WebhookTerbit(
        langganan=WebhookLangganan.of(done.langganan, _kode(info)), rahasia=done.rahasia
    )


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="Webhook subscriptions (an API client: its own).")
    async def webhook_langganan(self, info: Info) -> list[WebhookLangganan]:
        by = await _pengelola(info)
        return [WebhookLangganan.of(s, _kode(info)) for s in await langganan.daftar(by)]

    @strawberry.field(
        description="Deliveries, newest first (an API client: of its own subscriptions); "
        "`after`: the last id of the previous page."
    )
    async def webhook_pengiriman(
        self,
        info: Info,
        langganan_id: strawberry.ID | None = None,
        status: StatusPengiriman | None = None,
        first: int = 50,
        after: strawberry.ID | None = None,
    ) -> list[WebhookPengiriman]:
        by = await _pengelola(info)
        query = models.WebhookPengiriman.all().select_related("event")
        if by.client_id is not None:
            query = query.filter(langganan__client_id=by.client_id)
        if langganan_id is not None:
            query = query.filter(langganan_id=parse_id(langganan_id, "langgananId"))
        if status is not None:
            query = query.filter(status=status)
        if after is not None:
            query = query.filter(id__lt=parse_id(after, "after"))
        if not 1 <= first <= MAX_DELIVERIES:
            raise Refusal("INVALID_INPUT", f"first must be from 1 to {MAX_DELIVERIES}", "first")
        rows = await query.order_by("-id").limit(first)
        return [WebhookPengiriman.of(r) for r in rows]


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="API client: subscribe a URL to event types (audited).")
    async def buat_webhook_langganan(self, info: Info, url: str, jenis: list[str]) -> TerbitResult:
        by = await _pengelola(info)
        settings = info.context.settings
        result = await guarded(
            lambda: langganan.buat(
                by, url, jenis, Segel.from_settings(settings), settings.webhooks_may_reach_private
            )  # fmt: skip
        )
        return result if isinstance(result, MutationError) else _terbit(info, result)

    @strawberry.mutation(description="Change a subscription's URL, event types or pause it.")
    async def ubah_webhook_langganan(
        self,
        info: Info,
        id: strawberry.ID,
        url: str | None = None,
        jenis: list[str] | None = None,
        aktif: bool | None = None,
    ) -> LanggananResult:
        by = await _pengelola(info)
        allow_private = info.context.settings.webhooks_may_reach_private

        async def change():
            return await langganan.ubah(parse_id(id, "id"), by, allow_private, url, jenis, aktif)

        result = await guarded(change)
        return (
            result
            if isinstance(result, MutationError)
            else WebhookLangganan.of(result, _kode(info))
        )

    @strawberry.mutation(
        description="A new signing secret; the previous one keeps signing for 24 hours."
    )
    async def putar_rahasia_webhook(self, info: Info, id: strawberry.ID) -> TerbitResult:
        by = await _pengelola(info)
        segel = Segel.from_settings(info.context.settings)
        result = await guarded(lambda: langganan.putar_rahasia(parse_id(id, "id"), by, segel))
        return result if isinstance(result, MutationError) else _terbit(info, result)

    @strawberry.mutation(description="Revoke a subscription for good (deliveries stay).")
    async def cabut_webhook_langganan(self, info: Info, id: strawberry.ID) -> LanggananResult:
        by = await _pengelola(info)
        result = await guarded(lambda: langganan.cabut(parse_id(id, "id"), by))
        return (
            result
            if isinstance(result, MutationError)
            else WebhookLangganan.of(result, _kode(info))
        )

    @strawberry.mutation(description="Send one delivery again from its first attempt.")
    async def kirim_ulang_pengiriman(self, info: Info, id: strawberry.ID) -> PengirimanResult:
        by = await _pengelola(info)

        async def resend():
            found = await pengiriman.kirim_ulang(parse_id(id, "id"), by, now())
            await found.fetch_related("event")
            return found

        result = await guarded(resend)
        return result if isinstance(result, MutationError) else WebhookPengiriman.of(result)

    @strawberry.mutation(
        description="Deliver again every wanted event after `since` (a change-feed cursor; "
        "null: from the beginning), also those from before the subscription existed."
    )
    async def putar_ulang_webhook(
        self, info: Info, langganan_id: strawberry.ID, since: str | None = None
    ) -> PutarUlangResult:
        by = await _pengelola(info)

        async def replay():
            sejak = feed.decode(_kode(info), since)
            if since is not None:
                await ensure_not_expired(sejak)  # a replay cannot bring pruned events back
            lid = parse_id(langganan_id, "langgananId")
            return PutarUlang(jumlah=await pengiriman.putar_ulang(lid, by, sejak, now()))

        return await guarded(replay)
