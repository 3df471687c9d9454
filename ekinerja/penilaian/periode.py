"""Evaluation periods as the assessment sees them: the year's windows plus the annual one
(`YYYY-THN`), and where a pegawai stood at a period's end (unit, jenjang)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ekinerja import pengaturan
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.sql import UNITS_AT, in_force
from ekinerja.pengaturan.registry import KEBIJAKAN_TAHUNAN
from ekinerja.pengaturan.registry import LAST_PERIOD as LAST_PERIOD  # the domain's name for it
from ekinerja.refusals import Refusal
from ekinerja.skp.periode import Window, kadensi_of, windows

ANNUAL = "THN"
ANNUAL_POLICY_SETTING = KEBIJAKAN_TAHUNAN  # the key's name, where callers and tests look for it


def annual_kode(tahun: int) -> str:
    return f"{tahun}-{ANNUAL}"


def is_annual(kode: str) -> bool:
    return kode.endswith(f"-{ANNUAL}")


def annual_window(tahun: int) -> Window:
    return Window(annual_kode(tahun), "Tahunan", date(tahun, 1, 1), date(tahun, 12, 31))


def year_of(kode: str) -> int:
    head = kode.split("-", 1)[0]
    if not head.isdigit() or len(head) != 4:
        raise Refusal("INVALID_INPUT", f"{kode!r} is not an evaluation period", "periode")
    return int(head)


async def period_windows(tahun: int) -> list[Window]:
    """The year's windows in order, then the annual one."""
    return [*windows(tahun, await kadensi_of(tahun)), annual_window(tahun)]


async def window_of(kode: str) -> Window:
    for window in await period_windows(year_of(kode)):
        if window.kode == kode:
            return window
    raise Refusal("INVALID_INPUT", f"{kode!r} is not an evaluation period", "periode")


async def last_window(tahun: int) -> Window:
    return windows(tahun, await kadensi_of(tahun))[-1]


class Evaluasi(Protocol):
    """What `carried_to_annual` reads of an evaluation (an EvaluasiPeriodik row)."""

    id: int
    skp_id: int
    periode: str


def last_window_reached(year: list[Window], akhir: date) -> Window:
    """Of a year's windows (in order), the last one an SKP ending on ``akhir`` reaches: the one
    holding that day. The year's last window for an SKP to 31 December; T1 for one ending
    15 March (a retirement, or the first of a transfer's two SKPs)."""
    return next((w for w in reversed(year) if w.awal <= akhir), year[0])


async def skp_last_window(tahun: int, akhir: date) -> Window:
    """The last window of an SKP of ``tahun`` ending on ``akhir``: where, under LAST_PERIOD,
    its annual result comes from (`carried_to_annual`)."""
    return last_window_reached(windows(tahun, await kadensi_of(tahun)), akhir)


async def carried_to_annual(
    evaluasi: Iterable[Evaluasi], settings: pengaturan.PengaturanInstansi | None = None
) -> set[int]:
    """The ids of those evaluations whose result is also their SKP's annual result: under
    LAST_PERIOD, each SKP's own last window (`last_window_reached`, the window clipped to its
    dates), not the year's. An SKP ending before the year's last window (a retirement on
    15 March) takes its annual result from the last window it has (T1); a pegawai transferred
    mid-year has two SKPs, each with its own annual result from its own last window. The
    angka kredit ledger does not read annual results (one line per SKP and window); the SIASN
    `rw-skp22` export has one row per pegawai per year, the final annual result fixed last
    (for a transfer normally the second SKP's). One query for the SKPs, one per year for its
    cadence, whatever the number of evaluations (``settings``: the instansi's, when the caller
    has read them already)."""
    periodic = [e for e in evaluasi if not is_annual(e.periode)]
    if not periodic:
        return set()
    if (settings or await pengaturan.baca()).kebijakan_tahunan != LAST_PERIOD:
        return set()
    rows = await fetch(
        "SELECT id, periode_akhir FROM skp WHERE id = ANY($1::int[])",
        list({e.skp_id for e in periodic}),
    )
    ends = {row["id"]: row["periode_akhir"] for row in rows}
    years: dict[int, list[Window]] = {}
    carried = set()
    for e in periodic:
        tahun = year_of(e.periode)
        if tahun not in years:
            years[tahun] = windows(tahun, await kadensi_of(tahun))
        if e.skp_id in ends and e.periode == last_window_reached(years[tahun], ends[e.skp_id]).kode:
            carried.add(e.id)
    return carried


async def annual_policy() -> str:
    """How the annual predikat is made (docs/domain.md 5.4, unverified, so per tenant): from the
    year's last periodic evaluation (LAST_PERIOD) or by a separate annual evaluation
    (SEPARATE_ANNUAL); the setting `penilaian.kebijakan_tahunan`. An operation that reads other
    settings too takes `(await pengaturan.baca()).kebijakan_tahunan` with them (one query)."""
    return (await pengaturan.baca()).kebijakan_tahunan


@dataclass(frozen=True)
class Placement:
    unit_id: int | None
    jenjang: str | None


async def placement(pegawai_id: int, on: date) -> Placement:
    """The unit and jenjang of the pegawai's definitive position on ``on`` (else any)."""
    rows = await fetch(
        f"""SELECT j.unit_id, j.jenjang FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
            WHERE p.pegawai_id = $2 AND {in_force("p")}
            ORDER BY (p.jenis = 'DEFINITIF') DESC, p.berlaku_mulai DESC LIMIT 1""",
        on,
        pegawai_id,
    )
    return Placement(rows[0]["unit_id"], rows[0]["jenjang"]) if rows else Placement(None, None)


async def leader_above(unit_id: int, on: date) -> int | None:
    """Who sets a unit's predikat: the head of its parent unit on ``on`` (for a top unit, its
    own head), preferring a definitive holder over an acting one."""
    rows = await fetch(
        f"""WITH {UNITS_AT}
            SELECT coalesce((SELECT parent_id FROM units_at WHERE id = $2), $2) AS unit""",
        on,
        unit_id,
    )
    target = rows[0]["unit"] if rows else unit_id
    heads = await fetch(
        f"""SELECT p.pegawai_id FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
            WHERE j.unit_id = $2 AND j.kepala_unit AND {in_force("p")}
            ORDER BY (p.jenis = 'DEFINITIF') DESC, p.berlaku_mulai DESC LIMIT 1""",
        on,
        target,
    )
    return heads[0]["pegawai_id"] if heads else None
