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


@strawberry.type(description="A unit's predikat organisasi for a period.")
class PredikatOrganisasiSet:
    unit_id: strawberry.ID
    periode: str
    predikat: PredikatOrganisasi


@strawberry.type(description="Penetapan done: the batch is fixed and locked.")
class PenetapanSelesai:
    unit_id: strawberry.ID
    periode: str
    hasil_kurva: HasilKurva
    pemeriksaan: PemeriksaanKurva
    jumlah_ditetapkan: int


@strawberry.input
class LampiranInput:
    nama: str
    tautan: str


@strawberry.type(description="The angka kredit ledger brought up to date.")
class AngkaKreditDihitung:
    tahun: int
    dibuat: int
    diubah: int
    tetap: int
    belum_final: int = strawberry.field(description="Fixed results still open to keberatan.")


EvaluasiResult = Annotated[
    EvaluasiPeriodik | MutationError, strawberry.union("EvaluasiPenilaianResult")
]
PredikatOrganisasiResult = Annotated[
    PredikatOrganisasiSet | MutationError, strawberry.union("PredikatOrganisasiResult")
]
PenetapanResult = Annotated[PenetapanSelesai | MutationError, strawberry.union("PenetapanResult")]
KeberatanResult = Annotated[Keberatan | MutationError, strawberry.union("KeberatanResult")]
AngkaKreditResult = Annotated[
    AngkaKreditDihitung | MutationError, strawberry.union("AngkaKreditResult")
]


def _caller(info: Info) -> Caller:
    return Caller(info.context.pegawai_id, info.context.principal.subject)


async def _ensure_may_assess(info: Info, evaluasi_id: strawberry.ID) -> None:
    """ASSESS, judged against the SKP's snapshotted pejabat penilai."""
    found = (
        await models.Skp.get_or_none(evaluasi__id=row_id).values("pegawai_id", "penilai_pegawai_id")
        if (row_id := id_or_none(evaluasi_id)) is not None
        else None
    )
    found = found or {}
    await ensure_allowed(
        info, Operation.ASSESS, found.get("pegawai_id") or -1,
        appraisers=[found.get("penilai_pegawai_id")],
    )  # fmt: skip


async def _owner_of_evaluasi(evaluasi_id: strawberry.ID) -> int | None:
    if (found := id_or_none(evaluasi_id)) is None:
        return None
    return await models.Skp.get_or_none(evaluasi__id=found).values_list("pegawai_id", flat=True)


async def _keberatan_parties(keberatan_id: strawberry.ID) -> dict:
    if (row_id := id_or_none(keberatan_id)) is None:
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
        evaluasi_id: strawberry.ID,
        expected_version: int,
        rating_hasil_kerja: Rating,
        rating_perilaku: Rating,
        catatan: str | None = None,
    ) -> EvaluasiResult:
        await _ensure_may_assess(info, evaluasi_id)
        return await _evaluasi_result(
            lambda: evaluasi.rate(
                parse_id(evaluasi_id, "evaluasiId"),
                expected_version,
                rating_hasil_kerja,
                rating_perilaku,
                catatan,
                _caller(info),
            )
        )

    @strawberry.mutation(description="As penilai: cancel a rating before penetapan (audited).")
    async def batalkan_penilaian(
        self, info: Info, evaluasi_id: strawberry.ID, expected_version: int, alasan: str
    ) -> EvaluasiResult:
        await _ensure_may_assess(info, evaluasi_id)
        return await _evaluasi_result(
            lambda: evaluasi.cancel(
                parse_id(evaluasi_id, "evaluasiId"), expected_version, alasan, _caller(info)
            )
        )

    @strawberry.mutation(description="As the leader one level up: a unit's predikat for a period.")
    async def set_predikat_organisasi(
        self,
        info: Info,
        unit_id: strawberry.ID,
        periode: str,
        predikat: PredikatOrganisasi,
        catatan: str | None = None,
    ) -> PredikatOrganisasiResult:
        await ensure_allowed(info, Operation.SET_KINERJA_ORGANISASI)
        result = await guarded(
            lambda: penetapan.set_predikat(
                parse_id(unit_id, "unitId"), periode, predikat, catatan, _caller(info)
            )
        )
        if isinstance(result, MutationError):
            return result
        return PredikatOrganisasiSet(unit_id=unit_id, periode=periode, predikat=result.predikat)

    @strawberry.mutation(
        description="As the leader one level up: check the unit's distribution against the "
        "curve and, unless the tenant's policy blocks, fix every rated evaluation of the batch."
    )
    async def tetapkan_kinerja_unit(
        self, info: Info, unit_id: strawberry.ID, periode: str
    ) -> PenetapanResult:
        await ensure_allowed(info, Operation.SET_KINERJA_ORGANISASI)
        result = await guarded(
            lambda: penetapan.tetapkan(parse_id(unit_id, "unitId"), periode, _caller(info))
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
        evaluasi_id: strawberry.ID,
        alasan: str,
        lampiran: list[LampiranInput] | None = None,
    ) -> KeberatanResult:
        await ensure_allowed(
            info, Operation.WRITE_KEBERATAN, await _owner_of_evaluasi(evaluasi_id) or -1
        )
        return await _keberatan_result(
            lambda: keberatan.ajukan(
                parse_id(evaluasi_id, "evaluasiId"),
                alasan,
                [(a.nama, a.tautan) for a in lampiran or []],
                _caller(info),
            )
        )

    @strawberry.mutation(description="As atasan pejabat penilai: ask both sides to explain.")
    async def minta_penjelasan_keberatan(
        self, info: Info, keberatan_id: strawberry.ID, permintaan: str
    ) -> KeberatanResult:
        await _ensure_may_decide(info, keberatan_id)
        return await _keberatan_result(
            lambda: keberatan.minta_penjelasan(
                parse_id(keberatan_id, "keberatanId"), permintaan, _caller(info)
            )
        )

    @strawberry.mutation(description="As the pegawai or the penilai: explain, when asked.")
    async def beri_penjelasan_keberatan(
        self, info: Info, keberatan_id: strawberry.ID, penjelasan: str
    ) -> KeberatanResult:
        await _ensure_may_explain(info, keberatan_id)
        return await _keberatan_result(
            lambda: keberatan.beri_penjelasan(
                parse_id(keberatan_id, "keberatanId"), penjelasan, _caller(info)
            )
        )

    @strawberry.mutation(
        description="As atasan pejabat penilai: decide DITOLAK, or DIUBAH with new ratings "
        "(the original stays in the evaluation's history). Final."
    )
    async def putuskan_keberatan(
        self,
        info: Info,
        keberatan_id: strawberry.ID,
        hasil: HasilKeberatan,
        catatan: str,
        rating_hasil_kerja: Rating | None = None,
        rating_perilaku: Rating | None = None,
    ) -> KeberatanResult:
        await _ensure_may_decide(info, keberatan_id)
        return await _keberatan_result(
            lambda: keberatan.putuskan(
                parse_id(keberatan_id, "keberatanId"),
                hasil,
                catatan,
                _caller(info),
                rating_hasil_kerja,
                rating_perilaku,
            )
        )

    @strawberry.mutation(description="Admin: bring the year's angka kredit ledger up to date.")
    async def hitung_angka_kredit(self, info: Info, tahun: int) -> AngkaKreditResult:
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
