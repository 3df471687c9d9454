"""`changes(since, first, jenis)`: the instansi's domain events in commit order, with a cursor
that never skips or repeats an event (see ekinerja/events/feed.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from ekinerja.auth.policy import Operation
from ekinerja.events import feed
from ekinerja.events.jenis import MEANING, JenisPeristiwa, check_jenis
from ekinerja.events.retensi import ensure_not_expired
from ekinerja.schema.context import Info
from ekinerja.schema.permissions import ensure_allowed, require


@strawberry.type(description="One domain event of the instansi.")
class Change:
    cursor: str = strawberry.field(description="Resume after this event with `since`.")
    id: strawberry.ID = strawberry.field(description="Unique within the instansi: dedupe on it.")
    jenis: str
    entitas: str
    entitas_id: str
    data: JSON
    terjadi_pada: datetime


@strawberry.type(description="A page of the change feed.")
class ChangePage:
    items: list[Change]
    end_cursor: str = strawberry.field(
        description="Pass as `since` next time; it moves even when no event matched."
    )
    has_more: bool


@strawberry.type(description="An event type and what it means.")
class JenisPeristiwaInfo:
    jenis: str
    arti: str


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
        since: str | None = None,
        first: int = 100,
        jenis: list[str] | None = None,
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
                    id=strawberry.ID(str(e.id)),
                    jenis=e.jenis,
                    entitas=e.entitas,
                    entitas_id=e.entitas_id,
                    data=e.data,
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
