"""The service through a real PgBouncer in transaction pool mode (tests/support/pgbouncer.py;
docs/deployment.md "PgBouncer", decision 0038): the app's DATABASE_URL names PgBouncer and
EKINERJA_DIRECT_DATABASE_URL the PostgreSQL server, as a deployment sets them. Tenancy (the
binding, isolation, nothing left on a server connection two tenants share), the outbox read back
by the change feed, a webhook delivered by the running worker (LISTEN on the direct URL) and a
few portal reads and mutations, with asyncpg's statement cache off (any PgBouncer) and on (1.21
and later, max_prepared_statements)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError

from ekinerja.background import run_forever
from ekinerja.db.config import DatabaseAddress, direct_address
from ekinerja.db.lifecycle import database_context
from ekinerja.db.listen import listen
from ekinerja.http.app import create_app
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import Pegawai, Rhk
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from ekinerja.webhooks.worker import Worker
from tests.support.auth import bearer, client_token, principal_header
from tests.support.ids import gid_of
from tests.support.org import Org
from tests.support.pelaksanaan import skp_for
from tests.support.pgbouncer import IGNORE_STARTUP_PARAMETERS, PgBouncer, why_not
from tests.support.receiver import Receiver
from tests.support.tenants import new_tenant

ONE = "shared_one"  # the alias whose pool is one server connection


@pytest.fixture(
    scope="module",
    params=[pytest.param(False, id="no-statement-cache"), pytest.param(True, id="statement-cache")],
)
def bouncer(request, database: DatabaseAddress) -> Iterator[PgBouncer]:
    cached = request.param
    reason = why_not(prepared_statements=cached)
    if reason:
        pytest.skip(reason)
    pooler = PgBouncer(
        database, max_prepared_statements=200 if cached else 0, pools={ONE: 1}
    ).start()
    pooler.cached = cached
    try:
        yield pooler
    finally:
        pooler.stop()


@dataclass
class Pooled:
    api: httpx.AsyncClient
    settings: Settings
    address: DatabaseAddress
    idp: object

    async def as_(self, kode: str, nip: str, query: str, **variables) -> dict:
        headers = principal_header(self.idp, kode, nip)
        body = {"query": query, "variables": variables}
        return (await self.api.post("/graphql", json=body, headers=headers)).json()


def pooled_settings(settings: Settings, bouncer: PgBouncer, database, alias=None) -> Settings:
    return settings.model_copy(
        update={
            "database_url": bouncer.address(alias).url(),
            "direct_database_url": database.url(),
            "db_statement_cache_size": 100 if bouncer.cached else 0,
        }
    )


@asynccontextmanager
async def through(bouncer, database, settings, idp, alias=None) -> AsyncIterator[Pooled]:
    """The app on an ORM of its own whose every connection goes through PgBouncer."""
    tuned = pooled_settings(settings, bouncer, database, alias)
    address = bouncer.address(alias)
    async with database_context(address, tuned):
        app = create_app(tuned)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as api:
            yield Pooled(api, tuned, address, idp)


BOUND = """SELECT current_schema() AS schema, current_user AS role, pg_backend_pid() AS pid,
  current_setting('jit') AS jit, current_setting('statement_timeout') AS statement_timeout"""


async def bound_state(tenant) -> dict:
    async with tenant_transaction(as_bound(tenant)) as connection:
        [row] = await connection.execute_query_dict(BOUND)
        return row


async def unbound_state(connection) -> dict:
    """Whether the session's settings are what it started with (nothing left by a binding)."""
    [row] = await connection.execute_query_dict(
        f"""{BOUND}, (SELECT array_agg(name) FROM pg_settings
          WHERE name IN ('jit', 'search_path', 'role', 'statement_timeout', 'lock_timeout')
            AND setting IS DISTINCT FROM reset_val) AS changed"""
    )
    return row


# Tenancy


async def test_a_binding_through_pgbouncer_is_the_tenant_s_and_jit_is_off(
    bouncer, database, settings, idp, tenant
):
    """jit=off is a startup parameter PgBouncer drops (ignore_startup_parameters): the binding
    carries it, transaction-local (regression: through PgBouncer, jit was on)."""
    async with through(bouncer, database, settings, idp):
        state = await bound_state(tenant)
    assert (state["schema"], state["role"]) == (tenant.schema_name, tenant.role_name)
    assert state["jit"] == "off"
    assert state["statement_timeout"] == "30s"


async def test_an_unbound_query_through_pgbouncer_finds_no_tenant_table(
    bouncer, database, settings, idp, tenant
):
    """The pool's search_path (ekinerja_unbound) is a startup parameter PgBouncer drops too: the
    server's default ("$user", public) holds no tenant table either, so it still fails closed."""
    async with through(bouncer, database, settings, idp):
        client = get_connections().get("default")
        with pytest.raises(OperationalError, match="pegawai"):
            await client.execute_query("SELECT count(*) FROM pegawai")


async def test_two_tenants_on_one_server_connection_see_only_their_own(
    bouncer, database, settings, idp, tenant, role_prefix
):
    """A pool of one server connection (pool_size=1) serves tenant A, tenant B (provisioned
    through PgBouncer: its migration runs there too) and unbound work in turn, concurrently
    requested: each transaction sees its own binding and nothing of the one before."""
    async with through(bouncer, database, settings, idp, alias=ONE):
        other = await new_tenant(role_prefix)
        for kode_tenant, nama in ((tenant, "Di A"), (other, "Di B")):
            async with tenant_transaction(as_bound(kode_tenant)):
                await Org().pegawai(nama)

        async def reads(t) -> tuple[dict, list[str]]:
            async with tenant_transaction(as_bound(t)) as connection:
                [state] = await connection.execute_query_dict(BOUND)
                names = [p.nama for p in await Pegawai.all()]
            return state, names

        rounds = await asyncio.gather(*(reads(t) for t in (tenant, other) * 4))
        async with get_connections().get("default")._in_transaction() as connection:
            after = await unbound_state(connection)
        async with tenant_transaction(as_bound(tenant)) as connection:
            with pytest.raises(OperationalError, match="permission denied"):
                await connection.execute_query(f'SELECT * FROM "{other.schema_name}".pegawai')

    assert len({state["pid"] for state, _ in rounds} | {after["pid"]}) == 1  # one connection
    for (state, names), t in zip(rounds, (tenant, other) * 4, strict=True):
        assert (state["schema"], state["role"]) == (t.schema_name, t.role_name)
        assert names == (["Di A"] if t is tenant else ["Di B"])
    assert after["role"] == database.user and after["changed"] is None  # nothing left behind


# The portal


MY_PAGE = """{ saya { nip nama jabatan { jabatan { nama } } }
  skpSaya(first: 1) { nodes { tahun status
    rhk { urutan teks indikator { teks targetMin satuan } } } } }"""
DIRECTORY = "{ daftarPegawai(first: 50) { nodes { nip nama jabatan { jabatan { nama } } } } }"


async def test_portal_reads_answer_as_they_do_directly(
    bouncer, database, settings, idp, tenant, team, client
):
    nip = team.staf.nip
    expected = []
    for query in (MY_PAGE, DIRECTORY):
        headers = principal_header(idp, tenant.kode, nip)
        direct = await client.post("/graphql", json={"query": query}, headers=headers)
        expected.append(direct.json())
    async with through(bouncer, database, settings, idp) as pooled:
        for _ in range(3):  # the statement cache's prepared statements used again
            answers = [await pooled.as_(tenant.kode, nip, q) for q in (MY_PAGE, DIRECTORY)]
            assert answers == expected
    assert expected[0]["data"]["saya"]["nama"] == team.staf.nama
    assert expected[0]["data"]["skpSaya"]["nodes"]


CREATE = """mutation { buatSkp(input: {tahun: 2026, pendekatan: KUANTITATIF}) {
  __typename ... on SkpDiubah { skp { id versiKunci status } }
  ... on MutationError { code message } } }"""
SAVE = """mutation($input: SimpanRhkInput!) { simpanRhk(input: $input) {
  __typename ... on SkpDiubah { skp { versiKunci } } ... on MutationError { code message } } }"""
SUBMIT = """mutation($id: ID!, $v: Int!) { ajukanSkp(skpId: $id, versiDiharapkan: $v) {
  __typename ... on SkpDiubah { skp { status } } ... on MutationError { code } } }"""
CHANGES = """query($after: String) { peristiwa(first: 50, after: $after) {
  nodes { cursor jenis entitas entitasId } pageInfo { endCursor } } }"""


async def staf_and_atasan_rhk(tenant, unit_name: str) -> tuple[Pegawai, str]:
    """A staf whose kasi has an approved SKP with an RHK (what the staf's RHK intervenes)."""
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        unit = await org.unit(unit_name)
        kasi = await org.pegawai("Kasi", await org.jabatan("Kepala Seksi", unit, head=True))
        staf = await org.pegawai("Staf", await org.jabatan("Analis", unit))
        kasi_rhk = await Rhk.create(skp=await skp_for(kasi, None), teks="Data daerah tersedia")
    return staf, gid_of(tenant, kasi_rhk)


async def plan_and_submit(pooled: Pooled, tenant, staf: Pegawai, intervensi: str) -> None:
    """buatSkp, simpanRhk, ajukanSkp as the staf: skp.dibuat, then skp.diajukan."""
    made = await pooled.as_(tenant.kode, staf.nip, CREATE)
    skp = made["data"]["buatSkp"]["skp"]
    rhk = {
        "skpId": skp["id"],
        "versiDiharapkan": skp["versiKunci"],
        "teks": "Data tersaji",
        "intervensiRhkId": intervensi,
        "indikator": [
            {"teks": "Jumlah", "aspek": "KUANTITAS", "targetMin": "2", "satuan": "Laporan"}
        ],
    }
    saved = await pooled.as_(tenant.kode, staf.nip, SAVE, input=rhk)
    version = saved["data"]["simpanRhk"]["skp"]["versiKunci"]
    submitted = await pooled.as_(tenant.kode, staf.nip, SUBMIT, id=skp["id"], v=version)
    assert submitted["data"]["ajukanSkp"]["skp"] == {"status": "DIAJUKAN"}, submitted


async def test_a_mutation_s_events_come_back_in_order_from_the_change_feed(
    bouncer, database, settings, idp, tenant
):
    staf, intervensi = await staf_and_atasan_rhk(tenant, "Seksi Data")
    client = await ApiClient.create(
        client_id=f"feed-{tenant.kode.lower()}", nama="Feed", scopes=["changes:read"]
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    feed_headers = bearer(client_token(idp, client.client_id, "changes:read")) | {
        "X-Instansi": tenant.kode
    }
    async with through(bouncer, database, settings, idp) as pooled:
        before = await pooled.api.post("/graphql", json={"query": CHANGES}, headers=feed_headers)
        start = before.json()["data"]["peristiwa"]["pageInfo"]["endCursor"]
        await plan_and_submit(pooled, tenant, staf, intervensi)
        body = {"query": CHANGES, "variables": {"after": start}}
        page = (await pooled.api.post("/graphql", json=body, headers=feed_headers)).json()
    events = page["data"]["peristiwa"]["nodes"]
    assert [e["jenis"] for e in events] == ["skp.dibuat", "skp.diajukan"]
    assert all(e["entitas"] == "skp" for e in events)


# The worker: LISTEN on the direct URL, everything else through PgBouncer


SUBSCRIBE = """mutation($url: String!) { buatWebhookLangganan(url: $url, jenis: ["skp.diajukan"])
  { __typename ... on WebhookTerbit { rahasia } ... on MutationError { code message } } }"""


async def test_the_running_worker_delivers_woken_through_the_direct_url(
    bouncer, database, settings, idp, tenant
):
    """With an hour between sweeps only the outbox's NOTIFY wakes the worker: it must LISTEN on
    the direct URL (regression: through PgBouncer the LISTEN would hear nothing)."""
    staf, intervensi = await staf_and_atasan_rhk(tenant, "Seksi Hook")
    client = await ApiClient.create(
        client_id=f"hook-{tenant.kode.lower()}", nama="Hook", scopes=["webhooks:manage"]
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    hook_headers = bearer(client_token(idp, client.client_id, "webhooks:manage")) | {
        "X-Instansi": tenant.kode
    }
    stop = asyncio.Event()
    async with through(bouncer, database, settings, idp) as pooled, httpx.AsyncClient() as http:
        runner = Worker(pooled.settings.model_copy(update={"worker_sweep_seconds": 3600}), http)
        async with Receiver() as receiver:
            running = asyncio.create_task(run_forever(runner, pooled.address, stop))
            try:
                body = {"query": SUBSCRIBE, "variables": {"url": receiver.url()}}
                made = await pooled.api.post("/graphql", json=body, headers=hook_headers)
                assert made.json()["data"]["buatWebhookLangganan"]["__typename"] == "WebhookTerbit"
                await plan_and_submit(pooled, tenant, staf, intervensi)
                [request] = await asyncio.wait_for(receiver.received(1), timeout=20)
            finally:
                stop.set()
                await running
    assert json.loads(request.body)["jenis"] == "skp.diajukan"


async def test_listen_connects_to_the_direct_url(bouncer, database, settings):
    tuned = pooled_settings(settings, bouncer, database)
    pooled = bouncer.address()
    assert direct_address(tuned, pooled) == database
    assert direct_address(settings.model_copy(update={"direct_database_url": None}), pooled) == (
        pooled
    )
    woken: set[str] = set()
    wake = asyncio.Event()
    listener = await listen(pooled, tuned, "ekinerja_test_direct", woken, wake)
    try:
        # A session of its own on the server: the LISTEN is still there after other clients
        # used PgBouncer's server connections.
        notifier = await asyncpg.connect(**pooled.asyncpg_kwargs(), statement_cache_size=0)
        try:
            for _ in range(3):
                await notifier.execute("SELECT pg_notify('ekinerja_test_direct', 'x')")
        finally:
            await notifier.close()
        await asyncio.wait_for(wake.wait(), timeout=5)
        assert woken == {"x"}
        assert listener._addr != ("127.0.0.1", bouncer.port)
    finally:
        listener.terminate()


# What PgBouncer handles itself among startup parameters (any other is refused unless ignored).
PGBOUNCER_TRACKS = {"client_encoding", "datestyle", "timezone", "standard_conforming_strings"}
PGBOUNCER_TRACKS |= {"application_name", "user", "database"}


async def test_every_startup_parameter_the_service_sends_is_one_the_documented_pgbouncer_takes(
    bouncer, database, settings, idp
):
    """docs/deployment.md's ignore_startup_parameters covers what the pool really sends: a list
    without Tortoise's search_path (the deployment kit's first pgbouncer.ini) has PgBouncer
    refuse every pooled connection, "unsupported startup parameter: search_path"."""
    async with through(bouncer, database, settings, idp):
        client = get_connections().get("default")
        await client.execute_query("SELECT 1")
        sent = {name.lower() for name in client._template["server_settings"]}
    docs = (Path(__file__).parents[1] / "docs" / "deployment.md").read_text()
    [line] = re.findall(r"^ignore_startup_parameters = (.*)$", docs, re.MULTILINE)
    documented = {name.strip() for name in line.split(",")}
    assert sent - PGBOUNCER_TRACKS <= documented
    assert documented == {name.strip() for name in IGNORE_STARTUP_PARAMETERS.split(",")}
