"""GraphQL types of penilaian (assessment)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.models import tenant as models
from ekinerja.pelaksanaan.enums import StatusEvaluasi as StatusEvaluasiEnum
from ekinerja.penilaian import enums, kurva
from ekinerja.penilaian.finalitas import Fakta, ada_atasan, final_dari, is_final
from ekinerja.penilaian.keberatan import kesempatan_dari
from ekinerja.penilaian.periode import LAST_PERIOD, is_annual
from ekinerja.schema.context import Info
from ekinerja.schema.pelaksanaan.types import StatusEvaluasi
from ekinerja.schema.pengaturan_request import pengaturan_request
from ekinerja.schema.penilaian import dataloaders as pdl
from ekinerja.schema.skp import dataloaders as dl

Rating = strawberry.enum(enums.Rating)
PredikatPegawai = strawberry.enum(enums.PredikatPegawai)
PredikatOrganisasi = strawberry.enum(enums.PredikatOrganisasi)
HasilKurva = strawberry.enum(enums.HasilKurva)
StatusKeberatan = strawberry.enum(enums.StatusKeberatan)
HasilKeberatan = strawberry.enum(enums.HasilKeberatan)


def _id(value: int | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type(description="A link attached to a keberatan.")
class LampiranKeberatan:
    nama: str
    tautan: str


@strawberry.type(description="An objection to a fixed evaluation.")
class Keberatan:
    id: strawberry.ID
    evaluasi_id: strawberry.ID
    status: StatusKeberatan
    alasan: str
    lampiran: list[LampiranKeberatan]
    permintaan_penjelasan: str | None
    penjelasan_penilai: str | None
    penjelasan_pegawai: str | None
    hasil: HasilKeberatan | None
    rating_hasil_kerja_baru: Rating | None
    rating_perilaku_baru: Rating | None
    catatan_keputusan: str | None
    diajukan_pada: datetime
    diputus_pada: datetime | None

    @classmethod
    def from_model(cls, row: models.Keberatan) -> Keberatan:
        return cls(
            id=_id(row.id),
            evaluasi_id=_id(row.evaluasi_id),
            status=row.status,
            alasan=row.alasan,
            lampiran=[LampiranKeberatan(nama=a["nama"], tautan=a["tautan"]) for a in row.lampiran],
            permintaan_penjelasan=row.permintaan_penjelasan,
            penjelasan_penilai=row.penjelasan_penilai,
            penjelasan_pegawai=row.penjelasan_pegawai,
            hasil=row.hasil,
            rating_hasil_kerja_baru=row.rating_hasil_kerja_baru,
            rating_perilaku_baru=row.rating_perilaku_baru,
            catatan_keputusan=row.catatan_keputusan,
            diajukan_pada=row.diajukan_pada,
            diputus_pada=row.diputus_pada,
        )


@strawberry.type(description="One step in an evaluation's history.")
class RiwayatEvaluasi:
    aksi: str
    status: StatusEvaluasi
    rating_hasil_kerja: Rating | None
    rating_perilaku: Rating | None
    predikat: PredikatPegawai | None
    catatan: str | None
    oleh: str
    pada: datetime


@strawberry.type(description="Whether the pegawai may still file a keberatan, and until when.")
class KesempatanKeberatan:
    tersedia: bool
    alasan: str | None = strawberry.field(description="Why not, when not.")
    batas: date | None = strawberry.field(description="The last day to file.")


@strawberry.type(description="An SKP's evaluation for one window or the year (YYYY-THN).")
class EvaluasiPeriodik:
    id: strawberry.ID
    skp_id: strawberry.ID
    periode: str
    status: StatusEvaluasi
    rating_hasil_kerja: Rating | None
    rating_perilaku: Rating | None
    predikat: PredikatPegawai | None = strawberry.field(
        description="Derived from the two ratings by the matrix (docs/domain.md 5.2)."
    )
    catatan_pegawai: str | None
    catatan_penilai: str | None
    unit_id: strawberry.ID | None
    jenjang: str | None
    diajukan_pada: datetime | None
    dinilai_pada: datetime | None
    ditetapkan_pada: datetime | None
    lock_version: int
    row: strawberry.Private[models.EvaluasiPeriodik]

    @classmethod
    def from_model(cls, row: models.EvaluasiPeriodik) -> EvaluasiPeriodik:
        return cls(
            id=_id(row.id),
            skp_id=_id(row.skp_id),
            periode=row.periode,
            status=row.status,
            rating_hasil_kerja=row.rating_hasil_kerja,
            rating_perilaku=row.rating_perilaku,
            predikat=row.predikat,
            catatan_pegawai=row.catatan_pegawai,
            catatan_penilai=row.catatan_penilai,
            unit_id=_id(row.unit_id),
            jenjang=row.jenjang,
            diajukan_pada=row.diajukan_pada,
            dinilai_pada=row.dinilai_pada,
            ditetapkan_pada=row.ditetapkan_pada,
            lock_version=row.lock_version,
            row=row,
        )

    @strawberry.field
    def predikat_label(self) -> str | None:
        return self.row.predikat.label if self.row.predikat else None

    @strawberry.field(description="The keberatan filed against it, if any.")
    async def keberatan(self, info: Info) -> Keberatan | None:
        found = await info.context.loader(pdl.keberatan_of_evaluasi).load(self.row.id)
        return Keberatan.from_model(found[0]) if found else None

    @strawberry.field
    async def kesempatan_keberatan(self, info: Info) -> KesempatanKeberatan:
        skp = await info.context.loader(dl.skp_by_id).load(self.row.skp_id)
        filed = await info.context.loader(pdl.keberatan_of_evaluasi).load(self.row.id)
        settings = await pengaturan_request(info)
        zone = settings.zona_waktu
        derived = await self._follows_last_window(info)
        chance = kesempatan_dari(
            self.row,
            ada_atasan(skp),
            bool(filed),
            settings.batas_hari_keberatan,
            tanggal_di(zone),
            zone,
            derived,
        )
        return KesempatanKeberatan(
            tersedia=chance.tersedia, alasan=chance.alasan, batas=chance.batas
        )

    @strawberry.field(
        description="The predikat can no longer change: fixed, and no keberatan is possible "
        "any more or one was decided. Angka kredit and SIASN use final results only."
    )
    async def final(self, info: Info) -> bool:
        """`penilaian.finalitas`, from facts loaded in batches (the annual copy of the last
        window loads that window's facts itself)."""
        if self.row.status is not StatusEvaluasiEnum.DITETAPKAN:
            return False
        skp = await info.context.loader(dl.skp_by_id).load(self.row.skp_id)
        if await self._follows_last_window(info):
            return await is_final(self.row, skp)
        filed = await info.context.loader(pdl.keberatan_of_evaluasi).load(self.row.id)
        settings = await pengaturan_request(info)
        zone = settings.zona_waktu
        return final_dari(
            Fakta.of(self.row, filed[0].status if filed else None),
            ada_atasan(skp),
            settings.batas_hari_keberatan,
            tanggal_di(zone),
            zone,
        )

    async def _follows_last_window(self, info: Info) -> bool:
        """The annual copy of the year's last window (LAST_PERIOD): no keberatan of its own."""
        return (
            is_annual(self.row.periode)
            and (await pengaturan_request(info)).kebijakan_tahunan == LAST_PERIOD
        )

    @strawberry.field(description="Every step, the original ratings included.")
    async def riwayat(self, info: Info) -> list[RiwayatEvaluasi]:
        rows = await info.context.loader(pdl.riwayat_of_evaluasi).load(self.row.id)
        return [
            RiwayatEvaluasi(
                aksi=r.aksi,
                status=r.status,
                rating_hasil_kerja=r.rating_hasil_kerja,
                rating_perilaku=r.rating_perilaku,
                predikat=r.predikat,
                catatan=r.catatan,
                oleh=r.oleh,
                pada=r.created_at,
            )
            for r in rows
        ]


@strawberry.type(description="A curve rule the distribution breaks.")
class PelanggaranKurva:
    kode: str
    keterangan: str
    pesan: str
    jumlah: int
    batas: int


@strawberry.type(description="How many pegawai have a predikat.")
class JumlahPredikat:
    predikat: PredikatPegawai
    jumlah: int


@strawberry.type(description="The distribution checked against the curve.")
class PemeriksaanKurva:
    hasil: HasilKurva
    total: int
    pelanggaran: list[PelanggaranKurva]

    @classmethod
    def of(cls, result: kurva.HasilPemeriksaan) -> PemeriksaanKurva:
        return cls(
            hasil=result.hasil,
            total=result.total,
            pelanggaran=[
                PelanggaranKurva(
                    kode=v.aturan.kode,
                    keterangan=v.aturan.keterangan,
                    pesan=v.pesan,
                    jumlah=v.jumlah,
                    batas=v.batas,
                )
                for v in result.pelanggaran
            ],
        )


@strawberry.type(description="A unit's results for a period: its predikat, distribution, curve.")
class KinerjaUnit:
    unit_id: strawberry.ID
    periode: str
    predikat: PredikatOrganisasi | None
    catatan: str | None
    distribusi: list[JumlahPredikat]
    pemeriksaan: PemeriksaanKurva | None = strawberry.field(
        description="Against the curve of the unit's predikat: as recorded at penetapan, else "
        "as it would run now. Null while no predikat is set."
    )
    ditetapkan_pada: datetime | None


@strawberry.type(description="One line of the angka kredit ledger.")
class AngkaKreditBaris:
    periode: str
    jenjang: str
    predikat: PredikatPegawai
    bulan: int
    persentase: Decimal
    koefisien: Decimal
    nilai: Decimal


@strawberry.type(description="A jabatan fungsional pegawai's angka kredit.")
class AngkaKreditPegawai:
    baris: list[AngkaKreditBaris]
    jumlah: Decimal


@strawberry.type(description="Where a pegawai of the unit stands in the period's assessment.")
class KelengkapanPegawai:
    pegawai_id: strawberry.ID
    nama: str
    nip: str
    skp_id: strawberry.ID | None
    status: StatusEvaluasi | None = strawberry.field(
        description="Null: no approved SKP for the year."
    )
    predikat: PredikatPegawai | None


@strawberry.type(description="Who has submitted, been rated and been fixed, in one unit.")
class KelengkapanPenilaian:
    unit_id: strawberry.ID
    periode: str
    tanpa_skp: int
    belum_diajukan: int
    diajukan: int
    dinilai: int
    ditetapkan: int
    pegawai: list[KelengkapanPegawai]


@strawberry.type(description="A pegawai's predikat over the years.")
class RiwayatPredikat:
    tahun: int
    periode: str
    predikat: PredikatPegawai | None
    status: StatusEvaluasi
