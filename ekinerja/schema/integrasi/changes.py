"""`changes(since, first, jenis)`: the instansi's domain events in commit order, with a cursor
that never skips or repeats an event (see ekinerja/events/feed.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from ekinerja.auth.policy import Operation
from ekinerja.events import feed
from ekinerja.events.jenis import MEANING, JenisPeristiwa, check_jenis
from ekinerja.events.retensi import ensure_not_expired
from ekinerja.schema.context import Info
from ekinerja.schema.ids import EVENT_TYPE, event_data, event_entitas_id, gid
from ekinerja.schema.permissions import ensure_allowed, require


@strawberry.type(
    description="Peristiwa: one domain event of the instansi in the change feed (decision "
    "0012); the same events go to webhooks."
)
class Change:
    cursor: str = strawberry.field(description="Resume after this event with `since`.")
    id: strawberry.ID = strawberry.field(
        description="The event's global id, the same in its webhook delivery: dedupe on it."
    )
    jenis: str = strawberry.field(
        description="The event type, e.g. `skp.diajukan`, `evaluasi.final` (see `jenisPeristiwa`)."
    )
    entitas: str = strawberry.field(
        description="The kind of record it is about, e.g. `skp`, `evaluasi`."
    )
    entitas_id: str = strawberry.field(
        description="That record's global id (as `skp(id:)` or `node` take it) for an SKP, "
        "evaluasi or keberatan."
    )
    data: JSON = strawberry.field(
        description="The event's details: a JSON object whose keys depend on `jenis`; its "
        "ids (`skpId`, `menggantikanSkpId`, `evaluasiId`, `keberatanId`) are global ids."
    )
    terjadi_pada: datetime = strawberry.field(description="When it happened.")


@strawberry.type(description="A page of the change feed.")
class ChangePage:
    items: list[Change] = strawberry.field(description="The events, oldest first.")
    end_cursor: str = strawberry.field(
        description="Pass as `since` next time; it moves even when no event matched."
    )
    has_more: bool = strawberry.field(
        description="True: more events are waiting; ask again with `endCursor` at once."
    )


@strawberry.type(description="Jenis peristiwa: an event type and what it means.")
class JenisPeristiwaInfo:
    jenis: str = strawberry.field(description="The type, e.g. `skp.diajukan`.")
    arti: str = strawberry.field(description="What it means, in English.")


@strawberry.type
class ChangesQuery:
    @strawberry.field(
        description="Domain events after `since` (from the beginning when null), oldest first; "
        "`jenis` keeps only those types. An event appears once its transaction and every "
        "older one have ended, so a cursor never skips or repeats one."
    )
    async def changes(
        self,
        info: Info,
        since: Annotated[
            str | None,
            strawberry.argument(
                description="A cursor from an earlier page (`endCursor` or an event's `cursor`); "
                "null: from the oldest event kept. A cursor older than the retention is "
                "refused CURSOR_EXPIRED."
            ),
        ] = None,
        first: Annotated[
            int, strawberry.argument(description="Most events to return, 1 to 1000.")
        ] = 100,
        jenis: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these event types; null: every type."),
        ] = None,
    ) -> ChangePage:
        await ensure_allowed(info, Operation.READ_CHANGES)
        kode = info.context.instansi.kode
        posisi = feed.decode(kode, since)
        if since is not None:
            await ensure_not_expired(posisi)
        page = await feed.baca(posisi, first, None if jenis is None else check_jenis(jenis))
        return ChangePage(
            items=[
                Change(
                    cursor=feed.encode(kode, e.posisi),
                    id=gid(EVENT_TYPE, e.id),
                    jenis=e.jenis,
                    entitas=e.entitas,
                    entitas_id=event_entitas_id(e.entitas, e.entitas_id, kode),
                    data=event_data(e.data, kode),
                    terjadi_pada=e.terjadi_pada,
                )
                for e in page.peristiwa
            ],
            end_cursor=feed.encode(kode, page.akhir),
            has_more=page.ada_lagi,
        )

    @strawberry.field(
        description="The event types of the change feed and webhooks.",
        permission_classes=[require(Operation.READ_INSTANSI)],
    )
    def jenis_peristiwa(self) -> list[JenisPeristiwaInfo]:
        return [JenisPeristiwaInfo(jenis=j.value, arti=MEANING[j]) for j in JenisPeristiwa]
