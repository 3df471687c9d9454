"""Leaders' views of assessment: a unit's completion for a period, its distribution against the
curve (penetapan.py), and a pegawai's predikat across years. Each is a fixed number of queries
whatever the unit's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.sql import in_force
from ekinerja.kepegawaian.units import ancestors_of
from ekinerja.paging import Page, PageRequest, page_from
from ekinerja.penilaian.periode import window_of, year_of


async def leads(pegawai_id: int, unit_id: int, on: date) -> bool:
    """Whether the pegawai heads (definitively or acting) the unit or one above it on ``on``."""
    headed = {
        r["unit_id"]
        for r in await fetch(
            f"""SELECT j.unit_id FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
                WHERE p.pegawai_id = $2 AND j.kepala_unit AND {in_force("p")}""",
            on,
            pegawai_id,
        )
    }
    if not headed:
        return False
    above = {u.id for u in (await ancestors_of([unit_id], on)).get(unit_id, [])}
    return bool(headed & (above | {unit_id}))


@dataclass(frozen=True)
class Baris:
    pegawai_id: int
    nama: str
    nip: str
    skp_id: int | None
    status: str | None
    predikat: str | None


_COMPLETION = f"""
SELECT g.id AS pegawai_id, g.nama, g.nip, s.id AS skp_id,
       CASE WHEN s.id IS NULL THEN NULL ELSE coalesce(e.status, 'BELUM_DIAJUKAN') END AS status,
       e.predikat
FROM (SELECT DISTINCT p.pegawai_id FROM penugasan p JOIN jabatan j ON j.id = p.jabatan_id
      WHERE j.unit_id = $2 AND p.jenis = 'DEFINITIF' AND {in_force("p")}) members
JOIN pegawai g ON g.id = members.pegawai_id
LEFT JOIN skp s ON s.pegawai_id = g.id AND s.tahun = $3 AND s.status = 'DISETUJUI'
  AND s.digantikan_pada IS NULL
LEFT JOIN evaluasi_periodik e ON e.skp_id = s.id AND e.periode = $4"""


async def kelengkapan(unit_id: int, periode: str, request: PageRequest) -> Page[Baris]:
    """A page of everyone placed in the unit on the period's last day, with where their
    evaluation is: by name, then pegawai id, after the cursor (decision 0029)."""
    window = await window_of(periode)
    after, tail = "", []
    if request.after is not None:
        after, tail = "WHERE (g.nama, g.id) > ($6, $7)", list(request.after)
    rows = await fetch(
        f"{_COMPLETION} {after} ORDER BY g.nama, g.id LIMIT $5",
        window.akhir,
        unit_id,
        year_of(periode),
        periode,
        request.first + 1,
        *tail,
    )
    page = page_from(rows, request, lambda row: (row["nama"], row["pegawai_id"]))
    return Page([Baris(**row) for row in page.rows], page.keys, page.has_next_page)


async def jumlah_kelengkapan(unit_id: int, periode: str) -> dict[str | None, int]:
    """How many of the unit's pegawai stand where (None: no approved SKP): one aggregate."""
    window = await window_of(periode)
    rows = await fetch(
        f"SELECT status, count(*) AS n FROM ({_COMPLETION}) baris GROUP BY status",
        window.akhir,
        unit_id,
        year_of(periode),
        periode,
    )
    return {row["status"]: row["n"] for row in rows}


async def riwayat_predikat(pegawai_id: int) -> list[dict]:
    """In time order: by year, then window (2026-B2 before 2026-B10), the year (-THN) last."""
    return await fetch(
        """SELECT s.tahun, e.periode, e.predikat, e.status
           FROM evaluasi_periodik e JOIN skp s ON s.id = e.skp_id
           WHERE s.pegawai_id = $1 ORDER BY s.tahun, length(e.periode), e.periode""",
        pegawai_id,
    )
