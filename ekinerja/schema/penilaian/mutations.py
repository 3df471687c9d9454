"""Mutations of penilaian. Each runs in a savepoint: a refusal comes back as data."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ekinerja.auth.policy import Operation
from ekinerja.models import tenant as models
from ekinerja.penilaian import evaluasi, keberatan, kredit, penetapan
from ekinerja.schema.context import Info
from ekinerja.schema.ids import id_or_none, parse_id
from ekinerja.schema.mutation_errors import MutationError, guarded
from ekinerja.schema.penilaian.types import (
    EvaluasiPeriodik,
    HasilKeberatan,
    HasilKurva,
    Keberatan,
    PemeriksaanKurva,
    PredikatOrganisasi,
    Rating,
)
from ekinerja.schema.permissions import ensure_allowed
from ekinerja.skp.lifecycle import Caller
from ekinerja.tahun import check_tahun

_EVALUASI_ID = Annotated[
    strawberry.ID, strawberry.argument(description="The evaluation (EvaluasiPeriodik.id).")
]
_EXPECTED_VERSION = Annotated[
    int,
    strawberry.argument(
        description="The evaluation's `versiKunci` as you read it; STALE_VERSION when it "
        "changed since."
    ),
]
_KEBERATAN_ID = Annotated[strawberry.ID, strawberry.argument(description="The keberatan.")]
_UNIT_ID = Annotated[strawberry.ID, strawberry.argument(description="The unit kerja.")]
_PERIODE = Annotated[
    str,
    strawberry.argument(
        description="Kode periode of the window: `2026-B3`, `2026-T1`, `2026-S2` or `2026-THN`."
    ),
]


@strawberry.type(description="A unit's predikat organisasi for a period.")
class PredikatOrganisasiDiatur:
    unit_id: strawberry.ID = strawberry.field(description="The unit kerja.")
    periode: str = strawberry.field(description="Kode periode, e.g. `2026-T1`.")
    predikat: PredikatOrganisasi = strawberry.field(description="The predikat now recorded.")


@strawberry.type(
    description="Penetapan done: the unit's rated evaluations of the window are DITETAPKAN and "
    "locked; from now the keberatan period runs."
)
class PenetapanSelesai:
    unit_id: strawberry.ID = strawberry.field(description="The unit kerja.")
    periode: str = strawberry.field(description="Kode periode, e.g. `2026-T1`.")
    hasil_kurva: HasilKurva = strawberry.field(
        description="The curve check's outcome: OK, or WARNING (recorded, not blocking)."
    )
    pemeriksaan: PemeriksaanKurva = strawberry.field(
        description="The curve check as recorded with the penetapan."
    )
    jumlah_ditetapkan: int = strawberry.field(description="Evaluations fixed.")


@strawberry.input(description="A link attached to a keberatan (LampiranKeberatan).")
class LampiranInput:
    nama: str = strawberry.field(description="What the link is.")
    tautan: str = strawberry.field(description="The URL.")


@strawberry.type(description="The angka kredit ledger brought up to date for a year.")
class AngkaKreditDihitung:
    tahun: int = strawberry.field(description="The year computed.")
    dibuat: int = strawberry.field(description="Ledger lines added.")
    diubah: int = strawberry.field(
        description="Ledger lines changed (their inputs changed, e.g. a keberatan decided DIUBAH)."
    )
    tetap: int = strawberry.field(description="Ledger lines already up to date.")
    belum_final: int = strawberry.field(description="Fixed results still open to keberatan.")


EvaluasiResult = Annotated[
    EvaluasiPeriodik | MutationError,
    strawberry.union(
        "EvaluasiPenilaianResult",
        description="The evaluation as it now stands, or a MutationError (nothing changed): "
        "NOT_FOUND, STALE_VERSION, INVALID_TRANSITION (not submitted, or already fixed), "
        "LOCKED (the unit's window is fixed), NOT_PENILAI, PENILAI_INTERNAL (recorded as "
        "external although the penilai is a pegawai), INVALID_INPUT.",
    ),
]
PredikatOrganisasiResult = Annotated[
    PredikatOrganisasiDiatur | MutationError,
    strawberry.union(
        "PredikatOrganisasiResult",
        description="The predikat recorded, or a MutationError (nothing changed): NOT_FOUND, "
        "NOT_LEADER, LOCKED (the window is fixed), INVALID_INPUT.",
    ),
]
PenetapanResult = Annotated[
    PenetapanSelesai | MutationError,
    strawberry.union(
        "PenetapanResult",
        description="The penetapan done, or a MutationError (nothing fixed): NOT_FOUND, "
        "NOT_LEADER, LOCKED (already fixed), NO_PREDIKAT_ORGANISASI, NOT_ALL_RATED, "
        "CURVE_BLOCKED, INVALID_INPUT.",
    ),
]
KeberatanResult = Annotated[
    Keberatan | MutationError,
    strawberry.union(
        "KeberatanResult",
        description="The keberatan as it now stands, or a MutationError (nothing changed): "
        "NOT_FOUND; on filing NOT_FIXED, KEBERATAN_CLOSED (period over or already filed), "
        "NO_ATASAN, ANNUAL_FROM_LAST_PERIOD; later FINAL (decided), NOT_REQUESTED, NOT_A_PARTY, "
        "NOT_ATASAN_PENILAI, ATASAN_INTERNAL (recorded as external although the atasan is a "
        "pegawai); INVALID_INPUT.",
    ),
]
AngkaKreditResult = Annotated[
    AngkaKreditDihitung | MutationError,
    strawberry.union(
        "AngkaKreditResult",
        description="The ledger's counts, or a MutationError (nothing changed), e.g. "
        "INVALID_INPUT for a year out of range.",
    ),
]


def _caller(info: Info) -> Caller:
    return Caller(info.context.pegawai_id, info.context.principal.subject)


async def _ensure_may_assess(info: Info, evaluasi_id: strawberry.ID) -> None:
    """ASSESS, judged against the SKP's snapshotted pejabat penilai."""
    found = (
        await models.Skp.get_or_none(evaluasi__id=row_id).values("pegawai_id", "penilai_pegawai_id")
        if (row_id := id_or_none(evaluasi_id, "EvaluasiPeriodik")) is not None
        else None
    )
    found = found or {}
    await ensure_allowed(
        info, Operation.ASSESS, found.get("pegawai_id") or -1,
        appraisers=[found.get("penilai_pegawai_id")],
    )  # fmt: skip


async def _owner_of_evaluasi(evaluasi_id: strawberry.ID) -> int | None:
    if (found := id_or_none(evaluasi_id, "EvaluasiPeriodik")) is None:
        return None
    return await models.Skp.get_or_none(evaluasi__id=found).values_list("pegawai_id", flat=True)


async def _keberatan_parties(keberatan_id: strawberry.ID) -> dict:
    if (row_id := id_or_none(keberatan_id, "Keberatan")) is None:
        return {}
    found = await models.Keberatan.get_or_none(id=row_id).values(
        "pegawai_id", "penilai_pegawai_id", "atasan_pegawai_id"
    )
    return found or {}


async def _ensure_may_decide(info: Info, keberatan_id: strawberry.ID) -> None:
    """DECIDE_KEBERATAN, judged against the atasan pejabat penilai recorded on the keberatan."""
    found = await _keberatan_parties(keberatan_id)
    await ensure_allowed(
        info, Operation.DECIDE_KEBERATAN, found.get("pegawai_id") or -1,
        appraisers=[found.get("atasan_pegawai_id")],
    )  # fmt: skip


async def _ensure_may_explain(info: Info, keberatan_id: strawberry.ID) -> None:
    """WRITE_KEBERATAN for an explanation: the keberatan's penilai explains even after the
    pegawai moved out of their chain."""
    found = await _keberatan_parties(keberatan_id)
    await ensure_allowed(
        info, Operation.WRITE_KEBERATAN, found.get("pegawai_id") or -1,
        appraisers=[found.get("penilai_pegawai_id")],
    )  # fmt: skip


async def _evaluasi_result(change) -> EvaluasiResult:
    result = await guarded(change)
    return result if isinstance(result, MutationError) else EvaluasiPeriodik.from_model(result)


async def _keberatan_result(change) -> KeberatanResult:
    result = await guarded(change)
    return result if isinstance(result, MutationError) else Keberatan.from_model(result)


@strawberry.type
class PenilaianMutation:
    @strawberry.mutation(
        description="As the SKP's pejabat penilai: rate a submitted evaluation (again, until "
        "penetapan). The predikat follows from the two ratings."
    )
    async def nilai_evaluasi(
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
        catatan: Annotated[
            str | None, strawberry.argument(description="A note for the pegawai.")
        ] = None,
    ) -> EvaluasiResult:
        await _ensure_may_assess(info, evaluasi_id)
        return await _evaluasi_result(
            lambda: evaluasi.rate(
                parse_id(evaluasi_id, "evaluasiId", "EvaluasiPeriodik"),
                versi_diharapkan,
                rating_hasil_kerja,
                rating_perilaku,
                catatan,
                _caller(info),
            )
        )

    @strawberry.mutation(description="As penilai: cancel a rating before penetapan (audited).")
    async def batalkan_penilaian(
        self,
        info: Info,
        evaluasi_id: _EVALUASI_ID,
        versi_diharapkan: _EXPECTED_VERSION,
        alasan: Annotated[
            str, strawberry.argument(description="Why the rating is cancelled (kept in riwayat).")
        ],
    ) -> EvaluasiResult:
        await _ensure_may_assess(info, evaluasi_id)
        return await _evaluasi_result(
            lambda: evaluasi.cancel(
                parse_id(evaluasi_id, "evaluasiId", "EvaluasiPeriodik"),
                versi_diharapkan,
                alasan,
                _caller(info),
            )
        )

    @strawberry.mutation(description="As the leader one level up: a unit's predikat for a period.")
    async def atur_predikat_organisasi(
        self,
        info: Info,
        unit_id: _UNIT_ID,
        periode: _PERIODE,
        predikat: Annotated[
            PredikatOrganisasi,
            strawberry.argument(description="The unit's predikat organisasi (sets its curve)."),
        ],
        catatan: Annotated[
            str | None, strawberry.argument(description="A note with the predikat.")
        ] = None,
    ) -> PredikatOrganisasiResult:
        await ensure_allowed(info, Operation.SET_KINERJA_ORGANISASI)
        result = await guarded(
            lambda: penetapan.set_predikat(
                parse_id(unit_id, "unitId", "UnitKerja"), periode, predikat, catatan, _caller(info)
            )
        )
        if isinstance(result, MutationError):
            return result
        return PredikatOrganisasiDiatur(unit_id=unit_id, periode=periode, predikat=result.predikat)

    @strawberry.mutation(
        description="As the leader one level up: check the unit's distribution against the "
        "curve and, unless the tenant's policy blocks, fix every rated evaluation of the batch."
    )
    async def tetapkan_kinerja_unit(
        self, info: Info, unit_id: _UNIT_ID, periode: _PERIODE
    ) -> PenetapanResult:
        await ensure_allowed(info, Operation.SET_KINERJA_ORGANISASI)
        result = await guarded(
            lambda: penetapan.tetapkan(
                parse_id(unit_id, "unitId", "UnitKerja"), periode, _caller(info)
            )
        )
        if isinstance(result, MutationError):
            return result
        return PenetapanSelesai(
            unit_id=unit_id,
            periode=periode,
            hasil_kurva=result.pemeriksaan.hasil,
            pemeriksaan=PemeriksaanKurva.of(result.pemeriksaan),
            jumlah_ditetapkan=result.ditetapkan,
        )

    @strawberry.mutation(
        description="File a keberatan against my fixed evaluation, within the tenant's period "
        "(14 calendar days by default)."
    )
    async def ajukan_keberatan(
        self,
        info: Info,
        evaluasi_id: _EVALUASI_ID,
        alasan: Annotated[str, strawberry.argument(description="Why you object.")],
        lampiran: Annotated[
            list[LampiranInput] | None, strawberry.argument(description="Supporting links.")
        ] = None,
    ) -> KeberatanResult:
        await ensure_allowed(
            info, Operation.WRITE_KEBERATAN, await _owner_of_evaluasi(evaluasi_id) or -1
        )
        return await _keberatan_result(
            lambda: keberatan.ajukan(
                parse_id(evaluasi_id, "evaluasiId", "EvaluasiPeriodik"),
                alasan,
                [(a.nama, a.tautan) for a in lampiran or []],
                _caller(info),
            )
        )

    @strawberry.mutation(description="As atasan pejabat penilai: ask both sides to explain.")
    async def minta_penjelasan_keberatan(
        self,
        info: Info,
        keberatan_id: _KEBERATAN_ID,
        permintaan: Annotated[
            str, strawberry.argument(description="What the pegawai and the penilai should explain.")
        ],
    ) -> KeberatanResult:
        await _ensure_may_decide(info, keberatan_id)
        return await _keberatan_result(
            lambda: keberatan.minta_penjelasan(
                parse_id(keberatan_id, "keberatanId", "Keberatan"), permintaan, _caller(info)
            )
        )

    @strawberry.mutation(description="As the pegawai or the penilai: explain, when asked.")
    async def beri_penjelasan_keberatan(
        self,
        info: Info,
        keberatan_id: _KEBERATAN_ID,
        penjelasan: Annotated[str, strawberry.argument(description="Your explanation.")],
    ) -> KeberatanResult:
        await _ensure_may_explain(info, keberatan_id)
        return await _keberatan_result(
            lambda: keberatan.beri_penjelasan(
                parse_id(keberatan_id, "keberatanId", "Keberatan"), penjelasan, _caller(info)
            )
        )

    @strawberry.mutation(
        description="As atasan pejabat penilai: decide DITOLAK, or DIUBAH with new ratings "
        "(the original stays in the evaluation's history). Final."
    )
    async def putuskan_keberatan(
        self,
        info: Info,
        keberatan_id: _KEBERATAN_ID,
        hasil: Annotated[HasilKeberatan, strawberry.argument(description="The decision.")],
        catatan: Annotated[str, strawberry.argument(description="The reasons for the decision.")],
        rating_hasil_kerja: Annotated[
            Rating | None,
            strawberry.argument(
                description="The new rating hasil kerja: required with DIUBAH (with "
                "ratingPerilaku, not both as given), none with DITOLAK."
            ),
        ] = None,
        rating_perilaku: Annotated[
            Rating | None,
            strawberry.argument(
                description="The new rating perilaku: required with DIUBAH, none with DITOLAK."
            ),
        ] = None,
    ) -> KeberatanResult:
        await _ensure_may_decide(info, keberatan_id)
        return await _keberatan_result(
            lambda: keberatan.putuskan(
                parse_id(keberatan_id, "keberatanId", "Keberatan"),
                hasil,
                catatan,
                _caller(info),
                rating_hasil_kerja,
                rating_perilaku,
            )
        )

    @strawberry.mutation(description="Admin: bring the year's angka kredit ledger up to date.")
    async def hitung_angka_kredit(
        self,
        info: Info,
        tahun: Annotated[int, strawberry.argument(description="The year, e.g. 2026.")],
    ) -> AngkaKreditResult:
        await ensure_allowed(info, Operation.COMPUTE_ANGKA_KREDIT)
        subject = info.context.principal.subject
        result = await guarded(lambda: kredit.hitung(check_tahun(tahun), subject))
        if isinstance(result, MutationError):
            return result
        return AngkaKreditDihitung(
            tahun=tahun,
            dibuat=result.dibuat,
            diubah=result.diubah,
            tetap=result.tetap,
            belum_final=result.belum_final,
        )
