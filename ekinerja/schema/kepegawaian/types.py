"""GraphQL types of the kepegawaian domain. Plain fields resolve synchronously from the loaded
row; anything that needs another row goes through a per-request DataLoader."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian import enums
from ekinerja.kepegawaian.golongan import pangkat
from ekinerja.kepegawaian.superiors import Penilai, PenilaiRule, RantaiAtasan
from ekinerja.kepegawaian.units import UnitAt
from ekinerja.models import tenant as models
from ekinerja.schema.context import Info
from ekinerja.schema.kepegawaian import dataloaders as dl
from ekinerja.schema.permissions import require
from ekinerja.schema.tanggal import tanggal_atau_hari_ini

# Rank, status, history, superiors and subordinates: own, subordinates', admins' (policy.py).
_personnel = [require(Operation.READ_PERSONNEL, target=lambda pegawai: int(pegawai.id))]

JenisKepegawaian = strawberry.enum(enums.JenisKepegawaian)
StatusPegawai = strawberry.enum(enums.StatusPegawai)
JenisKelamin = strawberry.enum(enums.JenisKelamin)
JenisJabatan = strawberry.enum(enums.JenisJabatan)
JenjangFungsional = strawberry.enum(enums.JenjangFungsional)
JenisPenugasan = strawberry.enum(
    enums.JenisPenugasan, description="DEFINITIF holds the position; PLT and PLH act in it."
)
AturanPenilai = strawberry.enum(
    PenilaiRule, name="PenilaiRule", description="Which rule decided who the penilai is."
)


@strawberry.enum(description="SIASN's statusPenilai: inside the civil service or not.")
class StatusPenilai(StrEnum):
    ASN = "ASN"
    NON_ASN = "NON_ASN"


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class PegawaiEdge:
    cursor: str
    node: Annotated[Pegawai, strawberry.lazy("ekinerja.schema.kepegawaian.types")]


@strawberry.type
class PegawaiConnection:
    edges: list[PegawaiEdge]
    page_info: PageInfo


@strawberry.type(description="A unit of the organisation (UNOR) as it was on `tanggal`.")
class UnitKerja:
    id: strawberry.ID
    siasn_id: str | None
    nama: str
    aktif: bool
    tanggal: date = strawberry.field(description="The date this view of the unit is for.")
    parent_id: strawberry.Private[int | None]

    @classmethod
    def at(cls, unit: UnitAt, on: date) -> UnitKerja:
        return cls(
            id=strawberry.ID(str(unit.id)),
            siasn_id=unit.siasn_id,
            nama=unit.nama,
            aktif=unit.aktif,
            tanggal=on,
            parent_id=unit.parent_id,
        )

    @property
    def key(self) -> tuple[int, date]:
        return int(self.id), self.tanggal

    @strawberry.field(description="1 for a root unit.")
    async def level(self, info: Info) -> int:
        return len(await info.context.loader(dl.ancestors_at).load(self.key)) + 1

    @strawberry.field
    async def parent(self, info: Info) -> UnitKerja | None:
        if self.parent_id is None:
            return None
        unit = await info.context.loader(dl.unit_at).load((self.parent_id, self.tanggal))
        return UnitKerja.at(unit, self.tanggal) if unit else None

    @strawberry.field
    async def children(self, info: Info) -> list[UnitKerja]:
        found = await info.context.loader(dl.children_at).load(self.key)
        return [UnitKerja.at(unit, self.tanggal) for unit in found]

    @strawberry.field(description="From the root down to the parent.")
    async def ancestors(self, info: Info) -> list[UnitKerja]:
        found = await info.context.loader(dl.ancestors_at).load(self.key)
        return [UnitKerja.at(unit, self.tanggal) for unit in found]

    @strawberry.field(description="Pegawai with a definitive position in this unit.")
    async def jumlah_pegawai(self, info: Info) -> int:
        return await info.context.loader(dl.headcount_at).load(self.key)

    @strawberry.field(description="Pegawai in this unit and every unit below it.")
    async def jumlah_pegawai_total(self, info: Info) -> int:
        return await info.context.loader(dl.subtree_headcount_at).load(self.key)

    @strawberry.field(description="Who heads the unit (definitive, else Plt, else Plh).")
    async def kepala(self, info: Info) -> Pegawai | None:
        pegawai_id = await info.context.loader(dl.unit_head_at).load(self.key)
        return await load_pegawai(info, pegawai_id)


@strawberry.type(description="A position in a unit.")
class Jabatan:
    id: strawberry.ID
    nama: str
    jenis: JenisJabatan
    jenjang: JenjangFungsional | None
    kepala_unit: bool
    unit_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, jabatan: models.Jabatan) -> Jabatan:
        return cls(
            id=strawberry.ID(str(jabatan.id)),
            nama=jabatan.nama,
            jenis=jabatan.jenis,
            jenjang=jabatan.jenjang,
            kepala_unit=jabatan.kepala_unit,
            unit_id=jabatan.unit_id,
        )

    @strawberry.field
    async def unit(self, info: Info, tanggal: date | None = None) -> UnitKerja | None:
        on = await tanggal_atau_hari_ini(info, tanggal)
        unit = await info.context.loader(dl.unit_at).load((self.unit_id, on))
        return UnitKerja.at(unit, on) if unit else None


@strawberry.type(description="A pegawai's assignment to a position over a period.")
class Penugasan:
    jenis: JenisPenugasan
    berlaku_mulai: date
    berlaku_sampai: date | None = strawberry.field(description="Exclusive; null while current.")
    nomor_sk: str | None
    jabatan_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, penugasan: models.Penugasan) -> Penugasan:
        return cls(
            jenis=penugasan.jenis,
            berlaku_mulai=penugasan.berlaku_mulai,
            berlaku_sampai=penugasan.berlaku_sampai,
            nomor_sk=penugasan.nomor_sk,
            jabatan_id=penugasan.jabatan_id,
        )

    @strawberry.field
    async def jabatan(self, info: Info) -> Jabatan:
        return Jabatan.from_model(await info.context.loader(dl.jabatan_by_id).load(self.jabatan_id))


@strawberry.type(description="A resolved appraiser and why it is this one.")
class PenilaiKinerja:
    rule: AturanPenilai
    explanation: list[str]
    status_penilai: StatusPenilai | None
    nama_eksternal: str | None = strawberry.field(description="For a penilai outside the system.")
    jabatan_eksternal: str | None
    pegawai_id: strawberry.Private[int | None]

    @classmethod
    def from_resolution(cls, penilai: Penilai) -> PenilaiKinerja:
        status = None
        if penilai.pegawai_id is not None:
            status = StatusPenilai.ASN
        elif penilai.is_external:
            status = StatusPenilai.NON_ASN
        return cls(
            rule=penilai.rule,
            explanation=list(penilai.explanation),
            status_penilai=status,
            nama_eksternal=penilai.nama_eksternal,
            jabatan_eksternal=penilai.jabatan_eksternal,
            pegawai_id=penilai.pegawai_id,
        )

    @strawberry.field
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.pegawai_id)


@strawberry.type(description="Pejabat penilai and atasan pejabat penilai on a date.")
class RantaiAtasanKinerja:
    tanggal: date
    pejabat_penilai: PenilaiKinerja
    atasan_pejabat_penilai: PenilaiKinerja | None

    @classmethod
    def from_resolution(cls, chain: RantaiAtasan, on: date) -> RantaiAtasanKinerja:
        above = chain.atasan_pejabat_penilai
        return cls(
            tanggal=on,
            pejabat_penilai=PenilaiKinerja.from_resolution(chain.pejabat_penilai),
            atasan_pejabat_penilai=PenilaiKinerja.from_resolution(above) if above else None,
        )


@strawberry.type(description="A civil servant (PNS or PPPK).")
class Pegawai:
    id: strawberry.ID
    nip: str = strawberry.field(description="NIP (PNS) or NI PPPK.")
    nama: str
    gelar_depan: str | None
    gelar_belakang: str | None
    jenis_kepegawaian: JenisKepegawaian
    row: strawberry.Private[models.Pegawai]

    @classmethod
    def from_model(cls, pegawai: models.Pegawai) -> Pegawai:
        return cls(
            id=strawberry.ID(str(pegawai.id)),
            nip=pegawai.nip,
            nama=pegawai.nama,
            gelar_depan=pegawai.gelar_depan,
            gelar_belakang=pegawai.gelar_belakang,
            jenis_kepegawaian=pegawai.jenis_kepegawaian,
            row=pegawai,
        )

    # Personnel fields: nullable, so a refusal blanks only the field, not the whole list.

    @strawberry.field(permission_classes=_personnel)
    def golongan(self) -> str | None:
        return self.row.golongan

    @strawberry.field(permission_classes=_personnel)
    def pangkat(self) -> str | None:
        return pangkat(self.row.golongan)

    @strawberry.field(permission_classes=_personnel)
    def status(self) -> StatusPegawai | None:
        return self.row.status

    @strawberry.field(permission_classes=_personnel)
    def jenis_kelamin(self) -> JenisKelamin | None:
        return self.row.jenis_kelamin

    @strawberry.field(description="Name with gelar, as printed on documents.")
    def nama_lengkap(self) -> str:
        front = f"{self.gelar_depan} " if self.gelar_depan else ""
        back = f", {self.gelar_belakang}" if self.gelar_belakang else ""
        return f"{front}{self.nama}{back}"

    @strawberry.field(description="The position held on `tanggal` (default today).")
    async def jabatan(self, info: Info, tanggal: date | None = None) -> Penugasan | None:
        on = await tanggal_atau_hari_ini(info, tanggal)
        found = await info.context.loader(dl.penugasan_at).load((int(self.id), on))
        return Penugasan.from_model(found) if found else None

    @strawberry.field(description="Every assignment, newest first.", permission_classes=_personnel)
    async def riwayat_jabatan(self, info: Info) -> list[Penugasan] | None:
        found = await info.context.loader(dl.riwayat_penugasan).load(int(self.id))
        return [Penugasan.from_model(p) for p in found]

    @strawberry.field(
        description="Who appraises this pegawai on `tanggal`, and why.",
        permission_classes=_personnel,
    )
    async def atasan(self, info: Info, tanggal: date | None = None) -> RantaiAtasanKinerja | None:
        on = await tanggal_atau_hari_ini(info, tanggal)
        chain = await info.context.loader(dl.rantai_atasan_at).load((int(self.id), on))
        return RantaiAtasanKinerja.from_resolution(chain, on)

    @strawberry.field(
        description="Subordinates on `tanggal`: those this pegawai appraises directly, or with "
        "`semua` everyone below them in the units they head.",
        permission_classes=_personnel,
    )
    async def bawahan(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        tanggal: date | None = None,
        semua: bool = False,
    ) -> PegawaiConnection | None:
        # Imported here: resolvers build these types, so a module-level import would cycle.
        from ekinerja.schema.kepegawaian.resolvers import resolve_bawahan

        on = await tanggal_atau_hari_ini(info, tanggal)
        return await resolve_bawahan(info, int(self.id), first, after, on, semua)


async def load_pegawai(info: Info, pegawai_id: int | None) -> Pegawai | None:
    if pegawai_id is None:
        return None
    found = await info.context.loader(dl.pegawai_by_id).load(pegawai_id)
    return Pegawai.from_model(found) if found else None
