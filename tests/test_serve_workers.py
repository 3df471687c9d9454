"""`ekinerja serve --workers N` (issue 17): N processes answer on one socket, a worker that dies
is replaced, SIGTERM stops them all; a worker count below 1 is refused in one line, and so is
more than one worker with the background worker inside serve (it runs in one process only).

The service runs as a real process tree here, in production mode against the test database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from ekinerja.db.config import DatabaseAddress
from tests.support import cli

STRONG = "k3Jx9-PqZr0v_Lm2Wn8tYb4Hc6Fd1Gs7Ae5Ui"  # 38 characters, not a placeholder
STARTING = 120.0  # bound on a worker process starting (a cold interpreter importing the app)
STOPPING = 60.0  # bound on every process exiting after SIGTERM


def _environment(tmp_path, **env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    clean.pop("DATABASE_URL", None)
    return clean | {"EKINERJA_DATA_DIR": str(tmp_path), "EKINERJA_LOG_LEVEL": "WARNING"} | env


def _cli(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python -m ekinerja ARGS`, forked warm (tests/support/cli.py): the refusals tested here
    come before anything starts, so a cold interpreter's two seconds would be all they cost."""
    # cwd: no .env from the working tree.
    return cli.run(*args, env=_environment(tmp_path, **env), cwd=tmp_path, timeout=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of ours that exited but was not reaped yet is gone too.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _until(condition, bound: float, what: str):
    """Poll ``condition`` until it returns something truthy, at most ``bound`` seconds."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if answer := condition():
            return answer
        time.sleep(0.05)
    raise AssertionError(f"not within {bound} s: {what}")


class Service:
    def __init__(self, port: int, process: cli.WarmProcess, log) -> None:
        self.port = port
        self.process = process
        self.log = log

    def healthz(self) -> int | None:
        """The PID of the worker that answered, or None while nobody accepts."""
        try:  # a new connection each time, so that any worker may accept it
            answer = httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
        except httpx.TransportError:
            assert self.process.poll() is None, self.output()
            return None
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        return answer.json()["pid"]

    def pids_answering(self, wanted: int, bound: float) -> set[int]:
        seen: set[int] = set()

        def enough() -> bool:
            if (pid := self.healthz()) is not None:
                seen.add(pid)
            return len(seen) >= wanted

        _until(enough, bound, f"{wanted} distinct workers answering (saw {seen})")
        return seen

    def output(self) -> str:
        return self.log.read_text()[-4000:]


# Loaded by every interpreter on PYTHONPATH; only the worker processes have the parent's choices
# in their environment when they start, so only their app is broken.
BROKEN_WORKERS = """
import os
if "_EKINERJA_SERVE_CHOSEN" in os.environ:
    import ekinerja.cli.serve
    def broken(*args, **kwargs):
        raise RuntimeError("this worker cannot build its app")
    ekinerja.cli.serve.create_app = broken
"""


def _serve_two(tmp_path, database: DatabaseAddress, **env: str) -> Service:
    """`ekinerja serve --workers 2`, its parent forked warm (tests/support/cli.py): the worker
    processes it spawns start from fresh interpreters, as always."""
    port = _free_port()
    log = tmp_path / "serve.log"  # a file, not a pipe nobody reads while it runs
    process = cli.start(
        "serve", "--workers", "2", "--port", str(port),
        env=_environment(
            tmp_path,
            DATABASE_URL=database.url(),
            EKINERJA_MODE="production",
            EKINERJA_SESSION_SECRET=STRONG,
            EKINERJA_DB_POOL_MAX="4",
            **env,
        ),
        cwd=tmp_path,
        output=log,
        new_session=True,  # its workers too can be killed as one group on failure
    )  # fmt: skip
    return Service(port, process, log)


@pytest.fixture
def serving() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:  # a test that failed half-way leaves no process behind
        if service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait(timeout=STOPPING)


@pytest.fixture
def two_workers(tmp_path, database: DatabaseAddress, serving) -> Service:
    serving.append(_serve_two(tmp_path, database))
    return serving[-1]


def test_two_workers_answer_are_replaced_and_stop_on_sigterm(two_workers):
    service = two_workers
    _until(service.healthz, STARTING, "the service answering /healthz")
    workers = service.pids_answering(2, STARTING)
    assert service.process.pid not in workers  # the parent only supervises
    assert all(_alive(pid) for pid in workers)

    # A worker killed outright is replaced by a new process on the same socket.
    crashed = min(workers)
    os.kill(crashed, signal.SIGKILL)
    _until(lambda: not _alive(crashed), STOPPING, f"worker {crashed} gone")
    replacement = _until(
        lambda: ({service.healthz()} - workers - {None}) or None,
        STARTING,
        "a replacement worker answering",
    )
    survivors = (workers - {crashed}) | replacement
    assert len(survivors) == 2 and service.process.poll() is None

    service.process.send_signal(signal.SIGTERM)
    assert service.process.wait(timeout=STOPPING) == 0, service.output()
    _until(lambda: not any(_alive(pid) for pid in survivors), STOPPING, "every worker exited")


def test_a_worker_that_cannot_start_stops_the_service(tmp_path, database, serving):
    """Not restarted in a loop: uvicorn stops the parent when a worker exits 3 before it ever
    served, and serve exits 3 too."""
    (tmp_path / "sitecustomize.py").write_text(BROKEN_WORKERS)
    serving.append(_serve_two(tmp_path, database, PYTHONPATH=str(tmp_path)))
    service = serving[-1]
    assert service.process.wait(timeout=STARTING) == 3, service.output()
    assert "cannot build its app" in service.output()
    with pytest.raises(ConnectionRefusedError):  # nobody holds the socket any more
        socket.create_connection(("127.0.0.1", service.port), timeout=5).close()


@pytest.mark.parametrize("given", ["0", "-2"])
def test_workers_below_one_are_refused(tmp_path, given):
    refused = _cli(tmp_path, "serve", "--workers", given)
    assert refused.returncode == 2, refused.stderr
    said = " ".join(refused.stderr.replace("│", " ").split())  # the usage error's box unwrapped
    assert "Invalid value for '--workers'" in said and "greater than or equal to 1" in said, said

    from_env = _cli(tmp_path, "serve", EKINERJA_WORKERS=given)
    assert from_env.returncode == 2, from_env.stderr
    [line] = from_env.stderr.strip().splitlines()
    assert "EKINERJA_WORKERS" in line and "greater than or equal to 1" in line, line


def test_more_workers_with_the_background_worker_inside_serve_are_refused(tmp_path):
    """Development runs the background worker inside serve: it must run once, not per worker.
    Refused before anything starts (the embedded default would start PostgreSQL first)."""
    refused = _cli(tmp_path, "serve", "--workers", "2")
    assert refused.returncode == 2, refused.stderr
    [line] = refused.stderr.strip().splitlines()
    assert "STARTUP_REFUSED" in line and "EKINERJA_WORKER_IN_SERVE=false" in line, line
    assert not (tmp_path / "pgdata").exists()
