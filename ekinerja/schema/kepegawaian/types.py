"""GraphQL types of the kepegawaian domain. Plain fields resolve synchronously from the loaded
row; anything that needs another row goes through a per-request DataLoader."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.kepegawaian import enums
from ekinerja.kepegawaian.atasan import Penilai, PenilaiRule, RantaiAtasan
from ekinerja.kepegawaian.golongan import pangkat
from ekinerja.kepegawaian.units import UnitAt
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid
from ekinerja.schema.kepegawaian import dataloaders as dl
from ekinerja.schema.node import Node
from ekinerja.schema.permissions import require
from ekinerja.schema.tanggal import tanggal_atau_hari_ini

# Rank, status, history, superiors and subordinates: own, subordinates', admins' (policy.py).
_personnel = [require(Operation.READ_PERSONNEL, target=lambda pegawai: int(pegawai.id))]

_J = enums.JenisKepegawaian
JenisKepegawaian = described_enum(
    enums.JenisKepegawaian,
    description="Jenis kepegawaian: the kind of civil servant (ASN = PNS + PPPK).",
    values={
        _J.PNS: "PNS (Pegawai Negeri Sipil): a permanent civil servant.",
        _J.PPPK: "PPPK (Pegawai Pemerintah dengan Perjanjian Kerja): a contract civil servant, "
        "extended on performance.",
        _J.PPPK_PARUH_WAKTU: "PPPK paruh waktu: a part-time contract civil servant.",
    },
)
_S = enums.StatusPegawai
StatusPegawai = described_enum(
    enums.StatusPegawai,
    description="Status pegawai: the pegawai's employment state.",
    values={
        _S.AKTIF: "Aktif: in service.",
        _S.CLTN: "CLTN (cuti di luar tanggungan negara): on unpaid leave.",
        _S.DIBERHENTIKAN_SEMENTARA: "Diberhentikan sementara: suspended.",
        _S.PENSIUN: "Pensiun: retired.",
        _S.BERHENTI: "Berhenti: has left the service.",
        _S.MENINGGAL: "Meninggal: deceased.",
    },
)
JenisKelamin = described_enum(
    enums.JenisKelamin,
    description="Jenis kelamin: sex, as recorded (also encoded in the NIP).",
    values={
        enums.JenisKelamin.LAKI_LAKI: "Laki-laki: male.",
        enums.JenisKelamin.PEREMPUAN: "Perempuan: female.",
    },
)
_JJ = enums.JenisJabatan
JenisJabatan = described_enum(
    enums.JenisJabatan,
    description="Jenis jabatan: the kind of position. The three JPT kinds use the JPT SKP "
    "form, the others JA_JF.",
    values={
        _JJ.JPT_UTAMA: "JPT (Jabatan Pimpinan Tinggi) utama: the highest senior executive "
        "(e.g. a head of a national agency).",
        _JJ.JPT_MADYA: "JPT madya: senior executive, ≈ the former eselon I.",
        _JJ.JPT_PRATAMA: "JPT pratama: senior executive, ≈ the former eselon II.",
        _JJ.ADMINISTRATOR: "Administrator: ≈ the former eselon III.",
        _JJ.PENGAWAS: "Pengawas (supervisor): ≈ the former eselon IV.",
        _JJ.PELAKSANA: "Pelaksana (executor): staff.",
        _JJ.FUNGSIONAL: "Fungsional: a functional (expert or skilled) career position, with a "
        "jenjang.",
    },
)
_JF = enums.JenjangFungsional
JenjangFungsional = described_enum(
    enums.JenjangFungsional,
    description="Jenjang fungsional: the level of a functional position; it sets the angka kredit "
    "koefisien. Keahlian (expert) levels AHLI_*, keterampilan (skilled) levels PEMULA to "
    "PENYELIA.",
    values={
        _JF.AHLI_PERTAMA: "Ahli pertama: first expert level.",
        _JF.AHLI_MUDA: "Ahli muda: junior expert level.",
        _JF.AHLI_MADYA: "Ahli madya: middle expert level.",
        _JF.AHLI_UTAMA: "Ahli utama: senior expert level.",
        _JF.PEMULA: "Pemula: beginner skilled level.",
        _JF.TERAMPIL: "Terampil: skilled level.",
        _JF.MAHIR: "Mahir: advanced skilled level.",
        _JF.PENYELIA: "Penyelia: supervising skilled level.",
    },
)
JenisPenugasan = described_enum(
    enums.JenisPenugasan,
    description="Jenis penugasan: how a pegawai holds a jabatan.",
    values={
        enums.JenisPenugasan.DEFINITIF: "Definitif: holds the position.",
        enums.JenisPenugasan.PLT: "PLT (pelaksana tugas): acting in a vacant position.",
        enums.JenisPenugasan.PLH: "PLH (pelaksana harian): standing in during the holder's "
        "day-to-day absence.",
    },
)
_R = PenilaiRule
AturanPenilai = described_enum(
    PenilaiRule,
    description="Which rule decided who the pejabat penilai is (decision 0004), in the order "
    "they are tried.",
    values={
        _R.OVERRIDE: "An admin instansi's pengecualian atasan (override) for this pegawai, in "
        "force on the date.",
        _R.POSITION_OVERRIDE: "The explicit superior position set on the pegawai's jabatan.",
        _R.UNIT_HEAD: "The head of the pegawai's unit or, for a unit head, of the nearest unit "
        "above.",
        _R.ACTING: "The superior position has no definitive holder: its PLT, else its PLH.",
        _R.VACANCY_WALKED_UP: "The superior position is vacant: walked up to its own superior "
        "position.",
        _R.EXTERNAL: "Above the top position: the NON_ASN official recorded on it (e.g. a "
        "Bupati), outside the system.",
        _R.NONE: "Nobody: no position held on the date, or none above and no external "
        "official recorded.",
    },
    name="AturanPenilai",
)


class StatusPenilai(StrEnum):
    ASN = "ASN"
    NON_ASN = "NON_ASN"


described_enum(
    StatusPenilai,
    description="SIASN's statusPenilai: inside the civil service or not.",
    values={
        StatusPenilai.ASN: "A civil servant (ASN), a pegawai here.",
        StatusPenilai.NON_ASN: "Not a civil servant: a political official (Bupati, Gubernur, "
        "Menteri) appraising the top JPT.",
    },
)


_TANGGAL = "The day to read as of (ISO date); default today in the instansi's time zone."


@strawberry.type(description="A unit of the organisation (UNOR) as it was on `tanggal`.")
class UnitKerja(Node):
    id: strawberry.ID = strawberry.field(description="The unit's id.")
    siasn_id: str | None = strawberry.field(
        description="The unit's id in SIASN (ref-unor); null when not known."
    )
    nama: str = strawberry.field(description="The unit's name on `tanggal`.")
    aktif: bool = strawberry.field(
        description="Whether the unit is active on `tanggal` (an inactive one is kept for history)."
    )
    tanggal: date = strawberry.field(description="The date this view of the unit is for.")
    parent_id: strawberry.Private[int | None]

    @classmethod
    def at(cls, unit: UnitAt, on: date) -> UnitKerja:
        return cls(
            id=gid("UnitKerja", unit.id),
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

    @strawberry.field(description="The unit above on `tanggal`; null for a root unit.")
    async def induk(self, info: Info) -> UnitKerja | None:
        if self.parent_id is None:
            return None
        unit = await info.context.loader(dl.unit_at).load((self.parent_id, self.tanggal))
        return UnitKerja.at(unit, self.tanggal) if unit else None

    @strawberry.field(description="The units directly below on `tanggal`.")
    async def anak(self, info: Info) -> list[UnitKerja]:
        found = await info.context.loader(dl.children_at).load(self.key)
        return [UnitKerja.at(unit, self.tanggal) for unit in found]

    @strawberry.field(description="From the root down to the parent.")
    async def leluhur(self, info: Info) -> list[UnitKerja]:
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
    id: strawberry.ID = strawberry.field(description="The jabatan's id.")
    nama: str = strawberry.field(description="The position's name.")
    jenis: JenisJabatan = strawberry.field(description="Jenis jabatan: the kind of position.")
    jenjang: JenjangFungsional | None = strawberry.field(
        description="Jenjang of a FUNGSIONAL position; null for the other kinds."
    )
    kepala_unit: bool = strawberry.field(
        description="Kepala unit: whether this position heads its unit."
    )
    unit_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, jabatan: models.Jabatan) -> Jabatan:
        return cls(
            id=gid("Jabatan", jabatan.id),
            nama=jabatan.nama,
            jenis=jabatan.jenis,
            jenjang=jabatan.jenjang,
            kepala_unit=jabatan.kepala_unit,
            unit_id=jabatan.unit_id,
        )

    @strawberry.field(description="The unit the position belongs to, as it was on `tanggal`.")
    async def unit(
        self,
        info: Info,
        tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
    ) -> UnitKerja | None:
        on = await tanggal_atau_hari_ini(info, tanggal)
        unit = await info.context.loader(dl.unit_at).load((self.unit_id, on))
        return UnitKerja.at(unit, on) if unit else None


@strawberry.type(description="A pegawai's assignment to a position over a period.")
class Penugasan:
    jenis: JenisPenugasan = strawberry.field(
        description="Definitif, PLT (acting) or PLH (standing in)."
    )
    berlaku_mulai: date = strawberry.field(description="First day of the assignment.")
    berlaku_sampai: date | None = strawberry.field(description="Exclusive; null while current.")
    nomor_sk: str | None = strawberry.field(
        description="Number of the SK (Surat Keputusan, the appointing decree); null when not "
        "recorded."
    )
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

    @strawberry.field(description="The position assigned.")
    async def jabatan(self, info: Info) -> Jabatan:
        return Jabatan.from_model(await info.context.loader(dl.jabatan_by_id).load(self.jabatan_id))


@strawberry.type(description="A resolved appraiser and why it is this one.")
class PenilaiKinerja:
    rule: AturanPenilai = strawberry.field(description="The rule that decided it.", name="aturan")
    explanation: list[str] = strawberry.field(
        description="The steps that led to this answer, in order, as English sentences for "
        "people (not for parsing).",
        name="penjelasan",
    )
    status_penilai: StatusPenilai | None = strawberry.field(
        description="ASN for a pegawai, NON_ASN for an official outside the system; null when "
        "there is nobody (rule NONE)."
    )
    nama_eksternal: str | None = strawberry.field(description="For a penilai outside the system.")
    jabatan_eksternal: str | None = strawberry.field(
        description="The position of a penilai outside the system (e.g. Bupati); null otherwise."
    )
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

    @strawberry.field(description="The appraiser when a pegawai; null when outside the system.")
    async def pegawai(self, info: Info) -> Pegawai | None:
        return await load_pegawai(info, self.pegawai_id)


@strawberry.type(description="Pejabat penilai and atasan pejabat penilai on a date.")
class RantaiAtasanKinerja:
    tanggal: date = strawberry.field(description="The day this chain is for.")
    pejabat_penilai: PenilaiKinerja = strawberry.field(
        description="Pejabat penilai kinerja: the appraiser, who approves the SKP, gives "
        "feedback and rates."
    )
    atasan_pejabat_penilai: PenilaiKinerja | None = strawberry.field(
        description="Atasan pejabat penilai: the appraiser's superior, who hears a keberatan; "
        "null when the penilai is outside the system or nobody."
    )

    @classmethod
    def from_resolution(cls, chain: RantaiAtasan, on: date) -> RantaiAtasanKinerja:
        above = chain.atasan_pejabat_penilai
        return cls(
            tanggal=on,
            pejabat_penilai=PenilaiKinerja.from_resolution(chain.pejabat_penilai),
            atasan_pejabat_penilai=PenilaiKinerja.from_resolution(above) if above else None,
        )


@strawberry.type(description="A civil servant (PNS or PPPK).")
class Pegawai(Node):
    id: strawberry.ID = strawberry.field(description="The pegawai's id.")
    nip: str = strawberry.field(description="NIP (PNS) or NI PPPK.")
    nama: str = strawberry.field(description="Name without gelar.")
    gelar_depan: str | None = strawberry.field(
        description="Gelar depan: academic or professional titles before the name; null if none."
    )
    gelar_belakang: str | None = strawberry.field(
        description="Gelar belakang: titles after the name; null if none."
    )
    jenis_kepegawaian: JenisKepegawaian = strawberry.field(description="PNS or PPPK.")
    row: strawberry.Private[models.Pegawai]

    @classmethod
    def from_model(cls, pegawai: models.Pegawai) -> Pegawai:
        return cls(
            id=gid("Pegawai", pegawai.id),
            nip=pegawai.nip,
            nama=pegawai.nama,
            gelar_depan=pegawai.gelar_depan,
            gelar_belakang=pegawai.gelar_belakang,
            jenis_kepegawaian=pegawai.jenis_kepegawaian,
            row=pegawai,
        )

    # Personnel fields: nullable, so a refusal blanks only the field, not the whole list.

    @strawberry.field(
        description="Golongan (rank): ruang I/a … IV/e for PNS, I … XVII for PPPK. Null when "
        "not recorded, or for whoever may not read personnel data (pegawai:personnel: the "
        "pegawai, their superiors, admins, API clients with pegawai:read).",
        permission_classes=_personnel,
    )
    def golongan(self) -> str | None:
        return self.row.golongan

    @strawberry.field(
        description="Pangkat: the rank title of a PNS golongan (e.g. Penata Muda for III/a); "
        "null for PPPK, without golongan, or without pegawai:personnel.",
        permission_classes=_personnel,
    )
    def pangkat(self) -> str | None:
        return pangkat(self.row.golongan)

    @strawberry.field(
        description="Status pegawai: the employment state; null without pegawai:personnel.",
        permission_classes=_personnel,
    )
    def status(self) -> StatusPegawai | None:
        return self.row.status

    @strawberry.field(
        description="Jenis kelamin (sex); null when not recorded or without pegawai:personnel.",
        permission_classes=_personnel,
    )
    def jenis_kelamin(self) -> JenisKelamin | None:
        return self.row.jenis_kelamin

    @strawberry.field(description="Name with gelar, as printed on documents.")
    def nama_lengkap(self) -> str:
        front = f"{self.gelar_depan} " if self.gelar_depan else ""
        back = f", {self.gelar_belakang}" if self.gelar_belakang else ""
        return f"{front}{self.nama}{back}"

    @strawberry.field(description="The position held on `tanggal` (default today).")
    async def jabatan(
        self,
        info: Info,
        tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
    ) -> Penugasan | None:
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
    async def atasan(
        self,
        info: Info,
        tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
    ) -> RantaiAtasanKinerja | None:
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
        first: First = DEFAULT_FIRST,
        after: After = None,
        tanggal: Annotated[date | None, strawberry.argument(description=_TANGGAL)] = None,
        semua: Annotated[
            bool,
            strawberry.argument(
                description="false: those appraised directly; true: everyone below in the "
                "units this pegawai heads."
            ),
        ] = False,
    ) -> PegawaiConnection | None:
        # Imported here: resolvers build these types, so a module-level import would cycle.
        from ekinerja.schema.kepegawaian.resolvers import resolve_bawahan

        on = await tanggal_atau_hari_ini(info, tanggal)
        return await resolve_bawahan(info, int(self.id), first, after, on, semua)


PegawaiConnection = Connection[Pegawai]


async def load_pegawai(info: Info, pegawai_id: int | None) -> Pegawai | None:
    if pegawai_id is None:
        return None
    found = await info.context.loader(dl.pegawai_by_id).load(pegawai_id)
    return Pegawai.from_model(found) if found else None
