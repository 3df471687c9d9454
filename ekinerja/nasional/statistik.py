"""One instansi's figures for a year, computed inside its schema in one query: what BKN's
national view aggregates. Definitions are per pegawai where the question is about people
(an SKP revision does not count twice; only active pegawai, so rates stay within 100 %) and
per record where it is about work."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ekinerja.db.sql import fetch

_SQL = """
WITH skp_t AS (
    SELECT id, pegawai_id, status, jenis_form, digantikan_pada FROM skp WHERE tahun = $1),
orang AS (  -- per active pegawai: the rates stay within 100 % (a retiree's SKP does not count)
    SELECT bool_or(s.status IN ('DIAJUKAN', 'DISETUJUI')) AS diajukan,
           bool_or(s.status = 'DISETUJUI') AS disetujui
    -- From the table, not skp_t: a join against a CTE scan cannot use the pegawai key.
    FROM skp s JOIN pegawai p ON p.id = s.pegawai_id AND p.status = 'AKTIF'
    WHERE s.tahun = $1
    GROUP BY s.pegawai_id),
rhk_t AS (
    SELECT count(*) AS jumlah, count(r.intervensi_id) AS terhubung
    FROM rhk r JOIN skp_t s ON s.id = r.skp_id
    WHERE s.status = 'DISETUJUI' AND s.digantikan_pada IS NULL AND s.jenis_form = 'JA_JF'),
ev AS (
    SELECT e.periode LIKE '%-THN' AS tahunan, e.status, e.predikat
    FROM evaluasi_periodik e JOIN skp_t s ON s.id = e.skp_id),
ev_n AS (
    SELECT count(*) FILTER (WHERE NOT tahunan AND status <> 'BELUM_DIAJUKAN') AS diajukan,
           count(*) FILTER (WHERE NOT tahunan AND status IN ('DINILAI', 'DITETAPKAN'))
             AS dinilai,
           count(*) FILTER (WHERE NOT tahunan AND status = 'DITETAPKAN') AS ditetapkan,
           count(*) FILTER (WHERE tahunan AND status = 'DITETAPKAN') AS tahunan
    FROM ev)
SELECT
  (SELECT count(*) FROM pegawai WHERE status = 'AKTIF') AS pegawai,
  (SELECT count(*) FROM orang) AS skp_dibuat,
  (SELECT count(*) FILTER (WHERE diajukan) FROM orang) AS skp_diajukan,
  (SELECT count(*) FILTER (WHERE disetujui) FROM orang) AS skp_disetujui,
  rhk_t.jumlah AS rhk_jumlah, rhk_t.terhubung AS rhk_terhubung,
  ev_n.diajukan AS evaluasi_diajukan, ev_n.dinilai AS evaluasi_dinilai,
  ev_n.ditetapkan AS evaluasi_ditetapkan, ev_n.tahunan AS tahunan_ditetapkan,
  (SELECT coalesce(jsonb_object_agg(predikat, n), '{}'::jsonb) FROM (
     SELECT predikat, count(*) AS n FROM ev WHERE tahunan AND status = 'DITETAPKAN'
       AND predikat IS NOT NULL GROUP BY predikat) p) AS predikat,
  (SELECT coalesce(jsonb_object_agg(hasil_kurva, n), '{}'::jsonb) FROM (
     SELECT hasil_kurva, count(*) AS n FROM kinerja_organisasi
     WHERE periode LIKE $2 AND ditetapkan_pada IS NOT NULL AND hasil_kurva IS NOT NULL
     GROUP BY hasil_kurva) k) AS kurva
FROM rhk_t, ev_n
"""

COUNTS = (
    "pegawai", "skp_dibuat", "skp_diajukan", "skp_disetujui", "rhk_jumlah", "rhk_terhubung",
    "evaluasi_diajukan", "evaluasi_dinilai", "evaluasi_ditetapkan", "tahunan_ditetapkan",
)  # fmt: skip


@dataclass(frozen=True)
class Angka:
    """The figures; `predikat` and `kurva` map a predikat / curve outcome to a count."""

    pegawai: int = 0
    skp_dibuat: int = 0
    skp_diajukan: int = 0
    skp_disetujui: int = 0
    rhk_jumlah: int = 0
    rhk_terhubung: int = 0
    evaluasi_diajukan: int = 0
    evaluasi_dinilai: int = 0
    evaluasi_ditetapkan: int = 0
    tahunan_ditetapkan: int = 0
    predikat: dict[str, int] = field(default_factory=dict)
    kurva: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, row: dict[str, Any]) -> Angka:
        def mapping(value: Any) -> dict[str, int]:
            return json.loads(value) if isinstance(value, str) else dict(value or {})

        return cls(
            **{name: row[name] for name in COUNTS},
            predikat=mapping(row["predikat"]),
            kurva=mapping(row["kurva"]),
        )

    def __add__(self, other: Angka) -> Angka:
        def merged(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
            return {k: a.get(k, 0) + b.get(k, 0) for k in sorted(set(a) | set(b))}

        return Angka(
            **{name: getattr(self, name) + getattr(other, name) for name in COUNTS},
            predikat=merged(self.predikat, other.predikat),
            kurva=merged(self.kurva, other.kurva),
        )


async def hitung(tahun: int) -> Angka:
    """The bound instansi's figures for ``tahun``."""
    rows = await fetch(_SQL, tahun, f"{tahun}-%")
    return Angka.of(rows[0])
