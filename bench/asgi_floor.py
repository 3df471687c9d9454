"""The HTTP server's floor: how many `{ __typename }` requests a second uvicorn answers with an
app that does nothing (bench/floor/constant_app.py), loaded as bench/portal.py loads the
service (autocannon, 10 connections, one process). Issue 17's `__typename` row is the service's
whole fixed cost; this says how much of it is the server's and how much is ours.

    python -m bench.asgi_floor --seconds 5 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

from bench.portal import ROOT, Side, autocannon, free_port, node_binary, running, wait_for_http


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=10)
    args = parser.parse_args()
    node = node_binary()
    port = free_port()
    # What `ekinerja serve` gets from uvicorn (uvloop and httptools, installed with the
    # service), without an access log.
    command = [sys.executable, "-m", "uvicorn", "bench.floor.constant_app:app", "--port"]
    command += [str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log"]
    url = f"http://127.0.0.1:{port}/graphql"
    side = Side("{ __typename }", {}, rows=lambda data: [])
    log = ROOT / ".cache" / "asgi-floor.log"
    log.parent.mkdir(exist_ok=True)
    with running(command, dict(os.environ), log) as process:
        wait_for_http(url, process, "the constant app")
        autocannon(node, url, side, 2, args.connections, None)  # warm-up
        loads = [
            autocannon(node, url, side, args.seconds, args.connections, None)
            for _ in range(args.rounds)
        ]
    rps = statistics.mean(load.rps for load in loads)
    p50 = statistics.median(load.p50 for load in loads)
    p99 = statistics.median(load.p99 for load in loads)
    print(f"constant ASGI app under uvicorn: {rps:,.0f} req/s, p50 {p50} ms, p99 {p99} ms")


if __name__ == "__main__":
    main()
