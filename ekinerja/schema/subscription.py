"""The `Subscription` root (decision 0042): live domain events about SKPs, fed by the outbox
through the process's hub (ekinerja/peristiwa/siaran.py) and authorized per event by the
policy of `skp:read`, the one the queries that show the same records ask."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Annotated

import strawberry

from ekinerja import pengaturan
from ekinerja.auth.policy import Operation, Reach, Relation, widest_reach
from ekinerja.auth.principal import Principal
from ekinerja.auth.relations import relation_between
from ekinerja.error_codes import ErrorCode
from ekinerja.kepegawaian.atasan import resolve_chains
from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.models.tenant import EvaluasiPeriodik, Pegawai, Skp
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.feed import Peristiwa as Event
from ekinerja.peristiwa.jenis import check_jenis
from ekinerja.peristiwa.siaran import Lambat, Pelanggan, hub
from ekinerja.schema.context import Info
from ekinerja.schema.errors import ClientError, NoInstansiSelected
from ekinerja.schema.ids import EVENT_TYPE, encode_id, event_data, event_entitas_id
from ekinerja.schema.integrasi.changes import Peristiwa
from ekinerja.schema.permissions import Forbidden, Unauthenticated
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound


class SlowSubscriber(ClientError):
    code = ErrorCode.SLOW_SUBSCRIBER


@strawberry.enum(description="Lingkup peristiwa: whose SKPs a live subscription follows.")
class LingkupPeristiwa(Enum):
    SAYA = strawberry.enum_value("SAYA", description="My own SKPs (and their results).")
    BAWAHAN = strawberry.enum_value(
        "BAWAHAN",
        description="The SKPs of those I appraise, as pejabat penilai or atasan pejabat "
        "penilai (the team page), not my own.",
    )
    SEMUA = strawberry.enum_value(
        "SEMUA",
        description="Every SKP I may read with `skp:read`: mine and my subordinates' for a "
        "pegawai, the instansi's for an admin or an API client with the scope.",
    )


@dataclass(frozen=True)
class _Skp:
    pegawai_id: int
    appraisers: tuple[int | None, int | None]


@dataclass
class _Batch:
    """What a page of events needs to be judged: their SKPs, the chains of their owners."""

    skps: dict[int, _Skp] = field(default_factory=dict)
    of_evaluasi: dict[int, int] = field(default_factory=dict)


async def _batch(events: list[Event]) -> _Batch:
    skp_ids, evaluasi_ids = set(), set()
    for event in events:
        skp_id, evaluasi_id = event.data.get("skpId"), event.data.get("evaluasiId")
        if isinstance(skp_id, int):
            skp_ids.add(skp_id)
        elif isinstance(evaluasi_id, int):
            evaluasi_ids.add(evaluasi_id)
    batch = _Batch()
    if evaluasi_ids:
        rows = await EvaluasiPeriodik.filter(id__in=evaluasi_ids).values_list("id", "skp_id")
        batch.of_evaluasi = dict(rows)
        skp_ids |= set(batch.of_evaluasi.values())
    if skp_ids:
        rows = await Skp.filter(id__in=skp_ids).values_list(
            "id", "pegawai_id", "penilai_pegawai_id", "atasan_penilai_pegawai_id"
        )
        batch.skps = {r[0]: _Skp(r[1], (r[2], r[3])) for r in rows}
    return batch


def _skp_of(event: Event, batch: _Batch) -> _Skp | None:
    """The SKP an event is about; None (not delivered: deny when unsure) for anything else."""
    skp_id = event.data.get("skpId")
    if not isinstance(skp_id, int):
        skp_id = batch.of_evaluasi.get(event.data.get("evaluasiId"))
    return batch.skps.get(skp_id) if skp_id is not None else None


@dataclass(frozen=True)
class Pembaca:
    """Who subscribes and to what: judged again for every event."""

    principal: Principal
    pegawai_id: int | None
    lingkup: LingkupPeristiwa
    jenis: frozenset[str] | None

    async def saring(self, events: list[Event]) -> list[Event]:
        wanted = [e for e in events if self.jenis is None or e.jenis in self.jenis]
        reach = widest_reach(self.principal, Operation.READ_SKP)
        if not wanted or reach is None:
            return []
        batch = await _batch(wanted)
        today: date | None = None
        chains: dict[int, object] = {}

        async def chain_of(target: int):
            nonlocal today
            if target not in chains:
                if today is None:
                    today = tanggal_di((await pengaturan.baca()).zona_waktu)
                chains[target] = (await resolve_chains([target], today))[target]
            return chains[target]

        kept = []
        for event in wanted:
            skp = _skp_of(event, batch)
            if skp is None:
                continue
            me = self.pegawai_id
            if me is not None and skp.pegawai_id == me:
                relation = Relation.OWN
            elif me is not None and me in skp.appraisers:
                relation = Relation.SUBORDINATE
            elif reach < Reach.TENANT or self.lingkup is LingkupPeristiwa.BAWAHAN:
                relation = await relation_between(me, skp.pegawai_id, chain_of)
            else:
                relation = Relation.OTHER_IN_TENANT
            if relation > reach:
                continue
            if self.lingkup is LingkupPeristiwa.SAYA and relation is not Relation.OWN:
                continue
            if self.lingkup is LingkupPeristiwa.BAWAHAN and relation is not Relation.SUBORDINATE:
                continue
            kept.append(event)
        return kept


def as_peristiwa(event: Event, kode: str) -> Peristiwa:
    cursor = feed.encode(kode, event.posisi)
    return Peristiwa(
        cursor=cursor,
        id=strawberry.ID(encode_id(EVENT_TYPE, event.id, kode)),
        jenis=event.jenis,
        entitas=event.entitas,
        entitas_id=event_entitas_id(event.entitas, event.entitas_id, kode),
        data=event_data(event.data, kode),
        terjadi_pada=event.terjadi_pada,
    )


async def _pembaca(info: Info, lingkup: LingkupPeristiwa, jenis: list[str] | None) -> Pembaca:
    context = info.context
    principal = context.principal
    if principal is None:
        raise Unauthenticated("authentication required")
    if context.instansi is None:
        raise NoInstansiSelected("no instansi selected: send its kode in X-Instansi")
    reach = widest_reach(principal, Operation.READ_SKP)
    if reach is None:
        raise Forbidden(f"not allowed: {Operation.READ_SKP.value}")
    me = None
    if principal.is_person and principal.nip:
        async with tenant_transaction(as_bound(context.instansi)):
            me = await Pegawai.filter(nip=principal.nip).first().values_list("id", flat=True)
    if lingkup is not LingkupPeristiwa.SEMUA and me is None:
        raise Forbidden(f"lingkup {lingkup.name} follows a pegawai's SKPs: you are none here")
    kinds = None if jenis is None else frozenset(check_jenis(jenis))
    return Pembaca(principal, me, lingkup, kinds)


@strawberry.type(description="Live updates (decision 0042): over graphql-transport-ws or SSE.")
class Subscription:
    @strawberry.subscription(
        description="Domain events about SKPs (`skp.*`, `pelaksanaan.*`, `evaluasi.*`, "
        "`keberatan.*`) as their transactions commit, each checked against `skp:read` when it "
        "happens (a subscriber never receives one they could not read by query; a transfer "
        "since the subscription counts). Each carries its `cursor`: subscribe again with the "
        "last one as `after` to resume without a gap; a subscription that falls behind ends "
        "with SLOW_SUBSCRIBER."
    )
    async def peristiwa_skp(
        self,
        info: Info,
        lingkup: Annotated[
            LingkupPeristiwa, strawberry.argument(description="Whose SKPs.")
        ] = LingkupPeristiwa.SEMUA,
        jenis: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these event types; null: every type."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="Resume after this event's `cursor` (or a `peristiwa` page's "
                "`endCursor`): what happened since is sent first. Null: from now."
            ),
        ] = None,
    ) -> AsyncGenerator[Peristiwa, None]:
        pembaca = await _pembaca(info, lingkup, jenis)
        instansi = info.context.instansi
        cursor = feed.decode(instansi.kode, after, "after") if after else None
        settings = info.context.settings
        siaran = hub(settings, info.context.live_address)
        pelanggan = Pelanggan(
            as_bound(instansi), pembaca.saring, feed.AWAL, settings.live_queue_events
        )
        try:
            await siaran.gabung(pelanggan, cursor)
            while True:
                try:
                    event = await pelanggan.berikutnya()
                except Lambat:
                    raise SlowSubscriber(
                        "this subscription fell too far behind and was ended: subscribe again "
                        "with the last event's cursor as `after`"
                    ) from None
                yield as_peristiwa(event, instansi.kode)
        finally:
            siaran.keluar(pelanggan)
