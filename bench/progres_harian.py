"""Progres harian benchmark: importing a large daily-log file (an integrator pushing a month of
logs for a whole agency), and the throughput of single `buatProgresHarian` mutations over
HTTP, one pegawai at a time.

    python -m bench.progres_harian [--rows 100000] [--pegawai 2000] [--requests 300]

Works in a fresh database `ekinerja_bench_progres` on DATABASE_URL's server (else
127.0.0.1:5432), drops it at the end, and prints a Markdown report for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import socket
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import uvicorn
from anyio import to_thread

from bench._report import print_table
from bench._scratch import scratch_database
from ekinerja.auth.dev_tokens import mint_dev_token
from ekinerja.db.sql import fetch
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.shared import JenisInstansi
from ekinerja.pelaksanaan.progres_impor import import_parsed, parse_file
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.skp.lifecycle import Caller
from ekinerja.tabular import Limits
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound

DATABASE = "ekinerja_bench_progres"
TENANT = "BENCHLOG"
COLUMNS = ["RENCANA_AKSI_ID", "TANGGAL", "JAM_MULAI", "JAM_SELESAI", "KEGIATAN", "REALISASI",
           "SATUAN"]  # fmt: skip
CREATE = """mutation($input: ProgresHarianInput!) { buatProgresHarian(input: $input) {
  __typename ... on ProgresHarianDisimpan { progres { id } } } }"""


def write_file(path: Path, plans: list[int], rows: int, seed: int) -> None:
    """``rows`` entries on working days of February 2026 (window 2026-T1)."""
    rng = random.Random(seed)
    days = [date(2026, 2, 1) + timedelta(d) for d in range(28)]
    days = [d for d in days if d.weekday() < 5]
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(rows):
            start = 7 + n % 9
            writer.writerow(
                [rng.choice(plans), rng.choice(days).isoformat(), f"{start:02d}:00",
                 f"{start + 1:02d}:00", f"Menyusun bahan analisis nomor {n}", 1, "Dokumen"]
            )  # fmt: skip


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def single_mutations(settings, nip: str, plan: int, requests: int, concurrency: int):
    sock = socket.socket()
    # As production servers and proxies do: without it, small responses wait on delayed ACKs.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_level="warning", lifespan="off")
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    token = mint_dev_token(settings, nip=nip, instansi=TENANT)
    headers = {"Authorization": f"Bearer {token}", "X-Instansi": TENANT}
    samples: list[float] = []
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60
        ) as client:

            async def one(n: int) -> None:
                variables = {"input": {
                    "rencanaAksiId": str(plan), "tanggal": "2026-03-02",
                    "jamMulai": "08:00:00", "jamSelesai": "09:00:00",
                    "kegiatan": f"Kegiatan {n}", "realisasi": 1, "satuan": "Dokumen",
                }}  # fmt: skip
                started = time.perf_counter()
                response = await client.post(
                    "/graphql", json={"query": CREATE, "variables": variables}
                )
                samples.append(time.perf_counter() - started)
                kind = response.json()["data"]["buatProgresHarian"]["__typename"]
                assert kind == "ProgresHarianDisimpan", response.text

            await one(-1)  # warm up
            samples.clear()
            started = time.perf_counter()
            queue = iter(range(requests))

            async def worker() -> None:
                for n in queue:
                    await one(n)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
    finally:
        server.should_exit = True
        await serving
    return requests / elapsed, percentiles(samples)


async def bench(rows: int, pegawai: int, requests: int) -> list[str]:
    report: list[str] = []
    async with scratch_database(DATABASE, data_dir=Path(tempfile.mkdtemp())) as (address, settings):
        instansi, _ = await create_tenant(
            TENANT, "Kabupaten Bench", JenisInstansi.KABUPATEN, role_prefix_for_database(DATABASE)
        )
        people = generate_demo_rows(pegawai)
        assert (await import_pegawai(TENANT, people, actor="bench", source="bench")).ok
        async with tenant_transaction(as_bound(instansi)):
            await seed_demo_skp(2026)
            plans = [
                r["id"]
                for r in await fetch("SELECT id FROM rencana_aksi WHERE periode = '2026-T1'")
            ]
            one = (
                await fetch(
                    "SELECT g.nip, ra.id FROM rencana_aksi ra JOIN rhk r ON r.id = ra.rhk_id "
                    "JOIN skp s ON s.id = r.skp_id JOIN pegawai g ON g.id = s.pegawai_id "
                    "WHERE ra.periode = '2026-T1' ORDER BY ra.id LIMIT 1"
                )
            )[0]
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "progres.csv"
            write_file(path, plans, rows, seed=1)
            size = path.stat().st_size / 1e6
            for dry_run in (True, False):
                started = time.perf_counter()
                # As the endpoint does: parsed in a worker thread, then checked and written.
                limits = Limits(max_rows=rows, max_bytes=path.stat().st_size)
                parsed = await to_thread.run_sync(parse_file, path, limits)
                async with tenant_transaction(as_bound(instansi)):
                    count = await import_parsed(parsed, Caller(None, "bench"), "bench", dry_run)
                elapsed = time.perf_counter() - started
                assert count == rows
                what = "check only (uji)" if dry_run else "check and write"
                report.append(
                    f"| import {rows:,} progres rows ({size:.1f} MB CSV, {len(plans):,} rencana "
                    f"aksi of {pegawai:,} pegawai): {what} | **{elapsed:.2f} s** "
                    f"({rows / elapsed:,.0f} rows/s) |"
                )
        for concurrency in (1, 8):
            rate, stats = await single_mutations(
                settings, one["nip"], one["id"], requests, concurrency
            )
            report.append(
                f"| single `buatProgresHarian` over HTTP, {requests} requests, "
                f"{concurrency} at a time | **{rate:.0f} req/s** ({stats}) |"
            )
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pegawai", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    rows = asyncio.run(bench(args.rows, args.pegawai, args.requests))
    print_table(("measurement", "result"), rows)


if __name__ == "__main__":
    main()
