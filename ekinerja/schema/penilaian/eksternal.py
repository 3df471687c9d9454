"""Mutations by which an admin instansi records the signed act of a pejabat penilai (or of the
atasan pejabat penilai hearing a keberatan) outside the system (penilaian/eksternal.py), and
the list of keberatan waiting for such an atasan. Each mutation runs in a savepoint: a refusal
comes back as data."""

from __future__ import annotations

from datetime import date

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.penilaian import eksternal
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.schema.context import Info
from ekinerja.schema.ids import parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.penilaian.mutations import (
    EvaluasiResult,
    KeberatanResult,
    _evaluasi_result,
    _keberatan_result,
)
from ekinerja.schema.penilaian.types import HasilKeberatan, Keberatan, Rating
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.schema.skp.mutations import EkspektasiInput, SkpChanged, SkpResult
from ekinerja.schema.skp.types import Skp

# A list, not a page: keberatan to an external atasan are the top officials' few (the
# Kepala Dinas under the Bupati), decided within weeks.
MAX_WAITING = 200


@strawberry.input(description="The signed document the external official's act rests on.")
class DokumenEksternalInput:
    nomor: str = strawberry.field(description="The document's number.")
    tanggal: date = strawberry.field(description="The date it was signed.")
    nama_pejabat: str = strawberry.field(description="The official who signed, e.g. the Bupati.")
    jabatan_pejabat: str
    tautan_bukti: str | None = strawberry.field(
        default=None, description="An http(s) link to the scanned document."
    )

    def domain(self) -> eksternal.DokumenEksternal:
        return eksternal.DokumenEksternal(
            self.nomor, self.tanggal, self.nama_pejabat, self.jabatan_pejabat, self.tautan_bukti
        )


async def _skp_result(change) -> SkpResult:
    result = await guarded(change)
    return result if isinstance(result, MutationError) else SkpChanged(skp=Skp.from_model(result))


async def _admin(info: Info) -> str:
    await ensure_allowed(info, Operation.RECORD_PENILAI_EKSTERNAL)
    return info.context.principal.subject


@strawberry.type
class PenilaiEksternalMutation:
    @strawberry.mutation(
        description="Admin: record that the SKP's external pejabat penilai (no pegawai of the "
        "instansi) approved it, with the signed document."
    )
    async def catat_persetujuan_skp_eksternal(
        self,
        info: Info,
        skp_id: strawberry.ID,
        expected_version: int,
        dokumen: DokumenEksternalInput,
        ekspektasi: list[EkspektasiInput] | None = None,
    ) -> SkpResult:
        subject = await _admin(info)
        expectations = {e.nilai: e.ekspektasi for e in ekspektasi or []}
        return await _skp_result(
            lambda: eksternal.setujui_skp(
                parse_id(skp_id, "skpId"), expected_version, subject, dokumen.domain(),
                expectations,
            )
        )  # fmt: skip

    @strawberry.mutation(
        description="Admin: record that the SKP's external pejabat penilai returned it to "
        "draft, with their note and the signed document."
    )
    async def catat_pengembalian_skp_eksternal(
        self,
        info: Info,
        skp_id: strawberry.ID,
        expected_version: int,
        dokumen: DokumenEksternalInput,
        catatan: str,
    ) -> SkpResult:
        subject = await _admin(info)
        return await _skp_result(
            lambda: eksternal.kembalikan_skp(
                parse_id(skp_id, "skpId"), expected_version, subject, dokumen.domain(), catatan
            )
        )

    @strawberry.mutation(
        description="Admin: record the external pejabat penilai's ratings of an evaluation "
        "(a window or the year), with the signed document. The predikat follows from them."
    )
    async def catat_penilaian_eksternal(
        self,
        info: Info,
        evaluasi_id: strawberry.ID,
        expected_version: int,
        rating_hasil_kerja: Rating,
        rating_perilaku: Rating,
        dokumen: DokumenEksternalInput,
        catatan: str | None = None,
    ) -> EvaluasiResult:
        subject = await _admin(info)
        return await _evaluasi_result(
            lambda: eksternal.nilai_evaluasi(
                parse_id(evaluasi_id, "evaluasiId"), expected_version, rating_hasil_kerja,
                rating_perilaku, catatan, subject, dokumen.domain(),
            )
        )  # fmt: skip

    @strawberry.mutation(
        description="Admin: record that the keberatan's external atasan pejabat penilai asked "
        "the penilai and the pegawai to explain, with their signed letter."
    )
    async def catat_permintaan_penjelasan_keberatan_eksternal(
        self,
        info: Info,
        keberatan_id: strawberry.ID,
        permintaan: str,
        dokumen: DokumenEksternalInput,
    ) -> KeberatanResult:
        subject = await _admin(info)
        return await _keberatan_result(
            lambda: eksternal.minta_penjelasan_keberatan(
                parse_id(keberatan_id, "keberatanId"), permintaan, subject, dokumen.domain()
            )
        )

    @strawberry.mutation(
        description="Admin: record the external atasan pejabat penilai's signed decision of a "
        "keberatan: DITOLAK, or DIUBAH with the new ratings. Final."
    )
    async def catat_putusan_keberatan_eksternal(
        self,
        info: Info,
        keberatan_id: strawberry.ID,
        hasil: HasilKeberatan,
        catatan: str,
        dokumen: DokumenEksternalInput,
        rating_hasil_kerja: Rating | None = None,
        rating_perilaku: Rating | None = None,
    ) -> KeberatanResult:
        subject = await _admin(info)
        return await _keberatan_result(
            lambda: eksternal.putuskan_keberatan(
                parse_id(keberatan_id, "keberatanId"), hasil, catatan, subject,
                dokumen.domain(), rating_hasil_kerja, rating_perilaku,
            )
        )  # fmt: skip


@strawberry.type
class PenilaiEksternalQuery:
    @strawberry.field(
        description="Admin: keberatan waiting for an atasan pejabat penilai outside the system "
        "(whose request and decision the admin records), oldest first; at most 200."
    )
    async def keberatan_atasan_eksternal(self, info: Info) -> list[Keberatan]:
        await _admin(info)
        rows = (
            await models.Keberatan.filter(
                atasan_pegawai_id__isnull=True, status__not=StatusKeberatan.FINAL
            )
            .order_by("diajukan_pada", "id")
            .limit(MAX_WAITING)
        )
        return [Keberatan.from_model(r) for r in rows]
