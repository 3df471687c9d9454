"""The process's Prometheus metrics (prometheus-client), what /metrics serves: the API's and,
on its own port, `ekinerja worker`'s. docs/operations.md says what each means and what to
alert on; decision 0040 why they are shaped so.

Cheap on the request path (issue 17 counted every microsecond of ``{ __typename }``): a request
costs one histogram observation whose labelled child is looked up in a dict of this module by
its label tuple, never through prometheus-client's ``labels()``; the pool's gauges are sampled
at most once a second, at the end of a request, and when /metrics is read.

Bounded labels only: the endpoint is the matched route's template (``/skp/{skp_id}/...``, never
the path), the GraphQL operation name is the client's but bounded (``OperationLabels``), status
a class (``2xx``), error codes members of ErrorCode, and ``instansi`` is empty unless
EKINERJA_METRICS_PER_INSTANSI is on (a series per instansi: only where there are few).

``serve --workers N`` runs N processes on one socket, and a scrape reaches one of them: there
prometheus-client's multiprocess mode aggregates every process's values (files under
PROMETHEUS_MULTIPROC_DIR, a temporary directory ``serve`` makes and removes,
``multiprocess_directory``). Gauges there say how they combine (``livesum``: the pools add up;
``livemin``: a loop is up only if it is up in every process; ``livemax``).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess as _multiprocess
from prometheus_client.exposition import generate_latest

from ekinerja.error_codes import ErrorCode

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# From a cached `{ __typename }` (~0.2 ms in process) to a whole-agency cascade (seconds).
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Histogram(
    "ekinerja_http_request_duration_seconds",
    "HTTP requests answered, by route template, GraphQL operation (bounded; empty off "
    "/graphql), status class and instansi (empty unless EKINERJA_METRICS_PER_INSTANSI): "
    "_count is the number of requests, _sum their time.",
    ["endpoint", "operation", "status", "instansi"],
    buckets=BUCKETS,
)
ERRORS = Counter(
    "ekinerja_errors",
    "Errors answered, by ErrorCode and where: `graphql` (an error of a GraphQL response) or "
    "`http` (an endpoint's error envelope, a refused /graphql request included).",
    ["code", "source"],
)
DATABASE_FAILURE_RESPONSES = Counter(
    "ekinerja_database_failure_responses",
    "Requests answered 503 because of the database, by code.",
    ["code"],
)
DB_POOL = Gauge(
    "ekinerja_db_pool_connections",
    "Database connections of the pools, open and in use (sampled at most once a second).",
    ["state"],
    multiprocess_mode="livesum",
)
DB_POOL_MAX = Gauge(
    "ekinerja_db_pool_max_connections", "The pools' maximum.", multiprocess_mode="livesum"
)
DB_POOL_WAITING = Gauge(
    "ekinerja_db_pool_waiting",
    "Callers waiting for a pooled connection (sampled at most once a second).",
    multiprocess_mode="livesum",
)
DB_TIMEOUTS = Counter(
    "ekinerja_db_timeouts",
    "Database calls that ran out of time, by kind: `statement` (statement_timeout), `lock` "
    "(lock_timeout), `no_answer` (the service's own deadline: a frozen server), `acquire` "
    "(no pooled connection within EKINERJA_DB_ACQUIRE_TIMEOUT_SECONDS).",
    ["kind"],
)
LOOP_UP = Gauge(
    "ekinerja_background_loop_up",
    "1 while the background loop's last pass succeeded, 0 while it is failing or starting.",
    ["loop"],
    multiprocess_mode="livemin",
)
LOOP_FAILURES = Gauge(
    "ekinerja_background_loop_consecutive_failures",
    "Failed attempts of the background loop since its last good pass.",
    ["loop"],
    multiprocess_mode="livemax",
)
LOOP_LAST_SUCCESS = Gauge(
    "ekinerja_background_loop_last_success_timestamp_seconds",
    "When the background loop last completed a pass (0: not yet).",
    ["loop"],
    multiprocess_mode="livemin",
)
OUTBOX_DEPTH = Gauge(
    "ekinerja_outbox_depth",
    "Outbox events of instansi with an active webhook subscription not yet fanned out to "
    "every subscription (sampled by the worker).",
    ["instansi"],
    multiprocess_mode="livemax",
)
WEBHOOK_QUEUE = Gauge(
    "ekinerja_webhook_queue_depth",
    "Webhook deliveries waiting for an attempt, new or to retry (sampled by the worker).",
    ["instansi"],
    multiprocess_mode="livemax",
)
WORKER_LAG = Gauge(
    "ekinerja_worker_lag_seconds",
    "Age of the oldest outbox event not yet fanned out or webhook delivery not yet done "
    "(sampled by the worker; 0: nothing waits).",
    ["instansi"],
    multiprocess_mode="livemax",
)
QUEUES_SAMPLED = Gauge(
    "ekinerja_worker_queues_sampled_timestamp_seconds",
    "When the worker last sampled the outbox and webhook queues.",
    multiprocess_mode="livemax",
)
WEBHOOK_DELIVERIES = Counter(
    "ekinerja_webhook_deliveries",
    "Webhook attempts by outcome: `delivered` (2xx), `failed` (to be retried), `dead` (the "
    "last attempt failed: a dead letter).",
    ["outcome", "instansi"],
)
IMPORT_ROWS = Counter(
    "ekinerja_import_rows",
    "Rows of import jobs by kind and outcome: `written`, `checked` (a dry run), `rejected`.",
    ["kind", "outcome"],
)
IMPORT_JOBS = Counter(
    "ekinerja_import_jobs", "Import jobs ended, by kind and status.", ["kind", "status"]
)

for _code in ("DATABASE_UNAVAILABLE", "DATABASE_TIMEOUT", "DATABASE_LOCK_TIMEOUT"):
    DATABASE_FAILURE_RESPONSES.labels(_code)  # shown at 0 from the start
for _kind in ("statement", "lock", "no_answer", "acquire"):
    DB_TIMEOUTS.labels(_kind)
for _outcome in ("delivered", "failed", "dead"):
    WEBHOOK_DELIVERIES.labels(_outcome, "")


# --- requests -------------------------------------------------------------------------------

_STATUS_CLASS = ("none", "1xx", "2xx", "3xx", "4xx", "5xx")
_children: dict[tuple[str, str, str, str], Any] = {}
_sampled_at = 0.0
SAMPLE_SECONDS = 1.0


def observe_request(scope: dict, status: int | None, seconds: float, per_instansi: bool) -> None:
    """One request answered: its histogram child by label tuple (bounded, see the module's
    docstring), and now and then the pool's gauges."""
    global _sampled_at
    route = scope.get("route")
    state = scope["state"]
    key = (
        route.path if route is not None else "unmatched",
        state.get("operation", ""),
        _STATUS_CLASS[status // 100] if status is not None and 100 <= status < 600 else "none",
        state.get("instansi", "") if per_instansi else "",
    )
    child = _children.get(key)
    if child is None:
        child = _children[key] = REQUESTS.labels(*key)
    child.observe(seconds)
    now = time.monotonic()
    if now - _sampled_at > SAMPLE_SECONDS:
        _sampled_at = now
        sample_pool()


_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")


class OperationLabels:
    """The ``operation`` label of a GraphQL request, bounded: its name (as the document or
    ``operationName`` gives it) for the first ``limit`` distinct names this process sees,
    ``other`` after them, ``anonymous`` for an unnamed operation, ``invalid`` for a name that is
    no GraphQL name. Only authenticated requests get this far, so filling the table takes a
    principal; its ``other`` is the sign to raise EKINERJA_METRICS_MAX_OPERATIONS or look."""

    __slots__ = ("known", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.known: dict[str, str] = {}

    def __call__(self, name: str | None) -> str:
        if name is None:
            return "anonymous"
        label = self.known.get(name)
        if label is not None:
            return label
        if not _NAME.fullmatch(name):
            return "invalid"
        if len(self.known) >= self.limit:
            return "other"
        self.known[name] = name
        return name


# --- errors ---------------------------------------------------------------------------------

_CODES = frozenset(ErrorCode)
_error_children: dict[tuple[str, str], Any] = {}


def count_error(code: str | None, source: str) -> None:
    key = (code if code in _CODES else "OTHER", source)
    child = _error_children.get(key)
    if child is None:
        child = _error_children[key] = ERRORS.labels(*key)
    child.inc()


# --- the process's state, sampled -----------------------------------------------------------


def sample_pool() -> None:
    """The database pool of this process (ekinerja.db.engine's client), if it is open."""
    from tortoise.connection import get_connection

    from ekinerja.db.config import CONNECTION

    try:
        client = get_connection(CONNECTION)
    except Exception:  # the ORM is not open (yet): nothing to say
        return
    usage = getattr(client, "pool_usage", lambda: None)()
    if usage is None:
        return
    size, in_use, maximum = usage
    DB_POOL.labels("open").set(size)
    DB_POOL.labels("in_use").set(in_use)
    DB_POOL_MAX.set(maximum)
    DB_POOL_WAITING.set(getattr(client, "waiting", 0))


def sample_loops() -> None:
    from ekinerja.supervision import running_loops

    for health in running_loops():
        LOOP_UP.labels(health.name).set(1 if health.up else 0)
        LOOP_FAILURES.labels(health.name).set(health.consecutive_failures)
        success = health.last_success.timestamp() if health.last_success else 0
        LOOP_LAST_SUCCESS.labels(health.name).set(success)


def render() -> bytes:
    """The text /metrics answers: this process's (its pool and loops sampled now), or every
    process's of a multiprocess `serve`."""
    sample_pool()
    sample_loops()
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    _multiprocess.MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


# --- multiprocess `serve` -------------------------------------------------------------------


@contextmanager
def multiprocess_directory() -> Iterator[str]:
    """PROMETHEUS_MULTIPROC_DIR for the worker processes `serve` starts (they inherit the
    environment): a fresh temporary directory, removed when serve ends. One the operator set
    is used as it is and left in place (emptying it between runs is then theirs to do)."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        yield given
        return
    directory = tempfile.mkdtemp(prefix="ekinerja-metrics-")
    os.environ[MULTIPROC_ENV] = directory
    try:
        yield directory
    finally:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(directory, ignore_errors=True)


def forget_dead_processes() -> None:
    """Drop the live gauges of processes that are gone (a worker uvicorn replaced), so the pool
    and loop gauges add up over the living only. Called as a worker process starts."""
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return
    pids = set()
    for path in glob.glob(os.path.join(directory, "gauge_live*_*.db")):
        pid = os.path.basename(path).rsplit("_", 1)[-1].removesuffix(".db")
        if pid.isdigit():
            pids.add(int(pid))
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            _multiprocess.mark_process_dead(pid, directory)
        except PermissionError:  # alive, someone else's
            pass
