"""Scale at its real shape (issue 18): a fleet of 630 instansi of realistic sizes (a few at
100–300k pegawai, most at 1–10k, about 6 million in all), reduced by ``--scale``, and on it

- ``fleet``: provisioning and seeding time, per-tenant latency of the hot operations by size
  class (HTTP through `ekinerja serve`, the instansi's figures in process), the catalog's size,
  the no-op migrate and the connections held under a load over every tenant;
- ``national``: refreshing the national read model, reading it, and how soon a change in one
  instansi shows in it with the background worker running (the worker inside `serve`);
- ``imports``: the pegawai import of the largest instansi (300,000 × ``--import-scale``), a progres
  import of 1,000,000 × ``--import-scale`` rows, each while a probe load runs against the
  other tenants and the importing one;
- ``rollout``: a real schema change (a new column on `pegawai`, backfilled, indexed) applied
  to every tenant the way `ekinerja migrate` applies a migration (one transaction per tenant
  under its advisory lock, the registry's version written in it, ``migrate_concurrency`` at a
  time) while a portal load runs over every tenant, every failed request counted; once as a
  migration declared additive (``ADDITIVE = True``: the registry's floor stays at the running
  code's version, so the running service goes on serving migrated tenants,
  ekinerja/tenants/schema_versions.py) and once as one that is not (``contract``: the floor is
  the new version, so the running service refuses each tenant from its migration on, as it must
  for a change it cannot read), checking "new code" (which uses the column only where its
  tenant's version has it) on both kinds of tenant meanwhile.

    python -m bench.scale [--scale 0.01] [--tenants 630] [--parts fleet,national,imports,rollout]

Works in a scratch database `ekinerja_bench_scale` on DATABASE_URL's server (else
127.0.0.1:5432), dropped at the end with its tenant roles. The service runs as a separate
process (`ekinerja serve --workers 1`, development mode, development tokens), the load as
another (``python -m bench.scale load``), so neither the import's nor the load's Python
competes with the other in one event loop. Prints Markdown tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from anyio import to_thread
from tortoise.migrations.recorder import MigrationRecorder
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from bench._report import print_table
from bench._scratch import scratch_database
from bench.import_pegawai import PhaseClock
from bench.nasional import SEED
from bench.portal import free_port, running, wait_for_http
from bench.progres_harian import write_file
from ekinerja.auth.dev_tokens import mint_dev_token
from ekinerja.db.config import CONNECTION, TENANT_APP
from ekinerja.db.sql import fetch
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.nasional.laporan import nasional
from ekinerja.nasional.read_model import segarkan_banyak
from ekinerja.nasional.statistik import hitung
from ekinerja.pelaksanaan.progres import MAX_ROWS as PROGRES_MAX_ROWS
from ekinerja.pelaksanaan.progres_impor import import_parsed, parse_file
from ekinerja.peristiwa.jenis import JenisPeristiwa
from ekinerja.peristiwa.outbox import emit
from ekinerja.skp.demo import seed_demo_skp
from ekinerja.skp.lifecycle import Caller
from ekinerja.tabular import Limits
from ekinerja.tenants.binding import bind_connection, tenant_transaction
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.migrations import _LOCK_SQL, migrate_all
from ekinerja.tenants.provinsi import PROVINSI
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound
from ekinerja.tenants.schema_versions import latest_tenant_version

DATABASE = "ekinerja_bench_scale"
TAHUN = 2026  # the year bench/nasional.py's seed writes
NATIONAL = 6_000_000  # ASN, January 2026 (docs/domain.md §10)
PARTS = ("fleet", "national", "imports", "rollout")
FRESHNESS_WAIT = 120  # seconds a change may take to show nationally before we stop looking
NIP_1 = "19" + "1".rjust(16, "0")  # the first pegawai bench/nasional.py's seed writes

SAYA = "query { saya { nip nama } }"
DIRECTORY = "query { daftarPegawai(first: 50) { nodes { nip nama } } }"

# The two schema changes the rollout applies, one per gate: a nullable column (instant), its
# backfill from data every row has, and an index. Version names sort after every real one.
CHANGES = {
    "contract": (
        "0902_bench_tahun_pensiun",
        "tahun_pensiun",
        """ALTER TABLE pegawai ADD COLUMN tahun_pensiun smallint;
UPDATE pegawai SET tahun_pensiun = extract(year FROM tanggal_lahir)::int + 58;
CREATE INDEX pegawai_tahun_pensiun_idx ON pegawai (tahun_pensiun);""",
    ),
    "additive": (
        "0901_bench_tanggal_pensiun",
        "tanggal_pensiun",
        """ALTER TABLE pegawai ADD COLUMN tanggal_pensiun date;
UPDATE pegawai SET tanggal_pensiun =
    (date_trunc('month', tanggal_lahir + interval '58 years') + interval '1 month')::date;
CREATE INDEX pegawai_tanggal_pensiun_idx ON pegawai (tanggal_pensiun);""",
    ),
}


# ---- the fleet's shape ------------------------------------------------------------------------


def fleet_sizes(tenants: int, seed: int = 18) -> list[int]:
    """Pegawai per instansi at full scale, ``tenants`` of them (630: ≈6 million in all). A few
    Kemenag-sized (100–300k), then large provinces and ministries (20–60k), large kabupaten
    (10–20k) and the many kabupaten/kota and small lembaga (1.5–10k, log-uniform); the classes
    below the largest are scaled together so that 630 tenants hold 6,000,000."""
    rng = random.Random(seed)
    share = tenants / 630
    huge = [300_000, 250_000, 200_000, 150_000, 120_000, 100_000][: max(1, round(6 * share))]
    large = [
        round(math.exp(rng.uniform(math.log(20e3), math.log(60e3))))
        for _ in range(round(30 * share))
    ]
    medium = [rng.randint(10_000, 20_000) for _ in range(round(100 * share))]
    small_count = max(0, tenants - len(huge) - len(large) - len(medium))
    small = [
        round(math.exp(rng.uniform(math.log(1_500), math.log(10_000)))) for _ in range(small_count)
    ]
    rest = large + medium + small
    factor = max(0.5, (NATIONAL * share - sum(huge)) / max(1, sum(rest)))
    sizes = huge + [max(1_000, round(s * factor)) for s in rest]
    rng.shuffle(sizes)  # kode order (the migration's order) is not size order
    return sizes


def size_class(full: int) -> str:
    if full >= 100_000:
        return "100–300k"
    if full >= 20_000:
        return "20–100k"
    if full >= 10_000:
        return "10–20k"
    return "1–10k"


CLASSES = ("100–300k", "20–100k", "10–20k", "1–10k")


@dataclass
class Tenant:
    instansi: Instansi
    full: int  # pegawai at full scale
    pegawai: int  # pegawai seeded
    token: str = ""

    @property
    def kode(self) -> str:
        return self.instansi.kode


def ms(samples: list[float]) -> str:
    if not samples:
        return "—"
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"median {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )


# ---- the service and the load, as processes ---------------------------------------------------


@contextmanager
def service(database_url: str, data_dir: Path):
    """`ekinerja serve --workers 1` on a free port, development mode (its worker inside)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    env.update(
        DATABASE_URL=database_url,
        EKINERJA_MODE="development",
        EKINERJA_DATA_DIR=str(data_dir),
        EKINERJA_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "ekinerja", "serve", "--port", str(port), "--workers", "1"]
    log = data_dir / f"serve-{port}.log"
    with running(command, env, log) as process:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{url}/healthz", process, "ekinerja serve")
        yield url


class Load:
    """``python -m bench.scale load`` in a process of its own: ``clients`` connections posting
    the given queries to random targets (weighted) until stopped; every request's tenant,
    start, end and outcome written to a JSON file."""

    def __init__(
        self, work: Path, url: str, targets: list[dict], queries: list[str], clients: int
    ) -> None:
        self.spec = work / f"load-{time.time_ns()}.json"
        self.stop = self.spec.with_suffix(".stop")
        self.out = self.spec.with_suffix(".out")
        self.spec.write_text(
            json.dumps(
                {
                    "url": url,
                    "targets": targets,
                    "queries": queries,
                    "clients": clients,
                    "stop": str(self.stop),
                    "out": str(self.out),
                }
            )
        )
        self.work = work
        self.process = None

    def __enter__(self) -> Load:
        import subprocess

        self.log = open(self.spec.with_suffix(".log"), "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.scale", "load", str(self.spec)],
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while not self.out.with_suffix(".ready").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"load generator did not start: {self.spec.with_suffix('.log')}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.touch()
        self.process.wait(60)
        self.log.close()

    def results(self) -> list[dict]:
        return json.loads(self.out.read_text())


async def run_load(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    targets, queries = spec["targets"], spec["queries"]
    weights = [t["weight"] for t in targets]
    stop = Path(spec["stop"])
    records: list[tuple] = []
    rng = random.Random(1)
    limits = httpx.Limits(max_connections=spec["clients"])
    async with httpx.AsyncClient(base_url=spec["url"], timeout=60, limits=limits) as client:

        async def one(target: dict, query: str) -> tuple:
            headers = {"Authorization": f"Bearer {target['token']}", "X-Instansi": target["kode"]}
            started = time.time()
            try:
                response = await client.post("/graphql", json={"query": query}, headers=headers)
                body = response.json()
                errors = body.get("errors") if isinstance(body, dict) else None
                if response.status_code != 200 or errors:
                    code = (errors or [{}])[0].get("extensions", {}).get("code") or str(
                        response.status_code
                    )
                else:
                    code = None
            except Exception as error:  # a transport failure counts as a failed request
                code = type(error).__name__
            return (target["kode"], started, time.time(), code)

        for target in targets[:20]:  # warm-up: connections, the service's first plans
            await one(target, queries[0])
        Path(spec["out"]).with_suffix(".ready").touch()

        async def client_loop() -> None:
            while not stop.exists():
                target = rng.choices(targets, weights)[0]
                records.append(await one(target, rng.choice(queries)))

        await asyncio.gather(*(client_loop() for _ in range(spec["clients"])))
    Path(spec["out"]).write_text(json.dumps(records))


def summarize(
    records: list,
    since: float | None = None,
    until: float | None = None,
    kodes: set[str] | None = None,
) -> tuple[int, Counter, list[float], float]:
    """Requests, failures by code, latencies and rate of the records that overlap the window
    (and went to ``kodes``)."""
    chosen = [
        r
        for r in records
        if (since is None or r[2] >= since)
        and (until is None or r[1] <= until)
        and (kodes is None or r[0] in kodes)
    ]
    failures = Counter(r[3] for r in chosen if r[3])
    start = since if since is not None else min((r[1] for r in chosen), default=0)
    end = until if until is not None else max((r[2] for r in chosen), default=0)
    rate = len(chosen) / (end - start) if end > start else 0
    return len(chosen), failures, [r[2] - r[1] for r in chosen], rate


def failures_text(failures: Counter) -> str:
    if not failures:
        return "**0 failed**"
    return "**" + ", ".join(f"{n} × {code}" for code, n in failures.most_common()) + "**"


def targets_of(tenants: list[Tenant]) -> list[dict]:
    """Load targets: every tenant, weighted by its pegawai (requests follow people)."""
    return [{"kode": t.kode, "token": t.token, "weight": t.full} for t in tenants]


# ---- the fleet --------------------------------------------------------------------------------


async def provision(count: int, scale: float, settings) -> tuple[list[Tenant], float, float]:
    prefix = role_prefix_for_database(DATABASE)
    provinces = sorted(PROVINSI)
    tenants: list[Tenant] = []
    provisioned = seeded = 0.0
    for i, full in enumerate(fleet_sizes(count)):
        pegawai = max(3, round(full * scale))
        jenis = JenisInstansi.PUSAT if i % 7 == 0 else JenisInstansi.KABUPATEN
        provinsi = None if jenis is JenisInstansi.PUSAT else provinces[i % len(provinces)]
        t0 = time.perf_counter()
        instansi, _ = await create_tenant(f"S{i:04d}", f"Instansi {i}", jenis, prefix, provinsi)
        t1 = time.perf_counter()
        async with tenant_transaction(as_bound(instansi)):
            for statement in SEED:
                await (fetch(statement, pegawai) if "$1" in statement else fetch(statement))
            await fetch("ANALYZE pegawai, skp, rhk, evaluasi_periodik, kinerja_organisasi")
        provisioned += t1 - t0
        seeded += time.perf_counter() - t1
        token = mint_dev_token(settings, nip=NIP_1, instansi=instansi.kode)
        tenants.append(Tenant(instansi, full, pegawai, token))
        if (i + 1) % 100 == 0:
            print(f"  {i + 1} tenants provisioned and seeded", file=sys.stderr)
    return tenants, provisioned, seeded


async def catalog(address) -> dict[str, object]:
    connection = await asyncpg.connect(**address.asyncpg_kwargs())
    try:
        row = await connection.fetchrow(
            """SELECT (SELECT count(*) FROM pg_class) AS relations,
                      (SELECT count(*) FROM pg_attribute) AS attributes,
                      (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                         JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'pg_catalog')::bigint AS catalog_bytes,
                      pg_database_size(current_database()) AS database_bytes,
                      (SELECT count(*) FROM pg_namespace) AS schemas"""
        )
        return dict(row)
    finally:
        await connection.close()


async def backend_cache(address, tenants: list[Tenant]) -> tuple[float, float, float]:
    """One connection that reads from every tenant in turn, as a pooled service connection
    does: its relation/catalog cache (CacheMemoryContext) and all its memory, in MB, after
    the first tenant and after all of them."""
    connection = await asyncpg.connect(**address.asyncpg_kwargs())
    sql = """SELECT sum(total_bytes) FILTER (WHERE name = 'CacheMemoryContext') AS cache,
                    sum(total_bytes) AS total FROM pg_backend_memory_contexts"""
    try:
        first = None
        for tenant in tenants:
            await connection.execute(f"SET search_path TO {tenant.instansi.schema_name}")
            await connection.fetch("SELECT nip, nama FROM pegawai ORDER BY nama LIMIT 50")
            await connection.fetch(
                "SELECT s.id, r.teks FROM skp s JOIN rhk r ON r.skp_id = s.id LIMIT 10"
            )
            if first is None:
                first = await connection.fetchrow(sql)
        last = await connection.fetchrow(sql)
        return float(first["cache"]) / 1e6, float(last["cache"]) / 1e6, float(last["total"]) / 1e6
    finally:
        await connection.close()


async def peak_connections(address, stop: asyncio.Event, peak: list[int]) -> None:
    watcher = await asyncpg.connect(**address.asyncpg_kwargs())
    try:
        while not stop.is_set():
            count = await watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> "
                "pg_backend_pid()",
                DATABASE,
            )
            peak[0] = max(peak[0], count)
            await asyncio.sleep(0.05)
    finally:
        await watcher.close()


async def hot_operations(url: str, tenants: list[Tenant], per_class: int) -> list[str]:
    rows = []
    by_class: dict[str, list[Tenant]] = {c: [] for c in CLASSES}
    for tenant in tenants:
        by_class[size_class(tenant.full)].append(tenant)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for name, members in by_class.items():
            if not members:
                continue
            chosen = sorted(members, key=lambda t: -t.full)[:per_class]
            samples: dict[str, list[float]] = {"saya": [], "directory": [], "figures": []}
            for tenant in chosen:
                headers = {"Authorization": f"Bearer {tenant.token}", "X-Instansi": tenant.kode}
                for label, query in (("saya", SAYA), ("directory", DIRECTORY)):
                    for n in range(6):
                        t0 = time.perf_counter()
                        response = await client.post(
                            "/graphql", json={"query": query}, headers=headers
                        )
                        elapsed = time.perf_counter() - t0
                        body = response.json()
                        assert response.status_code == 200 and not body.get("errors"), body
                        if n:  # the first warms the tenant's entry and plans
                            samples[label].append(elapsed)
                for n in range(3):
                    t0 = time.perf_counter()
                    async with tenant_transaction(as_bound(tenant.instansi)):
                        await hitung(TAHUN)
                    if n:
                        samples["figures"].append(time.perf_counter() - t0)
            pegawai = [t.pegawai for t in chosen]
            rows.append(
                f"| {name} | {len(members)} | {min(pegawai):,}–{max(pegawai):,} "
                f"| {statistics.median(samples['saya']) * 1000:.1f} "
                f"| {statistics.median(samples['directory']) * 1000:.1f} "
                f"| {statistics.median(samples['figures']) * 1000:.1f} |"
            )
    return rows


async def part_fleet(ctx) -> None:
    tenants, url, address = ctx.tenants, ctx.url, ctx.address
    report = ctx.report
    total = sum(t.pegawai for t in tenants)
    report["fleet"] = rows = [
        f"| provision {len(tenants)} tenants (registry row, role, schema, 21 migrations as one "
        f"script), sequential | {ctx.provisioned:.1f} s "
        f"({ctx.provisioned / len(tenants) * 1000:.0f} ms per tenant) |",
        f"| seed {total:,} pegawai (full scale {sum(t.full for t in tenants):,}; ×{ctx.scale}) "
        f"with SKPs, RHK, evaluations, set-based, then ANALYZE | {ctx.seeded:.1f} s |",
    ]
    started = time.perf_counter()
    result = await migrate_all(concurrency=ctx.settings.migrate_concurrency)
    assert not result.migrated and not result.failed
    rows.append(
        f"| no-op migrate over {len(tenants)} tenants, in process "
        f"| {(time.perf_counter() - started) * 1000:.0f} ms |"
    )
    cat = await catalog(address)
    rows.append(
        f"| catalog: relations / attributes / schemas | {cat['relations']:,} / "
        f"{cat['attributes']:,} / {cat['schemas']:,} |"
    )
    rows.append(
        f"| catalog (pg_catalog) size / whole database | {cat['catalog_bytes'] / 1e6:.0f} MB / "
        f"{cat['database_bytes'] / 1e6:.0f} MB |"
    )
    cache_one, cache_all, total_all = await backend_cache(address, tenants)
    rows.append(
        f"| memory of one database connection that read every tenant (a pooled connection's "
        f"lot): catalog cache after 1 tenant → after {len(tenants)} | {cache_one:.1f} MB → "
        f"{cache_all:.1f} MB (all its memory {total_all:.0f} MB) |"
    )
    ctx.hot = await hot_operations(url, tenants, per_class=ctx.per_class)

    stop, peak = asyncio.Event(), [0]
    watcher = asyncio.create_task(peak_connections(address, stop, peak))
    with Load(ctx.work, url, targets_of(tenants), [SAYA, DIRECTORY], ctx.clients) as load:
        await asyncio.sleep(ctx.seconds)
    stop.set()
    await watcher
    records = load.results()
    count, failures, latencies, rate = summarize(records)
    touched = len({r[0] for r in records})
    rows.append(
        f"| portal load over every tenant ({ctx.clients} clients, `saya` and a 50-row directory, "
        f"tenants weighted by pegawai), {ctx.seconds:.0f} s | {count:,} requests to {touched} "
        f"tenants, {rate:.0f} req/s, {ms(latencies)}, {failures_text(failures)} |"
    )
    rows.append(
        f"| connections to the database during that load (service pool, its worker's LISTEN, "
        f"the benchmark's own) | peak {peak[0]} (service pool max {ctx.settings.db_pool_max}) |"
    )


# ---- national figures -------------------------------------------------------------------------


async def part_national(ctx) -> None:
    tenants = ctx.tenants
    report = ctx.report["national"] = []
    instansi = [t.instansi for t in tenants]
    t0 = time.perf_counter()
    await segarkan_banyak(instansi, TAHUN, concurrency=8)
    report.append(
        f"| refresh the read model for all {len(tenants)} tenants "
        f"({sum(t.pegawai for t in tenants):,} pegawai), 8 at a time "
        f"| {time.perf_counter() - t0:.2f} s |"
    )
    for label, kwargs in [
        ("national totals + first page of 50, all instansi", {}),
        (
            "… filtered to KABUPATEN in Jawa Tengah",
            {"jenis": [JenisInstansi.KABUPATEN], "provinsi": ["33"]},
        ),
    ]:
        for _ in range(5):
            await nasional(TAHUN, "bench", **kwargs)
        samples = []
        for _ in range(50):
            t1 = time.perf_counter()
            found = await nasional(TAHUN, "bench", **kwargs)
            samples.append(time.perf_counter() - t1)
        assert found.instansi_dihitung == found.instansi_total
        report.append(
            f"| read: {label} (in process, incl. the audit row), 50 runs | {ms(samples)} |"
        )
    found = await nasional(TAHUN, "bench")
    report.append(f"| national pegawai counted in the read model | {found.jumlah.pegawai:,} |")

    # Freshness: a change in one instansi (a pegawai added, with its outbox event, as an import
    # writes it) and the time until the national figures show it, the worker (inside serve)
    # doing the refresh. Once right after the instansi was refreshed (the worker refreshes a
    # notified instansi whose figures are older than a minute: the worst case) and once for
    # one refreshed more than a minute before.
    async def change_and_wait(tenant: Tenant, label: str) -> None:
        before = (await nasional(TAHUN, "bench")).jumlah.pegawai
        async with tenant_transaction(as_bound(tenant.instansi)):
            rows = await fetch(
                "INSERT INTO pegawai (nip, nama, jenis_kepegawaian, status, tanggal_lahir, "
                "dibuat_pada, diubah_pada) VALUES ($1, 'Pegawai baru', 'PNS', 'AKTIF', "
                "date '1990-01-01', now(), now()) RETURNING id",
                f"20{time.time_ns() % 10**16:016d}",
            )
            await emit(JenisPeristiwa.PEGAWAI_DIBUAT, "pegawai", rows[0]["id"], {"bench": True})
        changed = time.perf_counter()
        while (await nasional(TAHUN, "bench")).jumlah.pegawai == before:
            if time.perf_counter() - changed > FRESHNESS_WAIT:
                report.append(
                    f"| change → national figures, {label} | **not seen within "
                    f"{FRESHNESS_WAIT} s** |"
                )
                return
            await asyncio.sleep(0.25)
        report.append(
            f"| change → national figures, {label} | **{time.perf_counter() - changed:.1f} s** |"
        )

    with service(ctx.database_url, ctx.work) as _url:
        await asyncio.sleep(2)  # the worker's first pass
        await segarkan_banyak([tenants[0].instansi], TAHUN)
        await change_and_wait(tenants[0], "instansi refreshed just before (worst case)")
        # tenants[1] was refreshed above, well over a minute ago on any real fleet; make sure.
        await fetch(
            "UPDATE shared.statistik_instansi SET dihitung_pada = now() - interval '2 minutes' "
            "WHERE instansi_id = $1",
            tenants[1].instansi.id,
        )
        await change_and_wait(tenants[1], "instansi refreshed over a minute before")


# ---- imports ----------------------------------------------------------------------------------


started_at = [0.0]  # when the current probed work began (for rates in its result)


async def probed(ctx, label: str, work, targets: list[dict], same: set[str]) -> list[str]:
    """Run ``work`` while a probe load (``ctx.clients`` clients) runs; its time, and the
    probes' latency and failures before and during it."""
    with Load(ctx.work, ctx.url, targets, [SAYA, DIRECTORY], ctx.clients) as load:
        await asyncio.sleep(ctx.baseline)
        started = started_at[0] = time.time()
        result = await work()
        ended = time.time()
        await asyncio.sleep(1)
    records = load.results()
    base = summarize(records, until=started)
    during_other = summarize(
        records, since=started, until=ended, kodes={t["kode"] for t in targets} - same
    )
    during_same = summarize(records, since=started, until=ended, kodes=same)
    rows = [f"| {label} | **{ended - started:.1f} s** {result} |"]
    rows.append(
        f"| … probes before it (every target) | {base[0]} requests, {ms(base[2])}, "
        f"{failures_text(base[1])} |"
    )
    rows.append(
        f"| … probes during it, other tenants | {during_other[0]} requests, "
        f"{ms(during_other[2])}, {failures_text(during_other[1])} |"
    )
    if same:
        rows.append(
            f"| … probes during it, the importing tenant | {during_same[0]} requests, "
            f"{ms(during_same[2])}, {failures_text(during_same[1])} |"
        )
    return rows


async def part_imports(ctx) -> None:
    report = ctx.report["imports"] = []
    prefix = role_prefix_for_database(DATABASE)
    others = targets_of(ctx.tenants)
    pegawai = max(100, round(300_000 * ctx.import_scale))
    instansi, _ = await create_tenant("IMPOR", "Kementerian Bench", JenisInstansi.PUSAT, prefix)
    rows = generate_demo_rows(pegawai, 1)
    first_nip = rows[0]["NIP"]
    own = {
        "kode": "IMPOR",
        "weight": sum(t.full for t in ctx.tenants) // 10,
        "token": mint_dev_token(ctx.settings, nip=first_nip, instansi="IMPOR"),
    }

    def pegawai_import(label: str):
        async def work() -> str:
            clock = PhaseClock()
            result = await import_pegawai(
                "IMPOR", rows, actor="bench", source="bench", on_progress=clock
            )
            assert result.ok, result.errors[:5]
            counts = ", ".join(
                f"{k} +{c.created} ~{c.updated} ={c.unchanged}" for k, c in result.counts().items()
            )
            return f"({clock.durations(time.perf_counter())}; {counts})"

        return work

    with service(ctx.database_url, ctx.work) as url:
        ctx.url = url
        report += await probed(
            ctx,
            f"pegawai import, {pegawai:,} pegawai (300,000 × {ctx.import_scale}), empty instansi",
            pegawai_import("first"),
            others,
            set(),
        )
        report += await probed(
            ctx,
            f"the same {pegawai:,} again (every row compared, nothing written)",
            pegawai_import("again"),
            [*others, own],
            {"IMPOR"},
        )

        progres = max(1_000, round(1_000_000 * ctx.import_scale))
        planners = max(200, round(2_000 * ctx.import_scale))
        # Its own instansi of `planners` pegawai with SKPs and rencana aksi, as
        # bench/progres_harian.py seeds one (SKPs for 300,000 would take the demo seed long).
        target, _ = await create_tenant(
            "PROGRES", "Kabupaten Bench", JenisInstansi.KABUPATEN, prefix
        )
        people = generate_demo_rows(planners, 2)
        assert (await import_pegawai("PROGRES", people, actor="bench", source="bench")).ok
        bound = as_bound(target)
        async with tenant_transaction(bound):
            await seed_demo_skp(TAHUN)
            plans = [
                r["id"]
                for r in await fetch("SELECT id FROM rencana_aksi WHERE periode = '2026-T1'")
            ]
        own = {
            "kode": "PROGRES",
            "weight": own["weight"],
            "token": mint_dev_token(ctx.settings, nip=people[0]["NIP"], instansi="PROGRES"),
        }
        # The service takes at most MAX_ROWS progres rows in one import (ekinerja/pelaksanaan/
        # progres.py): a larger batch comes as several files, each its own import.
        chunk = min(progres, PROGRES_MAX_ROWS)
        paths = []
        for n in range(math.ceil(progres / chunk)):
            paths.append(ctx.work / f"progres-{n}.csv")
            write_file(paths[-1], plans, min(chunk, progres - n * chunk), seed=n + 1)
        size = sum(p.stat().st_size for p in paths)

        async def progres_import() -> str:
            count = 0
            for path in paths:
                limits = Limits(max_rows=chunk, max_bytes=path.stat().st_size)
                parsed = await to_thread.run_sync(parse_file, path, limits)
                async with tenant_transaction(bound):
                    count += await import_parsed(parsed, Caller(None, "bench"), "bench", False)
            assert count == progres
            return (
                f"({size / 1e6:.0f} MB CSV in {len(paths)} file(s) of ≤ {chunk:,} rows, "
                f"{len(plans):,} rencana aksi; each parsed in a thread, checked and written in "
                f"one transaction; {progres / (time.time() - started_at[0]):,.0f} rows/s)"
            )

        report += await probed(
            ctx,
            f"progres import, {progres:,} rows (1,000,000 × {ctx.import_scale})",
            progres_import,
            [*others, own],
            {"PROGRES"},
        )
    report.append(await bytes_per_row(target))


async def bytes_per_row(instansi: Instansi) -> str:
    """Bytes per row, table and its indexes, of the tables the arithmetic in docs/scale.md
    multiplies (the PROGRES instansi: imported pegawai, demo SKPs, the imported progres)."""
    tables = (
        "pegawai",
        "skp",
        "rhk",
        "indikator",
        "rencana_aksi",
        "progres_harian",
        "outbox_event",
    )
    parts = []
    async with tenant_transaction(as_bound(instansi)):
        for table in tables:
            rows = await fetch(
                f"SELECT count(*) AS n, pg_total_relation_size('{table}') AS bytes FROM {table}"
            )
            n, size = rows[0]["n"], rows[0]["bytes"]
            if n:
                parts.append(f"{table} {size / n:.0f} B ({n:,} rows)")
    return "| bytes per row incl. indexes (the progres instansi) | " + ", ".join(parts) + " |"


# ---- the rollout ------------------------------------------------------------------------------


async def migrate_one(
    instansi: Instansi, version: str, ddl: str, floor: str
) -> tuple[float, float]:
    """Apply one schema change to one tenant as ekinerja/tenants/migrations.py applies a
    migration (migrate_tenant_in): one transaction, the tenant's advisory lock, the registry
    row locked and re-read, the version written before binding, the DDL bound to the tenant's
    schema and role, the migration recorded in its history; ``floor`` is the oldest code that
    can serve the result (schema_versions.oldest_serving_version). Returns (start, commit)
    times."""
    started = time.time()
    async with in_transaction(CONNECTION) as connection:
        await connection.execute_query(_LOCK_SQL, [f"ekinerja.migrate.{instansi.schema_name}"])
        locked = await Instansi.select_for_update().get(id=instansi.id)
        if (locked.schema_version or "") >= version:
            return started, time.time()
        await Instansi.filter(id=instansi.id).update(
            schema_version=version, oldest_serving_version=floor, updated_at=now()
        )
        await bind_connection(connection, as_bound(locked))
        await connection.execute_script(ddl)
        await MigrationRecorder(connection).record_applied(TENANT_APP, version)
    return started, time.time()


async def new_code_read(instansi_id: int, version: str, column: str) -> str:
    """What "new code" does: it uses the new column only where its tenant's registry version
    has it, and serves the tenant without the feature otherwise."""
    instansi = await Instansi.get(id=instansi_id)
    migrated = (instansi.schema_version or "") >= version
    async with tenant_transaction(as_bound(instansi)):
        if migrated:
            row = (await fetch(f"SELECT count(*) AS n, count({column}) AS filled FROM pegawai"))[0]
            assert row["n"] == row["filled"], row  # backfilled in the same transaction
            return "migrated"
        await fetch("SELECT count(*) FROM pegawai")
        return "not yet migrated"


async def part_rollout(ctx, gate: str) -> None:
    version, column, ddl = CHANGES[gate]
    tenants = ctx.tenants
    report = ctx.report[f"rollout-{gate}"] = []
    concurrency = ctx.settings.migrate_concurrency
    windows: dict[str, tuple[float, float]] = {}
    new_code: Counter = Counter()
    stop = asyncio.Event()

    async def new_code_loop() -> None:
        rng = random.Random(2)
        while not stop.is_set():
            tenant = rng.choice(tenants)
            try:
                new_code[await new_code_read(tenant.instansi.id, version, column)] += 1
            except Exception as error:  # counted, not hidden
                new_code[f"failed: {type(error).__name__}"] += 1
            await asyncio.sleep(0.05)

    # An additive migration keeps the floor at the running code; a contract one raises it.
    floor = latest_tenant_version() if gate == "additive" else version
    with service(ctx.database_url, ctx.work) as url:
        ctx.url = url
        with Load(ctx.work, url, targets_of(tenants), [SAYA, DIRECTORY], ctx.clients) as load:
            await asyncio.sleep(ctx.baseline)
            checker = asyncio.create_task(new_code_loop())
            gate_sem = asyncio.Semaphore(concurrency)

            async def one(tenant: Tenant) -> None:
                async with gate_sem:
                    windows[tenant.kode] = await migrate_one(tenant.instansi, version, ddl, floor)

            started = time.time()
            # As migrate_all: every tenant behind, in kode order, `concurrency` at a time.
            await asyncio.gather(*(one(t) for t in sorted(tenants, key=lambda t: t.kode)))
            ended = time.time()
            await asyncio.sleep(ctx.baseline)
            stop.set()
            await checker
    records = load.results()
    sizes = {t.kode: t for t in tenants}
    durations = sorted(((b - a), k) for k, (a, b) in windows.items())
    longest, longest_kode = durations[-1]
    report.append(
        f"| roll `{version}` out to {len(tenants)} tenants, {concurrency} at a time (ADD COLUMN, "
        f"backfill {sum(t.pegawai for t in tenants):,} rows, CREATE INDEX; one transaction "
        f"each) | **{ended - started:.1f} s**; per tenant median "
        f"{statistics.median(d for d, _ in durations) * 1000:.0f} ms, longest "
        f"{longest * 1000:.0f} ms ({sizes[longest_kode].pegawai:,} pegawai) |"
    )
    count, failures, latencies, rate = summarize(records, since=started, until=ended)
    report.append(
        f"| portal load during the rollout ({ctx.clients} clients over every tenant) "
        f"| {count:,} requests, {rate:.0f} req/s, {ms(latencies)}, "
        f"{failures_text(failures)} |"
    )
    during = [
        r
        for r in records
        if r[0] in windows and r[2] >= windows[r[0]][0] and r[1] <= windows[r[0]][1]
    ]
    report.append(
        f"| … requests that overlapped their own tenant's migration transaction | {len(during):,}"
        f", {ms([r[2] - r[1] for r in during])}, "
        f"{failures_text(Counter(r[3] for r in during if r[3]))} |"
    )
    after = [r for r in records if r[0] in windows and r[1] > windows[r[0]][1]]
    before = [r for r in records if r[0] in windows and r[2] < windows[r[0]][0]]
    for label, chosen in (
        ("old code (the running service) → tenant not yet migrated", before),
        ("old code → tenant already migrated (new column present)", after),
    ):
        report.append(
            f"| {label} | {len(chosen):,} requests, "
            f"{failures_text(Counter(r[3] for r in chosen if r[3]))} |"
        )
    report.append(
        "| new code (uses the column where its tenant's registry version has it), in process, "
        "random tenants during the rollout | "
        + ", ".join(f"{n} × {k}" for k, n in sorted(new_code.items()))
        + " |"
    )


# ---- the run ----------------------------------------------------------------------------------


@dataclass
class Context:
    scale: float
    import_scale: float
    clients: int
    seconds: float
    baseline: float
    per_class: int
    work: Path
    settings: object = None
    address: object = None
    database_url: str = ""
    url: str = ""
    tenants: list = None
    provisioned: float = 0
    seeded: float = 0
    report: dict = None
    hot: list = None


async def bench(args: argparse.Namespace) -> Context:
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    ctx = Context(
        args.scale,
        args.import_scale,
        args.clients,
        args.seconds,
        args.baseline,
        args.per_class,
        work,
        report={},
    )
    parts = args.parts.split(",")
    async with scratch_database(DATABASE, data_dir=work) as (address, settings):
        ctx.settings, ctx.address, ctx.database_url = settings, address, address.url()
        ctx.tenants, ctx.provisioned, ctx.seeded = await provision(
            args.tenants, args.scale, settings
        )
        if "fleet" in parts:
            with service(ctx.database_url, work) as url:
                ctx.url = url
                await part_fleet(ctx)
        if "national" in parts:
            await part_national(ctx)
        if "imports" in parts:
            await part_imports(ctx)
        if "rollout" in parts:
            for gate in args.gates.split(","):
                await part_rollout(ctx, gate)
    return ctx


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "load":
        asyncio.run(run_load(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01, help="pegawai per tenant × this")
    parser.add_argument(
        "--import-scale",
        type=float,
        default=None,
        help="the imports' sizes × this (default: --scale)",
    )
    parser.add_argument("--tenants", type=int, default=630)
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--gates", default="additive,contract", help="the migrations' kinds")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--baseline", type=float, default=3, help="load before/after, s")
    parser.add_argument("--per-class", type=int, default=5)
    args = parser.parse_args()
    if args.import_scale is None:
        args.import_scale = args.scale
    load_before = os.getloadavg()
    ctx = asyncio.run(bench(args))
    load_after = os.getloadavg()
    print(f"Command: python -m bench.scale {' '.join(sys.argv[1:])}")
    print(f"Load average before: {load_before[0]:.2f}, after: {load_after[0]:.2f}")
    if "fleet" in ctx.report:
        print_table(("measurement", "result"), ctx.report["fleet"])
        print()
        print_table(
            (
                "size class (full scale)",
                "tenants",
                "pegawai seeded",
                "`saya` ms",
                "directory 50 ms",
                "figures ms",
            ),
            ctx.hot,
        )
        print()
    for part in ("national", "imports", "rollout-additive", "rollout-contract"):
        if part in ctx.report:
            print(f"### {part}")
            print_table(("measurement", "result"), ctx.report[part])
            print()


if __name__ == "__main__":
    main()
