"""GraphQL types of cascade coverage and the matriks peran hasil."""

from __future__ import annotations

import strawberry

from ekinerja.schema.context import Info
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.skp import dataloaders as dl
from ekinerja.schema.skp.types import Rhk, Skp, StatusSkp
from ekinerja.skp import coverage as service
from ekinerja.skp.enums import StatusSkp as StatusSkpEnum
from ekinerja.skp.revision_links import PETUNJUK, StatusIntervensi


async def _rhk(info: Info, rhk_id: int) -> Rhk:
    return Rhk.from_model(await info.context.loader(dl.rhk_by_id).load(rhk_id))


async def _rhks(info: Info, rhk_ids: list[int]) -> list[Rhk]:
    """All at once: awaiting loads one by one would cost a query each."""
    rows = await info.context.loader(dl.rhk_by_id).load_many(rhk_ids)
    return [Rhk.from_model(row) for row in rows if row is not None]


@strawberry.type(description="One of the superior's RHK and who intervenes it.")
class CakupanRhk:
    jumlah_intervensi: int
    data: strawberry.Private[service.RhkCoverage]

    @strawberry.field
    async def rhk(self, info: Info) -> Rhk:
        return await _rhk(info, self.data.rhk_id)

    @strawberry.field(description="The subordinates' RHK intervening it.")
    async def diintervensi_oleh(self, info: Info) -> list[Rhk]:
        return await _rhks(info, [rhk_id for _, rhk_id in self.data.intervened_by])


@strawberry.type(description="A direct subordinate's SKP as far as the cascade goes.")
class CakupanBawahan:
    unit: str | None
    status_skp: StatusSkp | None = strawberry.field(description="Null: no SKP for the year.")
    jumlah_rhk: int
    rhk_tidak_terhubung: int = strawberry.field(
        description="RHK intervening none of the superior's RHK."
    )
    data: strawberry.Private[service.SubordinateCoverage]

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.data.pegawai_id)

    @strawberry.field
    async def skp(self, info: Info) -> Skp | None:
        if self.data.skp_id is None:
            return None
        return Skp.from_model(await info.context.loader(dl.skp_by_id).load(self.data.skp_id))


@strawberry.type
class CakupanUnit:
    unit: str | None
    jumlah_bawahan: int
    skp_disetujui: int
    persen_disetujui: float


@strawberry.type(description="What one subordinate delivers for one of the superior's RHK.")
class SelMatriks:
    rhk_atasan_id: strawberry.ID
    rhk_bawahan_ids: list[strawberry.ID]

    @strawberry.field
    async def rhk_atasan(self, info: Info) -> Rhk:
        return await _rhk(info, int(self.rhk_atasan_id))

    @strawberry.field
    async def rhk_bawahan(self, info: Info) -> list[Rhk]:
        return await _rhks(info, [int(i) for i in self.rhk_bawahan_ids])


@strawberry.type(description="A row of the matriks peran hasil: one subordinate.")
class BarisMatriks:
    sel: list[SelMatriks]
    pegawai_id: strawberry.Private[int]

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.pegawai_id)


@strawberry.type(
    description="A subordinate's RHK still intervening an RHK the superior removed in a "
    "revision (decision 0019): it counts for nothing until re-linked or unlinked."
)
class IntervensiYatim:
    petunjuk: str = strawberry.field(description="What the subordinate has to do.")
    data: strawberry.Private[service.OrphanedLink]

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.data.pegawai_id)

    @strawberry.field(description="The subordinate's RHK.")
    async def rhk(self, info: Info) -> Rhk:
        return await _rhk(info, self.data.rhk_id)

    @strawberry.field(description="The removed RHK (of the superior's replaced version).")
    async def rhk_dihapus(self, info: Info) -> Rhk:
        return await _rhk(info, self.data.removed_rhk_id)


@strawberry.type(description="How far a superior's RHK are taken up by their subordinates.")
class CakupanCascade:
    persen_rhk_tercakup: float
    persen_skp_disetujui: float
    rhk: list[CakupanRhk]
    bawahan: list[CakupanBawahan]
    per_unit: list[CakupanUnit]
    matriks_peran_hasil: list[BarisMatriks]
    intervensi_yatim: list[IntervensiYatim] = strawberry.field(
        description="Subordinates' links to RHK the superior removed in a revision."
    )
    result: strawberry.Private[service.Coverage]

    @classmethod
    def of(cls, result: service.Coverage) -> CakupanCascade:
        grid = service.matriks(result)
        return cls(
            persen_rhk_tercakup=result.rhk_covered_percent,
            persen_skp_disetujui=result.approved_percent,
            rhk=[CakupanRhk(jumlah_intervensi=len(r.intervened_by), data=r) for r in result.rhk],
            bawahan=[
                CakupanBawahan(
                    unit=s.unit,
                    status_skp=StatusSkpEnum(s.skp_status) if s.skp_status else None,
                    jumlah_rhk=s.rhk_total,
                    rhk_tidak_terhubung=s.rhk_unlinked,
                    data=s,
                )
                for s in result.subordinates
            ],
            per_unit=[
                CakupanUnit(
                    unit=u.unit,
                    jumlah_bawahan=u.subordinates,
                    skp_disetujui=u.approved,
                    persen_disetujui=u.approved_percent,
                )
                for u in result.per_unit()
            ],
            matriks_peran_hasil=[
                BarisMatriks(
                    pegawai_id=pegawai_id,
                    sel=[
                        SelMatriks(
                            rhk_atasan_id=strawberry.ID(str(atasan)),
                            rhk_bawahan_ids=[strawberry.ID(str(i)) for i in bawahan],
                        )
                        for atasan, bawahan in cells.items()
                    ],
                )
                for pegawai_id, cells in grid.items()
            ],
            intervensi_yatim=[
                IntervensiYatim(petunjuk=PETUNJUK[StatusIntervensi.YATIM], data=o)
                for o in result.orphaned
            ],
            result=result,
        )

    @strawberry.field(description="The superior's SKP the coverage is measured against.")
    async def skp_atasan(self, info: Info) -> Skp | None:
        if self.result.superior_skp_id is None:
            return None
        row = await info.context.loader(dl.skp_by_id).load(self.result.superior_skp_id)
        return Skp.from_model(row)

    @strawberry.field(description="The superior's RHK that no subordinate intervenes yet.")
    async def rhk_belum_diintervensi(self, info: Info) -> list[Rhk]:
        return await _rhks(info, [r.rhk_id for r in self.result.uncovered_rhk])
