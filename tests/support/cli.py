"""Running the ``ekinerja`` command in tests, as a process of its own.

``run`` forks each command from one interpreter that has already imported the command line
(tests/support/cli_zygote.py, started on first use): every call is still a separate process
running ``python -m ekinerja ARGS`` with exactly the environment and working directory given,
its own stdout, stderr and exit status — only without the seconds a cold interpreter spends
importing the package (most of the ~2.5 s each CLI test used to take). ``run_cold`` is the
plain ``subprocess.run([python, -m, ekinerja, …])``, kept for the tests about the start itself
(settings refused before anything runs, ``--version``, ``--debug``). Both return a
``subprocess.CompletedProcess`` with text output. ``start`` forks a command the same way and
leaves it running (a service, the worker): a ``WarmProcess``, the part of ``subprocess.Popen``
the tests use.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import ekinerja

ZYGOTE = Path(__file__).with_name("cli_zygote.py")
PACKAGE_ROOT = Path(ekinerja.__file__).resolve().parents[1]  # the code under test


def _startup_env() -> dict[str, str]:
    """The zygote imports with no ekinerja setting in its environment (a child replaces the
    whole environment anyway)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKINERJA_")}
    env.pop("DATABASE_URL", None)
    return env


class _Zygote:
    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="ekinerja-cli-"))
        self.log = self.directory / "zygote.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ZYGOTE), str(PACKAGE_ROOT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=self.directory,
                env=_startup_env(),
                text=True,
            )
        self.lock = threading.Lock()
        self.calls = 0

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the CLI zygote died: {self.log.read_text()[-2000:]}")
        return json.loads(line)

    def run(
        self, args: list[str], *, env: Mapping[str, str], cwd: Path | str, timeout: float
    ) -> subprocess.CompletedProcess:
        with self.lock:
            self.calls += 1
            out = self.directory / f"{self.calls}.out"
            err = self.directory / f"{self.calls}.err"
            request = {"argv": args, "env": dict(env), "cwd": str(cwd)}
            request |= {"stdout": str(out), "stderr": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            pid = self._read()["pid"]
            timed_out = threading.Event()

            def kill() -> None:
                timed_out.set()
                os.kill(pid, signal.SIGKILL)

            killer = threading.Timer(timeout, kill)
            killer.start()
            try:
                returncode = self._read()["returncode"]
            finally:
                killer.cancel()
            stdout, stderr = out.read_text(), err.read_text()
            out.unlink()
            err.unlink()
        argv = [sys.executable, "-m", "ekinerja", *args]
        if timed_out.is_set():
            raise subprocess.TimeoutExpired(argv, timeout, stdout, stderr)
        return subprocess.CompletedProcess(argv, returncode, stdout, stderr)

    def start(
        self,
        args: list[str],
        *,
        env: Mapping[str, str],
        cwd: Path | str,
        output: Path,
        new_session: bool,
    ) -> WarmProcess:
        with self.lock:
            self.calls += 1
            status = self.directory / f"{self.calls}.status"
            request = {"argv": args, "env": dict(env), "cwd": str(cwd), "status": str(status)}
            request |= {"stdout": str(output), "stderr": str(output), "new_session": new_session}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            started = self._read()
        argv = [sys.executable, "-m", "ekinerja", *args]
        return WarmProcess(argv, started["pid"], started["waiter"], status)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)
        for leftover in self.directory.iterdir():
            leftover.unlink()
        self.directory.rmdir()


class WarmProcess:
    """A command ``start`` left running: its pid (signal it as any process), and its exit
    status once the zygote's waiter for it has written it (poll, wait)."""

    def __init__(self, args: list[str], pid: int, waiter: int, status: Path) -> None:
        self.args, self.pid, self.returncode = args, pid, None
        self._status = status
        self._waiter = os.pidfd_open(waiter)  # readable once the waiter has exited

    def poll(self) -> int | None:
        if self.returncode is None and self._status.exists():
            self.returncode = json.loads(self._status.read_text())["returncode"]
            self._status.unlink()
            os.close(self._waiter)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.poll() is None:
            exited, _, _ = select.select([self._waiter], [], [], timeout)
            if not exited:
                raise subprocess.TimeoutExpired(self.args, timeout)
            if self.poll() is None:
                raise RuntimeError(f"the waiter of {self.args} exited without its status")
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


_zygote: _Zygote | None = None
_starting = threading.Lock()


def _running_zygote() -> _Zygote:
    global _zygote
    with _starting:
        if _zygote is None or _zygote.process.poll() is not None:
            _zygote = _Zygote()
            atexit.register(_zygote.close)
    return _zygote


def run(
    *args: str, env: Mapping[str, str], cwd: Path | str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """``python -m ekinerja ARGS`` in a process of its own, forked warm (see the module), in
    ``cwd`` (default: this process's working directory, as subprocess.run)."""
    zygote = _running_zygote()
    return zygote.run(list(args), env=env, cwd=cwd or os.getcwd(), timeout=timeout)


def start(
    *args: str,
    env: Mapping[str, str],
    cwd: Path | str,
    output: Path,
    new_session: bool = False,
) -> WarmProcess:
    """``python -m ekinerja ARGS`` forked warm and left running, its stdout and stderr both
    into ``output`` (as Popen with stderr=STDOUT to a file); ``new_session``: it leads a
    session and process group of its own (Popen's start_new_session), to be killed as one."""
    zygote = _running_zygote()
    return zygote.start(list(args), env=env, cwd=cwd, output=output, new_session=new_session)


def run_cold(
    *args: str, env: Mapping[str, str], cwd: Path | str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """``python -m ekinerja ARGS`` from a fresh interpreter, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "ekinerja", *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
