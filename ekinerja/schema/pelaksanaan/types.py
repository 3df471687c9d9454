"""GraphQL types of pelaksanaan (execution)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST, Keyset, keyset_page
from ekinerja.pelaksanaan import bukti, enums, monitoring, realisasi, umpan_balik
from ekinerja.pelaksanaan import rekap as rollup
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, CountedConnection, First
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid, gid_or_none
from ekinerja.schema.node import Node
from ekinerja.schema.pelaksanaan.storage import limits, store_of
from ekinerja.schema.permissions import ensure_allowed, require

_SE = enums.StatusEvaluasi
StatusEvaluasi = described_enum(
    enums.StatusEvaluasi,
    description="Status evaluasi: where a window's evaluation of an SKP stands.",
    values={
        _SE.BELUM_DIAJUKAN: "Belum diajukan: open; the pegawai still logs progres and realisasi.",
        _SE.DIAJUKAN: "Diajukan: submitted by the pegawai (the window is closed to progres and "
        "realisasi), waiting for the pejabat penilai's rating.",
        _SE.DINILAI: "Dinilai: rated by the pejabat penilai.",
        _SE.DITETAPKAN: "Ditetapkan: fixed by the penetapan of the unit's window.",
    },
)
StatusBukti = described_enum(
    enums.StatusBukti,
    description="Status bukti: whether a piece of evidence can be read.",
    values={
        enums.StatusBukti.MENUNGGU_UNGGAHAN: "Menunggu unggahan: an upload form was issued; "
        "the file is not confirmed yet.",
        enums.StatusBukti.TERSEDIA: "Tersedia: a confirmed file, or a link.",
    },
)
JenisBukti = described_enum(
    enums.JenisBukti,
    description="Jenis bukti: what kind of evidence it is.",
    values={
        enums.JenisBukti.BERKAS: "Berkas: a file kept in the evidence store.",
        enums.JenisBukti.TAUTAN: "Tautan: a link to elsewhere.",
    },
)
SasaranUmpanBalik = described_enum(
    enums.SasaranUmpanBalik,
    description="Sasaran umpan balik: what a feedback is about.",
    values={
        enums.SasaranUmpanBalik.HASIL_KERJA: "Hasil kerja: one RHK (rhkId).",
        enums.SasaranUmpanBalik.PERILAKU: "Perilaku kerja: one BerAKHLAK value (nilaiPerilaku).",
    },
)
StatusRollUp = described_enum(
    rollup.StatusRekap,
    description="Whether a direct-cascading rekap (roll-up) could sum its parts.",
    values={
        rollup.StatusRekap.SEBANDING: "Sebanding: every part in the superior's satuan; summed.",
        rollup.StatusRekap.TIDAK_SEBANDING: "Tidak sebanding: a part in another satuan; not "
        "summed.",
        rollup.StatusRekap.BELUM_DIBAGI: "Belum dibagi: the indikator has no parts.",
    },
)

_PERIODE = "Kode periode of the window, e.g. 2026-T1."


@strawberry.type(description="Evidence: a confirmed file in storage, or a link.")
class BuktiDukung(Node):
    id: strawberry.ID = strawberry.field(description="The evidence's id.")
    jenis: JenisBukti = strawberry.field(description="Berkas (file) or tautan (link).")
    status: StatusBukti = strawberry.field(description="Menunggu unggahan or tersedia.")
    nama: str = strawberry.field(description="Its name, as given by the uploader.")
    content_type: str | None = strawberry.field(
        description="A file's media type, e.g. application/pdf; null for a link."
    )
    ukuran: int | None = strawberry.field(description="A file's size in bytes; null for a link.")
    sha256: str | None = strawberry.field(
        description="A file's SHA-256, 64 lowercase hex digits; null for a link."
    )
    sha256_terverifikasi: bool = strawberry.field(
        description="The store hashed the file itself; false: the SHA-256 is the uploader's "
        "declaration (an S3 server without POST checksum support)."
    )
    dikonfirmasi_pada: datetime | None = strawberry.field(
        description="When the upload was confirmed; null for a link or until confirmed."
    )
    row: strawberry.Private[models.BuktiDukung]

    @classmethod
    def from_model(cls, row: models.BuktiDukung) -> BuktiDukung:
        return cls(
            id=gid("BuktiDukung", row.id),
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
class ProgresHarian(Node):
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    rencana_aksi_id: strawberry.ID = strawberry.field(
        description="The rencana aksi the work belongs to."
    )
    periode: str = strawberry.field(description="Kode periode of its window, e.g. 2026-T1.")
    tanggal: date = strawberry.field(description="The day the work was done.")
    jam_mulai: time = strawberry.field(description="Start time, wall clock.")
    jam_selesai: time = strawberry.field(description="End time, wall clock; after jamMulai.")
    kegiatan: str = strawberry.field(description="What was done (kegiatan).")
    realisasi: int = strawberry.field(description="How much was done, in satuan.")
    satuan: str = strawberry.field(description="The unit of realisasi, e.g. dokumen.")
    sumber_data: str = strawberry.field(
        description="Where the entry came from: `ekinerja` (a person, here), `import` (a "
        "file) or `api:<clientId>` (an API client)."
    )
    bukti: list[BuktiDukung] = strawberry.field(description="Its bukti dukung (evidence).")

    @classmethod
    def from_model(cls, row: models.ProgresHarian, evidence: list[BuktiDukung]) -> ProgresHarian:
        return cls(
            id=gid("ProgresHarian", row.id),
            rencana_aksi_id=gid("RencanaAksi", row.rencana_aksi_id),
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
    indikator_id: strawberry.ID = strawberry.field(description="The indikator.")
    rhk_id: strawberry.ID = strawberry.field(description="Its RHK.")
    aspek: str | None = strawberry.field(
        description="The indikator's aspek (an AspekIki name); null when not given."
    )
    target: Decimal | None = strawberry.field(description="The yearly target (upper bound).")
    satuan: str | None = strawberry.field(description="The target's unit.")
    realisasi_id: strawberry.ID | None = strawberry.field(
        description="The realisasi recorded for this window; null while none is."
    )
    kuantitas: Decimal | None = strawberry.field(description="Realised in this window.")
    narasi: str | None = strawberry.field(
        description="The pegawai's account of what was achieved; null if none."
    )
    kuantitas_sampai_periode: Decimal | None = strawberry.field(
        description="What counts against the target by the end of this window: the sum of the "
        "windows so far for additive aspects, else this window's value."
    )
    capaian_persen: Decimal | None = strawberry.field(description="Percent of target achieved.")
    saran_kuantitas: Decimal | None = strawberry.field(
        description="Suggested from this window's progres harian in the indikator's satuan."
    )
    jumlah_progres: int = strawberry.field(description="Progres entries on the RHK this window.")
    bukti: list[BuktiDukung] = strawberry.field(description="Evidence of the realisasi.")

    @classmethod
    def of(cls, item: realisasi.RealisasiIndikator, evidence: list[BuktiDukung]):
        return cls(
            indikator_id=gid("Indikator", item.indikator_id),
            rhk_id=gid("Rhk", item.rhk_id),
            aspek=item.aspek,
            target=item.target,
            satuan=item.satuan,
            realisasi_id=gid_or_none("Realisasi", item.realisasi_id),
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
    id: strawberry.ID = strawberry.field(description="The note's id.")
    penulis_pegawai_id: strawberry.ID = strawberry.field(
        description="Who wrote it: the pegawai or their penilai."
    )
    teks: str = strawberry.field(description="The note.")
    created_at: datetime = strawberry.field(description="When it was written.", name="dibuatPada")


@strawberry.type(
    description="Umpan balik: the penilai's feedback on one RHK or BerAKHLAK value in a window."
)
class UmpanBalik(Node):
    id: strawberry.ID = strawberry.field(description="The feedback's id.")
    sasaran: SasaranUmpanBalik = strawberry.field(
        description="Hasil kerja (an RHK) or perilaku (a BerAKHLAK value)."
    )
    rhk_id: strawberry.ID | None = strawberry.field(
        description="The RHK, for HASIL_KERJA; null for PERILAKU."
    )
    nilai_perilaku: str | None = strawberry.field(
        description="The BerAKHLAK kode, for PERILAKU; null for HASIL_KERJA."
    )
    kalimat: list[str] = strawberry.field(
        description="Chosen kalimat umpan balik (ready-made sentences)."
    )
    teks: str | None = strawberry.field(description="Free text; null if none.")
    updated_at: datetime = strawberry.field(
        description="When it was last given or changed.", name="diubahPada"
    )
    tanggapan: list[TanggapanUmpanBalik] = strawberry.field(
        description="The dialog that followed, oldest first."
    )

    @classmethod
    def from_model(cls, row: models.UmpanBalik, notes: list[models.TanggapanUmpanBalik]):
        return cls(
            id=gid("UmpanBalik", row.id),
            sasaran=row.sasaran,
            rhk_id=gid_or_none("Rhk", row.rhk_id),
            nilai_perilaku=row.nilai_perilaku,
            kalimat=list(row.kalimat or []),
            teks=row.teks,
            updated_at=row.updated_at,
            tanggapan=[
                TanggapanUmpanBalik(
                    id=gid("TanggapanUmpanBalik", n.id),
                    penulis_pegawai_id=gid("Pegawai", n.penulis_pegawai_id),
                    teks=n.teks,
                    created_at=n.created_at,
                )
                for n in notes
            ],
        )


@strawberry.type(description="A suggested feedback sentence.")
class KalimatUmpanBalik:
    sasaran: SasaranUmpanBalik = strawberry.field(description="What it is meant for.")
    teks: str = strawberry.field(description="The sentence.")

    @classmethod
    def of(cls, item: umpan_balik.Kalimat) -> KalimatUmpanBalik:
        return cls(sasaran=item.sasaran, teks=item.teks)


@strawberry.type(description="An SKP's execution in one evaluation window.")
class PelaksanaanPeriode:
    skp_id: strawberry.ID = strawberry.field(description="The SKP.")
    periode: str = strawberry.field(description=_PERIODE)
    awal: date = strawberry.field(description="The window's first day.")
    akhir: date = strawberry.field(description="The window's last day (inclusive).")
    status_evaluasi: StatusEvaluasi = strawberry.field(
        description="The window's evaluation status."
    )
    diajukan_pada: datetime | None = strawberry.field(
        description="When the window was submitted; null until then."
    )
    catatan_pegawai: str | None = strawberry.field(
        description="The pegawai's note at submission; null if none."
    )
    realisasi: list[RealisasiIndikator] = strawberry.field(
        description="Each indikator with its realisasi in the window."
    )
    umpan_balik: list[UmpanBalik] = strawberry.field(description="Feedback in the window.")
    skp_pk: strawberry.Private[int]

    @strawberry.field(
        description="The window's progres harian by day, start time, then entry (a page)."
    )
    async def progres(
        self, info: Info, first: First = DEFAULT_FIRST, after: After = None
    ) -> ProgresHarianConnection:
        query = models.ProgresHarian.filter(skp_id=self.skp_pk, periode=self.periode)
        page = await keyset_page(query, PROGRES, conn.request(info, PROGRES, first, after))
        evidence: dict[int, list[BuktiDukung]] = {row.id: [] for row in page.rows}
        if evidence:
            for row in await models.BuktiDukung.filter(
                progres_id__in=list(evidence), status=enums.StatusBukti.TERSEDIA
            ).order_by("id"):
                evidence[row.progres_id].append(BuktiDukung.from_model(row))
        nodes = [ProgresHarian.from_model(row, evidence[row.id]) for row in page.rows]
        return conn.connection(info, PROGRES, page, nodes, ProgresHarianConnection, query.count)


# A window's log in the order it was kept: by day, then start time; the entry id makes it total.
PROGRES = Keyset("PelaksanaanPeriode.progres", ("tanggal", "jam_mulai", "id"), (date, time, int))


@strawberry.type(
    name="ProgresHarianConnection",
    description="A page of progres harian (Relay cursor connection) with their total count.",
)
class ProgresHarianConnection(CountedConnection[ProgresHarian]):
    pass


# Someone's realisation and capaian, wherever a list shows them (a roll-up lists a superior's
# subordinates): their SKP's readers only (`skp:read` about the pegawai). Nullable, so a
# refusal blanks the figure, not the list; the checks of a list share one batched loader.
_execution = [require(Operation.READ_SKP, target=lambda part: int(part.pegawai_id))]


@strawberry.type(description="One part of a superior's indikator with its realisation.")
class BagianRealisasi:
    indikator_id: strawberry.ID = strawberry.field(description="The part's indikator.")
    pegawai_id: strawberry.ID = strawberry.field(description="Whose SKP holds the part.")
    target: Decimal | None = strawberry.field(description="The part's target.")
    satuan: str | None = strawberry.field(description="The part's satuan.")
    realisasi: Decimal | None = strawberry.field(
        description="Realised by the end of the window; null without skp:read on that pegawai.",
        permission_classes=_execution,
    )
    capaian_persen: Decimal | None = strawberry.field(
        description="Percent of the part's target achieved; null without skp:read on that "
        "pegawai or without a numeric target.",
        permission_classes=_execution,
    )
    tanpa_realisasi: bool | None = strawberry.field(
        description="No realisation yet: counted as zero.", permission_classes=_execution
    )


@strawberry.type(description="Direct cascading roll-up of an indikator (decision 0008).")
class RekapIndikator:
    periode: str = strawberry.field(description=_PERIODE)
    status: StatusRollUp = strawberry.field(description="Whether the parts could be summed.")
    target: Decimal | None = strawberry.field(description="The superior's target.")
    realisasi: Decimal | None = strawberry.field(description="Summed parts (additive aspects).")
    capaian_persen: Decimal | None = strawberry.field(
        description="Percent of the target achieved, two decimals; null when it cannot be said "
        "(not summed, no target)."
    )
    bagian: list[BagianRealisasi] = strawberry.field(description="Each part.")

    @classmethod
    def of(cls, roll: rollup.RekapIndikator) -> RekapIndikator:
        return cls(
            periode=roll.periode,
            status=roll.status,
            target=roll.target,
            realisasi=roll.realisasi,
            capaian_persen=roll.capaian_persen,
            bagian=[
                BagianRealisasi(
                    indikator_id=gid("Indikator", b.indikator_id),
                    pegawai_id=gid("Pegawai", b.pegawai_id),
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
    indikator_id: strawberry.ID = strawberry.field(description="The indikator.")
    aspek: str | None = strawberry.field(description="Its aspek; null when not given.")
    capaian_persen: Decimal | None = strawberry.field(
        description="Percent of target achieved by the end of the window, two decimals (for "
        "a smaller-is-better aspek, target over realisasi); null when it cannot be said (no "
        "target, no realisasi, or a zero)."
    )


@strawberry.type(description="An RHK intervening the superior's, with its capaian.")
class IntervensiCapaian:
    rhk_id: strawberry.ID = strawberry.field(description="The intervening RHK.")
    pegawai_id: strawberry.ID = strawberry.field(description="Whose SKP holds it.")
    teks: str = strawberry.field(description="The RHK's text.")
    capaian: list[CapaianIndikator] | None = strawberry.field(
        description="Its indikator's capaian; null without skp:read on that pegawai.",
        permission_classes=_execution,
    )
    mencapai_target: bool | None = strawberry.field(
        description="Whether every indikator with a capaian reached 100 %; null when none has "
        "one, or without skp:read on that pegawai.",
        permission_classes=_execution,
    )


@strawberry.type(description="Roll-up of the RHK intervening an RHK (decision 0008).")
class RekapRhk:
    periode: str = strawberry.field(description=_PERIODE)
    intervensi: list[IntervensiCapaian] = strawberry.field(
        description="Each RHK intervening this one."
    )
    persen_mencapai_target: Decimal | None = strawberry.field(
        description="Share of them that reached their target, in percent (two decimals); "
        "null when none intervenes."
    )

    @classmethod
    def of(cls, roll: rollup.RekapRhk) -> RekapRhk:
        return cls(
            periode=roll.periode,
            persen_mencapai_target=roll.persen_mencapai_target,
            intervensi=[
                IntervensiCapaian(
                    rhk_id=gid("Rhk", i.rhk_id),
                    pegawai_id=gid("Pegawai", i.pegawai_id),
                    teks=i.teks,
                    capaian=[
                        CapaianIndikator(
                            indikator_id=gid("Indikator", ind), aspek=aspek, capaian_persen=c
                        )
                        for ind, aspek, c in i.capaian
                    ],
                    mencapai_target=i.mencapai_target,
                )
                for i in roll.intervensi
            ],
        )


@strawberry.type(description="An RHK's progress in the window.")
class ProgresRhk:
    rhk_id: strawberry.ID = strawberry.field(description="The RHK.")
    teks: str = strawberry.field(description="Its text.")
    indikator: int = strawberry.field(description="Its number of indikator.")
    indikator_terealisasi: int = strawberry.field(
        description="Of them, with realisasi in the window."
    )
    progres_periode: int = strawberry.field(description="Progres harian on it in the window.")


@strawberry.type(description="One appraised SKP in the penilai's monitoring.")
class MonitoringBawahan:
    skp_id: strawberry.ID = strawberry.field(description="The appraised SKP.")
    pegawai_id: strawberry.ID = strawberry.field(description="Its pegawai.")
    nama: str | None = strawberry.field(description="Name as on the SKP's snapshot.")
    nip: str | None = strawberry.field(description="NIP as on the SKP's snapshot.")
    progres_terakhir: date | None = strawberry.field(
        description="Day of the latest progres harian up to the date; null if none."
    )
    progres_minggu_ini: int = strawberry.field(
        description="Progres harian from Monday of the date's week to the date."
    )
    progres_bulan_ini: int = strawberry.field(
        description="Progres harian from the 1st of the date's month to the date."
    )
    indikator: int = strawberry.field(description="Indikator of the SKP.")
    indikator_terealisasi: int = strawberry.field(description="With realisasi in the window.")
    realisasi_berbukti: int = strawberry.field(description="Of those, with evidence.")
    kelengkapan_bukti_persen: float | None = strawberry.field(
        description="realisasiBerbukti of indikatorTerealisasi in percent (two decimals); null "
        "when nothing is realised yet."
    )
    rhk: list[ProgresRhk] = strawberry.field(description="Progress per RHK.")

    @classmethod
    def of(cls, m: monitoring.MonitoringBawahan) -> MonitoringBawahan:
        return cls(
            skp_id=gid("Skp", m.skp_id),
            pegawai_id=gid("Pegawai", m.pegawai_id),
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
                ProgresRhk(
                    rhk_id=gid("Rhk", r.rhk_id),
                    teks=r.teks,
                    indikator=r.indikator,
                    indikator_terealisasi=r.indikator_terealisasi,
                    progres_periode=r.progres_periode,
                )
                for r in m.rhk
            ],
        )


@strawberry.type(
    name="MonitoringBawahanConnection",
    description="A page of a penilai's monitored SKPs (Relay cursor connection) with their "
    "total count.",
)
class MonitoringBawahanConnection(CountedConnection[MonitoringBawahan]):
    pass


# By the name on the SKP's snapshot ('' when it has none), then the SKP id.
MONITORING = Keyset("Query.monitoringPelaksanaan", ("nama", "skp_id"), (str, int))
