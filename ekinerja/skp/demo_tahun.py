"""A walkable year in the demo agency, on top of the approved plans of `seed_demo_skp`.

One team (a penilai and the staff of their own unit, preferring jabatan fungsional so the
angka kredit ledger has lines) lives the year through the domain's own functions, so events,
audits and invariants hold as for real users: progres harian for every rencana aksi of each
started window, realisasi with a link as evidence, the penilai's umpan balik, and, for every
window that has ended, submission, rating (a spread of predikat), the unit's predikat and
penetapan by the leader above (the first window all Baik, so the curve answers WARNING), a
keberatan left pending on the last window, and the year's angka kredit ledger.

Penetapan happens in the demo a week after each window (at the latest today), so earlier
windows are past the keberatan period and final, as they would be in December. Everyone else
keeps the plan only: the walk is a fixed amount of work whatever the agency's size.
Deterministic: teams, dates and ratings follow ids and window order. Re-running does nothing
once the team has an evaluation for the year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import hari_ini, zona
from ekinerja.models.tenant import (
    EvaluasiPeriodik,
    Indikator,
    KinerjaOrganisasi,
    RencanaAksi,
    Rhk,
    Skp,
)
from ekinerja.pelaksanaan import periode as evaluation_windows
from ekinerja.pelaksanaan.bukti import Target, add_link
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.pelaksanaan.progres import ProgresInput, create_progres
from ekinerja.pelaksanaan.realisasi import RealisasiItem, save_realisasi_bulk
from ekinerja.pelaksanaan.umpan_balik import UmpanBalikInput, give
from ekinerja.penilaian import evaluasi as penilaian
from ekinerja.penilaian import keberatan, kredit, penetapan
from ekinerja.penilaian.enums import PredikatOrganisasi, Rating
from ekinerja.penilaian.periode import leader_above
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.skp.enums import AspekIki
from ekinerja.skp.lifecycle import Caller
from ekinerja.skp.periode import Window, kadensi_of, windows

TEAM_SIZE = 6  # enough for a spread of predikat; small enough to seed in a moment
SUBJECT = "demo"
_PENETAPAN_AFTER = timedelta(days=7)
_KEBERATAN_AFTER = timedelta(days=3)
_AT_WORK = (time(8), time(11))

_SB = (Rating.DI_ATAS_EKSPEKTASI, Rating.DI_ATAS_EKSPEKTASI)
_B = (Rating.SESUAI_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI)
_BP = (Rating.DI_BAWAH_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI)
_K = (Rating.DI_BAWAH_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI)

# The team: a penilai in the system with an atasan (so keberatan is possible) and the most
# staff of their own unit, jabatan fungsional first; ties by the lowest penilai id.
_TEAM = """
WITH staff AS (
  SELECT s.id, s.penilai_pegawai_id AS penilai,
         s.snapshot_pegawai->>'jenisJabatan' = 'FUNGSIONAL' AS fungsional
  FROM skp s
  WHERE s.tahun = $1 AND s.status = 'DISETUJUI' AND s.digantikan_pada IS NULL
    AND s.penilai_pegawai_id IS NOT NULL AND s.atasan_penilai_pegawai_id IS NOT NULL
    AND s.snapshot_pegawai->>'unit' = s.snapshot_penilai->>'unit'
)
SELECT penilai, array_agg(id ORDER BY fungsional DESC, id) AS skps FROM staff
GROUP BY penilai
ORDER BY count(*) FILTER (WHERE fungsional) DESC, count(*) DESC, penilai
LIMIT 1"""


@dataclass(frozen=True)
class DemoYear:
    pegawai: int
    evaluasi: int
    penetapan: int
    keberatan: int
    angka_kredit: int


@dataclass(frozen=True)
class DemoPlans:
    skp: int  # SKPs created
    tahun_berjalan: DemoYear | None  # the walk, for the current year only


async def seed_demo_plans(tahun: int, on_step: Callable[[str], None] | None = None) -> DemoPlans:
    """`demo seed --skp-tahun`: approved, cascaded SKPs for everyone who has none for
    ``tahun`` (idempotent); in the current year, the year walked up to today as well.
    ``on_step`` hears a line as each of the two (slow) steps starts."""
    say = on_step or (lambda _line: None)
    say(f"demo SKPs {tahun}: creating approved, cascaded SKPs for whoever has none")
    created = await seed_demo_skp(tahun)
    walked = None
    if tahun == (await hari_ini()).year:
        say(f"demo SKPs {tahun}: walking one team's year up to today (evaluations, ratings)")
        walked = await seed_demo_year(tahun)
    return DemoPlans(created, walked)


def _rating(window_index: int, member: int, team: int) -> tuple[Rating, Rating]:
    """All Baik in the first window (the curve warns); later a spread: one Sangat Baik, one
    Butuh Perbaikan (Kurang every third window), the rest Baik."""
    if window_index == 0:
        return _B
    if member == 0:
        return _SB
    if member == team - 1:
        return _K if window_index % 3 == 2 else _BP
    return _B


async def seed_demo_year(tahun: int, on: date | None = None) -> DemoYear | None:
    """Walk the year up to ``on`` (default today) for one team; None when there is no team
    or the year was walked already."""
    on = on or await hari_ini()
    found = await fetch(_TEAM, tahun)
    if not found:
        return None
    penilai = Caller(found[0]["penilai"], SUBJECT)
    skps = await Skp.filter(id__in=found[0]["skps"][:TEAM_SIZE]).order_by("id")
    skps.sort(key=lambda s: found[0]["skps"].index(s.id))
    if await EvaluasiPeriodik.exists(skp_id__in=[s.id for s in skps]):
        return None
    year = windows(tahun, await kadensi_of(tahun))
    started = [w for w in year if w.awal <= on]
    ended = [w for w in started if w.akhir < on]
    for skp in skps:
        await _execute(skp, started, penilai, on)
    evaluated: dict[str, list[EvaluasiPeriodik]] = {}
    for index, window in enumerate(ended):
        evaluated[window.kode] = [
            await _evaluate(skp, window.kode, _rating(index, n, len(skps)), penilai)
            for n, skp in enumerate(skps)
        ]
    fixed = 0
    for window in ended:
        fixed += await _fix(window, evaluated[window.kode], on)
    filed = await _object(skps[-1], ended[-1], on) if ended and fixed else 0
    ledger = await kredit.hitung(tahun, SUBJECT, on) if ended else None
    return DemoYear(
        pegawai=len(skps),
        evaluasi=sum(len(v) for v in evaluated.values()),
        penetapan=fixed,
        keberatan=filed,
        angka_kredit=ledger.dibuat + ledger.diubah + ledger.tetap if ledger else 0,
    )


async def _execute(skp: Skp, started: list[Window], penilai: Caller, on: date) -> None:
    """Progres, realisasi with a link as evidence, and the penilai's feedback, per window."""
    me = Caller(skp.pegawai_id, SUBJECT)
    nip = skp.snapshot_pegawai["nip"]
    rhk = await Rhk.filter(skp_id=skp.id).order_by("urutan", "id")
    indikator = await Indikator.filter(rhk__skp_id=skp.id).order_by("rhk_id", "urutan", "id")
    for window in started:
        plans = await RencanaAksi.filter(rhk__skp_id=skp.id, periode=window.kode).order_by("id")
        day = min(window.awal + timedelta(days=9), on)
        await create_progres(
            [
                ProgresInput(plan.id, day, *_AT_WORK, f"Mengerjakan: {plan.teks}", 1, "Dokumen")
                for plan in plans
            ],
            me,
        )
        saved = await save_realisasi_bulk(
            skp.id,
            window.kode,
            [RealisasiItem(i.id, _realised(i.aspek), f"Capaian {window.kode}") for i in indikator],
            me,
        )
        await add_link(
            Target(realisasi_id=saved[0].id),
            f"Laporan {window.kode}",
            f"https://arsip.demo.go.id/kinerja/{nip}/{window.kode}.pdf",
            me,
        )
        teks = "Pertahankan ketepatan waktu; lengkapi bukti dukung setiap dokumen."
        await give(UmpanBalikInput(skp.id, window.kode, rhk[0].id, None, (), teks), penilai)


def _realised(aspek: AspekIki) -> Decimal:
    return {AspekIki.KUANTITAS: Decimal(1), AspekIki.KUALITAS: Decimal(95)}.get(aspek, Decimal(3))


async def _evaluate(
    skp: Skp, periode: str, rating: tuple[Rating, Rating], penilai: Caller
) -> EvaluasiPeriodik:
    me = Caller(skp.pegawai_id, SUBJECT)
    submitted = await evaluation_windows.submit(skp.id, periode, me, "Laporan terlampir")
    current = await EvaluasiPeriodik.get(id=submitted.id)
    return await penilaian.rate(current.id, current.lock_version, *rating, "Dinilai", penilai)


async def _fix(window: Window, rated: list[EvaluasiPeriodik], on: date) -> int:
    """The leader above each unit sets it BAIK and fixes its results, dated a week after the
    window (at the latest today)."""
    fixed = 0
    when = datetime.combine(min(window.akhir + _PENETAPAN_AFTER, on), time(10), await zona())
    for unit_id in sorted({e.unit_id for e in rated if e.unit_id is not None}):
        leader = await leader_above(unit_id, window.akhir)
        if leader is None:
            continue
        caller = Caller(leader, SUBJECT)
        await penetapan.set_predikat(unit_id, window.kode, PredikatOrganisasi.BAIK, None, caller)
        await penetapan.tetapkan(unit_id, window.kode, caller)
        await EvaluasiPeriodik.filter(
            unit_id=unit_id, periode=window.kode, status=StatusEvaluasi.DITETAPKAN
        ).update(ditetapkan_pada=when)
        await KinerjaOrganisasi.filter(unit_id=unit_id, periode=window.kode).update(
            ditetapkan_pada=when
        )
        fixed += 1
    return fixed


async def _object(skp: Skp, window: Window, on: date) -> int:
    """The lowest-rated member objects to the last window's result, within the period."""
    evaluasi = await EvaluasiPeriodik.get(
        skp_id=skp.id, periode=window.kode, status=StatusEvaluasi.DITETAPKAN
    )
    filed_on = min(evaluasi.ditetapkan_pada.astimezone(await zona()).date() + _KEBERATAN_AFTER, on)
    await keberatan.ajukan(
        evaluasi.id,
        "Realisasi dan bukti dukung triwulan ini belum dipertimbangkan sepenuhnya.",
        [("Laporan kinerja", f"https://arsip.demo.go.id/keberatan/{evaluasi.id}.pdf")],
        Caller(skp.pegawai_id, SUBJECT),
        on=filed_on,
    )
    return 1
