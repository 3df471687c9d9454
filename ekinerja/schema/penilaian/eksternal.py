"""Mutations by which an admin instansi records the signed act of a pejabat penilai (or of the
atasan pejabat penilai hearing a keberatan) outside the system (penilaian/eksternal.py), and
the list of keberatan waiting for such an atasan. Each mutation runs in a savepoint: a refusal
comes back as data."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.paging import DEFAULT_FIRST
from ekinerja.penilaian import eksternal
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.schema import connection as conn
from ekinerja.schema.connection import After, First
from ekinerja.schema.context import Info
from ekinerja.schema.ids import parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.penilaian.connections import (
    KEBERATAN_ATASAN_EKSTERNAL,
    KeberatanConnection,
)
from ekinerja.schema.penilaian.mutations import (
    _EVALUASI_ID,
    _EXPECTED_VERSION,
    _KEBERATAN_ID,
    EvaluasiResult,
    KeberatanResult,
    _evaluasi_result,
    _keberatan_result,
)
from ekinerja.schema.penilaian.types import HasilKeberatan, Keberatan, Rating
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.schema.skp.mutations import EkspektasiInput, SkpDiubah, SkpResult
from ekinerja.schema.skp.types import Skp

# A list, not a page: keberatan to an external atasan are the top officials' few (the
# Kepala Dinas under the Bupati), decided within weeks.

_SKP_ID = Annotated[strawberry.ID, strawberry.argument(description="The SKP.")]
_SKP_VERSION = Annotated[
    int,
    strawberry.argument(
        description="The SKP's version as you read it; STALE_VERSION when it changed since."
    ),
]
_DOKUMEN = Annotated[
    "DokumenEksternalInput",
    strawberry.argument(description="The signed document the act rests on (audited)."),
]


@strawberry.input(description="The signed document the external official's act rests on.")
class DokumenEksternalInput:
    nomor: str = strawberry.field(description="The document's number.")
    tanggal: date = strawberry.field(description="The date it was signed.")
    nama_pejabat: str = strawberry.field(description="The official who signed, e.g. the Bupati.")
    jabatan_pejabat: str = strawberry.field(
        description="The official's position, e.g. Bupati Sleman."
    )
    tautan_bukti: str | None = strawberry.field(
        default=None, description="An http(s) link to the scanned document."
    )

    def domain(self) -> eksternal.DokumenEksternal:
        return eksternal.DokumenEksternal(
            self.nomor, self.tanggal, self.nama_pejabat, self.jabatan_pejabat, self.tautan_bukti
        )


async def _skp_result(change) -> SkpResult:
    result = await guarded(change)
    return result if isinstance(result, MutationError) else SkpDiubah(skp=Skp.from_model(result))


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
        skp_id: _SKP_ID,
        versi_diharapkan: _SKP_VERSION,
        dokumen: _DOKUMEN,
        ekspektasi: Annotated[
            list[EkspektasiInput] | None,
            strawberry.argument(
                description="Ekspektasi khusus pimpinan: the penilai's specific expectation per "
                "BerAKHLAK value, as written in the document."
            ),
        ] = None,
    ) -> SkpResult:
        subject = await _admin(info)
        expectations = {e.nilai: e.ekspektasi for e in ekspektasi or []}
        return await _skp_result(
            lambda: eksternal.setujui_skp(
                parse_id(skp_id, "skpId", "Skp"), versi_diharapkan, subject, dokumen.domain(),
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
        skp_id: _SKP_ID,
        versi_diharapkan: _SKP_VERSION,
        dokumen: _DOKUMEN,
        catatan: Annotated[
            str, strawberry.argument(description="The penilai's note: what to change.")
        ],
    ) -> SkpResult:
        subject = await _admin(info)
        return await _skp_result(
            lambda: eksternal.kembalikan_skp(
                parse_id(skp_id, "skpId", "Skp"),
                versi_diharapkan,
                subject,
                dokumen.domain(),
                catatan,
            )
        )

    @strawberry.mutation(
        description="Admin: record the external pejabat penilai's ratings of an evaluation "
        "(a window or the year), with the signed document. The predikat follows from them."
    )
    async def catat_penilaian_eksternal(
        self,
        info: Info,
        evaluasi_id: _EVALUASI_ID,
        versi_diharapkan: _EXPECTED_VERSION,
        rating_hasil_kerja: Annotated[
            Rating, strawberry.argument(description="Rating hasil kerja (results).")
        ],
        rating_perilaku: Annotated[
            Rating, strawberry.argument(description="Rating perilaku kerja (BerAKHLAK behaviour).")
        ],
        dokumen: _DOKUMEN,
        catatan: Annotated[
            str | None, strawberry.argument(description="The penilai's note for the pegawai.")
        ] = None,
    ) -> EvaluasiResult:
        subject = await _admin(info)
        return await _evaluasi_result(
            lambda: eksternal.nilai_evaluasi(
                parse_id(evaluasi_id, "evaluasiId", "EvaluasiPeriodik"),
                versi_diharapkan, rating_hasil_kerja,
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
        keberatan_id: _KEBERATAN_ID,
        permintaan: Annotated[
            str, strawberry.argument(description="What the pegawai and the penilai should explain.")
        ],
        dokumen: _DOKUMEN,
    ) -> KeberatanResult:
        subject = await _admin(info)
        return await _keberatan_result(
            lambda: eksternal.minta_penjelasan_keberatan(
                parse_id(keberatan_id, "keberatanId", "Keberatan"),
                permintaan,
                subject,
                dokumen.domain(),
            )
        )

    @strawberry.mutation(
        description="Admin: record the external atasan pejabat penilai's signed decision of a "
        "keberatan: DITOLAK, or DIUBAH with the new ratings. Final."
    )
    async def catat_putusan_keberatan_eksternal(
        self,
        info: Info,
        keberatan_id: _KEBERATAN_ID,
        hasil: Annotated[HasilKeberatan, strawberry.argument(description="The decision.")],
        catatan: Annotated[str, strawberry.argument(description="The reasons for the decision.")],
        dokumen: _DOKUMEN,
        rating_hasil_kerja: Annotated[
            Rating | None,
            strawberry.argument(
                description="The new rating hasil kerja: required with DIUBAH, none with DITOLAK."
            ),
        ] = None,
        rating_perilaku: Annotated[
            Rating | None,
            strawberry.argument(
                description="The new rating perilaku: required with DIUBAH, none with DITOLAK."
            ),
        ] = None,
    ) -> KeberatanResult:
        subject = await _admin(info)
        return await _keberatan_result(
            lambda: eksternal.putuskan_keberatan(
                parse_id(keberatan_id, "keberatanId", "Keberatan"), hasil, catatan, subject,
                dokumen.domain(), rating_hasil_kerja, rating_perilaku,
            )
        )  # fmt: skip


@strawberry.type
class PenilaiEksternalQuery:
    @strawberry.field(
        description="Admin: keberatan waiting for an atasan pejabat penilai outside the system "
        "(whose request and decision the admin records), oldest first."
    )
    async def keberatan_atasan_eksternal(
        self, info: Info, first: First = DEFAULT_FIRST, after: After = None
    ) -> KeberatanConnection:
        await _admin(info)
        query = models.Keberatan.filter(
            atasan_pegawai_id__isnull=True, status__not=StatusKeberatan.FINAL
        )
        return await conn.of_query(
            info,
            KEBERATAN_ATASAN_EKSTERNAL,
            query,
            first,
            after,
            Keberatan.from_model,
            KeberatanConnection,
        )
