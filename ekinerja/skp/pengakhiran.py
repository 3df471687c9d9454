"""Ending an SKP before the date it was planned to run to: a transfer (mutasi) or a retirement
ends the plan mid-year, and a new post starts a new SKP the next day (docs/domain.md 3: one SKP per
pegawai per period; windows are clipped to the SKP's dates, skp/periods.clip).

Two ways in, one rule:
- `akhiri`: the pegawai or an admin instansi ends the SKP on a date (a retirement, a leave
  with no new SKP), audited with the reason.
- `create_skp` for a new post: when the pegawai's SKP in force started earlier and they took
  up a post (a penugasan) since, in force on the new SKP's first day (a mutasi, a
  promotion), that SKP ends the day before. Without a new post the overlap is refused
  OVERLAPPING_SKP as before, so a mistyped start never cuts an approved plan.

Either way nothing recorded may fall after the new end (an evaluation of a window that runs
past it, or of the year; realisasi of a window starting later; progres harian dated later), no
revision may be pending, and only the version in force ends: the plan the pegawai is
appraised on never loses recorded work, and no result is re-judged on fewer days.
"""

from __future__ import annotations

from datetime import date

from tortoise.expressions import Q

from ekinerja import audit
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.enums import JenisPenugasan
from ekinerja.models.tenant import Penugasan, Skp
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.refusals import invalid
from ekinerja.skp.errors import SkpError
from ekinerja.skp.lifecycle import Caller, announce, locked
from ekinerja.skp.periode import kadensi_of, windows

MAX_ALASAN = 2000

_RECORDED = """
SELECT (SELECT array_agg(DISTINCT e.periode) FROM evaluasi_periodik e
        WHERE e.skp_id = $1) AS evaluasi,
       (SELECT array_agg(DISTINCT r.periode) FROM realisasi r WHERE r.skp_id = $1) AS realisasi,
       (SELECT max(p.tanggal) FROM progres_harian p WHERE p.skp_id = $1) AS progres_terakhir,
       EXISTS (SELECT 1 FROM skp pending WHERE pending.menggantikan_id = $1
               AND pending.digantikan_pada IS NULL) AS revisi_tertunda"""


async def check_can_end(skp: Skp, akhir: date) -> None:
    """Refuse unless ``skp`` may end on ``akhir`` (field ``tanggalAkhir``)."""
    if skp.digantikan_pada is not None:
        raise SkpError("SUPERSEDED", f"SKP version {skp.versi} was replaced by a newer version")
    if not skp.periode_awal <= akhir < skp.periode_akhir:
        raise invalid(
            "tanggalAkhir",
            f"the SKP runs {skp.periode_awal} – {skp.periode_akhir}: it can end on a day from "
            f"its start to the day before its planned end",
        )
    (row,) = await fetch(_RECORDED, skp.id)
    if row["revisi_tertunda"]:
        raise SkpError(
            "REVISION_PENDING",
            "a revision of this SKP is waiting: approve or discard it first",
            "skpId",
        )
    year = windows(skp.tahun, await kadensi_of(skp.tahun))
    # An evaluation judged its whole window (clipped to the SKP as it then was): one that ran
    # past the new end, or the year's (annual) one, would be judged again on fewer days, its
    # angka kredit changed after the fact. Realisasi counts only once its window had begun.
    judged = {w.kode for w in year if w.akhir <= akhir}
    begun = {w.kode for w in year if w.awal <= akhir}
    for kind, code, periods, allowed in (
        ("an evaluation covers", "EVALUATION_AFTER_END", row["evaluasi"], judged),
        ("realisasi was recorded for", "REALISASI_AFTER_END", row["realisasi"], begun),
    ):
        after = sorted(set(periods or ()) - allowed)
        if after:
            raise SkpError(
                code,
                f"{kind} {', '.join(after)}, which runs past {akhir}: the SKP cannot end before it",
                "tanggalAkhir",
            )
    if row["progres_terakhir"] is not None and row["progres_terakhir"] > akhir:
        raise SkpError(
            "PROGRES_AFTER_END",
            f"progres harian was logged up to {row['progres_terakhir']}, after {akhir}",
            "tanggalAkhir",
        )


async def _end(skp: Skp, akhir: date, caller: Caller, alasan: str) -> Skp:
    """Move the last day; audited (`skp.end`) and announced (`skp.diakhiri`). Not a transition
    of the lifecycle: the SKP keeps its state."""
    before = skp.periode_akhir
    skp.periode_akhir = akhir
    skp.lock_version += 1
    await skp.save(update_fields=["periode_akhir", "lock_version", "updated_at"])
    await audit.record(caller.subject, "skp.end", "skp", skp.id, sebelum=before.isoformat(),
                       sesudah=akhir.isoformat(), alasan=alasan, **caller.audit_detail)  # fmt: skip
    await announce(skp, JenisPeristiwa.SKP_DIAKHIRI)
    return skp


async def akhiri(
    skp_id: int, expected_version: int, akhir: date, alasan: str, caller: Caller
) -> Skp:
    """End the SKP on ``akhir`` (its last day), saying why."""
    skp = await locked(skp_id, expected_version)
    reason = (alasan or "").strip()
    if not reason or len(reason) > MAX_ALASAN:
        raise invalid("alasan", f"say why the SKP ends early (at most {MAX_ALASAN} characters)")
    await check_can_end(skp, akhir)
    return await _end(skp, akhir, caller, reason)


async def _moved_since(skp: Skp, awal: date) -> bool:
    """Whether the pegawai took up a post of their own (a definitive penugasan in force on
    ``awal``) after ``skp`` started: a mutasi or a promotion, which calls for a new SKP."""
    return (
        await Penugasan.filter(
            pegawai_id=skp.pegawai_id,
            # An acting post (PLT, PLH) is held beside one's own: no new plan.
            jenis=JenisPenugasan.DEFINITIF,
            berlaku_mulai__gt=skp.periode_awal,
            berlaku_mulai__lte=awal,
        )
        .filter(Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gt=awal))
        .exists()
    )


async def end_for_new_post(overlapping: list[Skp], awal: date, caller: Caller) -> bool:
    """End the SKP in force the day before ``awal`` when the pegawai took up another post
    since it started. False when this is no such case (the caller then refuses the overlap)."""
    if len(overlapping) != 1:
        return False
    (skp,) = overlapping
    if skp.periode_awal >= awal or not await _moved_since(skp, awal):
        return False
    locked_skp = await locked(skp.id, skp.lock_version)
    akhir = date.fromordinal(awal.toordinal() - 1)
    await check_can_end(locked_skp, akhir)
    await _end(locked_skp, akhir, caller, f"a new post from {awal.isoformat()}: a new SKP")
    return True
