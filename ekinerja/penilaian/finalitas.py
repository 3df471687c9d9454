"""The finality rule: when a fixed result's predikat can no longer change. Its one home.

The rule, checked in this order (the Python form `final_dari` and the SQL form `final_sql` /
`annual_final_sql` below follow it step for step; `tests/test_penilaian_finalitas.py` checks
they agree on every combination):

1. Not fixed (status other than DITETAPKAN): not final.
2. Announced final (`evaluasi.final` went out, `final_diumumkan_pada`): final. An announcement
   is never taken back, whatever comes later (a longer keberatan period, say).
3. The annual copy of the year's last window (annual policy LAST_PERIOD): it has no keberatan
   of its own, so it is final when that window is (by steps 1-2 and 4-6). With no such window
   on the SKP no keberatan is possible against anything: final as fixed.
4. A keberatan was filed: final once it is decided (status FINAL), not while it is pending.
5. The SKP has no atasan pejabat penilai (`ada_atasan`: neither a pegawai of the instansi nor
   an official outside it): no keberatan is possible, final as fixed.
6. Otherwise final once the keberatan period ran out: ``on`` (a date where the instansi is) is
   after the date the result was fixed, taken in the instansi's zone (`calendar.zona`,
   `calendar.ZONE_SQL`), plus the tenant's days (`batas_keberatan.batas_hari`): with 14 days,
   day 14 is still open and day 15 is final. A fixed result with no fixing time (none is
   written so) cannot show its period ran out: not final.

A separate annual evaluation (SEPARATE_ANNUAL) is judged like a window, on its own.

The SQL form lets readers of many results (the angka kredit ledger, the SIASN export, the
announcement sweep) filter and page in one statement; the Python form answers for one result
(`is_final`, the GraphQL field `EvaluasiPeriodik.final`). Whether a keberatan may be *filed*
(`keberatan.kesempatan`) is a different question and stays in keberatan.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ekinerja import pengaturan
from ekinerja.kepegawaian.calendar import ZONE_SQL, tanggal_di
from ekinerja.models.tenant import EvaluasiPeriodik, Keberatan, Skp
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian.batas_keberatan import batas_dari
from ekinerja.penilaian.enums import StatusKeberatan
from ekinerja.penilaian.periode import LAST_PERIOD, is_annual, skp_last_window

# The values both forms compare against (the SQL spells them from these).
FIXED = StatusEvaluasi.DITETAPKAN
DECIDED = StatusKeberatan.FINAL
EXTERNAL = "NON_ASN"  # the snapshot's status of an official outside the system


def ada_atasan(skp: Skp) -> bool:
    """Whether the SKP has an atasan pejabat penilai to hear a keberatan: a pegawai of the
    instansi, or an official outside it (the NON_ASN snapshot, e.g. the Bupati above a Kepala
    Dinas), whose examination and decision an admin instansi records (penilaian/eksternal.py).
    Only with neither is there no keberatan, the result final as fixed (docs/domain.md 6)."""
    snapshot = skp.snapshot_atasan_penilai
    external = isinstance(snapshot, dict) and snapshot.get("status") == EXTERNAL
    return skp.atasan_penilai_pegawai_id is not None or external


def ada_atasan_sql(skp: str) -> str:
    """`ada_atasan` in SQL for the skp row aliased ``skp``: never NULL (a NULL would fall
    through a CASE as if it were false)."""
    return (
        f"({skp}.atasan_penilai_pegawai_id IS NOT NULL"
        f" OR coalesce({skp}.snapshot_atasan_penilai ->> 'status' = '{EXTERNAL}', FALSE))"
    )


@dataclass(frozen=True)
class Fakta:
    """What the rule looks at for one result: its row, and its keberatan's status (None when
    none was filed)."""

    status: StatusEvaluasi
    ditetapkan_pada: datetime | None
    final_diumumkan_pada: datetime | None
    keberatan: StatusKeberatan | None

    @classmethod
    def of(cls, evaluasi: EvaluasiPeriodik, keberatan: StatusKeberatan | None) -> Fakta:
        return cls(
            evaluasi.status, evaluasi.ditetapkan_pada, evaluasi.final_diumumkan_pada, keberatan
        )


def _final_window(
    row: Fakta, ada_atasan: bool, days: int, on: date, zone: ZoneInfo
) -> bool:  # steps 1, 2, 4, 5, 6
    if row.status is not FIXED:
        return False
    if row.final_diumumkan_pada is not None:
        return True
    if row.keberatan is not None:
        return row.keberatan is DECIDED
    if not ada_atasan:
        return True
    if row.ditetapkan_pada is None:
        return False
    return on > batas_dari(row.ditetapkan_pada, days, zone)


def final_dari(
    row: Fakta,
    ada_atasan: bool,
    days: int,
    on: date,
    zone: ZoneInfo,
    mengikuti_terakhir: bool = False,
    terakhir: Fakta | None = None,
) -> bool:
    """The rule in Python, from loaded facts. ``mengikuti_terakhir``: the row is the annual copy
    of the last window (LAST_PERIOD), whose facts are ``terakhir`` (None: no such window)."""
    if row.status is not FIXED:
        return False
    if row.final_diumumkan_pada is not None:
        return True
    if mengikuti_terakhir:
        return terakhir is None or _final_window(terakhir, ada_atasan, days, on, zone)
    return _final_window(row, ada_atasan, days, on, zone)


def final_sql(evaluasi: str, keberatan: str, skp: str, days: str, on: str) -> str:
    """The rule in SQL (steps 1, 2, 4, 5, 6): the row ``evaluasi`` (an evaluasi_periodik alias),
    with its keberatan LEFT JOINed as ``keberatan`` and its SKP joined as ``skp``, is final on
    date ``on``; ``days`` and ``on`` are parameters ($n) or expressions."""
    return f"""({evaluasi}.status = '{FIXED.value}' AND CASE
      WHEN {evaluasi}.final_diumumkan_pada IS NOT NULL THEN TRUE
      WHEN {keberatan}.id IS NOT NULL THEN {keberatan}.status = '{DECIDED.value}'
      WHEN NOT {ada_atasan_sql(skp)} THEN TRUE
      ELSE coalesce(
        {on}::date > ({evaluasi}.ditetapkan_pada AT TIME ZONE {ZONE_SQL})::date
                     + {days}::int, FALSE)
    END)"""


def annual_final_sql(
    evaluasi: str,
    keberatan: str,
    last: str,
    last_keberatan: str,
    skp: str,
    days: str,
    on: str,
    follows: str,
) -> str:
    """``final_sql`` for an annual row (step 3 too). ``follows`` is a boolean expression: the
    annual result follows the last window (LAST_PERIOD); that window is LEFT JOINed as
    ``last`` with its keberatan as ``last_keberatan``."""
    return f"""({evaluasi}.status = '{FIXED.value}' AND CASE
      WHEN {evaluasi}.final_diumumkan_pada IS NOT NULL THEN TRUE
      WHEN {follows} THEN {last}.id IS NULL OR {final_sql(last, last_keberatan, skp, days, on)}
      ELSE {final_sql(evaluasi, keberatan, skp, days, on)}
    END)"""


async def _keberatan_of(evaluasi: EvaluasiPeriodik) -> StatusKeberatan | None:
    filed = await Keberatan.get_or_none(evaluasi_id=evaluasi.id)
    return None if filed is None else filed.status


async def is_final(evaluasi: EvaluasiPeriodik, skp: Skp, on: date | None = None) -> bool:
    """The rule for one result, loading its facts; ``on`` defaults to today where the
    instansi is."""
    settings = await pengaturan.baca()  # the days, the zone and the annual policy: one read
    zone = settings.zona_waktu
    follows = is_annual(evaluasi.periode) and settings.kebijakan_tahunan == LAST_PERIOD
    terakhir = None
    if follows:
        kode = (await skp_last_window(skp.tahun, skp.periode_akhir)).kode  # its own
        last = await EvaluasiPeriodik.get_or_none(skp_id=evaluasi.skp_id, periode=kode)
        terakhir = None if last is None else Fakta.of(last, await _keberatan_of(last))
    return final_dari(
        Fakta.of(evaluasi, None if follows else await _keberatan_of(evaluasi)),
        ada_atasan(skp),
        settings.batas_hari_keberatan,
        on or tanggal_di(zone),
        zone,
        follows,
        terakhir,
    )
