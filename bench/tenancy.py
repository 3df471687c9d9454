"""Tenancy benchmarks: provisioning, no-op migration fan-out, binding overhead, connections.

    python -m bench.tenancy [--tenants 700] [--iterations 2000]

Works in a fresh database `ekinerja_bench` on DATABASE_URL's server (else 127.0.0.1:5432), drops
it and its tenant roles at the end, and prints a Markdown report for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time

import asyncpg
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from bench._report import print_table
from bench._scratch import scratch_database
from ekinerja.db.config import CONNECTION
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.models.tenant import TenantSetting
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.migrations import migrate_all
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound

DATABASE = "ekinerja_bench"


def timed_us(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95)]
    return f"median {statistics.median(ordered):.0f} µs, p95 {p95:.0f} µs"


async def bench(tenant_count: int, iterations: int) -> list[str]:
    report: list[str] = []
    async with scratch_database(DATABASE) as (address, settings):
        prefix = role_prefix_for_database(DATABASE)

        started = time.perf_counter()
        for i in range(tenant_count):
            await create_tenant(f"B{i:04d}", f"Instansi {i}", JenisInstansi.KABUPATEN, prefix)
        provision = time.perf_counter() - started
        report.append(
            f"| provision {tenant_count} tenants (registry row, role, schema, migrations; "
            f"sequential) | {provision:.1f} s total, {provision / tenant_count * 1000:.0f} ms "
            "per tenant |"
        )

        started = time.perf_counter()
        result = await migrate_all(concurrency=settings.migrate_concurrency)
        in_process = time.perf_counter() - started
        assert not result.migrated and not result.failed
        report.append(
            f"| no-op migrate over {tenant_count} tenants, in process "
            f"| {in_process * 1000:.0f} ms |"
        )

        env = {**os.environ, "DATABASE_URL": address.url()}
        started = time.perf_counter()
        cli = subprocess.run(
            [sys.executable, "-m", "ekinerja", "migrate"], env=env, capture_output=True, text=True
        )
        cli_seconds = time.perf_counter() - started
        assert cli.returncode == 0, cli.stderr
        report.append(
            f"| no-op `ekinerja migrate` over {tenant_count} tenants, whole command incl. "
            f"Python start-up | {cli_seconds:.2f} s |"
        )

        tenants = [as_bound(i) for i in await Instansi.all()]
        pool = get_connection(CONNECTION)

        async def unbound() -> None:
            await pool.execute_query("SELECT count(*) FROM shared.instansi")

        async def transaction_only() -> None:
            async with in_transaction(CONNECTION) as connection:
                await connection.execute_query("SELECT count(*) FROM shared.instansi")

        async def bound() -> None:
            async with tenant_transaction(random.choice(tenants)):
                await TenantSetting.all().count()

        for label, work in [
            ("unbound query (pool, autocommit)", unbound),
            ("unbound query in a transaction", transaction_only),
            ("tenant-bound query (transaction + binding), random tenant", bound),
        ]:
            for _ in range(200):  # warm-up: pool connections, prepared statements
                await work()
            samples = []
            for _ in range(iterations):
                t0 = time.perf_counter()
                await work()
                samples.append((time.perf_counter() - t0) * 1e6)
            report.append(f"| {label}, {iterations} sequential | {timed_us(samples)} |")

        peak = 0

        async def sample_connections(stop: asyncio.Event) -> None:
            nonlocal peak
            watcher = await asyncpg.connect(**address.asyncpg_kwargs())
            try:
                while not stop.is_set():
                    count = await watcher.fetchval(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 "
                        "AND application_name = 'ekinerja'",
                        DATABASE,
                    )
                    peak = max(peak, count)
                    await asyncio.sleep(0.01)
            finally:
                await watcher.close()

        stop = asyncio.Event()
        watcher = asyncio.create_task(sample_connections(stop))
        gate = asyncio.Semaphore(200)

        async def one(index: int) -> None:
            async with gate:
                async with tenant_transaction(tenants[index % len(tenants)]):
                    await TenantSetting.all().count()

        started = time.perf_counter()
        operations = max(5 * tenant_count, 2000)
        await asyncio.gather(*(one(i) for i in range(operations)))
        elapsed = time.perf_counter() - started
        stop.set()
        await watcher
        report.append(
            f"| connections held: {operations} bound operations over all {tenant_count} tenants, "
            f"200 in flight | peak {peak} connections (pool max {settings.db_pool_max}); "
            f"{operations / elapsed:.0f} operations/s |"
        )
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=700)
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    rows = asyncio.run(bench(args.tenants, args.iterations))
    print_table(("measurement", "result"), rows)


if __name__ == "__main__":
    main()
