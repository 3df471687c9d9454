"""`ekinerja serve`: run the service.

Without DATABASE_URL this is the zero-setup default: an embedded PostgreSQL under the data
directory, migrations applied, and a demo tenant with a demo agency, on 127.0.0.1:8000.
"""

from __future__ import annotations

import asyncio

import typer
import uvicorn

from ekinerja.cli._runtime import console
from ekinerja.cli._startup import startup_refusal_as_one_line
from ekinerja.db.config import DatabaseLimits
from ekinerja.db.lifecycle import close_database, open_database, resolve_address, tenant_role_prefix
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.calendar import hari_ini
from ekinerja.kepegawaian.demo import generate_demo_rows
from ekinerja.kepegawaian.importer import import_pegawai
from ekinerja.logging import configure_logging
from ekinerja.models.shared import Instansi, JenisInstansi
from ekinerja.settings import Settings, get_settings
from ekinerja.skp.demo_tahun import seed_demo_plans
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.migrations import migrate_all
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound, get_servable_instansi

DEMO_PEGAWAI = 500  # the embedded default's demo instansi: small enough to seed in a second


async def _prepare_embedded(settings, address) -> None:
    # Migrations and the demo seed are a command's work: no request timeouts.
    await open_database(address, settings, DatabaseLimits.for_commands(settings))
    try:
        await migrate_all(settings.migrate_concurrency)
        if not await Instansi.filter(kode=settings.demo_tenant).exists():
            await create_tenant(
                settings.demo_tenant,
                "Instansi Demo",
                JenisInstansi.KABUPATEN,
                tenant_role_prefix(settings, address),
            )
            # A realistic agency to explore, written the way any import is, with this year's
            # SKPs approved and cascaded and one team's year walked up to today.
            await import_pegawai(
                settings.demo_tenant,
                generate_demo_rows(DEMO_PEGAWAI),
                actor="system",
                source=f"demo seed=1 pegawai={DEMO_PEGAWAI}",
            )
            instansi = await get_servable_instansi(settings.demo_tenant)
            async with tenant_transaction(as_bound(instansi)):
                await seed_demo_plans((await hari_ini()).year)
    finally:
        await close_database()


def listening_on(settings: Settings, host: str | None, port: int | None) -> Settings:
    """The settings with --host/--port applied: where the service listens is, unless
    EKINERJA_PUBLIC_URL says otherwise, where browsers reach it (the origin cookie posts must
    come from, the local store's links)."""
    return settings.model_copy(
        update={"host": host or settings.host, "port": port or settings.port}
    )


def serve(
    host: str = typer.Option(None, help="Default EKINERJA_HOST (127.0.0.1)."),
    port: int = typer.Option(None, help="Default EKINERJA_PORT (8000)."),
) -> None:
    """Start the GraphQL service."""
    settings = listening_on(get_settings(), host, port)
    configure_logging(settings.log_format, settings.log_level)
    embedded = settings.database_url is None
    address = resolve_address(settings)
    with startup_refusal_as_one_line():  # before the demo data is written, before listening
        app = create_app(settings, database=address)
    if embedded:
        asyncio.run(_prepare_embedded(settings, address))
        url = f"http://{settings.host}:{settings.port}/graphql"
        console.print(
            f"embedded PostgreSQL in {settings.data_dir}/pgdata; demo instansi "
            f"{settings.demo_tenant}. GraphiQL: {url} (send header X-Instansi: "
            f"{settings.demo_tenant})"
        )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=True,
    )
