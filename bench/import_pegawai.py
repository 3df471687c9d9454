"""Pegawai import benchmark: a demo agency of N pegawai written to CSV, then imported through
the service (read + validate + check + write), re-imported unchanged, and re-imported with a
few percent of changes (golongan updates and mutasi).

    python -m bench.import_pegawai [--pegawai 50000] [--seed 1]

Works in a fresh database `ekinerja_bench_import` on DATABASE_URL's server (else
127.0.0.1:5432), drops it and its tenant roles at the end, and prints a Markdown report for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from bench._report import print_table
from bench._scratch import scratch_database
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import ImportResult, import_pegawai, read_rows, write_csv
from ekinerja.kepegawaian.importer.layout import PEGAWAI_COLUMNS
from ekinerja.models.shared import JenisInstansi
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.provisioning import create_tenant

DATABASE = "ekinerja_bench_import"
TENANT = "BENCH1"


class PhaseClock:
    """Records when each phase of an import first reports, to time the phases."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, phase: str, _done: int, _total: int | None) -> None:
        self.marks.setdefault(phase, time.perf_counter())

    def durations(self, ended: float) -> str:
        names = list(self.marks)
        edges = [self.marks[n] for n in names] + [ended]
        return ", ".join(f"{name} {edges[i + 1] - edges[i]:.2f} s" for i, name in enumerate(names))


def with_changes(rows: list[dict[str, str]], seed: int) -> tuple[list[dict[str, str]], int, int]:
    """2 % of staff promoted one golongan step (PNS only), 1 % moved to another unit's jabatan."""
    rng = random.Random(seed)
    changed = [dict(r) for r in rows]
    staff = [r for r in changed if r["KEPALA_UNIT"] == "N"]
    promoted = 0
    for cells in rng.sample(staff, len(staff) // 50):
        if cells["JENIS_PEGAWAI"] == "PNS" and cells["GOLONGAN"].endswith("/a"):
            cells["GOLONGAN"] = cells["GOLONGAN"][:-1] + "b"
            promoted += 1
    moved = rng.sample(staff, len(staff) // 100)
    targets = rng.sample(staff, len(moved))
    for cells, target in zip(moved, targets, strict=True):
        for column in ("UNOR_ID", "UNOR_NAMA", "UNOR_ATASAN_ID", "JABATAN_NAMA", "JENIS_JABATAN"):
            cells[column] = target[column]
        cells["JENJANG"] = target["JENJANG"]
        cells["GOLONGAN"] = target["GOLONGAN"] if cells["JENIS_PEGAWAI"] == target[
            "JENIS_PEGAWAI"
        ] else cells["GOLONGAN"]  # fmt: skip
        cells["TMT_JABATAN"] = "2026-01-02"
    return changed, promoted, len(moved)


async def timed_import(path: Path, label: str, report: list[str]) -> ImportResult:
    clock = PhaseClock()
    rows = read_rows(path, lambda done, total: clock("reading", done, total))
    result = await import_pegawai(TENANT, rows, actor="bench", source=path.name, on_progress=clock)
    ended = time.perf_counter()
    assert result.ok, result.errors[:5]
    counts = "; ".join(
        f"{name} +{c.created} ~{c.updated} ={c.unchanged}" for name, c in result.counts().items()
    )
    report.append(
        f"| {label} | **{ended - clock.started:.2f} s** ({clock.durations(ended)}) | {counts} |"
    )
    return result


async def bench(pegawai: int, seed: int) -> list[str]:
    report: list[str] = []
    async with scratch_database(DATABASE) as (address, settings):
        await create_tenant(
            TENANT, "Bench", JenisInstansi.KABUPATEN, role_prefix_for_database(DATABASE)
        )
        started = time.perf_counter()
        rows = generate_demo_rows(pegawai, seed)
        generated = time.perf_counter() - started
        units = len({r["UNOR_ID"] for r in rows})
        report.append(
            f"| generate the demo agency ({pegawai} pegawai, {units} units) | {generated:.2f} s | |"
        )
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "pegawai.csv"
            write_csv(path, rows, PEGAWAI_COLUMNS)
            size = path.stat().st_size / 1e6
            await timed_import(path, f"first import, {size:.1f} MB CSV, empty tenant", report)
            await timed_import(path, "same file again (idempotent)", report)
            changed, promoted, moved = with_changes(rows, seed)
            write_csv(path, changed, PEGAWAI_COLUMNS)
            await timed_import(path, f"with changes: {promoted} promoted, {moved} mutasi", report)
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pegawai", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = asyncio.run(bench(args.pegawai, args.seed))
    print_table(("measurement", "time (phases)", "created + / updated ~ / unchanged ="), rows)


if __name__ == "__main__":
    main()
