"""GraphQL types of penilaian (assessment)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from ekinerja.kepegawaian.calendar import tanggal_di
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST, Keyset
from ekinerja.pelaksanaan.enums import StatusEvaluasi as StatusEvaluasiEnum
from ekinerja.penilaian import dasbor, enums, kurva
from ekinerja.penilaian.finalitas import Fakta, ada_atasan, final_dari, is_final
from ekinerja.penilaian.keberatan import kesempatan_dari
from ekinerja.penilaian.periode import LAST_PERIOD, is_annual
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, Connection, First
from ekinerja.schema.context import Info
from ekinerja.schema.enum_descriptions import described_enum
from ekinerja.schema.ids import gid, gid_or_none
from ekinerja.schema.kepegawaian.types import Pegawai, load_pegawai
from ekinerja.schema.node import Node
from ekinerja.schema.pelaksanaan.types import StatusEvaluasi
from ekinerja.schema.pengaturan_request import pengaturan_request
from ekinerja.schema.penilaian import dataloaders as pdl
from ekinerja.schema.skp import dataloaders as dl
from ekinerja.schema.skp.types import Skp

Rating = described_enum(
    enums.Rating,
    description="Rating: the pejabat penilai's judgement, given separately for hasil kerja "
    "(results) and perilaku kerja (behaviour), PermenPANRB 6/2022.",
    values={
        enums.Rating.DI_ATAS_EKSPEKTASI: "Di atas ekspektasi: above expectations.",
        enums.Rating.SESUAI_EKSPEKTASI: "Sesuai ekspektasi: meets expectations.",
        enums.Rating.DI_BAWAH_EKSPEKTASI: "Di bawah ekspektasi: below expectations.",
    },
)
PredikatPegawai = described_enum(
    enums.PredikatPegawai,
    description="Predikat kinerja pegawai: the employee's performance rating, from the matrix "
    "of the two ratings (PermenPANRB 6/2022). Listed best to worst; never order by the codes "
    "as text. Angka kredit counts 150, 100, 75, 50 and 25 % for them.",
    values={
        enums.PredikatPegawai.SANGAT_BAIK: "Sangat baik: outstanding.",
        enums.PredikatPegawai.BAIK: "Baik: good.",
        enums.PredikatPegawai.BUTUH_PERBAIKAN: "Butuh perbaikan: needs improvement (some "
        "texts say Cukup).",
        enums.PredikatPegawai.KURANG: "Kurang: poor; printed 'Kurang/Misconduct'.",
        enums.PredikatPegawai.SANGAT_KURANG: "Sangat kurang: very poor.",
    },
)
PredikatOrganisasi = described_enum(
    enums.PredikatOrganisasi,
    description="Predikat kinerja organisasi: a unit's performance rating for a window, set by "
    "the leader one level up; it selects the unit's distribution curve (kurva distribusi). "
    "Listed best to worst.",
    values={
        enums.PredikatOrganisasi.ISTIMEWA: "Istimewa: exceptional.",
        enums.PredikatOrganisasi.BAIK: "Baik: good.",
        enums.PredikatOrganisasi.BUTUH_PERBAIKAN: "Butuh perbaikan: needs improvement (also "
        "called Cukup).",
        enums.PredikatOrganisasi.KURANG: "Kurang: poor.",
        enums.PredikatOrganisasi.SANGAT_KURANG: "Sangat kurang: very poor.",
    },
)
HasilKurva = described_enum(
    enums.HasilKurva,
    description="Outcome of checking a unit's predikat distribution against the kurva "
    "distribusi of its predikat organisasi. Whether a broken rule warns or blocks penetapan is "
    "the instansi's setting `penilaian.kurva.kebijakan`.",
    values={
        enums.HasilKurva.OK: "Every rule of the curve holds.",
        enums.HasilKurva.WARNING: "A rule is broken; penetapan goes ahead and records it.",
        enums.HasilKurva.BLOCK: "A rule is broken and the instansi's policy refuses penetapan "
        "(CURVE_BLOCKED) until the ratings change.",
    },
)
StatusKeberatan = described_enum(
    enums.StatusKeberatan,
    description="Status keberatan: where an objection stands (PP 30/2019 Pasal 59).",
    values={
        enums.StatusKeberatan.DIAJUKAN: "Diajukan: filed by the pegawai, not yet examined.",
        enums.StatusKeberatan.DIPERIKSA: "Diperiksa: under examination; the atasan pejabat "
        "penilai has asked both sides for explanations.",
        enums.StatusKeberatan.FINAL: "Decided (see `hasil`); final and read-only.",
    },
)
HasilKeberatan = described_enum(
    enums.HasilKeberatan,
    description="Hasil keberatan: the atasan pejabat penilai's decision on an objection.",
    values={
        enums.HasilKeberatan.DITOLAK: "Ditolak: rejected; the result stays as it was.",
        enums.HasilKeberatan.DIUBAH: "Diubah: changed; the new ratings (and so the predikat) "
        "replace the old, which stay in the evaluation's history.",
    },
)


@strawberry.type(description="Lampiran keberatan: a link the pegawai attached to a keberatan.")
class LampiranKeberatan:
    nama: str = strawberry.field(description="What the link is, as the pegawai named it.")
    tautan: str = strawberry.field(description="The URL.")


@strawberry.type(
    description="Keberatan: an objection to a fixed result, with reasons, to the atasan "
    "pejabat penilai, who may ask both sides to explain and then decides; the decision is "
    "final (PP 30/2019 Pasal 59). One per evaluation. Readable by the pegawai, their penilai "
    "and atasan, and admins (`skp:read`)."
)
class Keberatan(Node):
    id: strawberry.ID = strawberry.field(description="The keberatan's id.")
    evaluasi_id: strawberry.ID = strawberry.field(
        description="The evaluation (EvaluasiPeriodik) objected to."
    )
    status: StatusKeberatan = strawberry.field(description="Where the keberatan stands.")
    alasan: str = strawberry.field(description="The pegawai's reasons for objecting.")
    lampiran: list[LampiranKeberatan] = strawberry.field(
        description="Links the pegawai attached (empty when none)."
    )
    permintaan_penjelasan: str | None = strawberry.field(
        description="What the atasan pejabat penilai asked both sides to explain; null until asked."
    )
    penjelasan_penilai: str | None = strawberry.field(
        description="The pejabat penilai's explanation; null until given."
    )
    penjelasan_pegawai: str | None = strawberry.field(
        description="The pegawai's explanation; null until given."
    )
    hasil: HasilKeberatan | None = strawberry.field(
        description="The decision; null until decided (status FINAL)."
    )
    rating_hasil_kerja_baru: Rating | None = strawberry.field(
        description="The new rating hasil kerja when the decision is DIUBAH; else null."
    )
    rating_perilaku_baru: Rating | None = strawberry.field(
        description="The new rating perilaku when the decision is DIUBAH; else null."
    )
    catatan_keputusan: str | None = strawberry.field(
        description="The atasan's reasons for the decision; null until decided."
    )
    diajukan_pada: datetime = strawberry.field(description="When it was filed.")
    diputus_pada: datetime | None = strawberry.field(
        description="When it was decided; null until then."
    )
    evaluasi_pk: strawberry.Private[int]

    @strawberry.field(
        description="The evaluation objected to, with its pegawai and SKP (whoever may read "
        "the keberatan may read it: the same `skp:read`). Loaded in batches across a list."
    )
    async def evaluasi(self, info: Info) -> EvaluasiPeriodik:
        row = await info.context.loader(pdl.evaluasi_by_id).load(self.evaluasi_pk)
        assert row is not None, "a keberatan's evaluation is never removed"
        return EvaluasiPeriodik.from_model(row)

    @classmethod
    def from_model(cls, row: models.Keberatan) -> Keberatan:
        return cls(
            id=gid("Keberatan", row.id),
            evaluasi_id=gid("EvaluasiPeriodik", row.evaluasi_id),
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
            evaluasi_pk=row.evaluasi_id,
        )


@strawberry.type(
    description="Riwayat evaluasi: one step in an evaluation's history, with the state it left."
)
class RiwayatEvaluasi:
    aksi: str = strawberry.field(
        description="The act: DIAJUKAN (submitted), DINILAI (rated), DIBATALKAN (rating "
        "cancelled), DITETAPKAN (fixed by penetapan), DIUBAH_KEBERATAN (changed by a keberatan "
        "decision), DARI_PERIODE_TERAKHIR (annual result copied from the last window)."
    )
    status: StatusEvaluasi = strawberry.field(description="The evaluation's status after it.")
    rating_hasil_kerja: Rating | None = strawberry.field(
        description="Rating hasil kerja after it; null when unrated."
    )
    rating_perilaku: Rating | None = strawberry.field(
        description="Rating perilaku after it; null when unrated."
    )
    predikat: PredikatPegawai | None = strawberry.field(
        description="Predikat after it; null when unrated."
    )
    catatan: str | None = strawberry.field(
        description="The note given with the act (the pegawai's, the penilai's, the reason for "
        "a cancellation, the keberatan decision's); null when none."
    )
    oleh: str = strawberry.field(
        description="Who acted: a NIP, or `client:<clientId>` for an API client."
    )
    pada: datetime = strawberry.field(description="When.")


@strawberry.type(description="Whether the pegawai may still file a keberatan, and until when.")
class KesempatanKeberatan:
    tersedia: bool = strawberry.field(description="True: a keberatan may be filed now.")
    alasan: str | None = strawberry.field(description="Why not, when not.")
    batas: date | None = strawberry.field(description="The last day to file.")


@strawberry.type(description="An SKP's evaluation for one window or the year (YYYY-THN).")
class EvaluasiPeriodik(Node):
    id: strawberry.ID = strawberry.field(description="The evaluation's id.")
    skp_id: strawberry.ID = strawberry.field(description="The SKP evaluated.")
    periode: str = strawberry.field(
        description="Kode periode of the window: `2026-B3` (month), `2026-T1` (quarter), "
        "`2026-S2` (semester) or `2026-THN` (the annual evaluation)."
    )
    status: StatusEvaluasi = strawberry.field(description="Where the evaluation stands.")
    rating_hasil_kerja: Rating | None = strawberry.field(
        description="Rating hasil kerja: the penilai's judgement of the results; null until rated."
    )
    rating_perilaku: Rating | None = strawberry.field(
        description="Rating perilaku kerja: the penilai's judgement of the BerAKHLAK "
        "behaviour; null until rated."
    )
    predikat: PredikatPegawai | None = strawberry.field(
        description="Derived from the two ratings by the matrix (docs/domain.md 5.2)."
    )
    catatan_pegawai: str | None = strawberry.field(
        description="The pegawai's note when submitting; null when none."
    )
    catatan_penilai: str | None = strawberry.field(
        description="The penilai's note when rating; null when none."
    )
    unit_id: strawberry.ID | None = strawberry.field(
        description="The unit kerja whose penetapan batch it belongs to, fixed when rated from "
        "the assignment on the window's last day; null until rated."
    )
    jenjang: str | None = strawberry.field(
        description="The jenjang fungsional (a JenjangFungsional code, e.g. AHLI_PERTAMA) its "
        "angka kredit is counted in, fixed when rated; null for other jabatan or until rated."
    )
    diajukan_pada: datetime | None = strawberry.field(
        description="When the pegawai submitted it; null until then."
    )
    dinilai_pada: datetime | None = strawberry.field(
        description="When the penilai last rated it; null until then."
    )
    ditetapkan_pada: datetime | None = strawberry.field(
        description="When penetapan fixed it (the day the pegawai received the result, from "
        "which the keberatan period runs); null until then."
    )
    lock_version: int = strawberry.field(
        description="Optimistic-lock version: pass it as `versiDiharapkan` to change the "
        "evaluation; a change made meanwhile makes the mutation fail with STALE_VERSION.",
        name="versiKunci",
    )
    row: strawberry.Private[models.EvaluasiPeriodik]

    @classmethod
    def from_model(cls, row: models.EvaluasiPeriodik) -> EvaluasiPeriodik:
        return cls(
            id=gid("EvaluasiPeriodik", row.id),
            skp_id=gid("Skp", row.skp_id),
            periode=row.periode,
            status=row.status,
            rating_hasil_kerja=row.rating_hasil_kerja,
            rating_perilaku=row.rating_perilaku,
            predikat=row.predikat,
            catatan_pegawai=row.catatan_pegawai,
            catatan_penilai=row.catatan_penilai,
            unit_id=gid_or_none("UnitKerja", row.unit_id),
            jenjang=row.jenjang,
            diajukan_pada=row.diajukan_pada,
            dinilai_pada=row.dinilai_pada,
            ditetapkan_pada=row.ditetapkan_pada,
            lock_version=row.lock_version,
            row=row,
        )

    @strawberry.field(
        description='The predikat as printed ("Sangat Baik", "Kurang/Misconduct"); null '
        "until rated."
    )
    def predikat_label(self) -> str | None:
        return self.row.predikat.label if self.row.predikat else None

    @strawberry.field(
        description="The pegawai whose SKP is evaluated, as they are now (name, NIP; their "
        "SKP's readers may read it: the same `skp:read`). Loaded in batches across a list."
    )
    async def pegawai(self, info: Info) -> Pegawai:
        skp = await info.context.loader(dl.skp_by_id).load(self.row.skp_id)
        found = await load_pegawai(info, skp.pegawai_id)
        assert found is not None, "an SKP's pegawai is never removed"
        return found

    @strawberry.field(
        description="The SKP version evaluated (its period, status and snapshots). Loaded in "
        "batches across a list."
    )
    async def skp(self, info: Info) -> Skp:
        return Skp.from_model(await info.context.loader(dl.skp_by_id).load(self.row.skp_id))

    @strawberry.field(description="The keberatan filed against it, if any.")
    async def keberatan(self, info: Info) -> Keberatan | None:
        found = await info.context.loader(pdl.keberatan_of_evaluasi).load(self.row.id)
        return Keberatan.from_model(found[0]) if found else None

    @strawberry.field(
        description="Whether the pegawai may file a keberatan against it now, and until when."
    )
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


@strawberry.type(description="Pelanggaran kurva: a curve rule the distribution breaks.")
class PelanggaranKurva:
    kode: str = strawberry.field(
        description="The rule's code, as the instansi's curve setting (`penilaian.kurva.aturan`) "
        "names it."
    )
    keterangan: str = strawberry.field(
        description='The rule in words, e.g. "Paling banyak 70 % Baik".'
    )
    pesan: str = strawberry.field(description="How the distribution breaks it, in words.")
    jumlah: int = strawberry.field(description="Pegawai holding the rule's predikat.")
    batas: int = strawberry.field(
        description="The head count the rule requires (a minimum) or allows (a maximum)."
    )


@strawberry.type(description="How many pegawai of a unit have a predikat.")
class JumlahPredikat:
    predikat: PredikatPegawai = strawberry.field(description="The predikat.")
    jumlah: int = strawberry.field(description="Pegawai with it (0 included).")


@strawberry.type(
    description="Pemeriksaan kurva: the distribution of a unit's predikat checked against the "
    "kurva distribusi of its predikat organisasi."
)
class PemeriksaanKurva:
    hasil: HasilKurva = strawberry.field(description="The outcome.")
    total: int = strawberry.field(description="Pegawai counted.")
    pelanggaran: list[PelanggaranKurva] = strawberry.field(
        description="The rules broken; empty when `hasil` is OK."
    )

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
    unit_id: strawberry.ID = strawberry.field(description="The unit kerja.")
    periode: str = strawberry.field(description="Kode periode, e.g. `2026-T1`.")
    predikat: PredikatOrganisasi | None = strawberry.field(
        description="The unit's predikat organisasi; null while not set."
    )
    catatan: str | None = strawberry.field(
        description="The leader's note with the predikat; null when none."
    )
    distribusi: list[JumlahPredikat] = strawberry.field(
        description="How many of the unit's pegawai have each predikat in the window, every "
        "predikat listed best to worst."
    )
    pemeriksaan: PemeriksaanKurva | None = strawberry.field(
        description="Against the curve of the unit's predikat: as recorded at penetapan, else "
        "as it would run now. Null while no predikat is set."
    )
    ditetapkan_pada: datetime | None = strawberry.field(
        description="When penetapan fixed the unit's window; null until then."
    )


@strawberry.type(
    description="One line of the angka kredit ledger: what one final result earned (Peraturan "
    "BKN 3/2023): nilai = bulan / 12 × persentase × koefisien."
)
class AngkaKreditBaris:
    periode: str = strawberry.field(description="Kode periode of the result, e.g. `2026-T1`.")
    jenjang: str = strawberry.field(
        description="The jenjang fungsional it counts in (a JenjangFungsional code)."
    )
    predikat: PredikatPegawai = strawberry.field(description="The final predikat.")
    bulan: int = strawberry.field(
        description="Months of the window counted; a month the SKP covers only partly counts "
        "as the instansi's setting `angka_kredit.hitungan_bulan` says."
    )
    persentase: Decimal = strawberry.field(
        description="The predikat's percentage in percentage points (150, 100, 75, 50, 25)."
    )
    koefisien: Decimal = strawberry.field(
        description="The jenjang's yearly koefisien (e.g. 12.5 for Ahli Pertama)."
    )
    nilai: Decimal = strawberry.field(
        description="The angka kredit earned, rounded half up to 2 decimals."
    )


@strawberry.type(
    description="Angka kredit (AK): the credit points a jabatan fungsional pegawai earned from "
    "final predikat, line by line."
)
class AngkaKreditPegawai:
    baris: list[AngkaKreditBaris] = strawberry.field(
        description="The ledger lines, in time order (year, then window)."
    )
    jumlah: Decimal = strawberry.field(
        description="Their total, summed exactly and rounded once to 2 decimals (so it may "
        "differ from the sum of the rounded lines)."
    )


@strawberry.type(description="Where a pegawai of the unit stands in the period's assessment.")
class KelengkapanPegawai:
    pegawai_id: strawberry.ID = strawberry.field(description="The pegawai.")
    nama: str = strawberry.field(description="Their name.")
    nip: str = strawberry.field(description="Their NIP (18 digits).")
    skp_id: strawberry.ID | None = strawberry.field(
        description="Their approved SKP for the year; null when none."
    )
    status: StatusEvaluasi | None = strawberry.field(
        description="Null: no approved SKP for the year."
    )
    predikat: PredikatPegawai | None = strawberry.field(
        description="Their predikat in the window; null until rated."
    )


@strawberry.type(description="Who has submitted, been rated and been fixed, in one unit.")
class KelengkapanPenilaian:
    unit_id: strawberry.ID = strawberry.field(description="The unit kerja.")
    periode: str = strawberry.field(description="Kode periode, e.g. `2026-T1`.")
    tanpa_skp: int = strawberry.field(description="Pegawai with no approved SKP for the year.")
    belum_diajukan: int = strawberry.field(description="Pegawai who have not submitted.")
    diajukan: int = strawberry.field(description="Submitted, waiting for the penilai's rating.")
    dinilai: int = strawberry.field(description="Rated, waiting for penetapan.")
    ditetapkan: int = strawberry.field(description="Fixed by penetapan.")
    unit_pk: strawberry.Private[int]

    @strawberry.field(
        description="Each pegawai of the unit and where they stand, by name (a page; the "
        "counts above cover them all)."
    )
    async def pegawai(
        self, info: Info, first: First = DEFAULT_FIRST, after: After = None
    ) -> KelengkapanPegawaiConnection:
        request = conn.request(info, KELENGKAPAN_PEGAWAI, first, after)
        page = await dasbor.kelengkapan(self.unit_pk, self.periode, request)
        nodes = [
            KelengkapanPegawai(
                pegawai_id=gid("Pegawai", r.pegawai_id),
                nama=r.nama,
                nip=r.nip,
                skp_id=gid_or_none("Skp", r.skp_id),
                status=r.status,
                predikat=r.predikat,
            )
            for r in page.rows
        ]
        return conn.connection(info, KELENGKAPAN_PEGAWAI, page, nodes)


KelengkapanPegawaiConnection = Connection[KelengkapanPegawai]
# By name, then pegawai id (as the directory is).
KELENGKAPAN_PEGAWAI = Keyset("KelengkapanPenilaian.pegawai", ("nama", "id"), (str, int))


@strawberry.type(description="A pegawai's predikat over the years.")
class RiwayatPredikat:
    tahun: int = strawberry.field(description="The SKP's year.")
    periode: str = strawberry.field(
        description="Kode periode of the evaluation (`2026-T1`, or `2026-THN` for the year)."
    )
    predikat: PredikatPegawai | None = strawberry.field(
        description="The predikat; null until rated."
    )
    status: StatusEvaluasi = strawberry.field(
        description="Where that evaluation stands (only DITETAPKAN ones are fixed)."
    )
