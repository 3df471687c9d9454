"""The pengecualian atasan (superior overrides) on record, and ending one early: the types, the
list (`Query.pengecualianAtasan`) and `Mutation.akhiriPengecualianAtasan`. Recording one is
`aturPengecualianAtasan` (mutations.py); the rules are ekinerja/kepegawaian/pengecualian_atasan.py.

A page of overrides costs one query for the page, one for the pegawai it names (the overridden
and the appointed together, through the request's DataLoader) and one for who recorded them,
whatever their number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian import pengecualian_atasan as service
from ekinerja.kepegawaian.enums import PeranAtasan as PeranAtasanEnum
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST, Keyset
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import Connection
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid, parse_id
from ekinerja.schema.kepegawaian.dataloaders import by_id
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.node import Node

PeranAtasan = described_enum(
    PeranAtasanEnum,
    description="Which role of a pegawai's appraisal chain a pengecualian atasan (override) sets.",
    values={
        PeranAtasanEnum.PENILAI: "The pejabat penilai kinerja (the appraiser).",
        PeranAtasanEnum.ATASAN_PENILAI: "The atasan pejabat penilai (the appraiser's superior, "
        "who hears a keberatan).",
    },
)

# Ids of overrides: `PengecualianAtasan`; aturPengecualianAtasan handed out `AtasanOverride`
# ids before this type existed, and those are still accepted where an override's id is asked.
ID_TYPES = ("PengecualianAtasan", "AtasanOverride")

# Newest first: the latest start first, then the latest recorded.
DAFTAR = Keyset("Query.pengecualianAtasan", ("-berlaku_mulai", "-id"), (date, int))


def _pegawai_by_nip() -> DataLoader[str, models.Pegawai | None]:
    async def load(nips: Sequence[str]) -> list[models.Pegawai | None]:
        rows = {row.nip: row for row in await models.Pegawai.filter(nip__in=list(set(nips)))}
        return [rows.get(nip) for nip in nips]

    return DataLoader(load)


def _by_id() -> DataLoader[int, models.AtasanOverride | None]:
    return DataLoader(by_id(models.AtasanOverride))


@strawberry.type(
    description="A pengecualian atasan (override) on record: from berlakuMulai, the pegawai's "
    "penilai (or atasan penilai) is this pegawai or this official outside the system, whatever "
    "the unit tree says. Recorded by an admin instansi (aturPengecualianAtasan), ended early "
    "or removed with akhiriPengecualianAtasan; every change is in the audit log."
)
class PengecualianAtasan(Node):
    id: strawberry.ID = strawberry.field(description="The override's id.")
    peran: PeranAtasan = strawberry.field(description="The role of the chain it decides.")
    nama_eksternal: str | None = strawberry.field(
        description="The official outside the system appointed; null when `atasan` is a pegawai."
    )
    jabatan_eksternal: str | None = strawberry.field(
        description="That official's position (e.g. Bupati); null when not given or for a pegawai."
    )
    berlaku_mulai: date = strawberry.field(description="The first day it applies.")
    berlaku_sampai: date | None = strawberry.field(
        description="The day it stops applying (exclusive, as in PengecualianAtasanInput); null: "
        "open-ended."
    )
    alasan: str = strawberry.field(description="Why it was recorded.")
    dibuat_oleh: str = strawberry.field(
        description="Who recorded it: a NIP (an admin instansi), as the audit log names them."
    )
    dibuat_pada: datetime = strawberry.field(description="When it was recorded.")
    pegawai_id: strawberry.Private[int]
    atasan_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, row: models.AtasanOverride) -> PengecualianAtasan:
        return cls(
            id=gid("PengecualianAtasan", row.id),
            peran=row.peran,
            nama_eksternal=row.eksternal_nama,
            jabatan_eksternal=row.eksternal_jabatan,
            berlaku_mulai=row.berlaku_mulai,
            berlaku_sampai=row.berlaku_sampai,
            alasan=row.alasan,
            dibuat_oleh=row.dibuat_oleh,
            dibuat_pada=row.dibuat_pada,
            pegawai_id=row.pegawai_id,
            atasan_id=row.atasan_id,
        )

    @strawberry.field(
        description="The last day it applies (berlakuSampai minus one day); null: open-ended."
    )
    def tanggal_akhir(self) -> date | None:
        return self.berlaku_sampai - timedelta(days=1) if self.berlaku_sampai else None

    @strawberry.field(description="The pegawai whose chain it decides.")
    async def pegawai(self, info: Info) -> Pegawai:
        found = await load_pegawai(info, self.pegawai_id)
        assert found is not None  # a pegawai with overrides cannot be deleted (RESTRICT)
        return found

    @strawberry.field(
        description="The pegawai appointed to the role; null for an official outside the system "
        "(namaEksternal)."
    )
    async def atasan(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.atasan_id)

    @strawberry.field(
        description="The pegawai of this instansi who recorded it (dibuatOleh); null when that "
        "is no pegawai here (e.g. an API client)."
    )
    async def pembuat(self, info: Info) -> Pegawai | None:
        found = await info.context.loader(_pegawai_by_nip).load(self.dibuat_oleh)
        return Pegawai.from_model(found) if found else None


PengecualianAtasanConnection = Connection[PengecualianAtasan]


@strawberry.input(description="All given criteria must match; none given: every override.")
class PengecualianAtasanFilter:
    pegawai_nip: str | None = strawberry.field(
        default=None, description="Only the overrides of the pegawai with this NIP."
    )
    berlaku_pada: date | None = strawberry.field(
        default=None,
        description="Only those in force on this day (berlakuMulai ≤ day < berlakuSampai); "
        "null: current, past and future alike.",
    )
    peran: PeranAtasan | None = strawberry.field(
        default=None, description="Only those deciding this role."
    )


async def resolve_pengecualian_atasan(
    info: Info,
    filter: Annotated[
        PengecualianAtasanFilter | None,
        strawberry.argument(description="Criteria; null: every override on record."),
    ] = None,
    first: conn.First = DEFAULT_FIRST,
    after: conn.After = None,
) -> PengecualianAtasanConnection:
    given = filter or PengecualianAtasanFilter()
    criteria = service.OverrideFilter(
        pegawai_nip=given.pegawai_nip, berlaku_pada=given.berlaku_pada, peran=given.peran
    )
    return await conn.of_query(
        info, DAFTAR, service.overrides(criteria), first, after, PengecualianAtasan.of
    )


async def node(info: Info, row: int) -> PengecualianAtasan | None:
    """`node(id)` of an override: with the list's authorization (pegawai:personnel about
    anyone in the instansi)."""
    from ekinerja.schema.permissions import ensure_allowed

    await ensure_allowed(info, Operation.READ_PERSONNEL)
    found = await info.context.loader(_by_id).load(row)
    return PengecualianAtasan.of(found) if found else None


@strawberry.type(
    description="The pengecualian atasan (override) was ended early, or removed when its new "
    "last day was the day before it starts."
)
class PengecualianAtasanDiakhiri:
    pengecualian_id: strawberry.ID = strawberry.field(description="The override's id.")
    dihapus: bool = strawberry.field(
        description="true: it would never have applied (its last day was the day before its "
        "start), so it was removed; `pengecualian` is then null and the audit log keeps it."
    )
    row: strawberry.Private[models.AtasanOverride]

    @strawberry.field(
        description="The override as it is now (berlakuSampai the day after tanggalAkhir); "
        "null when it was removed."
    )
    def pengecualian(self) -> PengecualianAtasan | None:
        return None if self.dihapus else PengecualianAtasan.of(self.row)

    @strawberry.field(
        description="The pegawai it applied to (read their `atasan` on a day to check)."
    )
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.row.pegawai_id)


AkhiriPengecualianAtasanResult = Annotated[
    PengecualianAtasanDiakhiri | MutationError,
    strawberry.union(
        "AkhiriPengecualianAtasanResult",
        description="PengecualianAtasanDiakhiri, or a MutationError saying why nothing changed.",
    ),
]

AKHIRI_DESCRIPTION = (
    "End a pengecualian atasan (override) early: tanggalAkhir becomes its last day, and from "
    "the next day the pegawai's penilai (or atasan penilai) is again whoever the unit tree, or "
    "another override starting later, says. The day before it starts removes it (it never "
    "applies). Ending only shortens: an earlier override it closed stays closed, and a last "
    "day after its current end is refused. Like aturPengecualianAtasan it changes every later "
    "read of `atasan` for those days, not the appraisers SKPs have snapshotted "
    "(segarkanSnapshotSkp re-reads a draft's), and writes no event; audited "
    "(atasan-override:write: the admin instansi). Refused as MutationError naming the "
    "argument: NOT_FOUND (pengecualianId: no such override here), ID_OF_OTHER_INSTANSI, "
    "INVALID_INPUT (tanggalAkhir, alasan)."
)


async def akhiri_pengecualian_atasan(
    info: Info,
    pengecualian_id: Annotated[
        strawberry.ID,
        strawberry.argument(
            description="The override's id (PengecualianAtasan.id, or pengecualianId of "
            "aturPengecualianAtasan)."
        ),
    ],
    tanggal_akhir: Annotated[
        date,
        strawberry.argument(
            description="Its new last day: from the day before its start (which removes it) "
            "to the day before its current last day."
        ),
    ],
    alasan: Annotated[
        str,
        strawberry.argument(
            description=f"Why it ends early (kept in the audit log); at most "
            f"{service.ALASAN_LONGEST} characters."
        ),
    ],
) -> AkhiriPengecualianAtasanResult:
    async def change() -> PengecualianAtasanDiakhiri:
        row_id = parse_id(pengecualian_id, "pengecualianId", ID_TYPES)
        assert row_id is not None
        ended = await service.end_atasan_override(
            row_id, tanggal_akhir, alasan, actor=info.context.principal.subject
        )
        return PengecualianAtasanDiakhiri(
            pengecualian_id=gid("PengecualianAtasan", ended.override.id),
            dihapus=ended.removed,
            row=ended.override,
        )

    return await guarded(change)
