"""The connections of penilaian's queues (decision 0029): each a penilai's, atasan's or admin's
work waiting, filtered by an index, so `totalCount` is one cheap COUNT."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ekinerja.paging import Keyset
from ekinerja.schema.connection import CountedConnection
from ekinerja.schema.penilaian.types import EvaluasiPeriodik, Keberatan


@strawberry.type(
    name="EvaluasiPeriodikConnection",
    description="A page of evaluations (Relay cursor connection) with their total count.",
)
class EvaluasiPeriodikConnection(CountedConnection[EvaluasiPeriodik]):
    pass


@strawberry.type(
    name="KeberatanConnection",
    description="A page of keberatan (Relay cursor connection) with their total count.",
)
class KeberatanConnection(CountedConnection[Keberatan]):
    pass


@strawberry.input(description="Which evaluations; every given criterion must match.")
class EvaluasiPeriodikFilter:
    periode: str | None = strawberry.field(
        default=None,
        description="Only this window (kode periode, e.g. `2026-T1`); null: every window.",
    )


# Every queue is oldest submission first.
EVALUASI_UNTUK_DINILAI = Keyset(
    "Query.evaluasiUntukDinilai", ("diajukan_pada", "id"), (datetime, int)
)
KEBERATAN_UNTUK_DIPUTUS = Keyset(
    "Query.keberatanUntukDiputus", ("diajukan_pada", "id"), (datetime, int)
)
KEBERATAN_ATASAN_EKSTERNAL = Keyset(
    "Query.keberatanAtasanEksternal", ("diajukan_pada", "id"), (datetime, int)
)
