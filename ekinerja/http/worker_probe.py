"""`ekinerja worker`'s own small HTTP listener (EKINERJA_WORKER_METRICS_PORT, on EKINERJA_HOST):
/metrics (the worker's: webhook deliveries, queue depth and lag, import rows, its loops and
pool), /readyz (the database and each of the worker's loops, ekinerja/http/health.py) and
/healthz. Off unless the port is set.

It runs on the worker's event loop beside its loops (uvicorn's server, without its signal
handling: the worker's own SIGTERM handling stops the loops, then this)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from ekinerja.http.health import healthz, worker_readyz_endpoint
from ekinerja.http.metrics import metrics
from ekinerja.settings import Settings

log = logging.getLogger(__name__)


def probe_app(settings: Settings) -> Starlette:
    return Starlette(
        routes=[
            Route("/metrics", metrics),
            Route("/readyz", worker_readyz_endpoint(settings)),
            Route("/healthz", healthz),
        ]
    )


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):  # the worker handles SIGINT/SIGTERM itself
        yield


class Probe:
    """The listener, started on a socket bound at once (a port in use fails the worker's start,
    loudly), stopped with ``stop``."""

    def __init__(self, settings: Settings, port: int) -> None:
        config = uvicorn.Config(
            probe_app(settings),
            host=settings.host,
            port=port,
            log_config=None,
            access_log=False,
            lifespan="off",
        )
        self.socket = config.bind_socket()
        self.port = self.socket.getsockname()[1]
        self.server = _Server(config)
        self.task = asyncio.create_task(self.server.serve(sockets=[self.socket]))
        log.info("worker metrics and readiness on %s:%d", settings.host, self.port)

    async def stop(self) -> None:
        self.server.should_exit = True
        try:
            await self.task
        finally:
            self.socket.close()
