"""Writes through a database restart: concurrent `buatProgresHarianMassal` requests (two tagged
rows each) over real HTTP while PostgreSQL is stopped (fast, then immediate) and started
again, then a count of what the database kept for each request.

    python -m bench.faults [--writers 16] [--before 300] [--after 300]

Runs a PostgreSQL cluster of its own (ekinerja/db/cluster.py, the one tests/faults/ uses),
removed at the end; the service runs with its default limits, in this process, on a socket.
Prints a Markdown table for docs/benchmarks.md: requests sent, succeeded, failed (all 503s by
code, or anything else), rows found for the successes, lost, duplicated, half-written,
committed though answered a failure, how long the database was down, and how long after it
accepted connections again the first write succeeded.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench._report import print_table
from tests.support.faults import Load, Site, fault_site, serving_site, tally


async def restart_under_load(site: Site, mode: str, writers: int, before: int, after: int) -> str:
    stop = asyncio.Event()
    async with serving_site(site, site.settings) as client:
        load = Load(client, site, f"bench-{mode}", writers)
        writing = asyncio.create_task(load.run(stop))
        try:
            await load.until(lambda answers: sum(a.ok for a in answers) >= before)
            down_at = time.monotonic()
            await asyncio.to_thread(site.cluster.stop, mode)
            await asyncio.to_thread(site.cluster.start)
            up_at = time.monotonic()
            back = len(load.answers)
            await load.until(lambda answers: sum(a.ok for a in answers[back:]) >= after)
        finally:
            stop.set()
            await writing
    counted = await tally(site, load)
    recovered = min(a.at for a in load.answers[back:] if a.ok) - up_at
    failures = ", ".join(f"{n}× {what}" for what, n in sorted(counted.failures.items())) or "none"
    return (
        f"| {mode} | {counted.sent} | {counted.succeeded} | {failures} | {counted.rows_found} "
        f"| {counted.lost} | {counted.duplicated} | {counted.half_written} "
        f"| {counted.committed_though_failed} | {up_at - down_at:.2f} s | {recovered:.2f} s |"
    )


async def bench(writers: int, before: int, after: int) -> list[str]:
    async with fault_site() as site:
        return [
            await restart_under_load(site, mode, writers, before, after)
            for mode in ("fast", "immediate")
        ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--before", type=int, default=300, help="successes before the restart")
    parser.add_argument("--after", type=int, default=300, help="successes after it")
    args = parser.parse_args()
    rows = asyncio.run(bench(args.writers, args.before, args.after))
    header = ("restart", "sent", "succeeded", "failed", "rows found", "lost", "duplicated",
              "half-written", "committed though failed", "database down",
              "recovered after")  # fmt: skip
    print_table(header, rows)


if __name__ == "__main__":
    main()
