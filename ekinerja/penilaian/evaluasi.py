"""The periodic (and annual) evaluation after submission:

    BELUM_DIAJUKAN ─ajukan (pegawai)─▶ DIAJUKAN ─nilai (penilai)─▶ DINILAI ─penetapan─▶ DITETAPKAN
                                          ▲                          │
                                          └───batalkan (penilai)─────┘

Only the SKP's snapshotted pejabat penilai rates; the predikat is derived from the two ratings
by the matrix (predikat.py), never set by a client. Rating again before penetapan replaces the
ratings; cancelling returns the evaluation to DIAJUKAN. Every step names the version it saw,
is recorded in the evaluation's history and audited. Penetapan is per unit (penetapan.py); a
keberatan may change the ratings afterwards (keberatan.py).
"""

from __future__ import annotations

from ekinerja import audit
from ekinerja.db.locks import serialize
from ekinerja.kepegawaian.calendar import sekarang
from ekinerja.models.tenant import EvaluasiPeriodik, KinerjaOrganisasi, RiwayatEvaluasi, Skp
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.enums import Rating
from ekinerja.penilaian.periode import placement, window_of
from ekinerja.penilaian.predikat import predikat
from ekinerja.refusals import Refusal, invalid
from ekinerja.skp.lifecycle import Caller, acts_for

MAX_CATATAN = 4000


async def locked(evaluasi_id: int, expected_version: int) -> EvaluasiPeriodik:
    found = await EvaluasiPeriodik.select_for_update().get_or_none(id=evaluasi_id)
    if found is None:
        raise Refusal("NOT_FOUND", f"no evaluation with id {evaluasi_id}", "evaluasiId")
    if found.lock_version != expected_version:
        raise Refusal(
            "STALE_VERSION",
            f"the evaluation changed since you loaded it (version {found.lock_version}, you "
            f"had {expected_version}): reload and try again",
            "versiDiharapkan",
        )
    return found


async def record(
    evaluasi: EvaluasiPeriodik, aksi: str, oleh: str, catatan: str | None = None, **detail
):
    """Save the evaluation's new state with its history line and an audit event (``detail``:
    more to audit, e.g. the document of an external appraiser's act)."""
    evaluasi.lock_version += 1
    await evaluasi.save()
    await RiwayatEvaluasi.create(
        evaluasi_id=evaluasi.id,
        aksi=aksi,
        status=evaluasi.status,
        rating_hasil_kerja=evaluasi.rating_hasil_kerja,
        rating_perilaku=evaluasi.rating_perilaku,
        predikat=evaluasi.predikat,
        catatan=catatan,
        oleh=oleh,
    )
    await audit.record(
        oleh,
        f"evaluasi.{aksi.lower()}",
        "evaluasi_periodik",
        evaluasi.id,
        periode=evaluasi.periode,
        status=evaluasi.status.value,
        predikat=evaluasi.predikat.value if evaluasi.predikat else None,
        **detail,
    )


async def hold_batch(unit_id: int | None, periode: str, *, shared: bool = True) -> None:
    """Hold a unit's batch for the period until the transaction ends. Penetapan holds it alone
    (exclusive) from its checks to its writes; submitting, rating and cancelling hold it shared
    (they do not wait on each other), so none of them slips between penetapan's checks (no
    evaluation waiting, the curve) and the batch it fixes. Taken before any evaluation row
    lock, in every path, so the two kinds of lock cannot wait on each other in a cycle."""
    if unit_id is not None:
        await serialize("batch", unit_id, periode, shared=shared)


async def _hold_recorded_batch(evaluasi_id: int) -> None:
    """The batch an evaluation was placed in when submitted, held shared before the
    evaluation itself is locked (see hold_batch)."""
    placed = await EvaluasiPeriodik.filter(id=evaluasi_id).values_list("unit_id", "periode")
    if placed:
        await hold_batch(*placed[0])


async def ensure_batch_open(unit_id: int | None, periode: str) -> None:
    """A unit's fixed batch takes no new or changed ratings (only a keberatan changes one)."""
    if unit_id is None:
        return
    await hold_batch(unit_id, periode)
    if await KinerjaOrganisasi.exists(
        unit_id=unit_id, periode=periode, ditetapkan_pada__isnull=False
    ):
        raise Refusal("LOCKED", f"the unit's {periode} results are already fixed", "evaluasiId")


async def _as_penilai(evaluasi: EvaluasiPeriodik, caller: Caller) -> Skp:
    skp = await Skp.get(id=evaluasi.skp_id)
    if not acts_for(caller, skp.penilai_pegawai_id):
        raise Refusal("NOT_PENILAI", "only this SKP's pejabat penilai may do this", "evaluasiId")
    return skp


async def rate(
    evaluasi_id: int,
    expected_version: int,
    hasil_kerja: Rating,
    perilaku: Rating,
    catatan: str | None,
    caller: Caller,
) -> EvaluasiPeriodik:
    """Rate a submitted evaluation (or rate it again before penetapan)."""
    await _hold_recorded_batch(evaluasi_id)
    evaluasi = await locked(evaluasi_id, expected_version)
    skp = await _as_penilai(evaluasi, caller)
    if evaluasi.status not in (StatusEvaluasi.DIAJUKAN, StatusEvaluasi.DINILAI):
        raise Refusal(
            "INVALID_TRANSITION",
            f"an evaluation that is {evaluasi.status.value} cannot be rated",
            "evaluasiId",
        )
    catatan = (catatan or "").strip() or None
    if catatan and len(catatan) > MAX_CATATAN:
        raise invalid("catatan", f"the note is longer than {MAX_CATATAN} characters")
    window = await window_of(evaluasi.periode)
    # Where the pegawai stood on the SKP's last day in the window (as at submission).
    where = await placement(skp.pegawai_id, min(window.akhir, skp.periode_akhir))
    await ensure_batch_open(where.unit_id, evaluasi.periode)
    evaluasi.unit_id, evaluasi.jenjang = where.unit_id, where.jenjang
    evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku = hasil_kerja, perilaku
    evaluasi.predikat = predikat(hasil_kerja, perilaku)
    evaluasi.catatan_penilai = catatan
    evaluasi.penilai_pegawai_id = caller.pegawai_id
    evaluasi.status = StatusEvaluasi.DINILAI
    evaluasi.dinilai_pada = sekarang()
    await record(evaluasi, "DINILAI", caller.subject, catatan, **caller.audit_detail)
    return evaluasi


async def cancel(
    evaluasi_id: int, expected_version: int, alasan: str, caller: Caller
) -> EvaluasiPeriodik:
    """Withdraw a rating before penetapan: the evaluation waits for rating again."""
    await _hold_recorded_batch(evaluasi_id)
    evaluasi = await locked(evaluasi_id, expected_version)
    await _as_penilai(evaluasi, caller)
    if evaluasi.status is not StatusEvaluasi.DINILAI:
        raise Refusal(
            "INVALID_TRANSITION",
            f"only a rated evaluation not yet fixed can be cancelled (it is "
            f"{evaluasi.status.value})",
            "evaluasiId",
        )
    alasan = (alasan or "").strip()
    if not alasan:
        raise invalid("alasan", "say why the assessment is cancelled")
    evaluasi.status = StatusEvaluasi.DIAJUKAN
    evaluasi.rating_hasil_kerja = evaluasi.rating_perilaku = evaluasi.predikat = None
    evaluasi.dinilai_pada = None
    await record(evaluasi, "DIBATALKAN", caller.subject, alasan)
    return evaluasi
