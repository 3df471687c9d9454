"""GraphQL types of pelaksanaan (execution)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.pelaksanaan import bukti, enums, monitoring, realisasi, rollup, umpan_balik
from ekinerja.schema.context import Info
from ekinerja.schema.pelaksanaan.storage import limits, store_of
from ekinerja.schema.permissions import ensure_allowed, require

StatusEvaluasi = strawberry.enum(enums.StatusEvaluasi)
StatusBukti = strawberry.enum(enums.StatusBukti)
JenisBukti = strawberry.enum(enums.JenisBukti)
SasaranUmpanBalik = strawberry.enum(enums.SasaranUmpanBalik)
StatusRollUp = strawberry.enum(rollup.StatusRollUp)


@strawberry.type(description="Evidence: a confirmed file in storage, or a link.")
class BuktiDukung:
    id: strawberry.ID
    jenis: JenisBukti
    status: StatusBukti
    nama: str
    content_type: str | None
    ukuran: int | None
    sha256: str | None
    sha256_terverifikasi: bool = strawberry.field(
        description="The store hashed the file itself; false: the SHA-256 is the uploader's "
        "declaration (an S3 server without POST checksum support)."
    )
    dikonfirmasi_pada: datetime | None
    row: strawberry.Private[models.BuktiDukung]

    @classmethod
    def from_model(cls, row: models.BuktiDukung) -> BuktiDukung:
        return cls(
            id=strawberry.ID(str(row.id)),
            jenis=row.jenis,
            status=row.status,
            nama=row.nama,
            content_type=row.content_type,
            ukuran=row.ukuran,
            sha256=row.sha256,
            sha256_terverifikasi=row.sha256_terverifikasi,
            dikonfirmasi_pada=row.dikonfirmasi_pada,
            row=row,
        )

    @strawberry.field(
        description="Where to fetch it: a short-lived URL for a file (only for its owner, "
        "their penilai chain and admins), or the link itself."
    )
    async def unduh_url(self, info: Info) -> str | None:
        await ensure_allowed(info, Operation.DOWNLOAD_BUKTI, self.row.pemilik_pegawai_id)
        if self.row.status is not enums.StatusBukti.TERSEDIA:
            return None
        return await bukti.download_url(
            self.row, store_of(info), info.context.instansi.kode, limits(info)
        )


@strawberry.type(description="One entry of the daily log.")
class ProgresHarian:
    id: strawberry.ID
    rencana_aksi_id: strawberry.ID
    periode: str
    tanggal: date
    jam_mulai: time
    jam_selesai: time
    kegiatan: str
    realisasi: int
    satuan: str
    sumber_data: str
    bukti: list[BuktiDukung]

    @classmethod
    def from_model(cls, row: models.ProgresHarian, evidence: list[BuktiDukung]) -> ProgresHarian:
        return cls(
            id=strawberry.ID(str(row.id)),
            rencana_aksi_id=strawberry.ID(str(row.rencana_aksi_id)),
            periode=row.periode,
            tanggal=row.tanggal,
            jam_mulai=row.jam_mulai,
            jam_selesai=row.jam_selesai,
            kegiatan=row.kegiatan,
            realisasi=row.realisasi,
            satuan=row.satuan,
            sumber_data=row.sumber_data,
            bukti=evidence,
        )


@strawberry.type(description="An indikator's realisation in a window, with what helps fill it.")
class RealisasiIndikator:
    indikator_id: strawberry.ID
    rhk_id: strawberry.ID
    aspek: str | None
    target: Decimal | None = strawberry.field(description="The yearly target (upper bound).")
    satuan: str | None
    realisasi_id: strawberry.ID | None
    kuantitas: Decimal | None = strawberry.field(description="Realised in this window.")
    narasi: str | None
    kuantitas_sampai_periode: Decimal | None = strawberry.field(
        description="What counts against the target by the end of this window: the sum of the "
        "windows so far for additive aspects, else this window's value."
    )
    capaian_persen: Decimal | None = strawberry.field(description="Percent of target achieved.")
    saran_kuantitas: Decimal | None = strawberry.field(
        description="Suggested from this window's progres harian in the indikator's satuan."
    )
    jumlah_progres: int = strawberry.field(description="Progres entries on the RHK this window.")
    bukti: list[BuktiDukung]

    @classmethod
    def of(cls, item: realisasi.RealisasiIndikator, evidence: list[BuktiDukung]):
        def ident(value):
            return None if value is None else strawberry.ID(str(value))

        return cls(
            indikator_id=ident(item.indikator_id),
            rhk_id=ident(item.rhk_id),
            aspek=item.aspek,
            target=item.target,
            satuan=item.satuan,
            realisasi_id=ident(item.realisasi_id),
            kuantitas=item.kuantitas,
            narasi=item.narasi,
            kuantitas_sampai_periode=item.kuantitas_sampai_periode,
            capaian_persen=item.capaian_persen,
            saran_kuantitas=item.saran_kuantitas,
            jumlah_progres=item.jumlah_progres,
            bukti=evidence,
        )


@strawberry.type(description="A note in the dialog about a feedback.")
class TanggapanUmpanBalik:
    id: strawberry.ID
    penulis_pegawai_id: strawberry.ID
    teks: str
    created_at: datetime


@strawberry.type(description="The penilai's feedback on one RHK or BerAKHLAK value.")
class UmpanBalik:
    id: strawberry.ID
    sasaran: SasaranUmpanBalik
    rhk_id: strawberry.ID | None
    nilai_perilaku: str | None
    kalimat: list[str]
    teks: str | None
    updated_at: datetime
    tanggapan: list[TanggapanUmpanBalik]

    @classmethod
    def from_model(cls, row: models.UmpanBalik, notes: list[models.TanggapanUmpanBalik]):
        return cls(
            id=strawberry.ID(str(row.id)),
            sasaran=row.sasaran,
            rhk_id=None if row.rhk_id is None else strawberry.ID(str(row.rhk_id)),
            nilai_perilaku=row.nilai_perilaku,
            kalimat=list(row.kalimat or []),
            teks=row.teks,
            updated_at=row.updated_at,
            tanggapan=[
                TanggapanUmpanBalik(
                    id=strawberry.ID(str(n.id)),
                    penulis_pegawai_id=strawberry.ID(str(n.penulis_pegawai_id)),
                    teks=n.teks,
                    created_at=n.created_at,
                )
                for n in notes
            ],
        )


@strawberry.type(description="A suggested feedback sentence.")
class KalimatUmpanBalik:
    sasaran: SasaranUmpanBalik
    teks: str

    @classmethod
    def of(cls, item: umpan_balik.Kalimat) -> KalimatUmpanBalik:
        return cls(sasaran=item.sasaran, teks=item.teks)


@strawberry.type(description="An SKP's execution in one evaluation window.")
class PelaksanaanPeriode:
    skp_id: strawberry.ID
    periode: str
    awal: date
    akhir: date
    status_evaluasi: StatusEvaluasi
    diajukan_pada: datetime | None
    catatan_pegawai: str | None
    progres: list[ProgresHarian]
    realisasi: list[RealisasiIndikator]
    umpan_balik: list[UmpanBalik]


# Someone's realisation and capaian, wherever a list shows them (a roll-up lists a superior's
# subordinates): their SKP's readers only (`skp:read` about the pegawai). Nullable, so a
# refusal blanks the figure, not the list; the checks of a list share one batched loader.
_execution = [require(Operation.READ_SKP, target=lambda part: int(part.pegawai_id))]


@strawberry.type(description="One part of a superior's indikator with its realisation.")
class BagianRealisasi:
    indikator_id: strawberry.ID
    pegawai_id: strawberry.ID
    target: Decimal | None
    satuan: str | None
    realisasi: Decimal | None = strawberry.field(permission_classes=_execution)
    capaian_persen: Decimal | None = strawberry.field(permission_classes=_execution)
    tanpa_realisasi: bool | None = strawberry.field(
        description="No realisation yet: counted as zero.", permission_classes=_execution
    )


@strawberry.type(description="Direct cascading roll-up of an indikator (decision 0008).")
class RollUpIndikator:
    periode: str
    status: StatusRollUp
    target: Decimal | None
    realisasi: Decimal | None = strawberry.field(description="Summed parts (additive aspects).")
    capaian_persen: Decimal | None
    bagian: list[BagianRealisasi]

    @classmethod
    def of(cls, roll: rollup.RollUpIndikator) -> RollUpIndikator:
        return cls(
            periode=roll.periode,
            status=roll.status,
            target=roll.target,
            realisasi=roll.realisasi,
            capaian_persen=roll.capaian_persen,
            bagian=[
                BagianRealisasi(
                    indikator_id=strawberry.ID(str(b.indikator_id)),
                    pegawai_id=strawberry.ID(str(b.pegawai_id)),
                    target=b.target,
                    satuan=b.satuan,
                    realisasi=b.realisasi,
                    capaian_persen=b.capaian_persen,
                    tanpa_realisasi=b.tanpa_realisasi,
                )
                for b in roll.bagian
            ],
        )


@strawberry.type(description="An indikator's capaian within an intervening RHK.")
class CapaianIndikator:
    indikator_id: strawberry.ID
    aspek: str | None
    capaian_persen: Decimal | None


@strawberry.type(description="An RHK intervening the superior's, with its capaian.")
class IntervensiCapaian:
    rhk_id: strawberry.ID
    pegawai_id: strawberry.ID
    teks: str
    capaian: list[CapaianIndikator] | None = strawberry.field(permission_classes=_execution)
    mencapai_target: bool | None = strawberry.field(permission_classes=_execution)


@strawberry.type(description="Roll-up of the RHK intervening an RHK (decision 0008).")
class RollUpRhk:
    periode: str
    intervensi: list[IntervensiCapaian]
    persen_mencapai_target: Decimal | None

    @classmethod
    def of(cls, roll: rollup.RollUpRhk) -> RollUpRhk:
        return cls(
            periode=roll.periode,
            persen_mencapai_target=roll.persen_mencapai_target,
            intervensi=[
                IntervensiCapaian(
                    rhk_id=strawberry.ID(str(i.rhk_id)),
                    pegawai_id=strawberry.ID(str(i.pegawai_id)),
                    teks=i.teks,
                    capaian=[
                        CapaianIndikator(
                            indikator_id=strawberry.ID(str(ind)), aspek=aspek, capaian_persen=c
                        )
                        for ind, aspek, c in i.capaian
                    ],
                    mencapai_target=i.mencapai_target,
                )
                for i in roll.intervensi
            ],
        )


@strawberry.type(description="An RHK's progress in the window.")
class RhkProgress:
    rhk_id: strawberry.ID
    teks: str
    indikator: int
    indikator_terealisasi: int
    progres_periode: int


@strawberry.type(description="One appraised SKP in the penilai's monitoring.")
class MonitoringBawahan:
    skp_id: strawberry.ID
    pegawai_id: strawberry.ID
    nama: str | None
    nip: str | None
    progres_terakhir: date | None
    progres_minggu_ini: int
    progres_bulan_ini: int
    indikator: int
    indikator_terealisasi: int = strawberry.field(description="With realisasi in the window.")
    realisasi_berbukti: int = strawberry.field(description="Of those, with evidence.")
    kelengkapan_bukti_persen: float | None
    rhk: list[RhkProgress]

    @classmethod
    def of(cls, m: monitoring.MonitoringBawahan) -> MonitoringBawahan:
        return cls(
            skp_id=strawberry.ID(str(m.skp_id)),
            pegawai_id=strawberry.ID(str(m.pegawai_id)),
            nama=m.nama,
            nip=m.nip,
            progres_terakhir=m.progres_terakhir,
            progres_minggu_ini=m.progres_minggu_ini,
            progres_bulan_ini=m.progres_bulan_ini,
            indikator=m.indikator,
            indikator_terealisasi=m.indikator_terealisasi,
            realisasi_berbukti=m.realisasi_berbukti,
            kelengkapan_bukti_persen=m.kelengkapan_bukti_persen,
            rhk=[
                RhkProgress(
                    rhk_id=strawberry.ID(str(r.rhk_id)),
                    teks=r.teks,
                    indikator=r.indikator,
                    indikator_terealisasi=r.indikator_terealisasi,
                    progres_periode=r.progres_periode,
                )
                for r in m.rhk
            ],
        )
