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
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST, Keyset
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.retensi import ensure_not_expired
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid, parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.node import Node
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.webhooks import langganan, pengiriman
from ekinerja.webhooks.enums import StatusPengiriman as StatusPengirimanEnum
from ekinerja.webhooks.rahasia import Segel

StatusPengiriman = described_enum(
    StatusPengirimanEnum,
    description="Status pengiriman: where a webhook delivery stands.",
    values={
        StatusPengirimanEnum.MENUNGGU: "Menunggu: waiting, due now or at `berikutnyaPada`.",
        StatusPengirimanEnum.TERKIRIM: "Terkirim: the receiver answered 2xx.",
        StatusPengirimanEnum.GAGAL: "Gagal: dead-lettered after the last attempt failed; only "
        "`kirimUlangPengiriman` or a replay sends it again.",
    },
)

_LANGGANAN_ID = Annotated[strawberry.ID, strawberry.argument(description="The subscription.")]
_URL = "The receiver's https URL (public address; no credentials in it)."
_JENIS = "Event types to deliver (see `jenisPeristiwa`), e.g. `skp.disetujui`."


@strawberry.type(
    description="Webhook langganan: an API client's webhook subscription (decision 0013). Read "
    "by the client itself and the admin instansi (`webhooks:manage`)."
)
class WebhookLangganan(Node):
    id: strawberry.ID = strawberry.field(description="The subscription's id.")
    client_id: str = strawberry.field(description="The API client it belongs to.")
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    jenis: list[str] = strawberry.field(description="The event types it receives.")
    aktif: bool = strawberry.field(
        description="False: paused or revoked. A paused one gets what it missed once resumed "
        "(within the feed's retention)."
    )
    dibuat_pada: datetime = strawberry.field(description="When it was made.")
    dicabut_pada: datetime | None = strawberry.field(
        description="When it was revoked; null while it is not."
    )
    rahasia_lama_berlaku_sampai: datetime | None = strawberry.field(
        description="Until then deliveries are signed with the previous secret too."
    )
    posisi: str = strawberry.field(description="Feed cursor up to which events were fanned out.")

    @classmethod
    def of(cls, found: models.WebhookLangganan, kode: str) -> WebhookLangganan:
        return cls(
            id=gid("WebhookLangganan", found.id),
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
    langganan: WebhookLangganan = strawberry.field(description="The subscription.")
    rahasia: str = strawberry.field(
        description="HMAC-SHA256 key of X-Ekinerja-Signature (t=<unix>,v1=<hex of "
        "HMAC(secret, '<t>.<body>')>). Store it now: it cannot be read again."
    )


@strawberry.type(
    description="Webhook pengiriman: one event to one subscription, with its attempts."
)
class WebhookPengiriman(Node):
    id: strawberry.ID = strawberry.field(description="The delivery's id.")
    langganan_id: strawberry.ID = strawberry.field(description="The subscription.")
    event_id: strawberry.ID = strawberry.field(
        description="The event: the `id` of the same event in the change feed.", name="peristiwaId"
    )
    jenis: str = strawberry.field(description="The event type.")
    status: StatusPengiriman = strawberry.field(description="Where the delivery stands.")
    percobaan: int = strawberry.field(description="Attempts made so far.")
    berikutnya_pada: datetime | None = strawberry.field(description="Next attempt, if waiting.")
    kode_terakhir: int | None = strawberry.field(
        description="HTTP status of the last attempt; null when none was made or no answer came."
    )
    galat_terakhir: str | None = strawberry.field(
        description="Why the last attempt failed (e.g. a timeout); null when it did not."
    )
    terkirim_pada: datetime | None = strawberry.field(
        description="When the receiver accepted it; null until then."
    )
    dibuat_pada: datetime = strawberry.field(description="When it was queued.")

    @classmethod
    def of(cls, found: models.WebhookPengiriman) -> WebhookPengiriman:
        waiting = found.status is StatusPengirimanEnum.MENUNGGU
        return cls(
            id=gid("WebhookPengiriman", found.id),
            langganan_id=gid("WebhookLangganan", found.langganan_id),
            event_id=gid("Peristiwa", found.event_id),
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
    jumlah: int = strawberry.field(description="Deliveries queued.")


LanggananResult = Annotated[
    WebhookLangganan | MutationError,
    strawberry.union(
        "WebhookLanggananResult",
        description="The subscription as it now stands, or a MutationError (nothing changed): "
        "NOT_FOUND (also another client's), REVOKED, INVALID_URL, INVALID_INPUT (an unknown "
        "event type).",
    ),
]
TerbitResult = Annotated[
    WebhookTerbit | MutationError,
    strawberry.union(
        "WebhookTerbitResult",
        description="The subscription with its new secret, or a MutationError (nothing "
        "changed): NOT_AN_API_CLIENT (only a client subscribes), TOO_MANY (20 active per "
        "client), NOT_FOUND, REVOKED, INVALID_URL, INVALID_INPUT.",
    ),
]
PengirimanResult = Annotated[
    WebhookPengiriman | MutationError,
    strawberry.union(
        "WebhookPengirimanResult",
        description="The delivery, queued again, or a MutationError (nothing changed): "
        "NOT_FOUND, REVOKED.",
    ),
]
PutarUlangResult = Annotated[
    PutarUlang | MutationError,
    strawberry.union(
        "PutarUlangResult",
        description="How many deliveries were queued, or a MutationError (nothing queued): "
        "NOT_FOUND, REVOKED, CURSOR_EXPIRED, INVALID_INPUT (a malformed cursor).",
    ),
]


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


WebhookPengirimanConnection = Connection[WebhookPengiriman]
PENGIRIMAN = Keyset("Query.webhookPengiriman", ("-id",), (int,))


@strawberry.input(description="Which deliveries; every given criterion must match.")
class WebhookPengirimanFilter:
    langganan_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this subscription's; null: all you may see."
    )
    status: StatusPengiriman | None = strawberry.field(
        default=None, description="Only deliveries in this state; null: any."
    )


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="Webhook subscriptions (an API client: its own).")
    async def webhook_langganan(self, info: Info) -> list[WebhookLangganan]:
        by = await _pengelola(info)
        return [WebhookLangganan.of(s, _kode(info)) for s in await langganan.daftar(by)]

    @strawberry.field(
        description="Deliveries, newest first (an API client: of its own subscriptions). No "
        "`totalCount`: deliveries grow with every event, and counting them is a scan."
    )
    async def webhook_pengiriman(
        self,
        info: Info,
        filter: Annotated[
            WebhookPengirimanFilter | None,
            strawberry.argument(description="Criteria; null: every delivery you may see."),
        ] = None,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> WebhookPengirimanConnection:
        by = await _pengelola(info)
        given = filter or WebhookPengirimanFilter()
        query = models.WebhookPengiriman.all().select_related("event")
        if by.client_id is not None:
            query = query.filter(langganan__client_id=by.client_id)
        if given.langganan_id is not None:
            query = query.filter(
                langganan_id=parse_id(given.langganan_id, "filter.langgananId", "WebhookLangganan")
            )
        if given.status is not None:
            query = query.filter(status=given.status)
        return await conn.of_query(info, PENGIRIMAN, query, first, after, WebhookPengiriman.of)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="API client: subscribe a URL to event types (audited).")
    async def buat_webhook_langganan(
        self,
        info: Info,
        url: Annotated[str, strawberry.argument(description=_URL)],
        jenis: Annotated[list[str], strawberry.argument(description=_JENIS)],
    ) -> TerbitResult:
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
        id: _LANGGANAN_ID,
        url: Annotated[
            str | None, strawberry.argument(description=_URL + " Null: unchanged.")
        ] = None,
        jenis: Annotated[
            list[str] | None, strawberry.argument(description=_JENIS + " Null: unchanged.")
        ] = None,
        aktif: Annotated[
            bool | None,
            strawberry.argument(description="False pauses it, true resumes it; null: unchanged."),
        ] = None,
    ) -> LanggananResult:
        by = await _pengelola(info)
        allow_private = info.context.settings.webhooks_may_reach_private

        async def change():
            return await langganan.ubah(
                parse_id(id, "id", "WebhookLangganan"), by, allow_private, url, jenis, aktif
            )

        result = await guarded(change)
        return (
            result
            if isinstance(result, MutationError)
            else WebhookLangganan.of(result, _kode(info))
        )

    @strawberry.mutation(
        description="A new signing secret; the previous one keeps signing for 24 hours."
    )
    async def putar_rahasia_webhook(self, info: Info, id: _LANGGANAN_ID) -> TerbitResult:
        by = await _pengelola(info)
        segel = Segel.from_settings(info.context.settings)
        result = await guarded(
            lambda: langganan.putar_rahasia(parse_id(id, "id", "WebhookLangganan"), by, segel)
        )
        return result if isinstance(result, MutationError) else _terbit(info, result)

    @strawberry.mutation(description="Revoke a subscription for good (deliveries stay).")
    async def cabut_webhook_langganan(self, info: Info, id: _LANGGANAN_ID) -> LanggananResult:
        by = await _pengelola(info)
        result = await guarded(lambda: langganan.cabut(parse_id(id, "id", "WebhookLangganan"), by))
        return (
            result
            if isinstance(result, MutationError)
            else WebhookLangganan.of(result, _kode(info))
        )

    @strawberry.mutation(description="Send one delivery again from its first attempt.")
    async def kirim_ulang_pengiriman(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The delivery.")],
    ) -> PengirimanResult:
        by = await _pengelola(info)

        async def resend():
            found = await pengiriman.kirim_ulang(parse_id(id, "id", "WebhookPengiriman"), by, now())
            await found.fetch_related("event")
            return found

        result = await guarded(resend)
        return result if isinstance(result, MutationError) else WebhookPengiriman.of(result)

    @strawberry.mutation(
        description="Deliver again every wanted event after `since` (a change-feed cursor; "
        "null: from the beginning), also those from before the subscription existed."
    )
    async def putar_ulang_webhook(
        self,
        info: Info,
        langganan_id: _LANGGANAN_ID,
        since: Annotated[
            str | None,
            strawberry.argument(
                description="A change-feed cursor; null: from the oldest kept.", name="sejak"
            ),
        ] = None,
    ) -> PutarUlangResult:
        by = await _pengelola(info)

        async def replay():
            sejak = feed.decode(_kode(info), since)
            if since is not None:
                await ensure_not_expired(sejak)  # a replay cannot bring pruned events back
            lid = parse_id(langganan_id, "langgananId", "WebhookLangganan")
            return PutarUlang(jumlah=await pengiriman.putar_ulang(lid, by, sejak, now()))

        return await guarded(replay)
