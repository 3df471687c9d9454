"""`changes(filter, first, after)`: the instansi's domain events in commit order, as a
connection whose cursor never skips or repeats an event (see ekinerja/events/feed.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from ekinerja.auth.policy import Operation
from ekinerja.paging import DEFAULT_FIRST, check_first
from ekinerja.peristiwa import feed
from ekinerja.peristiwa.jenis import MEANING, JenisPeristiwa, check_jenis
from ekinerja.peristiwa.retensi import ensure_not_expired
from ekinerja.schema.connection import Connection, Edge, First, PageInfo
from ekinerja.schema.context import Info
from ekinerja.schema.ids import EVENT_TYPE, event_data, event_entitas_id, gid
from ekinerja.schema.permissions import ensure_allowed, require


@strawberry.type(
    description="Peristiwa: one domain event of the instansi in the change feed (decision "
    "0012); the same events go to webhooks."
)
class Peristiwa:
    cursor: str = strawberry.field(
        description="Resume after this event with `after` (the same as its edge's `cursor`)."
    )
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


@strawberry.type(
    name="PeristiwaConnection",
    description="A page of the change feed (Relay cursor connection). `pageInfo.endCursor` is "
    "where to resume: it moves past events `filter.jenis` left out, even on an empty page.",
)
class PeristiwaConnection(Connection[Peristiwa]):
    pass


@strawberry.input(description="Which events of the feed; every given criterion must match.")
class PeristiwaFilter:
    jenis: list[str] | None = strawberry.field(
        default=None, description="Only these event types; null: every type."
    )


@strawberry.type(description="Jenis peristiwa: an event type and what it means.")
class JenisPeristiwaInfo:
    jenis: str = strawberry.field(description="The type, e.g. `skp.diajukan`.")
    arti: str = strawberry.field(description="What it means, in English.")


@strawberry.type
class ChangesQuery:
    @strawberry.field(
        description="Domain events after `after` (from the oldest kept when null), oldest "
        "first, for integrators to resume from: keep `pageInfo.endCursor` and ask again with "
        "it. An event appears once its transaction and every older one have ended, so a cursor "
        "never skips one; delivery is at least once (dedupe on the event's `id`). No "
        "`totalCount`: the feed only grows."
    )
    async def peristiwa(
        self,
        info: Info,
        filter: Annotated[
            PeristiwaFilter | None, strawberry.argument(description="Criteria; null: every event.")
        ] = None,
        first: First = DEFAULT_FIRST,
        after: Annotated[
            str | None,
            strawberry.argument(
                description="`pageInfo.endCursor` of the previous page (or an edge's `cursor`); "
                "null: from the oldest event kept. A cursor of another instansi or not issued "
                "by the feed is refused INVALID_CURSOR, one older than the retention "
                "CURSOR_EXPIRED, both naming `after`."
            ),
        ] = None,
    ) -> PeristiwaConnection:
        await ensure_allowed(info, Operation.READ_CHANGES)
        kode = info.context.instansi.kode
        check_first(first)
        posisi = feed.decode(kode, after, "after")
        if after is not None:
            await ensure_not_expired(posisi, "after")
        jenis = None if filter is None or filter.jenis is None else check_jenis(filter.jenis)
        page = await feed.baca(posisi, first, jenis)
        edges = [
            Edge(
                cursor=feed.encode(kode, e.posisi),
                node=Peristiwa(
                    cursor=feed.encode(kode, e.posisi),
                    id=gid(EVENT_TYPE, e.id),
                    jenis=e.jenis,
                    entitas=e.entitas,
                    entitas_id=event_entitas_id(e.entitas, e.entitas_id, kode),
                    data=event_data(e.data, kode),
                    terjadi_pada=e.terjadi_pada,
                ),
            )
            for e in page.peristiwa
        ]
        return PeristiwaConnection(
            edges=edges,
            nodes=[edge.node for edge in edges],
            page_info=PageInfo(
                has_next_page=page.ada_lagi,
                has_previous_page=False,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=feed.encode(kode, page.akhir),
            ),
        )

    @strawberry.field(
        description="The event types of the change feed and webhooks.",
        permission_classes=[require(Operation.READ_INSTANSI)],
    )
    def jenis_peristiwa(self) -> list[JenisPeristiwaInfo]:
        return [JenisPeristiwaInfo(jenis=j.value, arti=MEANING[j]) for j in JenisPeristiwa]
