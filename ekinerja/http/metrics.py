"""`GET /metrics`: the process's metrics in the Prometheus text format (prometheus-client;
ekinerja/observability/metrics.py defines them, docs/operations.md says what each means).

Only process-level numbers by default, nothing about a person: requests by route, bounded
GraphQL operation and status class, errors by code, the database pool, timeouts, background
loops; an instansi's kode only with EKINERJA_METRICS_PER_INSTANSI. Under `serve --workers N`
the answer adds up every worker process (multiprocess mode). It is served on the service's
port like /healthz; keep it off the public internet at the proxy if that matters.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ekinerja.observability.metrics import CONTENT_TYPE, render


async def metrics(_: Request) -> Response:
    return Response(render(), headers={"Content-Type": CONTENT_TYPE})
