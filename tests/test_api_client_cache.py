"""What an API client may do is remembered in the process (ekinerja/auth/klien_dikenal.py; issue
17, decision 0035) and forgotten the moment it changes: by the code that changes it, and in
every other process by the triggers' NOTIFY on `ekinerja_registry` (shared migration 0010),
which the registry's watcher hears. A revocation, a grant removed, a scope taken away or the
restriction to registered documents is honoured from the very next request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import httpx
import pytest

from ekinerja.auth import klien_dikenal
from ekinerja.db.lifecycle import database_context
from ekinerja.http.app import create_app
from ekinerja.integrasi import dokumen_terpercaya
from ekinerja.models.shared import ApiClient, ApiClientGrant
from tests.support.auth import bearer, client_token
from tests.support.pelaksanaan import build_team
from tests.support.registry_watcher import Watcher, as_another_process, running_watcher
from tests.support.wire import wire_proxy
from tests.test_api_clients import ADMIN, REVOKE, as_client, create, token

QUERY = "{ instansi { kode } }"
SCOPE = "pegawai:read"


async def register(tenant, name: str, *granted) -> str:
    client = await ApiClient.create(
        client_id=f"{name}-{tenant.kode.lower()}", nama=f"Sistem {name}", scopes=[SCOPE]
    )
    for instansi in granted or (tenant,):
        await ApiClientGrant.create(api_client=client, instansi=instansi)
    return client.client_id


async def call(api, idp, client_id: str, kode: str, body: dict | None = None) -> httpx.Response:
    headers = bearer(client_token(idp, client_id, SCOPE)) | {"X-Instansi": kode}
    return await api.post("/graphql", json=body or {"query": QUERY}, headers=headers)


def served(response: httpx.Response, kode: str) -> None:
    assert response.json() == {"data": {"instansi": {"kode": kode}}}, response.text


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == code, response.text


def remembered(client_id: str) -> bool:
    return klien_dikenal.diingat(client_id)


@pytest.fixture
async def watching(database, settings) -> AsyncIterator[Callable[[], Awaitable[Watcher]]]:
    """Starts the registry's watcher, as the app runs it, when the test has registered its
    client: what it hears is then what the test does, not the registration (a NOTIFY committed
    before the LISTEN is not delivered)."""
    async with AsyncExitStack() as stack:

        async def start() -> Watcher:
            return await stack.enter_async_context(running_watcher(database, settings))

        yield start


# ---- the cost


async def test_a_clients_second_request_reads_nothing_from_shared(database, settings, idp, tenant):
    async with wire_proxy(database) as proxy, database_context(proxy.address, settings):
        client_id = await register(tenant, "hemat")
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as api:
            with proxy.count() as counted:
                served(await call(api, idp, client_id, tenant.kode), tenant.kode)
            first = [s for trip in counted.trips for s in trip]  # the counter is cleared next
            with proxy.count() as trips:
                served(await call(api, idp, client_id, tenant.kode), tenant.kode)
    assert [s for s in first if '"shared"."api_client' in s], first  # the first one asks
    # BEGIN with its binding, the audit line of the cross-tenant read, COMMIT; no row of the
    # client, its grants or the registry.
    assert len(trips) == 3, trips.describe()
    assert not [s for t in trips.trips for s in t if "shared" in s], trips.describe()


async def test_an_unknown_client_is_asked_every_time(portal, tenant):
    client_id = f"baru-{tenant.kode.lower()}"
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNKNOWN_PRINCIPAL")
    assert not remembered(client_id)
    await register(tenant, "baru")  # no forget: nothing was remembered
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    assert remembered(client_id)


# ---- changes made by this process's code


async def test_a_revocation_through_the_mutation_is_refused_on_the_very_next_request(
    portal, tenant
):
    team = await build_team(tenant)
    made = await create(portal, team.rekan)
    client_id, secret = made["apiClient"]["clientId"], made["clientSecret"]
    access = (await token(portal.api, client_id, secret)).json()["access_token"]
    assert "data" in await as_client(portal.api, tenant.kode, access)
    assert remembered(client_id)
    revoked = await portal.as_(team.rekan, REVOKE, ADMIN, id=client_id)
    assert revoked["data"]["cabutApiClient"]["aktif"] is False
    gone = await as_client(portal.api, tenant.kode, access)
    assert gone["errors"][0]["extensions"]["code"] == "UNKNOWN_PRINCIPAL"


async def test_restricting_to_documents_in_process_is_honoured_at_once(portal, tenant):
    client_id = await register(tenant, "batas")
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    await dokumen_terpercaya.restrict(client_id, True)  # what `ekinerja clients restrict` runs
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNTRUSTED_DOCUMENT")


# ---- changes made by another process, heard by the watcher


async def test_a_revocation_by_another_process_is_heard_and_refused(
    database, portal, tenant, watching
):
    client_id = await register(tenant, "dicabut")
    watcher = await watching()
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    assert remembered(client_id)
    await as_another_process(
        database, "UPDATE shared.api_client SET dicabut_pada = now() WHERE client_id = $1",
        client_id,
    )  # fmt: skip
    await watcher.heard_of(klien_dikenal.NOTIFY_PREFIX + client_id)
    assert not remembered(client_id)
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNKNOWN_PRINCIPAL")


async def test_a_deactivation_by_another_process_is_heard_and_refused(
    database, portal, tenant, watching
):
    client_id = await register(tenant, "nonaktif")
    watcher = await watching()
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    await as_another_process(
        database, "UPDATE shared.api_client SET aktif = false WHERE client_id = $1", client_id
    )
    await watcher.heard_of(klien_dikenal.NOTIFY_PREFIX + client_id)
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNKNOWN_PRINCIPAL")


async def test_a_grant_removed_is_no_longer_usable(
    database, portal, tenant, other_tenant, watching
):
    client_id = await register(tenant, "dua", tenant, other_tenant)
    watcher = await watching()
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    served(await call(portal.api, portal.idp, client_id, other_tenant.kode), other_tenant.kode)
    await as_another_process(
        database,
        "DELETE FROM shared.api_client_grant g USING shared.api_client c, shared.instansi i "
        "WHERE g.api_client_id = c.id AND g.instansi_id = i.id "
        "AND c.client_id = $1 AND i.kode = $2",
        client_id, other_tenant.kode,
    )  # fmt: skip
    await watcher.heard_of(klien_dikenal.NOTIFY_PREFIX + client_id)
    refused(await call(portal.api, portal.idp, client_id, other_tenant.kode), 403, "FORBIDDEN")
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)


async def test_a_scope_taken_away_and_a_restriction_are_heard(database, portal, tenant, watching):
    client_id = await register(tenant, "lingkup")
    watcher = await watching()
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    directory = {"query": '{ pegawai(nip: "199001012015011001") { nama } }'}
    readable = await call(portal.api, portal.idp, client_id, tenant.kode, directory)
    assert readable.json() == {"data": {"pegawai": None}}, readable.text
    await as_another_process(
        database,
        "UPDATE shared.api_client SET hanya_dokumen_terdaftar = true WHERE client_id = $1",
        client_id,
    )
    await watcher.heard_of(klien_dikenal.NOTIFY_PREFIX + client_id)
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNTRUSTED_DOCUMENT")
    await as_another_process(
        database,
        "UPDATE shared.api_client SET hanya_dokumen_terdaftar = false, scopes = '[]' "
        "WHERE client_id = $1",
        client_id,
    )
    await watcher.heard_of(klien_dikenal.NOTIFY_PREFIX + client_id)
    body = (await call(portal.api, portal.idp, client_id, tenant.kode, directory)).json()
    assert body["data"] == {"pegawai": None}, body  # the scope is refused per field
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_client_deleted_by_another_process_is_heard(database, portal, tenant, watching):
    client_id = await register(tenant, "hapus")
    watcher = await watching()
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    await as_another_process(
        database, "DELETE FROM shared.api_client WHERE client_id = $1", client_id
    )
    await watcher.heard_of(klien_dikenal.NOTIFY_PREFIX + client_id)
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNKNOWN_PRINCIPAL")


# ---- tenant isolation and the floor


async def test_a_remembered_client_of_a_cannot_act_for_b(portal, tenant, other_tenant):
    client_id = await register(tenant, "hanya-a")
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    assert remembered(client_id)
    crossing = await call(portal.api, portal.idp, client_id, other_tenant.kode)
    refused(crossing, 403, "FORBIDDEN")
    assert other_tenant.kode in crossing.json()["errors"][0]["message"]


async def test_without_a_watcher_the_floor_bounds_staleness(monkeypatch, portal, tenant):
    client_id = await register(tenant, "lantai")
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    await ApiClient.filter(client_id=client_id).update(aktif=False)  # nobody told
    served(await call(portal.api, portal.idp, client_id, tenant.kode), tenant.kode)
    monkeypatch.setattr("ekinerja.memo.FLOOR_SECONDS", 0.0)
    refused(await call(portal.api, portal.idp, client_id, tenant.kode), 403, "UNKNOWN_PRINCIPAL")
