"""GraphQL types of cascade coverage and the matriks peran hasil."""

from __future__ import annotations

import strawberry

from ekinerja.schema.context import Info
from ekinerja.schema.ids import gid
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.skp import dataloaders as dl
from ekinerja.schema.skp.types import Rhk, Skp, StatusSkp
from ekinerja.skp import cakupan as service
from ekinerja.skp.enums import StatusSkp as StatusSkpEnum
from ekinerja.skp.revisi_links import PETUNJUK, StatusIntervensi


async def _rhk(info: Info, rhk_id: int) -> Rhk:
    return Rhk.from_model(await info.context.loader(dl.rhk_by_id).load(rhk_id))


async def _rhks(info: Info, rhk_ids: list[int]) -> list[Rhk]:
    """All at once: awaiting loads one by one would cost a query each."""
    rows = await info.context.loader(dl.rhk_by_id).load_many(rhk_ids)
    return [Rhk.from_model(row) for row in rows if row is not None]


@strawberry.type(description="One of the superior's RHK and who intervenes it.")
class CakupanRhk:
    jumlah_intervensi: int = strawberry.field(
        description="How many subordinates' RHK intervene it."
    )
    data: strawberry.Private[service.RhkCoverage]

    @strawberry.field(description="The superior's RHK.")
    async def rhk(self, info: Info) -> Rhk:
        return await _rhk(info, self.data.rhk_id)

    @strawberry.field(description="The subordinates' RHK intervening it.")
    async def diintervensi_oleh(self, info: Info) -> list[Rhk]:
        return await _rhks(info, [rhk_id for _, rhk_id in self.data.intervened_by])


@strawberry.type(description="A direct subordinate's SKP as far as the cascade goes.")
class CakupanBawahan:
    unit: str | None = strawberry.field(
        description="Name of the subordinate's unit (definitive position on the date); null "
        "without one."
    )
    status_skp: StatusSkp | None = strawberry.field(description="Null: no SKP for the year.")
    jumlah_rhk: int = strawberry.field(description="RHK in their SKP.")
    rhk_tidak_terhubung: int = strawberry.field(
        description="RHK intervening none of the superior's RHK."
    )
    data: strawberry.Private[service.SubordinateCoverage]

    @strawberry.field(description="The subordinate.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.data.pegawai_id)

    @strawberry.field(description="Their SKP for the year; null when they have none.")
    async def skp(self, info: Info) -> Skp | None:
        if self.data.skp_id is None:
            return None
        return Skp.from_model(await info.context.loader(dl.skp_by_id).load(self.data.skp_id))


@strawberry.type(description="Coverage of the subordinates in one unit.")
class CakupanUnit:
    unit: str | None = strawberry.field(
        description="The unit's name; null for subordinates without a unit."
    )
    jumlah_bawahan: int = strawberry.field(description="Subordinates in the unit.")
    skp_disetujui: int = strawberry.field(description="Of them, with an approved SKP.")
    persen_disetujui: float = strawberry.field(
        description="skpDisetujui of jumlahBawahan, in percent (0 to 100, one decimal)."
    )


@strawberry.type(description="What one subordinate delivers for one of the superior's RHK.")
class SelMatriks:
    rhk_atasan_id: strawberry.ID = strawberry.field(description="The superior's RHK (column).")
    rhk_bawahan_ids: list[strawberry.ID] = strawberry.field(
        description="The subordinate's RHK intervening it (the cell).", name="rhkBawahanId"
    )

    @strawberry.field(description="The superior's RHK.")
    async def rhk_atasan(self, info: Info) -> Rhk:
        return await _rhk(info, int(self.rhk_atasan_id))

    @strawberry.field(description="The subordinate's RHK intervening it.")
    async def rhk_bawahan(self, info: Info) -> list[Rhk]:
        return await _rhks(info, [int(i) for i in self.rhk_bawahan_ids])


@strawberry.type(description="A row of the matriks peran hasil: one subordinate.")
class BarisMatriks:
    sel: list[SelMatriks] = strawberry.field(
        description="One cell per superior's RHK this subordinate intervenes."
    )
    pegawai_id: strawberry.Private[int]

    @strawberry.field(description="The subordinate.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.pegawai_id)


@strawberry.type(
    description="A subordinate's RHK still intervening an RHK the superior removed in a "
    "revision (decision 0019): it counts for nothing until re-linked or unlinked."
)
class IntervensiYatim:
    petunjuk: str = strawberry.field(description="What the subordinate has to do.")
    data: strawberry.Private[service.OrphanedLink]

    @strawberry.field(description="The subordinate whose RHK it is.")
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
    persen_rhk_tercakup: float = strawberry.field(
        description="Share of the superior's RHK that at least one subordinate's RHK "
        "intervenes, in percent (0 to 100, one decimal; 0 without RHK)."
    )
    persen_skp_disetujui: float = strawberry.field(
        description="Share of the direct subordinates with an approved SKP, in percent (0 to "
        "100, one decimal; 0 without subordinates)."
    )
    rhk: list[CakupanRhk] = strawberry.field(
        description="Each of the superior's RHK with who intervenes it."
    )
    bawahan: list[CakupanBawahan] = strawberry.field(
        description="Each direct subordinate on the date, by name."
    )
    per_unit: list[CakupanUnit] = strawberry.field(
        description="The subordinates grouped by unit, by unit name."
    )
    matriks_peran_hasil: list[BarisMatriks] = strawberry.field(
        description="Matriks peran hasil (Matriks Pembagian Peran dan Hasil): one row per "
        "subordinate, one cell per superior's RHK they intervene."
    )
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
                            rhk_atasan_id=gid("Rhk", atasan),
                            rhk_bawahan_ids=[gid("Rhk", i) for i in bawahan],
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
