"""`ekinerja serve`: run the service.

Without DATABASE_URL this is the zero-setup default: an embedded PostgreSQL under the data
directory, migrations applied, and a demo tenant with a demo agency, on 127.0.0.1:8000.

With more than one worker (`--workers N`, EKINERJA_WORKERS; one per CPU core by default in
production, 1 in development) this process binds the socket, does the once-only work (the embedded
PostgreSQL and the demo seed) and then only supervises: N processes, started fresh (spawned),
each build the app from the same settings (`worker_app`), open a database pool of their own and
run their own registry watcher, and accept on the one socket. uvicorn's supervisor (0.55) checks
them every half second: a worker that died or stopped answering its health ping for 5 s is killed
and replaced; one that failed before it ever served (exit code 3: building the app, or its
lifespan, would fail the same way again) stops the whole service, which exits 3. SIGTERM or SIGINT:
every worker is sent SIGTERM, finishes its requests and its lifespan, and the parent exits once
all have. /metrics, answered by whichever worker a scrape reaches, adds up all of them:
prometheus-client's multiprocess mode, in a temporary PROMETHEUS_MULTIPROC_DIR this process
makes for the run and removes after it (ekinerja/observability/metrics.py).

The background worker inside serve (development) runs in one process only, so it is not combined
with more than one worker: that start is refused (run `ekinerja worker` beside it instead).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import sys

import typer
import uvicorn
from starlette.applications import Starlette
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from ekinerja.cli._runtime import console, step
from ekinerja.cli._startup import startup_refusal_as_one_line
from ekinerja.db.config import DatabaseAddress, DatabaseLimits
from ekinerja.db.embedded import status as embedded_status
from ekinerja.db.lifecycle import close_database, open_database, resolve_address, tenant_role_prefix
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.logging import configure_logging
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.observability.metrics import forget_dead_processes, multiprocess_directory
from ekinerja.settings import Settings, get_settings
from ekinerja.skp.demo_tahun import seed_demo_plans
from ekinerja.startup import StartupRefused, check_startup
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.migrations import migrate_all
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound, get_servable_instansi

DEMO_PEGAWAI = 500  # the embedded default's demo instansi: small enough to seed in a second
# What the parent decided, for the worker processes it spawns (JSON in their environment): where
# to listen (--host/--port) and the embedded server's address, started once by the parent.
CHOSEN = "_EKINERJA_SERVE_CHOSEN"
# PostgreSQL's default max_connections: more pooled connections than this is worth a warning.
POSTGRES_DEFAULT_MAX_CONNECTIONS = 100

log = logging.getLogger(__name__)


async def _prepare_embedded(settings, address) -> None:
    # Migrations and the demo seed are a command's work: no request timeouts.
    await open_database(address, settings, DatabaseLimits.for_commands(settings))
    try:
        report = await migrate_all(settings.migrate_concurrency, on_start=_migrating)
        if report.shared_applied:
            step(f"migrated the shared schema: {len(report.shared_applied)} migration(s)")
        if not await Instansi.filter(kode=settings.demo_tenant).exists():
            step(
                f"first start: seeding the demo instansi {settings.demo_tenant} "
                f"({DEMO_PEGAWAI} pegawai, this year's SKPs; a minute or so)"
            )
            await create_tenant(
                settings.demo_tenant,
                "Instansi Demo",
                JenisInstansi.KABUPATEN,
                tenant_role_prefix(settings, address),
            )
            # A realistic agency to explore, written the way any import is, with this year's
            # SKPs approved and cascaded and one team's year walked up to today.
            step(f"demo: importing {DEMO_PEGAWAI} pegawai")
            await import_pegawai(
                settings.demo_tenant,
                generate_demo_rows(DEMO_PEGAWAI),
                actor="system",
                source=f"demo seed=1 pegawai={DEMO_PEGAWAI}",
            )
            instansi = await get_servable_instansi(settings.demo_tenant)
            async with tenant_transaction(as_bound(instansi)):
                await seed_demo_plans((await hari_ini()).year, on_step=step)
            step("demo: done")
    finally:
        await close_database()


def _migrating(behind: int) -> None:
    if behind:
        step(f"migrating {behind} instansi schema(s)")


def listening_on(settings: Settings, host: str | None, port: int | None) -> Settings:
    """The settings with --host/--port applied: where the service listens is, unless
    EKINERJA_PUBLIC_URL says otherwise, where browsers reach it (the origin cookie posts must
    come from, the local store's links)."""
    return settings.model_copy(
        update={"host": host or settings.host, "port": port or settings.port}
    )


def default_workers(settings: Settings) -> int:
    """One per CPU core this process may run on in production; 1 in development."""
    if not settings.is_production:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(settings: Settings, requested: int | None) -> int:
    return requested or settings.workers or default_workers(settings)


def serve(
    host: str = typer.Option(None, help="Default EKINERJA_HOST (127.0.0.1)."),
    port: int = typer.Option(None, help="Default EKINERJA_PORT (8000)."),
    workers: int = typer.Option(
        None,
        min=1,
        help="Processes serving the socket. Default EKINERJA_WORKERS, else one per CPU core in "
        "production and 1 in development.",
    ),
) -> None:
    """Start the GraphQL service.

    Without DATABASE_URL it uses the embedded PostgreSQL under EKINERJA_DATA_DIR: started if it
    is not running (the first start creates it, migrates and seeds a demo instansi, printing
    each step), kept for as long as serve runs and stopped when serve exits, unless it was
    running before serve started and not by an ekinerja process that has since died (then it
    is left running). See `ekinerja db status|stop`."""
    settings = listening_on(get_settings(), host, port)
    configure_logging(settings.log_format, settings.log_level)
    count = worker_count(settings, workers)
    embedded = settings.database_url is None
    with startup_refusal_as_one_line():  # before the demo data is written, before listening
        if count > 1:
            check_startup(settings)  # each worker checks again, in create_app
            _one_background_worker(settings, count)
    address = resolve_address(settings, progress=step)
    if count == 1:
        with startup_refusal_as_one_line():
            app = create_app(settings, database=address)
    if embedded:
        asyncio.run(_prepare_embedded(settings, address))
        url = f"http://{settings.host}:{settings.port}/graphql"
        server = embedded_status(settings.data_dir)
        console.print(
            f"embedded PostgreSQL (pid {server.pid}) on {server.listens_on}, data in "
            f"{server.pgdata} (`ekinerja db status`). Demo instansi "
            f"{settings.demo_tenant}. GraphiQL: {url} (send header X-Instansi: "
            f"{settings.demo_tenant})",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if count == 1:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,  # the app logs each request itself, with its id (http/edge.py)
            proxy_headers=True,
        )
        return
    _serve_in_workers(settings, address if embedded else None, count)


def _one_background_worker(settings: Settings, count: int) -> None:
    if settings.runs_worker_in_serve:
        raise StartupRefused(
            f"{count} workers with the background worker inside serve (development's default, "
            "or EKINERJA_WORKER_IN_SERVE=true): it runs in one process only; set "
            "EKINERJA_WORKER_IN_SERVE=false and run `ekinerja worker` beside serve, or serve "
            "with one worker"
        )


def _serve_in_workers(settings: Settings, embedded: DatabaseAddress | None, count: int) -> None:
    pooled = count * settings.db_pool_max
    log.info(
        "serving with %d worker processes: up to %d pooled database connections "
        "(%d × EKINERJA_DB_POOL_MAX %d) and %d LISTEN connections",
        count,
        pooled,
        count,
        settings.db_pool_max,
        count,
    )
    if pooled + count > POSTGRES_DEFAULT_MAX_CONNECTIONS:
        log.warning(
            "%d workers may open %d database connections, more than PostgreSQL's default "
            "max_connections (%d): raise the server's max_connections or lower "
            "EKINERJA_WORKERS or EKINERJA_DB_POOL_MAX",
            count,
            pooled + count,
            POSTGRES_DEFAULT_MAX_CONNECTIONS,
        )
    # Spawned processes inherit the environment as it is when they start (restarts too).
    os.environ[CHOSEN] = json.dumps(
        {
            "host": settings.host,
            "port": settings.port,
            "database": dataclasses.asdict(embedded) if embedded is not None else None,
        }
    )
    config = uvicorn.Config(
        f"{__name__}:worker_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=count,
        log_config=None,
        access_log=False,  # the app logs each request itself, with its id (http/edge.py)
        proxy_headers=True,
    )
    supervisor = Multiprocess(config, sockets=[config.bind_socket()])
    # /metrics adds up every worker's values, kept in files of a directory of this run's.
    with multiprocess_directory():
        supervisor.run()
    failed = [p.pid for p in supervisor.processes if p.exitcode == STARTUP_FAILURE]
    if failed:
        log.error("worker %s failed to start; the service stopped", failed[0])
        raise typer.Exit(STARTUP_FAILURE)


def worker_app() -> Starlette:
    """The app of one worker process (`serve` with more than one worker): the settings read
    again from the environment and `.env`, as the parent read them, with the parent's choices."""
    try:
        chosen = json.loads(os.environ[CHOSEN])
        forget_dead_processes()  # a worker this one replaces: its gauges count no more
        settings = listening_on(get_settings(), chosen["host"], chosen["port"])
        configure_logging(settings.log_format, settings.log_level)
        database = chosen["database"]
        address = DatabaseAddress(**database) if database else resolve_address(settings)
        return create_app(settings, database=address)
    except Exception:
        # uvicorn (0.55) stops the service for this exit code only; any other would have it
        # start the same failing worker again, twice a second, forever.
        log.exception("worker process %d could not build the app", os.getpid())
        sys.exit(STARTUP_FAILURE)
