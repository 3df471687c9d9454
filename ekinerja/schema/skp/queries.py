"""Query fields of SKP planning."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST, Keyset
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, CountedConnection, First
from ekinerja.schema.context import Info
from ekinerja.schema.ids import parse_id
from ekinerja.schema.permissions import ensure_allowed, require
from ekinerja.schema.skp import dataloaders as dl
from ekinerja.schema.skp.cakupan_types import CakupanCascade
from ekinerja.schema.skp.types import (
    PerilakuKerja,
    Rhk,
    RhkTemplateType,
    Skp,
    perilaku_list,
    visible_skp,
)
from ekinerja.schema.tanggal import tanggal_atau_hari_ini
from ekinerja.skp.cakupan import coverage
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.periode import kadensi_of, windows
from ekinerja.tahun import check_tahun


@strawberry.type(description="An evaluation window of a year.")
class PeriodeEvaluasi:
    kode: str = strawberry.field(
        description="Kode periode: the year, then B (bulan) 1–12, T (triwulan) 1–4 or S "
        "(semester) 1–2, e.g. 2026-T1; 2026-THN is the annual evaluation."
    )
    nama: str = strawberry.field(description="Its name in Indonesian, for display.")
    awal: date = strawberry.field(description="First day.")
    akhir: date = strawberry.field(description="Inclusive.")


@strawberry.type(
    name="SkpConnection",
    description="A page of SKP versions (Relay cursor connection) with their total count.",
)
class SkpConnection(CountedConnection[Skp]):
    pass


@strawberry.input(description="Which SKP versions; every given criterion must match.")
class SkpFilter:
    tahun: int | None = strawberry.field(
        default=None, description="Only this year; null: every year."
    )


SKP_SAYA = Keyset("Query.skpSaya", ("-tahun", "-versi", "-id"), (int, int, int))
SKP_UNTUK_DISETUJUI = Keyset("Query.skpUntukDisetujui", ("diajukan_pada", "id"), (datetime, int))


@strawberry.type
class SkpQuery:
    @strawberry.field(description="An SKP by id, for those who may read it.")
    async def skp(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Skp | None:
        row = await info.context.loader(dl.skp_by_id).load(parse_id(id, "id", "Skp"))
        return await visible_skp(info, row)

    @strawberry.field(
        description="An RHK by id.", permission_classes=[require(Operation.READ_CASCADE)]
    )
    async def rhk(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Rhk | None:
        row = await info.context.loader(dl.rhk_by_id).load(parse_id(id, "id", "Rhk"))
        return Rhk.from_model(row) if row else None

    @strawberry.field(
        description="My own SKP versions, newest first (year, then version); the total is "
        "cheap to count (one pegawai's SKPs)."
    )
    async def skp_saya(
        self,
        info: Info,
        filter: Annotated[
            SkpFilter | None, strawberry.argument(description="Criteria; null: every SKP.")
        ] = None,
        first: First = DEFAULT_FIRST,
        after: After = None,
    ) -> SkpConnection:
        await ensure_allowed(info, Operation.READ_SKP, info.context.pegawai_id or -1)
        query = models.Skp.filter(pegawai_id=info.context.pegawai_id)
        if filter is not None and filter.tahun is not None:
            query = query.filter(tahun=check_tahun(filter.tahun, "filter.tahun"))
        return await conn.of_query(
            info, SKP_SAYA, query, first, after, Skp.from_model, SkpConnection
        )

    @strawberry.field(
        description="SKPs waiting for my approval as their pejabat penilai, oldest submission "
        "first."
    )
    async def skp_untuk_disetujui(
        self, info: Info, first: First = DEFAULT_FIRST, after: After = None
    ) -> SkpConnection:
        await ensure_allowed(info, Operation.REVIEW_SKP, info.context.pegawai_id or -1)
        query = models.Skp.filter(
            penilai_pegawai_id=info.context.pegawai_id, status=StatusSkp.DIAJUKAN
        )
        return await conn.of_query(
            info, SKP_UNTUK_DISETUJUI, query, first, after, Skp.from_model, SkpConnection
        )

    @strawberry.field(
        description="Coverage of a superior's RHK by their direct subordinates for a year, "
        "with the matriks peran hasil. Default: my own."
    )
    async def cakupan_cascade(
        self,
        info: Info,
        tahun: Annotated[int, strawberry.argument(description="The SKP year.")],
        nip: Annotated[
            str | None,
            strawberry.argument(
                description="The superior's NIP; null: the caller. An unknown NIP gives null."
            ),
        ] = None,
        tanggal: Annotated[
            date | None,
            strawberry.argument(
                description="The day whose subordinates count (ISO date); default today in "
                "the instansi's time zone."
            ),
        ] = None,
    ) -> CakupanCascade | None:
        check_tahun(tahun)
        superior_id = info.context.pegawai_id
        if nip is not None:
            superior_id = await models.Pegawai.get_or_none(nip=nip).values_list("id", flat=True)
            if superior_id is None:
                return None
        await ensure_allowed(info, Operation.READ_SKP, superior_id or -1)
        if superior_id is None:
            return None
        on = await tanggal_atau_hari_ini(info, tanggal)
        return CakupanCascade.of(await coverage(superior_id, tahun, on))

    @strawberry.field(
        description="The RHK templates of a jabatan.",
        permission_classes=[require(Operation.READ_DIRECTORY)],
    )
    async def templat_rhk(
        self, jabatan_id: Annotated[strawberry.ID, strawberry.argument(description="The jabatan.")]
    ) -> list[RhkTemplateType]:
        jabatan = parse_id(jabatan_id, "jabatanId", "Jabatan")
        rows = await models.RhkTemplate.filter(jabatan_id=jabatan).order_by("urutan")
        return [RhkTemplateType.from_model(row) for row in rows]

    @strawberry.field(
        description="The 7 BerAKHLAK values and their behaviour guides.",
        permission_classes=[require(Operation.READ_INSTANSI)],
    )
    def berakhlak(self) -> list[PerilakuKerja]:
        return perilaku_list({})

    @strawberry.field(
        description="The evaluation windows of a year under this instansi's cadence.",
        permission_classes=[require(Operation.READ_INSTANSI)],
    )
    async def periode_evaluasi(
        self, tahun: Annotated[int, strawberry.argument(description="The year, 2000 to 2100.")]
    ) -> list[PeriodeEvaluasi]:
        found = windows(check_tahun(tahun), await kadensi_of(tahun))
        return [
            PeriodeEvaluasi(kode=w.kode, nama=w.nama, awal=w.awal, akhir=w.akhir) for w in found
        ]
