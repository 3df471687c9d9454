"""Test session: a fresh database on a real PostgreSQL, the ORM opened once, shared schema
migrated. Dropped with its tenant roles at the end."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from ekinerja.db.config import DatabaseAddress
from ekinerja.db.lifecycle import close_database, open_database
from ekinerja.db.scratch import create_scratch_database, drop_scratch_database
from ekinerja.http import app as app_module
from ekinerja.http.app import create_app
from ekinerja.models.shared import IdentityProvider
from ekinerja.schema import Schema
from ekinerja.settings import Settings
from ekinerja.tenants.identifiers import role_prefix_for_database
from ekinerja.tenants.migrations import migrate_shared
from tests.support.idp import TestIdentityProvider
from tests.support.pelaksanaan import Portal, Team, build_team
from tests.support.server import chosen_server, find_server, scratch_database_name, settings_for
from tests.support.tenants import new_tenant
from tests.support.twins import Twins, twins_of


@pytest.fixture(scope="session", autouse=True)
def one_schema_per_settings() -> Iterator[None]:
    """``create_app`` builds the GraphQL schema from its settings: a tenth of a second of CPU,
    and the suite creates some five hundred apps. Each distinct settings value builds it once
    (through the real ``build_schema``) and the apps share it, as one service shares its
    schema between all requests: a Schema holds no state of its own (its extensions are
    classes, instantiated per operation; ekinerja/schema/extensions.py)."""
    build = app_module.build_schema
    built: OrderedDict[str, Schema] = OrderedDict()  # the last few settings values seen

    def shared(settings: Settings) -> Schema:
        key = settings.model_dump_json()
        if key not in built:
            built[key] = build(settings)
            if len(built) > 8:  # tests with settings of their own (tmp_path) would pile up
                built.popitem(last=False)
        built.move_to_end(key)
        return built[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_module, "build_schema", shared)
        yield


def pytest_report_header(config: pytest.Config) -> str:
    """Which PostgreSQL this session uses, and its scratch database (EKINERJA_TEST_DB_PREFIX)."""
    return f"postgres: {chosen_server()}, database {scratch_database_name()}"


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[DatabaseAddress]:
    server, _how = find_server()
    name = scratch_database_name()
    address = await create_scratch_database(server, name)
    await open_database(address, settings_for(address))
    await migrate_shared()
    try:
        yield address
    finally:
        await close_database()
        await drop_scratch_database(server, name)


@pytest.fixture(scope="session")
def settings(database: DatabaseAddress) -> Settings:
    return settings_for(database)


@pytest.fixture(scope="session")
def role_prefix(database: DatabaseAddress) -> str:
    return role_prefix_for_database(database.database)


@pytest.fixture
async def tenant(role_prefix: str):
    return await new_tenant(role_prefix)


@pytest.fixture
async def other_tenant(role_prefix: str):
    return await new_tenant(role_prefix)


@pytest.fixture(scope="module")
async def module_tenant(role_prefix: str):
    """One tenant shared by the tests of a module that ask for it (building a tenant's schema
    is most of what a small test costs): for tests that only read it, or that each work in a
    transaction rolled back at their end (tests/support/tenants.py, ``rolled_back``)."""
    return await new_tenant(role_prefix)


@pytest.fixture(scope="session")
async def idp(database: DatabaseAddress) -> AsyncIterator[TestIdentityProvider]:
    """A real identity provider over HTTP, registered as the central issuer."""
    provider = TestIdentityProvider()
    provider.start()
    await IdentityProvider.create(
        issuer=provider.issuer, jwks_uri=provider.jwks_uri, audiences=["ekinerja"]
    )
    yield provider
    provider.stop()


@pytest.fixture
async def client(settings: Settings, idp) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ekinerja.test") as c:
        yield c


@pytest.fixture
async def portal(settings: Settings, idp, tenant) -> AsyncIterator[Portal]:
    """GraphQL calls as pegawai of ``tenant``, with real tokens, to an app in-process."""
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield Portal(c, idp, tenant)


@pytest.fixture
async def team(tenant) -> Team:
    """A penilai, their subordinate with an approved SKP ready for execution, and a colleague
    elsewhere (tests/support/pelaksanaan.py)."""
    return await build_team(tenant)


@pytest.fixture
async def twins(settings: Settings, idp, tenant) -> AsyncIterator[Twins]:
    """The same request with compiled reads and without (tests/support/twins.py)."""
    async with twins_of(settings, idp, tenant) as twins:
        yield twins


@pytest.fixture(scope="module")
async def module_team(module_tenant) -> Team:
    """``team`` in the module's shared tenant (``module_tenant``): for tests that only read."""
    return await build_team(module_tenant)


@pytest.fixture
async def module_twins(settings: Settings, idp, module_tenant) -> AsyncIterator[Twins]:
    """``twins`` on the module's shared tenant: for tests that only read."""
    async with twins_of(settings, idp, module_tenant) as twins:
        yield twins
