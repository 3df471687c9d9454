"""The national view at scale: per-instansi figures, a live fan-out over every tenant schema,
the read-model refresh, and the national query over the read model.

    python -m bench.nasional [--tenants 630] [--pegawai 1000]

Works in a scratch database `ekinerja_bench_nasional` on DATABASE_URL's server (else
127.0.0.1:5432), seeded set-based (each tenant: active and retired pegawai, SKPs in every
state, three RHK each, four quarterly windows and the year in mixed states, fixed unit
batches), dropped at the end. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bench._report import print_table
from bench._scratch import scratch_database
from ekinerja.db.sql import fetch
from ekinerja.models.shared import JenisInstansi
from ekinerja.nasional.laporan import nasional
from ekinerja.nasional.read_model import segarkan_banyak
from ekinerja.nasional.statistik import hitung
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.provinsi import PROVINSI
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound

DATABASE = "ekinerja_bench_nasional"
TAHUN = 2026

SEED = [
    "INSERT INTO unit_kerja (dibuat_pada) VALUES (now())",
    """INSERT INTO pegawai (nip, nama, jenis_kepegawaian, status, tanggal_lahir, dibuat_pada,
         diubah_pada)
       SELECT '19' || lpad(g::text, 16, '0'), 'Pegawai ' || g, 'PNS',
              CASE WHEN g % 50 = 0 THEN 'PENSIUN' ELSE 'AKTIF' END, date '1985-01-01', now(), now()
       FROM generate_series(1, $1::int) g""",
    """INSERT INTO skp (tahun, periode_awal, periode_akhir, pendekatan, jenis_form, status,
         versi_kunci, versi, snapshot_pegawai, dibuat_pada, diubah_pada, pegawai_id)
       SELECT 2026, date '2026-01-01', date '2026-12-31', 'KUANTITATIF', 'JA_JF',
              CASE p.id % 10 WHEN 0 THEN 'DRAFT' WHEN 1 THEN 'DIAJUKAN' ELSE 'DISETUJUI' END,
              0, 1, jsonb_build_object('nip', p.nip), now(), now(), p.id
       FROM pegawai p WHERE p.id % 20 <> 0""",
    """INSERT INTO rhk (urutan, teks, jenis, skp_id)
       SELECT n, 'Hasil kerja ' || n, 'UTAMA', s.id FROM skp s, generate_series(1, 3) n""",
    "UPDATE rhk SET intervensi_id = (SELECT min(id) FROM rhk) WHERE id % 4 <> 0",
    """INSERT INTO evaluasi_periodik (skp_id, periode, status, predikat, versi_kunci, dibuat_pada,
         diubah_pada)
       SELECT s.id, w.kode,
              CASE WHEN w.n <= 2 THEN 'DITETAPKAN' WHEN w.n = 3 THEN 'DINILAI'
                   WHEN w.n = 5 AND s.id % 3 = 0 THEN 'DITETAPKAN' ELSE 'DIAJUKAN' END,
              CASE WHEN w.n > 3 AND NOT (w.n = 5 AND s.id % 3 = 0) THEN NULL
                   WHEN s.id % 7 = 0 THEN 'SANGAT_BAIK' WHEN s.id % 9 = 0 THEN 'BUTUH_PERBAIKAN'
                   ELSE 'BAIK' END,
              0, now(), now()
       FROM skp s, (VALUES (1, '2026-T1'), (2, '2026-T2'), (3, '2026-T3'), (4, '2026-T4'),
                           (5, '2026-THN')) AS w(n, kode)
       WHERE s.status = 'DISETUJUI'""",
    """INSERT INTO kinerja_organisasi (unit_id, periode, predikat, pelanggaran, distribusi,
         hasil_kurva, ditetapkan_pada, dibuat_pada, diubah_pada)
       SELECT (SELECT min(id) FROM unit_kerja), kode, 'BAIK', '[]', '{}',
              CASE WHEN kode = '2026-T2' THEN 'WARNING' ELSE 'OK' END, now(), now(), now()
       FROM unnest(ARRAY['2026-T1', '2026-T2']) kode""",
]


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def bench(tenant_count: int, pegawai: int) -> list[str]:
    report: list[str] = []
    async with scratch_database(DATABASE) as (address, settings):
        prefix = role_prefix_for_database(DATABASE)
        provinces = sorted(PROVINSI)
        tenants = []
        started = time.perf_counter()
        for i in range(tenant_count):
            jenis = JenisInstansi.PUSAT if i < 90 else JenisInstansi.KABUPATEN
            provinsi = None if i < 90 else provinces[i % len(provinces)]
            instansi, _ = await create_tenant(f"N{i:04d}", f"Instansi {i}", jenis, prefix,
                                              provinsi)  # fmt: skip
            async with tenant_transaction(as_bound(instansi)):
                for statement in SEED:
                    await (fetch(statement, pegawai) if "$1" in statement else fetch(statement))
                # As autovacuum would have by the time anyone asks: plans need statistics.
                await fetch("ANALYZE pegawai, skp, rhk, evaluasi_periodik, kinerja_organisasi")
            tenants.append(instansi)
        seeded = time.perf_counter() - started
        report.append(
            f"| provision and seed {tenant_count} tenants × {pegawai} pegawai (≈{pegawai * 9} "
            f"rows each) | {seeded:.0f} s |"
        )

        samples = []
        for instansi in tenants[:: max(1, tenant_count // 60)]:
            t0 = time.perf_counter()
            async with tenant_transaction(as_bound(instansi)):
                await hitung(TAHUN)
            samples.append(time.perf_counter() - t0)
        report.append(f"| one instansi's figures (bound, one query), {len(samples)} tenants "
                      f"| {ms(samples)} |")  # fmt: skip

        for concurrency in (4, 8):
            gate = asyncio.Semaphore(concurrency)

            async def live(instansi, gate=gate):
                async with gate, tenant_transaction(as_bound(instansi)):
                    return await hitung(TAHUN)

            t0 = time.perf_counter()
            await asyncio.gather(*(live(i) for i in tenants))
            report.append(
                f"| live fan-out: every tenant's figures, {concurrency} at a time (what a "
                f"national answer computed on request would take) | "
                f"{time.perf_counter() - t0:.2f} s |"
            )

        t0 = time.perf_counter()
        await segarkan_banyak(tenants, TAHUN, concurrency=8)
        report.append(
            f"| refresh the read model for all {tenant_count} tenants, 8 at a time "
            f"| {time.perf_counter() - t0:.2f} s |"
        )

        for label, kwargs in [
            ("national totals + first page of 50, all instansi", {}),
            (
                "… filtered to KABUPATEN in Jawa Tengah",
                {"jenis": [JenisInstansi.KABUPATEN], "provinsi": ["33"]},
            ),  # fmt: skip
        ]:
            for _ in range(5):
                await nasional(TAHUN, "bench", **kwargs)
            samples = []
            for _ in range(50):
                t0 = time.perf_counter()
                found = await nasional(TAHUN, "bench", **kwargs)
                samples.append(time.perf_counter() - t0)
            assert found.instansi_dihitung == found.instansi_total
            report.append(f"| read model: {label} (incl. the audit row), 50 runs | {ms(samples)} |")
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=630)
    parser.add_argument("--pegawai", type=int, default=1000)
    args = parser.parse_args()
    rows = asyncio.run(bench(args.tenants, args.pegawai))
    print_table(("measurement", "result"), rows)


if __name__ == "__main__":
    main()
