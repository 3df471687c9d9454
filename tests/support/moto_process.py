"""A real S3 endpoint (moto's server) in a child process, for fault tests: unlike moto's
in-process thread it can be frozen (SIGSTOP: connections are still accepted by the kernel and
then nothing answers), thawed (SIGCONT), killed (SIGKILL: connections are refused) and started
again on the same port (empty, as a restarted S3 without its disk would be).

The test binds and listens on the socket before the child starts and hands it over; `start`
returns once the child says it serves (importing moto takes seconds, longer than a short S3
timeout). The test closes its own copy of the socket, so once the child dies nothing listens
there any more."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = b"serving\n"


class MotoProcess:
    def __init__(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        listening = socket.socket()
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(("127.0.0.1", self.port))
        listening.listen(64)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.moto_process", str(listening.fileno())],
            pass_fds=[listening.fileno()],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        listening.close()
        if self._process.stdout.readline() != READY:
            raise RuntimeError(f"moto exited with {self._process.wait()} before serving")

    def freeze(self) -> None:
        os.kill(self._process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self._process.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()  # SIGKILL ends a stopped process too
            self._process.wait()

    def __enter__(self) -> MotoProcess:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.kill()


def _serve(fd: int) -> None:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, True, request_handler=MotoRequestHandler, fd=fd)
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nobody reads it any more
    server.serve_forever()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
