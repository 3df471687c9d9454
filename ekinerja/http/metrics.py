"""`GET /metrics`: the process's health in the Prometheus text format, written by hand (a few
gauges and one counter do not warrant a client library).

Only process-level numbers, never anything about a tenant or a person: the background loops
running here (up, consecutive failures, last success), the database pool (open, in use,
maximum) and the requests answered 503 because of the database, by code. It is served on the
service's port like /healthz; keep it off the public internet at the proxy if that matters.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION
from ekinerja.db.errors import DatabaseFailure
from ekinerja.http.database_outage import answered
from ekinerja.supervision import running_loops

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FAILURE_CODES = sorted({kind.code for kind in (DatabaseFailure, *DatabaseFailure.__subclasses__())})


def _metric(name: str, kind: str, description: str, samples: list[tuple[str, float]]) -> str:
    lines = [f"# HELP {name} {description}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value:g}" for labels, value in samples]
    return "\n".join(lines)


def _loops() -> list[str]:
    loops = running_loops()
    if not loops:
        return []

    def each(value) -> list[tuple[str, float]]:
        return [(f'{{loop="{h.name}"}}', value(h)) for h in loops]

    return [
        _metric(
            "ekinerja_background_loop_up",
            "gauge",
            "1 while the background loop's last pass succeeded, 0 while it is failing.",
            each(lambda h: 1 if h.up else 0),
        ),
        _metric(
            "ekinerja_background_loop_consecutive_failures",
            "gauge",
            "Failed attempts of the background loop since its last good pass.",
            each(lambda h: h.consecutive_failures),
        ),
        _metric(
            "ekinerja_background_loop_last_success_timestamp_seconds",
            "gauge",
            "When the background loop last completed a pass (0: not yet).",
            each(lambda h: h.last_success.timestamp() if h.last_success else 0),
        ),
    ]


def _pool() -> list[str]:
    usage = get_connection(CONNECTION).pool_usage()  # ekinerja.db.engine's client
    if usage is None:
        return []
    size, in_use, maximum = usage
    return [
        _metric(
            "ekinerja_db_pool_connections",
            "gauge",
            "Database connections of this process's pool, open and in use.",
            [('{state="open"}', size), ('{state="in_use"}', in_use)],
        ),
        _metric(
            "ekinerja_db_pool_max_connections", "gauge", "The pool's maximum.", [("", maximum)]
        ),
    ]


def _outages() -> list[str]:
    return [
        _metric(
            "ekinerja_database_failure_responses_total",
            "counter",
            "Requests answered 503 because of the database, by code.",
            [(f'{{code="{code}"}}', answered[code]) for code in FAILURE_CODES],
        )
    ]


async def metrics(_: Request) -> Response:
    text = "\n".join([*_loops(), *_pool(), *_outages()]) + "\n"
    return Response(text, media_type=CONTENT_TYPE)
