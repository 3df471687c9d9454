"""Monitoring for a pejabat penilai: for every current, approved SKP they appraise in a year,
who logged progress this week and this month, how far realisation has come per RHK in a
window, and how much of it carries evidence. A page of the list (decision 0029: keyset over
the snapshot's name, then the SKP id) costs two queries whatever its size; the count, one.

Across a revision (a seam of the year) it counts what `pelaksanaan` shows: the daily log of
every version the SKP in force replaced (the months before a mid-year perubahan were logged on
the replaced version), an RHK's log on the RHK it was copied from, and an indikator's
realisasi recorded on the indikator it was copied from (capaian.INDIKATOR_LINEAGE, the
nearest version's row). The compiled path (schema/compiled/catalog/monitoring.py) reads the
same fragments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ekinerja.db.sql import fetch
from ekinerja.paging import Page, PageRequest, page_from
from ekinerja.pelaksanaan.capaian import INDIKATOR_LINEAGE


@dataclass(frozen=True)
class RhkProgress:
    rhk_id: int
    teks: str
    indikator: int
    indikator_terealisasi: int
    progres_periode: int


@dataclass
class MonitoringBawahan:
    skp_id: int
    pegawai_id: int
    nama: str | None
    nip: str | None
    progres_terakhir: date | None
    progres_minggu_ini: int
    progres_bulan_ini: int
    indikator: int
    indikator_terealisasi: int
    realisasi_berbukti: int
    rhk: list[RhkProgress] = field(default_factory=list)

    @property
    def kelengkapan_bukti_persen(self) -> float | None:
        """Share of the window's recorded realisasi that carry at least one piece of evidence."""
        if not self.indikator_terealisasi:
            return None
        share = Decimal(100 * self.realisasi_berbukti) / self.indikator_terealisasi
        return float(share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def skp_versions(skp: str) -> str:
    """A subquery: the ids of the SKP ``skp`` (an SQL expression) and of every version it
    replaced (menggantikan_id, each older than its successor), for `IN`."""
    return (
        "(WITH RECURSIVE versi(id, asal) AS ("
        f"SELECT v.id, v.menggantikan_id FROM skp v WHERE v.id = {skp}"
        " UNION ALL SELECT v.id, v.menggantikan_id FROM versi JOIN skp v ON v.id = versi.asal"
        " WHERE v.id < versi.id) SELECT id FROM versi)"
    )


def rhk_versions(rhk: str) -> str:
    """A subquery: the ids of the RHK ``rhk`` and of every RHK it was copied from through
    revisions (asal_id), for `IN`."""
    return (
        "(WITH RECURSIVE garis_rhk(id, asal) AS ("
        f"SELECT r.id, r.asal_id FROM rhk r WHERE r.id = {rhk}"
        " UNION ALL SELECT r.id, r.asal_id FROM garis_rhk JOIN rhk r ON r.id = garis_rhk.asal"
        " WHERE r.id < garis_rhk.id) SELECT id FROM garis_rhk)"
    )


def recorded(indikator: str, periode: str) -> str:
    """A subquery: the realisasi (`id`) that counts for the indikator ``indikator`` in the
    window ``periode`` (SQL expressions): its own or, before a revision, the one recorded on
    the indikator it was copied from, the nearest version's (realisasi.py's _REALISASI); no
    row when none was recorded."""
    lineage = INDIKATOR_LINEAGE.replace("$1::int[]", f"ARRAY[{indikator}]")
    assert lineage != INDIKATOR_LINEAGE, "capaian.INDIKATOR_LINEAGE no longer reads $1::int[]"
    return (
        f"(SELECT re.id FROM (WITH RECURSIVE {lineage} SELECT leluhur, jarak FROM garis) g"
        f" JOIN realisasi re ON re.indikator_id = g.leluhur WHERE re.periode = {periode}"
        " ORDER BY g.jarak LIMIT 1)"
    )


# A realisasi (alias re) with at least one piece of evidence available.
BERBUKTI = (
    "EXISTS (SELECT 1 FROM bukti_dukung b WHERE b.realisasi_id = re.id AND b.status = 'TERSEDIA')"
)


def realised(skp: str, periode: str) -> str:
    """FROM-list items: each indikator of the SKP ``skp`` (alias ind) with the realisasi that
    counts for it in window ``periode`` (alias re, joined: only those with one)."""
    return (
        f"indikator ind JOIN rhk ON rhk.id = ind.rhk_id AND rhk.skp_id = {skp}"
        f" JOIN LATERAL {recorded('ind.id', periode)} re ON TRUE"
    )


# The monitored SKPs: approved, current, of the penilai, in the year.
_MONITORED = """s.penilai_pegawai_id = $1 AND s.tahun = $2 AND s.status = 'DISETUJUI'
  AND s.digantikan_pada IS NULL"""

# `urut_nama` (the name, '' when the snapshot has none) and the SKP id are the page's order.
_SUMMARY = """
SELECT s.id AS skp_id, coalesce(s.snapshot_pegawai->>'nama', '') AS urut_nama, s.pegawai_id,
       s.snapshot_pegawai->>'nama' AS nama, s.snapshot_pegawai->>'nip' AS nip,
       p.terakhir, coalesce(p.minggu, 0) AS minggu, coalesce(p.bulan, 0) AS bulan,
       coalesce(i.jumlah, 0) AS indikator, coalesce(r.jumlah, 0) AS terealisasi,
       coalesce(r.berbukti, 0) AS berbukti
FROM skp s
LEFT JOIN LATERAL (
  SELECT max(tanggal) FILTER (WHERE tanggal <= $5) AS terakhir,
         count(*) FILTER (WHERE tanggal BETWEEN $3 AND $5) AS minggu,
         count(*) FILTER (WHERE tanggal BETWEEN $4 AND $5) AS bulan
  FROM progres_harian WHERE skp_id IN {versions}) p ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS jumlah FROM indikator ind JOIN rhk ON rhk.id = ind.rhk_id
  WHERE rhk.skp_id = s.id) i ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS jumlah, count(*) FILTER (WHERE {berbukti}) AS berbukti
  FROM {realised}) r ON true
WHERE {monitored} AND {after}
ORDER BY urut_nama, s.id
LIMIT $7"""

_PER_RHK = f"""
SELECT rhk.skp_id, rhk.id, rhk.teks,
       (SELECT count(*) FROM indikator ind WHERE ind.rhk_id = rhk.id) AS indikator,
       (SELECT count(*) FROM indikator ind
        WHERE ind.rhk_id = rhk.id AND EXISTS {recorded("ind.id", "$2")}) AS terealisasi,
       (SELECT count(*) FROM rencana_aksi ra JOIN progres_harian ph ON ph.rencana_aksi_id = ra.id
        WHERE ra.rhk_id IN {rhk_versions("rhk.id")} AND ph.periode = $2) AS progres
FROM rhk WHERE rhk.skp_id = ANY($1::int[]) ORDER BY rhk.skp_id, rhk.urutan, rhk.id"""


async def count(penilai_id: int, tahun: int) -> int:
    """How many SKPs the penilai monitors in the year (one COUNT behind the penilai's index)."""
    [row] = await fetch(f"SELECT count(*) AS n FROM skp s WHERE {_MONITORED}", penilai_id, tahun)
    return row["n"]


async def monitor(
    penilai_id: int, tahun: int, periode: str, on: date, request: PageRequest
) -> Page[MonitoringBawahan]:
    """One page of the penilai's monitored SKPs, by name then SKP id, after the cursor."""
    week_start = on - timedelta(days=on.weekday())
    month_start = on.replace(day=1)
    after, tail = "TRUE", []
    if request.after is not None:
        after = "(coalesce(s.snapshot_pegawai->>'nama', ''), s.id) > ($8, $9)"
        tail = list(request.after)
    sql = _SUMMARY.format(
        monitored=_MONITORED,
        after=after,
        versions=skp_versions("s.id"),
        berbukti=BERBUKTI,
        realised=realised("s.id", "$6"),
    )
    rows = await fetch(
        sql, penilai_id, tahun, week_start, month_start, on, periode, request.first + 1, *tail
    )
    page = page_from(list(rows), request, lambda r: (r["urut_nama"], r["skp_id"]))
    result = [
        MonitoringBawahan(
            skp_id=r["skp_id"],
            pegawai_id=r["pegawai_id"],
            nama=r["nama"],
            nip=r["nip"],
            progres_terakhir=r["terakhir"],
            progres_minggu_ini=r["minggu"],
            progres_bulan_ini=r["bulan"],
            indikator=r["indikator"],
            indikator_terealisasi=r["terealisasi"],
            realisasi_berbukti=r["berbukti"],
        )
        for r in page.rows
    ]
    if not result:
        return Page(result, page.keys, page.has_next_page)
    per_skp: dict[int, list[RhkProgress]] = defaultdict(list)
    for r in await fetch(_PER_RHK, [m.skp_id for m in result], periode):
        per_skp[r["skp_id"]].append(
            RhkProgress(r["id"], r["teks"], r["indikator"], r["terealisasi"], r["progres"])
        )
    for m in result:
        m.rhk = per_skp.get(m.skp_id, [])
    return Page(result, page.keys, page.has_next_page)
