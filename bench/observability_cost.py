"""What the request metrics cost per request, in process (decision 0040): the edge middleware
(ekinerja/http/edge.py) around a route answering a constant, called directly as ASGI (no
server, no sockets), with its metrics recorded and without, in alternating rounds; then the
pieces /graphql adds (the operation's name and label, the caller noted) timed alone.

    .venv/bin/python bench/observability_cost.py [--requests 50000] [--rounds 6] [--multiprocess]

``--multiprocess`` measures prometheus-client's multiprocess mode (`serve --workers N`): its
values live in memory-mapped files. No database is needed; the access log is off on both sides
(it is the same line with or without metrics).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--multiprocess", action="store_true")
    args = parser.parse_args()
    if args.multiprocess:  # before prometheus-client is imported: it chooses its values then
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ekinerja-bench-")
    asyncio.run(_bench(args))


async def _bench(args: argparse.Namespace) -> None:
    from starlette.responses import Response
    from starlette.routing import Route, Router

    from ekinerja.http.edge import EdgeMiddleware
    from ekinerja.settings import Settings

    async def constant(_request):
        return Response(b'{"data":{"__typename":"Query"}}', media_type="application/json")

    settings = Settings(access_log=False, _env_file=None)
    edge = EdgeMiddleware(Router([Route("/graphql", constant, methods=["POST"])]), settings)
    headers = [(b"content-type", b"application/json"), (b"origin", b"http://localhost:5173")]

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message):
        pass

    async def run(n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            scope = {
                "type": "http",
                "method": "POST",
                "path": "/graphql",
                "headers": headers,
                "query_string": b"",
                "client": ("127.0.0.1", 5000),
            }
            await edge(scope, receive, send)
        return (time.perf_counter() - started) / n * 1e6

    await run(2000)  # warm up
    results: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for records in (False, True):
            edge.records = records
            results[records].append(await run(args.requests))
    without = statistics.median(results[False])
    with_metrics = statistics.median(results[True])
    mode = "multiprocess" if args.multiprocess else "single process"
    print(f"edge middleware, {mode}: {args.rounds} rounds of {args.requests} requests")
    print(f"  without metrics {without:6.2f} µs/request (median of rounds)")
    print(f"  with metrics    {with_metrics:6.2f} µs/request")
    print(f"  added           {with_metrics - without:6.2f} µs/request")
    _graphql_pieces(args.requests)


def _graphql_pieces(n: int) -> None:
    from strawberry.http import GraphQLRequestData

    from ekinerja.auth.principal import Principal, Role
    from ekinerja.http.edge import note_caller
    from ekinerja.http.graphql_view import _operation_name
    from ekinerja.observability.metrics import OperationLabels

    class _Instansi:
        kode = "DEMO"

    labels = OperationLabels(100)
    principal = Principal("s", frozenset({Role.PEGAWAI}), "DEMO", nip="1" * 18)
    instansi = _Instansi()
    for data in (
        GraphQLRequestData(
            query="{ __typename }", variables=None, operation_name=None, extensions=None
        ),
        GraphQLRequestData(
            query="query Saya { __typename }", variables=None, operation_name=None, extensions=None
        ),
        GraphQLRequestData(
            query="query Saya { a }", variables=None, operation_name="Saya", extensions=None
        ),
    ):
        started = time.perf_counter()
        for _ in range(n):
            scope = {"state": {}}
            name = _operation_name(data, 2000)
            scope["state"]["operation"] = labels(name)
            if name is not None:
                scope["state"]["operation_name"] = name[:100]
            note_caller(scope, principal, instansi)
        per = (time.perf_counter() - started) / n * 1e6
        said = f"operationName={data.operation_name!r}, query {data.query!r}"
        print(f"/graphql's pieces ({said}): {per:5.2f} µs/request")


if __name__ == "__main__":
    main()
