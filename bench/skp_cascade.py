"""SKP cascade benchmark, through real HTTP: cascade down from the top of a 10,000-employee
agency, cascade up from its deepest RHK, and coverage for a unit head with 200 direct
subordinates; p50 and p95 latency per request.

    python -m bench.skp_cascade [--pegawai 10000] [--requests 40]

Builds the demo agency in a scratch database (`ekinerja_bench_skp` on DATABASE_URL's server,
else 127.0.0.1:5432), gives every pegawai an approved SKP whose RHK intervenes their penilai's,
serves the app with uvicorn on a free local port, signs requests with a development token, and
drops everything at the end. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import uvicorn

from bench._report import print_table
from bench._scratch import scratch_database
from ekinerja.auth.dev_tokens import mint_dev_token
from ekinerja.db.sql import fetch
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.enums import JenisJabatan, JenisKepegawaian
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.shared import JenisInstansi
from ekinerja.models.tenant import Jabatan, Pegawai, Penugasan
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound

DATABASE = "ekinerja_bench_skp"
TENANT = "BENCHSKP"
ON = date(2026, 3, 1)

DOWN = """query($id: ID!) { rhk(id: $id) { cascadeBawah { kedalaman rhkIndukId
  rhk { teks } pemilik { nama } } } }"""
DOWN_FLAT = """query($id: ID!) { rhk(id: $id) { cascadeBawah { kedalaman rhkIndukId rhkId teks
  pemilikNama } } }"""
UP = """query($id: ID!) { rhk(id: $id) { cascadeAtas { kedalaman rhk { teks }
  pemilik { nama } } } }"""
COVERAGE = """{ cakupanCascade(tahun: 2026, tanggal: "2026-03-01") { persenRhkTercakup
  persenSkpDisetujui bawahan { pegawai { nama } statusSkp jumlahRhk rhkTidakTerhubung }
  rhk { jumlahIntervensi } perUnit { unit persenDisetujui } } }"""


async def add_wide_team(head_nip: str, size: int) -> None:
    """Give a unit head ``size`` more direct subordinates in their own unit."""
    head = await Pegawai.get(nip=head_nip)
    post_of_head = await Penugasan.filter(pegawai=head).select_related("jabatan").first()
    post = await Jabatan.create(
        nama="Pelaksana Tambahan",
        jenis=JenisJabatan.PELAKSANA,
        unit_id=post_of_head.jabatan.unit_id,
    )
    for i in range(size):
        pegawai = await Pegawai.create(
            nip=f"19900101201501{1 + i % 2}{i:03d}"[:18],
            nama=f"Pelaksana {i:03d}",
            jenis_kepegawaian=JenisKepegawaian.PNS,
            golongan="II/c",
            tanggal_lahir=date(1990, 1, 1),
        )
        await Penugasan.create(pegawai=pegawai, jabatan=post, berlaku_mulai=date(2026, 1, 1))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


async def timed(client: httpx.AsyncClient, query: str, variables: dict, n: int) -> tuple[str, int]:
    samples, size = [], 0
    for _ in range(n):
        started = time.perf_counter()
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        samples.append(time.perf_counter() - started)
        body = response.json()
        assert "errors" not in body, body
        size = len(response.content)
    return percentiles(samples), size


async def bench(pegawai: int, requests: int) -> list[str]:
    report: list[str] = []
    async with scratch_database(
        DATABASE, data_dir=Path(tempfile.mkdtemp()), demo_tenant=TENANT
    ) as (address, settings):
        instansi, _ = await create_tenant(
            TENANT, "Kabupaten Bench", JenisInstansi.KABUPATEN, role_prefix_for_database(DATABASE)
        )
        rows = generate_demo_rows(pegawai)
        result = await import_pegawai(TENANT, rows, actor="bench", source="bench")
        assert result.ok, result.errors[:3]
        top_nip = next(r["NIP"] for r in rows if r["JABATAN_NAMA"] == "Sekretaris Daerah")
        wide_nip = next(
            r["NIP"] for r in rows if r["KEPALA_UNIT"] == "Y" and r["JENIS_JABATAN"] == "PENGAWAS"
        )
        async with tenant_transaction(as_bound(instansi)):
            await add_wide_team(wide_nip, 200)
            started = time.perf_counter()
            total = await seed_demo_skp(2026, ON)
            seeded = time.perf_counter() - started
            top_rhk = (
                await fetch(
                    "SELECT r.id FROM rhk r JOIN skp s ON s.id = r.skp_id JOIN pegawai g "
                    "ON g.id = s.pegawai_id WHERE g.nip = $1",
                    top_nip,
                )
            )[0]["id"]
            deepest = (
                await fetch(
                    """WITH RECURSIVE d AS (SELECT id, 0 AS depth FROM rhk WHERE id = $1
                   UNION ALL SELECT r.id, d.depth + 1 FROM rhk r JOIN d ON r.intervensi_id = d.id)
                   SELECT id, depth FROM d ORDER BY depth DESC LIMIT 1""",
                    top_rhk,
                )
            )[0]
        report.append(
            f"| setup: {total} pegawai with approved SKPs and linked RHK "
            f"(resolving every penilai; set-based writes, 2 RHK and 6 indikator each) "
            f"| {seeded:.1f} s |"
        )

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        port = sock.getsockname()[1]
        app = create_app(settings)
        http_server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        serving = asyncio.create_task(http_server.serve(sockets=[sock]))
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                timeout=120,
                headers={"X-Instansi": TENANT},
            ) as client:
                client.headers["Authorization"] = "Bearer " + mint_dev_token(
                    settings, nip=top_nip, instansi=TENANT
                )
                stats, size = await timed(client, DOWN, {"id": str(top_rhk)}, requests)
                report.append(
                    f"| cascade down from the top RHK: {total - 1} nodes, depth "
                    f"{deepest['depth']}, {size / 1e6:.1f} MB JSON, {requests} requests | {stats} |"
                )
                stats, size = await timed(client, DOWN_FLAT, {"id": str(top_rhk)}, requests)
                report.append(
                    f"| the same with the node's own fields only (rhkId, teks, pemilikNama), "
                    f"{size / 1e6:.1f} MB JSON | {stats} |"
                )
                stats, _ = await timed(client, UP, {"id": str(deepest["id"])}, requests)
                report.append(
                    f"| cascade up from the deepest RHK ({deepest['depth']} levels), "
                    f"{requests} requests | {stats} |"
                )
                client.headers["Authorization"] = "Bearer " + mint_dev_token(
                    settings, nip=wide_nip, instansi=TENANT
                )
                stats, _ = await timed(client, COVERAGE, {}, requests)
                report.append(
                    f"| coverage for a unit head with 200+ direct subordinates, "
                    f"{requests} requests | {stats} |"
                )
        finally:
            http_server.should_exit = True
            await serving
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pegawai", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    rows = asyncio.run(bench(args.pegawai, args.requests))
    print_table(("measurement", "latency through HTTP"), rows)


if __name__ == "__main__":
    main()
