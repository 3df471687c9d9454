"""Which evaluation windows are still open for an SKP.

A window is open for progres and realisasi until the pegawai submits its evaluation
(EvaluasiPeriodik leaves BELUM_DIAJUKAN); the assessment that follows reads a fixed record.

"Open" is checked by reading, then a record is written: a race with the submission, which
could commit between the check and the write and leave a record in the window it just closed.
So every write into a window (progres, realisasi, evidence) holds the window's lock shared
from before its check to the end of its transaction (`hold_for_writing`), and submission holds
it exclusively (`hold_for_closing`): a submission waits for the writes under way, and a write
that comes after it waits, then finds the window closed. Writers do not wait on each other.

The locks are striped: a window is one of WINDOW_LOCK_STRIPES locks per tenant, so an import
touching thousands of windows holds at most that many (every lock held is an entry in
PostgreSQL's shared lock table, which a few such imports would otherwise exhaust). Unrelated
windows sharing a stripe only make a submission wait for a write to finish. Lock order: a
writer's own rows (the entry or evidence it edits), then its stripes in ascending order, taken
at one point; a submission takes its one stripe after inserting its evaluation row (a twin
submission waits on that row's unique key, as before) and before locking it and the batch.
Writers never lock evaluations or batches, so no cycle of waits can form."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from ekinerja.db.locks import serialize
from ekinerja.kepegawaian.calendar import hari_ini, sekarang
from ekinerja.models.tenant import EvaluasiPeriodik, Skp
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian import peristiwa
from ekinerja.penilaian.evaluasi import ensure_batch_open, record
from ekinerja.penilaian.periode import LAST_PERIOD, annual_policy, is_annual, placement, window_of
from ekinerja.refusals import Refusal
from ekinerja.skp.enums import StatusSkp
from ekinerja.skp.lifecycle import Caller
from ekinerja.skp.periode import Window, clip, kadensi_of, windows


async def closed_windows(skp_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(skp id, periode) of every submitted window of these SKPs: one query."""
    rows = (
        await EvaluasiPeriodik.filter(skp_id__in=list(set(skp_ids)))
        .exclude(status=StatusEvaluasi.BELUM_DIAJUKAN)
        .values_list("skp_id", "periode")
    )
    return {(skp_id, periode) for skp_id, periode in rows}


def window_closed(skp_id: int, periode: str) -> Refusal:
    return Refusal(
        "WINDOW_CLOSED",
        f"the evaluation of {periode} was already submitted; its records no longer change",
        "periode",
    )


WINDOW_LOCK_STRIPES = 256


def _stripe(skp_id: int, periode: str) -> int:
    """The window's lock among the stripes: the same in every process (crc32, not hash())."""
    return zlib.crc32(f"{skp_id}:{periode}".encode()) % WINDOW_LOCK_STRIPES


async def hold_for_writing(keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Hold the locks of the windows ``keys`` (skp id, periode) shared until the transaction
    ends, then say which of them are closed: read after the locks are held, so a submission
    either committed before (and is seen) or waits for this transaction."""
    keys = set(keys)
    for stripe in sorted({_stripe(*key) for key in keys}):  # one order: no deadlock
        await serialize("window", stripe, shared=True)
    return await closed_windows(skp_id for skp_id, _ in keys) & keys


async def hold_for_closing(skp_id: int, periode: str) -> None:
    """Hold the window's lock exclusively (for its submission) until the transaction ends."""
    await serialize("window", _stripe(skp_id, periode))


async def ensure_open(skp_id: int, periode: str) -> None:
    """Refuse WINDOW_CLOSED unless the window is open, and keep it open (no submission commits)
    until the caller's transaction ends."""
    if await hold_for_writing([(skp_id, periode)]):
        raise window_closed(skp_id, periode)


def ensure_in_force(skp: Skp) -> None:
    """Execution is recorded against the approved, current version of an SKP."""
    if skp.status is not StatusSkp.DISETUJUI:
        raise Refusal(
            "SKP_NOT_APPROVED",
            f"the SKP is {skp.status.value}: progress and realisation need an approved SKP",
            "skpId",
        )
    if skp.digantikan_pada is not None:
        raise Refusal(
            "SUPERSEDED",
            f"SKP version {skp.versi} was replaced by a newer version: record against that one",
            "skpId",
        )


def covered_by(skp: Skp, window: Window) -> Window:
    """The part of the window the SKP is in force (an SKP starting 1 March covers March of the
    first quarter only); PERIOD_OUTSIDE_SKP if it covers none of it."""
    covered = clip(window, skp.periode_awal, skp.periode_akhir)
    if covered is None:
        raise Refusal(
            "PERIOD_OUTSIDE_SKP",
            f"{window.kode} ({window.awal.isoformat()} to {window.akhir.isoformat()}) lies "
            f"outside this SKP's period ({skp.periode_awal.isoformat()} to "
            f"{skp.periode_akhir.isoformat()}); record it under the SKP in force then",
            "periode",
        )
    return covered


async def window_named(skp: Skp, periode: str) -> Window:
    """The SKP's part of its year's window ``periode``."""
    for window in windows(skp.tahun, await kadensi_of(skp.tahun)):
        if window.kode == periode:
            return covered_by(skp, window)
    raise Refusal(
        "INVALID_INPUT", f"{periode!r} is not an evaluation window of {skp.tahun}", "periode"
    )


async def _submitted_under_earlier_version(skp: Skp, periode: str) -> bool:
    """Whether a replaced version of the SKP already submitted the window: evaluating it again
    under the revision would give the pegawai two predikat (and two angka kredit lines, the
    ledger being one line per evaluation) for the same months."""
    if skp.menggantikan_id is None or skp.lineage_id is None:
        return False
    return (
        await EvaluasiPeriodik.filter(skp__lineage_id=skp.lineage_id, periode=periode)
        .exclude(skp_id=skp.id)
        .exclude(status=StatusEvaluasi.BELUM_DIAJUKAN)
        .exists()
    )


async def submit(
    skp_id: int, periode: str, caller: Caller, catatan: str | None
) -> EvaluasiPeriodik:
    """The pegawai submits a window's realisation for evaluation: the window closes. The annual
    period is submitted only where the instansi evaluates the year separately."""
    skp = await Skp.get_or_none(id=skp_id)
    if skp is None:
        raise Refusal("NOT_FOUND", f"no SKP with id {skp_id}", "skpId")
    if caller.pegawai_id != skp.pegawai_id:
        raise Refusal("NOT_OWNER", "only the pegawai who owns this SKP may submit it", "skpId")
    ensure_in_force(skp)
    window = await window_of(periode)
    if window.awal.year != skp.tahun:
        raise Refusal("INVALID_INPUT", f"{periode!r} is not a period of {skp.tahun}", "periode")
    window = covered_by(skp, window)
    if await hari_ini() < window.awal:
        raise Refusal(
            "PERIOD_NOT_STARTED",
            f"{periode} starts for this SKP on {window.awal.isoformat()}: "
            "it cannot be submitted before then",
            "periode",
        )
    if is_annual(periode) and await annual_policy() == LAST_PERIOD:
        raise Refusal(
            "ANNUAL_FROM_LAST_PERIOD",
            "this instansi takes the annual predikat from the year's last periodic evaluation; "
            "there is nothing to submit for the year itself",
            "periode",
        )
    if await _submitted_under_earlier_version(skp, periode):
        raise Refusal(
            "WINDOW_CLOSED",
            f"{periode} was already submitted under an earlier version of this SKP; it is "
            "evaluated there (a perubahan applies to the windows not yet submitted)",
            "periode",
        )
    evaluasi, _ = await EvaluasiPeriodik.get_or_create(skp_id=skp.id, periode=periode)
    await hold_for_closing(skp.id, periode)  # waits for the writes into the window under way
    evaluasi = await EvaluasiPeriodik.select_for_update().get(id=evaluasi.id)
    if evaluasi.status is not StatusEvaluasi.BELUM_DIAJUKAN:
        raise window_closed(skp.id, periode)
    evaluasi.status = StatusEvaluasi.DIAJUKAN
    # The batch it will be fixed in (confirmed again when rated), from where the pegawai stood
    # on the SKP's last day in the window: a pegawai transferred mid-window is fixed in the old
    # unit for the old SKP.
    where = await placement(skp.pegawai_id, window.akhir)
    await ensure_batch_open(where.unit_id, periode)
    evaluasi.unit_id, evaluasi.jenjang = where.unit_id, where.jenjang
    evaluasi.catatan_pegawai = (catatan or "").strip() or None
    evaluasi.diajukan_pada = sekarang()  # the injected clock, when a scenario sets one
    await record(evaluasi, "DIAJUKAN", caller.subject, evaluasi.catatan_pegawai)
    await peristiwa.diajukan(evaluasi, skp)  # in the submission's transaction
    return evaluasi
