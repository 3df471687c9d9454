"""The worker's own listener (EKINERJA_WORKER_METRICS_PORT): /metrics and a /readyz of its loops,
in process and as the real `ekinerja worker`; and `serve --workers 2`, whose /metrics adds up
both processes (prometheus-client's multiprocess mode) in a directory removed when it stops."""

from __future__ import annotations

import glob
import os
import signal
import tempfile

import httpx
from prometheus_client.parser import text_string_to_metric_families

from ekinerja.http.worker_probe import Probe
from ekinerja.supervision import reported
from tests.support import cli
from tests.test_serve_workers import (  # noqa: F401  (serving: a fixture)
    STARTING,
    STOPPING,
    STRONG,
    _environment,
    _free_port,
    _serve_two,
    _until,
    serving,
)


def values(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_the_probe_answers_for_the_worker_loops(settings):
    probe = Probe(settings, 0)
    base = f"http://{settings.host}:{probe.port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            nothing = await client.get("/readyz")  # the socket is bound and listening
            assert nothing.status_code == 503 and nothing.json()["failed"] == ["loops"]
            with reported("worker") as webhooks, reported("worker.impor") as imports:
                webhooks.succeeded()
                starting = await client.get("/readyz")
                imports.succeeded()
                ready = await client.get("/readyz")
                imports.failed(RuntimeError("a bug"))
                failing = await client.get("/readyz")
                text = (await client.get("/metrics")).text
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await probe.stop()
    assert starting.status_code == 503 and starting.json()["failed"] == ["loop:worker.impor"]
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.json()["database"] == "ok"
    assert set(ready.json()["loops"]) == {"worker", "worker.impor"}
    assert failing.status_code == 503
    assert failing.json()["loops"]["worker.impor"]["lastError"] == "RuntimeError"
    got = values(text)
    assert got[("ekinerja_background_loop_up", frozenset({("loop", "worker")}))] == 1
    assert got[("ekinerja_background_loop_up", frozenset({("loop", "worker.impor")}))] == 0


def test_the_worker_command_serves_its_metrics_and_readiness(tmp_path, database):
    port = _free_port()
    log = tmp_path / "worker.log"
    env = _environment(
        tmp_path,
        DATABASE_URL=database.url(),
        EKINERJA_MODE="production",
        EKINERJA_SESSION_SECRET=STRONG,
        EKINERJA_WORKER_METRICS_PORT=str(port),
    )
    # Forked warm (tests/support/cli.py): the real `ekinerja worker`, without a cold start.
    process = cli.start("worker", env=env, cwd=tmp_path, output=log)
    try:

        def ready():
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
            except httpx.TransportError:
                assert process.poll() is None, log.read_text()
                return None
            return answer if answer.status_code == 200 else None

        body = _until(ready, STARTING, "the worker ready").json()
        assert set(body["loops"]) == {"worker", "worker.impor", "worker.upkeep"}
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        got = values(text)
        assert got[("ekinerja_worker_queues_sampled_timestamp_seconds", frozenset())] > 0
        assert got[("ekinerja_background_loop_up", frozenset({("loop", "worker")}))] == 1
        assert ("ekinerja_webhook_queue_depth", frozenset({("instansi", "")})) in got
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOPPING) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_with_two_workers_adds_up_both(tmp_path, database, serving):  # noqa: F811
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "ekinerja-metrics-*")))
    serving.append(_serve_two(tmp_path, database))
    service = serving[-1]
    _until(service.healthz, STARTING, "the service answering /healthz")
    workers = service.pids_answering(2, STARTING)
    made = set(glob.glob(os.path.join(tempfile.gettempdir(), "ekinerja-metrics-*"))) - before
    assert len(made) == 1, made

    def healthz_count() -> float:
        text = httpx.get(f"http://127.0.0.1:{service.port}/metrics", timeout=5).text
        key = {"endpoint": "/healthz", "operation": "", "status": "2xx", "instansi": ""}
        return values(text).get(
            ("ekinerja_http_request_duration_seconds_count", frozenset(key.items())), 0.0
        )

    first = healthz_count()
    answered = set()
    for _ in range(40):  # a new connection each: both workers answer some
        answered.add(service.healthz())
    assert answered == workers
    # Whichever worker answers the scrape, it counts both processes' requests.
    assert healthz_count() - first == 40
    assert healthz_count() - first == 40
    service.process.send_signal(signal.SIGTERM)
    assert service.process.wait(timeout=STOPPING) == 0, service.output()
    assert not any(os.path.exists(path) for path in made)  # removed with the run
