"""Finality of many evaluations at once, in SQL: the batch form of `keberatan.is_final`.

A fixed result is final when its predikat can no longer change: it was announced final
(`evaluasi.final`, which is never taken back), a keberatan was filed and decided (FINAL), or
none is possible (the SKP has no atasan pejabat penilai), or the period for
one has passed without one (the date it was fixed where the instansi is, `calendar.ZONE_SQL`,
+ the tenant's days < ``on``, a date there too). Under
LAST_PERIOD the annual copy of the year's last window is final when that window is.

It is SQL so that readers of many results (the angka kredit ledger, the SIASN export) filter
and page on it in one statement; `keberatan.is_final` and `EvaluasiPeriodik.final` say the
same for one result.
"""

from __future__ import annotations

from ekinerja.kepegawaian.calendar import ZONE_SQL


def final_sql(evaluasi: str, keberatan: str, atasan: str, days: str, on: str) -> str:
    """A boolean SQL expression: the row ``evaluasi`` (an evaluasi_periodik alias), with its
    keberatan LEFT JOINed as ``keberatan``, is final on date ``on``. ``atasan`` is the SKP's
    atasan pejabat penilai id; ``days`` and ``on`` are parameters ($n) or SQL expressions."""
    return f"""({evaluasi}.status = 'DITETAPKAN' AND CASE
      WHEN {evaluasi}.final_diumumkan_pada IS NOT NULL THEN TRUE
      WHEN {keberatan}.id IS NOT NULL THEN {keberatan}.status = 'FINAL'
      WHEN {atasan} IS NULL THEN TRUE
      ELSE coalesce(
        {on}::date > ({evaluasi}.ditetapkan_pada AT TIME ZONE {ZONE_SQL})::date
                     + {days}::int, FALSE)
    END)"""


def annual_final_sql(
    evaluasi: str,
    keberatan: str,
    last: str,
    last_keberatan: str,
    atasan: str,
    days: str,
    on: str,
) -> str:
    """Like ``final_sql`` for an annual row, given the year's last window LEFT JOINed as
    ``last`` (with its keberatan as ``last_keberatan``) only where the annual result follows
    it (LAST_PERIOD): then the annual row is final when it is fixed and that window is final.
    Without such a window the annual row is judged on its own, as `is_final` does."""
    return f"""({evaluasi}.status = 'DITETAPKAN' AND CASE
      WHEN {last}.id IS NOT NULL THEN {final_sql(last, last_keberatan, atasan, days, on)}
      ELSE {final_sql(evaluasi, keberatan, atasan, days, on)}
    END)"""
