"""Idempotency keys on mutations, from API clients and persons alike: a repeat replays the
stored response and writes nothing; a different request with the same key is refused; twins
execute once; an errored attempt is not remembered; keys expire; queries ignore the header;
keys belong to one caller (client or person) in one instansi (decision 0015)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tortoise.timezone import now

from ekinerja.auth.principal import Principal, Role
from ekinerja.integrasi.idempotensi import (
    OWNER_MAX,
    IdempotentRequest,
    StoredResponse,
    key_owner,
    request_fingerprint,
)
from ekinerja.models.shared import ApiClient, ApiClientGrant
from ekinerja.models.tenant import IdempotencyKey, ProgresHarian
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.support.activity import until_waiting_on_lock
from tests.support.auth import bearer, client_token, principal_header
from tests.support.pelaksanaan import Portal, build_team, progres_row

CREATE = """mutation($input: ProgresHarianInput!) { buatProgresHarian(input: $input) {
  __typename ... on ProgresHarianDisimpan { progres { id tanggal } }
  ... on BarisDitolak { code } ... on MutationError { code } } }"""
WRITE = ("pelaksanaan:write",)
REPLAYED = "idempotent-replayed"
NIP = "199001012015011001"


async def new_client(name: str, *tenants) -> str:
    client = await ApiClient.create(
        client_id=f"{name}-{tenants[0].kode.lower()}", nama=name, scopes=[*WRITE, "skp:read"]
    )
    for tenant in tenants:
        await ApiClientGrant.create(api_client=client, instansi=tenant)
    return client.client_id


async def send(portal, client_id, variables, key=None, *, scopes=WRITE, tenant=None, query=CREATE):
    headers = bearer(client_token(portal.idp, client_id, *scopes))
    headers["X-Instansi"] = (tenant or portal.tenant).kode
    if key is not None:
        headers["Idempotency-Key"] = key
    body = {"query": query, "variables": variables}
    return await portal.api.post("/graphql", json=body, headers=headers)


def day(tenant, team, tanggal: str = "2026-02-03") -> dict:
    return {"input": progres_row(tenant, team.rencana(), tanggal=tanggal)}


async def rows(tenant) -> int:
    async with tenant_transaction(as_bound(tenant)):
        return await ProgresHarian.all().count()


def saved(response) -> dict:
    assert response.status_code == 200, response.text
    result = response.json()["data"]["buatProgresHarian"]
    assert result["__typename"] == "ProgresHarianDisimpan", result
    return result


async def test_a_repeat_replays_the_stored_response_and_writes_once(portal, team, tenant):
    client = await new_client("simpeg", tenant)
    first = await send(portal, client, day(portal.tenant, team), "order-1")
    saved(first)
    assert REPLAYED not in first.headers
    again = await send(portal, client, day(portal.tenant, team), "order-1")
    assert again.status_code == 200 and again.headers[REPLAYED] == "true"
    assert again.content == first.content
    assert await rows(tenant) == 1

    changed = await send(portal, client, day(portal.tenant, team, "2026-02-04"), "order-1")
    assert changed.status_code == 422
    error = changed.json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert "'order-1' was used within the last 24 h for a different request" in error["message"]
    assert "data" not in changed.json() and await rows(tenant) == 1
    # A new key is a new request; no key at all is the plain old behaviour.
    saved(await send(portal, client, day(portal.tenant, team, "2026-02-04"), "order-2"))
    saved(await send(portal, client, day(portal.tenant, team, "2026-02-04")))
    assert await rows(tenant) == 3


async def test_twins_sent_at_once_execute_once(portal, team, tenant):
    client = await new_client("twins", tenant)
    a, b = await asyncio.gather(
        send(portal, client, day(portal.tenant, team), "twin"),
        send(portal, client, day(portal.tenant, team), "twin"),
    )
    saved(a), saved(b)
    assert a.content == b.content
    assert sorted(r.headers.get(REPLAYED, "no") for r in (a, b)) == ["no", "true"]
    assert await rows(tenant) == 1


async def test_a_twin_waits_for_the_first_and_executes_when_the_first_rolls_back(
    portal, team, tenant, database
):
    client = await new_client("waiter", tenant)
    go = asyncio.Event()

    async def second():
        await go.wait()
        return await send(portal, client, day(portal.tenant, team), "held")

    # Created before the transaction below, so the request does not inherit its connection.
    waiting = asyncio.create_task(second())
    async with tenant_transaction(as_bound(tenant)) as first:
        holder = IdempotentRequest(
            client, "held", request_fingerprint(CREATE, None, day(portal.tenant, team))
        )
        assert await holder.claim(24) is None
        go.set()
        await asyncio.wait_for(until_waiting_on_lock(database), 30)  # on the unique index
        assert not waiting.done()
        await first.rollback()
    response = await asyncio.wait_for(waiting, 10)
    saved(response)
    assert REPLAYED not in response.headers and await rows(tenant) == 1


async def test_a_twin_waits_for_the_first_and_replays_what_it_committed(
    portal, team, tenant, database
):
    client = await new_client("patient", tenant)
    go = asyncio.Event()

    async def second():
        await go.wait()
        return await send(portal, client, day(portal.tenant, team), "held")

    waiting = asyncio.create_task(second())
    async with tenant_transaction(as_bound(tenant)):
        holder = IdempotentRequest(
            client, "held", request_fingerprint(CREATE, None, day(portal.tenant, team))
        )
        assert await holder.claim(24) is None
        go.set()
        await asyncio.wait_for(until_waiting_on_lock(database), 30)
        assert not waiting.done()
        await holder.remember(200, '{"data":{"buatProgresHarian":{"__typename":"Stored"}}}')
    response = await asyncio.wait_for(waiting, 10)
    assert response.headers[REPLAYED] == "true"
    assert response.json() == {"data": {"buatProgresHarian": {"__typename": "Stored"}}}
    assert await rows(tenant) == 0


async def test_an_attempt_with_errors_is_not_remembered(portal, team, tenant):
    client = await new_client("retry", tenant)
    denied = await send(portal, client, day(portal.tenant, team), "retry-1", scopes=("skp:read",))
    assert denied.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await rows(tenant) == 0
    async with tenant_transaction(as_bound(tenant)):
        assert not await IdempotencyKey.filter(client_id=client).exists()
    # Everything rolled back with the error, key included: the retry executes.
    retried = await send(portal, client, day(portal.tenant, team), "retry-1")
    saved(retried)
    assert REPLAYED not in retried.headers and await rows(tenant) == 1
    assert (await send(portal, client, day(portal.tenant, team), "retry-1")).headers[
        REPLAYED
    ] == "true"


async def test_an_expired_key_may_be_used_again(portal, team, tenant):
    client = await new_client("expiry", tenant)
    saved(await send(portal, client, day(portal.tenant, team), "daily"))
    async with tenant_transaction(as_bound(tenant)):
        await IdempotencyKey.filter(client_id=client, key="daily").update(
            dibuat_pada=now() - timedelta(hours=24, minutes=1)
        )
    other = await send(portal, client, day(portal.tenant, team, "2026-02-05"), "daily")
    saved(other)
    assert REPLAYED not in other.headers and await rows(tenant) == 2
    replay = await send(portal, client, day(portal.tenant, team, "2026-02-05"), "daily")
    assert replay.headers[REPLAYED] == "true" and replay.content == other.content


async def test_a_malformed_key_is_refused_on_a_mutation_only(portal, team, tenant):
    client = await new_client("malformed", tenant)
    for key in ("", "x" * 201, "tab\there"):
        response = await send(portal, client, day(portal.tenant, team), key)
        assert response.status_code == 400, (key, response.text)
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "INVALID_IDEMPOTENCY_KEY"
        assert "1 to 200 printable ASCII characters" in error["message"]
    assert await rows(tenant) == 0
    saved(await send(portal, client, day(portal.tenant, team), "x" * 200))
    # On a query the header means nothing, malformed or not.
    read = await send(portal, client, {}, "", scopes=("skp:read",), query="{ instansi { kode } }")
    assert read.status_code == 200 and read.json()["data"]["instansi"]["kode"] == tenant.kode


async def as_person(portal, pegawai, variables, key=None):
    headers = principal_header(portal.idp, portal.tenant.kode, pegawai.nip)
    if key is not None:
        headers["Idempotency-Key"] = key
    body = {"query": CREATE, "variables": variables}
    return await portal.api.post("/graphql", json=body, headers=headers)


async def test_a_persons_repeat_replays_the_stored_response_and_writes_once(portal, team, tenant):
    """Issue 14 #15: a person whose mutation committed but whose answer was lost (a 500 during
    a database restart) retries blindly; with a key, the retry must not write it twice."""
    first = await as_person(portal, team.staf, day(portal.tenant, team), "daily-log-1")
    saved(first)
    assert REPLAYED not in first.headers
    again = await as_person(portal, team.staf, day(portal.tenant, team), "daily-log-1")
    assert again.status_code == 200 and again.headers[REPLAYED] == "true"
    assert again.content == first.content and await rows(tenant) == 1
    changed = await as_person(
        portal, team.staf, day(portal.tenant, team, "2026-02-04"), "daily-log-1"
    )
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    malformed = await as_person(portal, team.staf, day(portal.tenant, team), "tab\there")
    assert malformed.json()["errors"][0]["extensions"]["code"] == "INVALID_IDEMPOTENCY_KEY"
    assert await rows(tenant) == 1
    async with tenant_transaction(as_bound(tenant)):
        [owner] = await IdempotencyKey.all().values_list("client_id", flat=True)
    assert owner == f"person:{team.staf.nip}"


async def test_another_person_or_instansi_never_gets_a_persons_response(
    portal, team, tenant, other_tenant
):
    saved(await as_person(portal, team.staf, day(portal.tenant, team), "same-key"))
    # The same key and the very same request from a colleague: their own answer (the rencana
    # aksi is not theirs), never the stored success of the staf.
    theirs = await as_person(portal, team.rekan, day(portal.tenant, team), "same-key")
    assert theirs.status_code == 200 and REPLAYED not in theirs.headers
    assert theirs.json()["data"]["buatProgresHarian"]["__typename"] != "ProgresHarianDisimpan"
    assert await rows(tenant) == 1
    # A person of another instansi with the same key: executes there, on its own.
    other_team = await build_team(other_tenant)
    elsewhere = Portal(portal.api, portal.idp, other_tenant)
    saved(await as_person(elsewhere, other_team.staf, day(other_tenant, other_team), "same-key"))
    assert await rows(other_tenant) == 1
    # An API client with the same key is another caller too.
    client = await new_client("integrator", tenant)
    saved(await send(portal, client, day(portal.tenant, team, "2026-02-06"), "same-key"))
    assert await rows(tenant) == 2
    again = await as_person(portal, team.staf, day(portal.tenant, team), "same-key")
    assert again.headers[REPLAYED] == "true" and await rows(tenant) == 2


async def test_the_header_on_a_query_is_ignored(portal, team, tenant):
    client = await new_client("reader", tenant)
    query = "{ instansi { kode } }"
    for _ in range(2):
        read = await send(portal, client, {}, "same", scopes=("skp:read",), query=query)
        assert read.status_code == 200 and REPLAYED not in read.headers
    headers = principal_header(portal.idp, tenant.kode, team.staf.nip) | {"Idempotency-Key": "q"}
    read = await portal.api.post("/graphql", json={"query": query}, headers=headers)
    assert read.status_code == 200 and REPLAYED not in read.headers
    async with tenant_transaction(as_bound(tenant)):
        assert await IdempotencyKey.all().count() == 0


def test_a_client_id_shaped_like_a_person_cannot_reach_a_persons_keys():
    person = Principal(subject=NIP, roles=frozenset({Role.PEGAWAI}), nip=NIP)
    impostor = Principal(subject=f"client:person:{NIP}", roles=frozenset({Role.API_CLIENT}))
    ordinary = Principal(subject="client:simpeg", roles=frozenset({Role.API_CLIENT}))
    assert key_owner(person) == f"person:{NIP}"
    assert key_owner(impostor) == f"client:person:{NIP}"
    assert key_owner(ordinary) == "simpeg"  # as stored before persons had keys


async def test_keys_belong_to_one_client_in_one_instansi(portal, team, tenant, other_tenant):
    both = await new_client("both", tenant, other_tenant)
    other_team = await build_team(other_tenant)
    saved(await send(portal, both, day(portal.tenant, team), "shared-key"))
    # The same key in another instansi is another key (a different request is no reuse).
    elsewhere = await send(
        portal, both, day(other_tenant, other_team), "shared-key", tenant=other_tenant
    )
    saved(elsewhere)
    assert REPLAYED not in elsewhere.headers and await rows(other_tenant) == 1
    # Another client cannot replay this client's response: its key is its own.
    stranger = await new_client("stranger", tenant)
    theirs = await send(portal, stranger, day(portal.tenant, team), "shared-key")
    saved(theirs)
    assert REPLAYED not in theirs.headers and await rows(tenant) == 2
    again = await send(portal, both, day(portal.tenant, team), "shared-key")
    assert again.headers[REPLAYED] == "true" and await rows(tenant) == 2


async def test_a_longest_client_id_shaped_like_a_person_still_has_keys(tenant):
    # The registry allows a client id of 255 characters; one starting with a prefix is stored
    # with `client:` in front, so 249–255 characters overflowed the owner column (INTERNAL_ERROR
    # on every mutation with a key). Such an owner is a digest of the id, which always fits.
    longest = Principal(subject="client:person:" + "9" * 248, roles=frozenset({Role.API_CLIENT}))
    owner = key_owner(longest)
    request = IdempotentRequest(owner, "long-owner", request_fingerprint(CREATE, None, {}))
    async with tenant_transaction(as_bound(tenant)):
        assert await request.claim(24) is None
        await request.remember(200, '{"data":{}}')
    again = IdempotentRequest(owner, "long-owner", request_fingerprint(CREATE, None, {}))
    async with tenant_transaction(as_bound(tenant)):
        assert await again.claim(24) == StoredResponse(200, '{"data":{}}')
    assert owner.startswith("client:sha256:")
    assert len(owner) <= OWNER_MAX == IdempotencyKey._meta.fields_map["client_id"].max_length
    # The digest is that id's alone: neither a client whose id is the digest's text nor one
    # whose id is its tail shares it.
    for imitation in (owner, owner.removeprefix("client:")):
        other = Principal(subject=f"client:{imitation}", roles=frozenset({Role.API_CLIENT}))
        assert key_owner(other) != owner
