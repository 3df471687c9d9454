"""Announcing results that became final with no one acting: the keberatan period ran out.

Nothing happens in the database at that moment, so no transaction can announce it; a periodic
sweep (the worker's hourly upkeep of each instansi) finds fixed results that are now final and
not yet announced, and sends `evaluasi.final` for each (and for the annual copy that follows a
year's last window). Results final at once (no atasan pejabat penilai) or by a decided
keberatan are announced where that happens (ekinerja/penilaian/peristiwa.py)."""

from __future__ import annotations

from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.models.tenant import EvaluasiPeriodik
from ekinerja.pelaksanaan.enums import StatusEvaluasi
from ekinerja.penilaian import peristiwa
from ekinerja.penilaian.batas_keberatan import batas_hari
from ekinerja.penilaian.finalitas import final_sql
from ekinerja.penilaian.periode import (
    LAST_PERIOD,
    annual_kode,
    annual_policy,
    carried_to_annual,
    year_of,
)

BATCH = 1000

_DUE = f"""
SELECT e.id FROM evaluasi_periodik e
JOIN skp s ON s.id = e.skp_id
LEFT JOIN keberatan k ON k.evaluasi_id = e.id
WHERE e.final_diumumkan_pada IS NULL AND e.status = 'DITETAPKAN'
  AND (NOT $3::bool OR e.periode NOT LIKE '%-THN')
  AND {final_sql("e", "k", "s", "$1", "$2")}
ORDER BY e.id LIMIT $4"""


async def umumkan_final(on: date | None = None) -> int:
    """Announce up to BATCH newly final results of the bound instansi; how many were."""
    follows = await annual_policy() == LAST_PERIOD
    rows = await fetch(_DUE, await batas_hari(), on or await hari_ini(), follows, BATCH)
    batch = await EvaluasiPeriodik.filter(id__in=[r["id"] for r in rows]).order_by("id")
    # The annual copies that follow their SKP's last window, now final (one question).
    carrying = await carried_to_annual(batch)
    lasts = {(e.skp_id, annual_kode(year_of(e.periode))) for e in batch if e.id in carrying}
    copies = (
        [
            c
            for c in await EvaluasiPeriodik.filter(
                skp_id__in={skp for skp, _ in lasts},
                periode__in={kode for _, kode in lasts},
                status=StatusEvaluasi.DITETAPKAN,
                final_diumumkan_pada__isnull=True,
            )
            if (c.skp_id, c.periode) in lasts
        ]
        if lasts
        else []
    )
    return await peristiwa.menjadi_final([*batch, *copies])
