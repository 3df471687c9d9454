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
skp_aktif AS (  -- the rates are of active pegawai: a retiree's SKP does not count
    SELECT s.pegawai_id, s.status FROM skp_t s
    JOIN pegawai p ON p.id = s.pegawai_id AND p.status = 'AKTIF'),
ev AS (
    SELECT e.periode, e.status, e.predikat FROM evaluasi_periodik e
    JOIN skp_t s ON s.id = e.skp_id),
rhk_t AS (
    SELECT r.intervensi_id FROM rhk r JOIN skp_t s ON s.id = r.skp_id
    WHERE s.status = 'DISETUJUI' AND s.digantikan_pada IS NULL AND s.jenis_form = 'JA_JF')
SELECT
  (SELECT count(*) FROM pegawai WHERE status = 'AKTIF') AS pegawai,
  (SELECT count(DISTINCT pegawai_id) FROM skp_aktif) AS skp_dibuat,
  (SELECT count(DISTINCT pegawai_id) FROM skp_aktif
     WHERE status IN ('DIAJUKAN', 'DISETUJUI')) AS skp_diajukan,
  (SELECT count(DISTINCT pegawai_id) FROM skp_aktif WHERE status = 'DISETUJUI') AS skp_disetujui,
  (SELECT count(*) FROM rhk_t) AS rhk_jumlah,
  (SELECT count(*) FROM rhk_t WHERE intervensi_id IS NOT NULL) AS rhk_terhubung,
  (SELECT count(*) FROM ev WHERE periode NOT LIKE '%-THN'
     AND status <> 'BELUM_DIAJUKAN') AS evaluasi_diajukan,
  (SELECT count(*) FROM ev WHERE periode NOT LIKE '%-THN'
     AND status IN ('DINILAI', 'DITETAPKAN')) AS evaluasi_dinilai,
  (SELECT count(*) FROM ev WHERE periode NOT LIKE '%-THN'
     AND status = 'DITETAPKAN') AS evaluasi_ditetapkan,
  (SELECT count(*) FROM ev WHERE periode LIKE '%-THN'
     AND status = 'DITETAPKAN') AS tahunan_ditetapkan,
  (SELECT coalesce(jsonb_object_agg(predikat, n), '{}'::jsonb) FROM (
     SELECT predikat, count(*) AS n FROM ev WHERE periode LIKE '%-THN'
       AND status = 'DITETAPKAN' AND predikat IS NOT NULL GROUP BY predikat) p) AS predikat,
  (SELECT coalesce(jsonb_object_agg(hasil_kurva, n), '{}'::jsonb) FROM (
     SELECT hasil_kurva, count(*) AS n FROM kinerja_organisasi
     WHERE periode LIKE $2 AND ditetapkan_pada IS NOT NULL AND hasil_kurva IS NOT NULL
     GROUP BY hasil_kurva) k) AS kurva
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
