"""API clients an admin instansi manages, and this service's client-credentials token
endpoint: create, trade the secret for a token, use it, rotate, re-scope, revoke; OAuth errors
by RFC 6749; centrally registered clients are read-only to agencies; tenant isolation."""

from __future__ import annotations

import base64
from datetime import timedelta
from ipaddress import ip_network

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet
from starlette.applications import Starlette
from tortoise.timezone import now

from ekinerja.auth import api_clients
from ekinerja.auth.principal import Role
from ekinerja.http.oauth import oauth_routes
from ekinerja.models.shared import ApiClient as ApiClientRow
from ekinerja.models.shared import ApiClientGrant, ApiClientSecret
from tests.support.pelaksanaan import Portal, build_team
from tests.support.query_counter import count_queries

CLIENT = (
    """clientId nama scopes aktif instansi milikInstansi clientSecret { awalan berlakuSampai }"""
)
CREATE = f"""mutation($nama: String!, $scopes: [String!]!) {{ buatApiClient(nama: $nama,
  scopes: $scopes) {{ __typename ... on ApiClientTerbit {{ clientSecret apiClient {{ {CLIENT} }} }}
  ... on MutationError {{ code field message }} }} }}"""
ROTATE = f"""mutation($id: String!) {{ putarClientSecret(clientId: $id) {{ __typename
  ... on ApiClientTerbit {{ clientSecret apiClient {{ {CLIENT} }} }}
  ... on MutationError {{ code message }} }} }}"""
RESCOPE = f"""mutation($id: String!, $scopes: [String!]!) {{ ubahScopeApiClient(clientId: $id,
  scopes: $scopes) {{ __typename ... on ApiClient {{ {CLIENT} }}
  ... on MutationError {{ code field }} }} }}"""
REVOKE = f"""mutation($id: String!) {{ cabutApiClient(clientId: $id) {{ __typename
  ... on ApiClient {{ {CLIENT} }} ... on MutationError {{ code }} }} }}"""
LIST = f"{{ daftarApiClient {{ {CLIENT} }} }}"
FEED = "{ peristiwa(first: 1) { pageInfo { hasNextPage } } }"
ADMIN = Role.ADMIN_INSTANSI


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def token(api, client_id, secret, *, scope=None, as_form=False, grant="client_credentials"):
    form = {"grant_type": grant} | ({"scope": scope} if scope else {})
    headers = {}
    if as_form:
        form |= {"client_id": client_id, "client_secret": secret}
    else:
        headers = basic(client_id, secret)
    return await api.post("/oauth/token", data=form, headers=headers)


async def as_client(api, kode: str, access_token: str, query: str = FEED) -> dict:
    response = await api.post(
        "/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {access_token}", "X-Instansi": kode},
    )
    return response.json()


async def create(portal: Portal, admin, scopes=("changes:read",)) -> dict:
    body = await portal.as_(admin, CREATE, ADMIN, nama="Sistem TPP Daerah", scopes=list(scopes))
    made = body["data"]["buatApiClient"]
    assert made["__typename"] == "ApiClientTerbit", body
    return made


async def test_an_agency_client_gets_and_uses_a_token(portal, tenant):
    team = await build_team(tenant)
    made = await create(portal, team.rekan, ("changes:read", "skp:read"))
    client, secret = made["apiClient"], made["clientSecret"]
    assert secret.startswith("eks_") and client["clientId"].startswith(tenant.kode.lower())
    assert client["instansi"] == [tenant.kode] and client["milikInstansi"] is True
    assert client["clientSecret"] == [{"awalan": secret[:10], "berlakuSampai": None}]

    issued = await token(portal.api, client["clientId"], secret)
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    body = issued.json()
    assert (body["token_type"], body["scope"], body["expires_in"]) == (
        "Bearer", "changes:read skp:read", 900)  # fmt: skip
    feed = await as_client(portal.api, tenant.kode, body["access_token"])
    assert feed["data"]["peristiwa"]["pageInfo"]["hasNextPage"] is False

    # The published keys check the token; a narrower scope can be asked for.
    keys = KeySet.import_key_set((await portal.api.get("/oauth/jwks.json")).json())
    claims = jwt.decode(body["access_token"], keys).claims
    assert (claims["azp"], claims["aud"]) == (client["clientId"], "ekinerja")
    narrow = (await token(portal.api, client["clientId"], secret, scope="skp:read",
                          as_form=True)).json()  # fmt: skip
    assert narrow["scope"] == "skp:read"
    refused = await as_client(portal.api, tenant.kode, narrow["access_token"])
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_oauth_errors(portal, tenant):
    team = await build_team(tenant)
    made = await create(portal, team.rekan)
    client_id, secret = made["apiClient"]["clientId"], made["clientSecret"]
    wrong = await token(portal.api, client_id, secret + "x")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert wrong.headers["www-authenticate"].startswith("Basic")
    unknown = await token(portal.api, "nobody", secret, as_form=True)
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_client")
    grant = await token(portal.api, client_id, secret, grant="password")
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    scope = await token(portal.api, client_id, secret, scope="changes:read siasn:export")
    described = "not granted to this client: siasn:export"
    # RFC 6749's fields for OAuth libraries, and the one envelope beside them (decision 0031).
    assert scope.json() == {
        "error": "invalid_scope",
        "error_description": described,
        "errors": [
            {
                "message": described,
                "extensions": {
                    "code": "FORBIDDEN",
                    "requestId": scope.headers["x-request-id"],
                },
            }
        ],
    }
    as_json = await portal.api.post("/oauth/token", json={"grant_type": "client_credentials"})
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")


async def test_rotation_keeps_the_old_secret_for_a_day(portal, tenant):
    team = await build_team(tenant)
    made = await create(portal, team.rekan)
    client_id, old = made["apiClient"]["clientId"], made["clientSecret"]
    rotated = (await portal.as_(team.rekan, ROTATE, ADMIN, id=client_id))["data"]
    new = rotated["putarClientSecret"]["clientSecret"]
    secrets = rotated["putarClientSecret"]["apiClient"]["clientSecret"]
    assert [s["awalan"] for s in secrets] == [new[:10], old[:10]]
    assert secrets[0]["berlakuSampai"] is None and secrets[1]["berlakuSampai"] is not None
    for secret in (old, new):
        assert (await token(portal.api, client_id, secret)).status_code == 200
    # A day later the old one is gone.
    await ApiClientSecret.filter(awalan=old[:10]).update(berlaku_sampai=now() - timedelta(1))
    assert (await token(portal.api, client_id, old)).status_code == 401
    assert (await token(portal.api, client_id, new)).status_code == 200


async def test_rescoping_and_revoking_take_effect_at_once(portal, tenant):
    team = await build_team(tenant)
    made = await create(portal, team.rekan, ("changes:read", "skp:read"))
    client_id, secret = made["apiClient"]["clientId"], made["clientSecret"]
    access = (await token(portal.api, client_id, secret)).json()["access_token"]
    rescoped = await portal.as_(team.rekan, RESCOPE, ADMIN, id=client_id, scopes=["skp:read"])
    assert rescoped["data"]["ubahScopeApiClient"]["scopes"] == ["skp:read"]
    after = await as_client(portal.api, tenant.kode, access)  # the token still says changes:read
    assert after["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad = await portal.as_(team.rekan, RESCOPE, ADMIN, id=client_id, scopes=["root"])
    refusal = bad["data"]["ubahScopeApiClient"]
    assert (refusal["code"], refusal["field"]) == ("INVALID_INPUT", "scopes[0]")

    revoked = (await portal.as_(team.rekan, REVOKE, ADMIN, id=client_id))["data"]
    assert (
        revoked["cabutApiClient"]["aktif"] is False
        and revoked["cabutApiClient"]["clientSecret"] == []
    )
    gone = await as_client(portal.api, tenant.kode, access)
    assert gone["errors"][0]["extensions"]["code"] == "UNKNOWN_PRINCIPAL"
    assert (await token(portal.api, client_id, secret)).status_code == 401
    again = await portal.as_(team.rekan, ROTATE, ADMIN, id=client_id)
    assert again["data"]["putarClientSecret"]["code"] == "REVOKED"


async def test_bad_input_and_who_may_manage(portal, tenant):
    team = await build_team(tenant)
    empty = await portal.as_(team.rekan, CREATE, ADMIN, nama="  ", scopes=["skp:read"])
    assert empty["data"]["buatApiClient"]["field"] == "nama"
    none = await portal.as_(team.rekan, CREATE, ADMIN, nama="X", scopes=[])
    assert none["data"]["buatApiClient"]["field"] == "scopes"
    for role in ((), (Role.CENTRAL_ADMIN,)):
        refused = await portal.as_(team.staf, LIST, *role)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_agencies_see_only_their_clients_and_cannot_touch_central_ones(
    portal, tenant, other_tenant, idp
):
    team = await build_team(tenant)
    mine = (await create(portal, team.rekan))["apiClient"]["clientId"]
    central = await ApiClientRow.create(
        client_id="bkn-siasn-sync", nama="SIASN", scopes=["skp:read"]
    )
    for granted in (tenant, other_tenant):
        await ApiClientGrant.create(api_client=central, instansi=granted)

    listed = (await portal.as_(team.rekan, LIST, ADMIN))["data"]["daftarApiClient"]
    assert {(c["clientId"], c["milikInstansi"]) for c in listed} == {
        (mine, True), ("bkn-siasn-sync", False)}  # fmt: skip
    not_owned = await portal.as_(team.rekan, ROTATE, ADMIN, id="bkn-siasn-sync")
    assert not_owned["data"]["putarClientSecret"]["code"] == "NOT_OWNER"

    b = Portal(portal.api, idp, other_tenant)
    theirs = await build_team(other_tenant, "Seksi B")
    seen_by_b = (await b.as_(theirs.rekan, LIST, ADMIN))["data"]["daftarApiClient"]
    assert [c["clientId"] for c in seen_by_b] == ["bkn-siasn-sync"]
    for query, name in ((ROTATE, "putarClientSecret"), (REVOKE, "cabutApiClient")):
        assert (await b.as_(theirs.rekan, query, ADMIN, id=mine))["data"][name]["code"] == (
            "NOT_FOUND")  # fmt: skip
    # A's client cannot act for B.
    made = await create(portal, team.rekan)
    access = (await token(portal.api, made["apiClient"]["clientId"], made["clientSecret"])).json()
    crossing = await portal.api.post(
        "/graphql", json={"query": FEED},
        headers={"Authorization": f"Bearer {access['access_token']}",
                 "X-Instansi": other_tenant.kode},
    )  # fmt: skip
    assert crossing.status_code == 403


REGISTER = """mutation($id: String!, $doc: String!) { daftarkanDokumenApiClient(clientId: $id,
  dokumen: $doc, nama: "Umpan TPP") { __typename ... on ApiClient { hanyaDokumenTerdaftar
  dokumenTerpercaya { documentId nama } } ... on MutationError { code field message } } }"""
RESTRICT = """mutation($id: String!, $on: Boolean!) { batasiApiClient(clientId: $id,
  hanyaDokumenTerdaftar: $on) { __typename ... on ApiClient { hanyaDokumenTerdaftar }
  ... on MutationError { code } } }"""
FORGET = """mutation($id: String!, $doc: String!) { hapusDokumenApiClient(clientId: $id,
  documentId: $doc) { __typename ... on ApiClient { dokumenTerpercaya { documentId } }
  ... on MutationError { code field } } }"""


async def test_the_admin_restricts_a_client_to_registered_operations(portal, tenant):
    team = await build_team(tenant)
    made = await create(portal, team.rekan)
    client_id, secret = made["apiClient"]["clientId"], made["clientSecret"]
    bad = await portal.as_(team.rekan, REGISTER, ADMIN, id=client_id, doc="{ nothing }")
    assert (bad["data"]["daftarkanDokumenApiClient"]["code"],
            bad["data"]["daftarkanDokumenApiClient"]["field"]) == ("INVALID_DOCUMENT", "dokumen")  # fmt: skip  # noqa: E501
    registered = await portal.as_(team.rekan, REGISTER, ADMIN, id=client_id, doc=FEED)
    [document] = registered["data"]["daftarkanDokumenApiClient"]["dokumenTerpercaya"]
    assert document["nama"] == "Umpan TPP" and document["documentId"].startswith("sha256:")
    restricted = await portal.as_(team.rekan, RESTRICT, ADMIN, id=client_id, on=True)
    assert restricted["data"]["batasiApiClient"]["hanyaDokumenTerdaftar"] is True

    access = (await token(portal.api, client_id, secret)).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}", "X-Instansi": tenant.kode}
    by_id = await portal.api.post("/graphql", json={"documentId": document["documentId"]},
                                  headers=headers)  # fmt: skip
    assert by_id.json()["data"]["peristiwa"]["pageInfo"]["hasNextPage"] is False
    other = await portal.api.post("/graphql", json={"query": "{ instansi { kode } }"},
                                  headers=headers)  # fmt: skip
    assert (other.status_code, other.json()["errors"][0]["extensions"]["code"]) == (
        403, "UNTRUSTED_DOCUMENT")  # fmt: skip

    forgotten = await portal.as_(team.rekan, FORGET, ADMIN, id=client_id,
                                 doc=document["documentId"])  # fmt: skip
    assert forgotten["data"]["hapusDokumenApiClient"]["dokumenTerpercaya"] == []
    again = await portal.api.post("/graphql", json={"documentId": document["documentId"]},
                                  headers=headers)  # fmt: skip
    assert again.status_code == 403
    unknown = await portal.as_(team.rekan, FORGET, ADMIN, id=client_id, doc="sha256:" + "0" * 64)
    assert unknown["data"]["hapusDokumenApiClient"]["code"] == "NOT_FOUND"


# ---- the token endpoint under guessing (issue 14, defect 6)


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def token_endpoint(settings, clock: Clock, **limits) -> Starlette:
    """The token endpoint alone, rate-limited on ``clock``."""
    return Starlette(routes=oauth_routes(settings.model_copy(update=limits), clock))


def calling_from(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_the_token_endpoint_limits_each_client_id_and_each_address(settings):
    clock = Clock()
    app = token_endpoint(settings, clock, token_rate_per_client=3, token_rate_per_address=5)
    async with calling_from(app, "10.0.0.1") as a:
        for _ in range(3):
            assert (await token(a, "victim", "guess")).status_code == 401
        limited = await token(a, "victim", "guess")
        assert limited.status_code == 429
        body = limited.json()
        assert (body["error"], body["error_description"]) == (
            "slow_down",
            "too many token requests for this client id; retry in 20 s",
        )
        assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert limited.headers["retry-after"] == "20"  # a minute / 3 per minute
        assert limited.headers["cache-control"] == "no-store"
        # Another client id from the same address is not limited by the first one…
        assert (await token(a, "someone-else", "guess")).status_code == 401
        # …but the address is (five requests a minute, whatever the client id).
        by_address = await token(a, "a-third", "guess")
        assert (by_address.status_code, by_address.json()["error"]) == (429, "slow_down")
        assert "from this address" in by_address.json()["error_description"]

        clock.now += 20  # one request's worth for the client id and the address
        assert (await token(a, "victim", "guess")).status_code == 401
        assert (await token(a, "victim", "guess")).status_code == 429

    async with calling_from(app, "10.0.0.2") as b:
        # Another address: its own allowance; the client id's is shared.
        assert (await token(b, "someone-else", "guess")).status_code == 401
        assert (await token(b, "victim", "guess")).status_code == 429


async def test_known_and_unknown_client_ids_cost_the_same(settings, monkeypatch):
    """No timing: the same statements and the secret hashed and compared the same way, so a
    client id's existence does not show in how long the answer takes."""
    client = await ApiClientRow.create(client_id="timing-known", nama="T", scopes=["skp:read"])
    await ApiClientSecret.create(
        api_client=client,
        hash=api_clients.hash_secret("eks_right"),
        awalan="eks_right",
        dibuat_oleh="test",
    )
    calls: list[str] = []
    real_hash, real_compare = api_clients.hash_secret, api_clients.hmac.compare_digest
    monkeypatch.setattr(api_clients, "hash_secret", lambda s: calls.append("hash") or real_hash(s))
    monkeypatch.setattr(
        api_clients.hmac,
        "compare_digest",
        lambda a, b: calls.append("compare") or real_compare(a, b),
    )
    work = {}
    async with calling_from(token_endpoint(settings, Clock()), "10.0.0.3") as endpoint:
        for client_id in ("timing-known", "timing-unknown"):
            calls.clear()
            with count_queries() as statements:
                refused = await token(endpoint, client_id, "eks_wrong")
            assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
            work[client_id] = (len(statements), list(calls))
    assert work["timing-known"] == work["timing-unknown"] == (1, ["hash", "compare"])


async def test_an_oversized_token_form_is_refused_unread(settings):
    async with calling_from(token_endpoint(settings, Clock()), "10.0.0.4") as endpoint:
        response = await endpoint.post(
            "/oauth/token",
            content=b"grant_type=client_credentials&client_secret=" + b"x" * 5000,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert (response.status_code, response.json()["error"]) == (413, "invalid_request")


async def test_a_client_id_is_registered_only_if_every_record_of_it_fits(
    database, tenant, tmp_path
):
    # `client:<id>` is written as the actor of audit rows (100 characters) and, for ids shaped
    # like a key owner's prefix, as the idempotency key's owner: `clients add` bounds the id.
    from tests.test_cli_errors import cli, on, one_line

    args = ("--nama", "Long", "--scope", "pegawai:read", "--instansi", tenant.kode)
    too_long = cli("clients", "add", "x" * 94, *args, cwd=tmp_path, **on(database))
    line = one_line(too_long)
    assert too_long.returncode == 2 and "INVALID_INPUT" in line and "1–93 printable" in line
    spaced = cli("clients", "add", "has space", *args, cwd=tmp_path, **on(database))
    assert spaced.returncode == 2 and "INVALID_INPUT" in one_line(spaced)
    assert not await ApiClientRow.filter(nama="Long").exists()
    longest = cli("clients", "add", "x" * 93, *args, cwd=tmp_path, **on(database))
    assert longest.returncode == 0, longest.stderr
    assert await ApiClientRow.filter(client_id="x" * 93).exists()


def forwarded(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def test_behind_a_trusted_proxy_each_client_address_has_its_own_allowance(settings):
    """Issue 14 leftover: behind a reverse proxy every request's peer is the proxy, so one
    abuser exhausted the per-address allowance of everyone. X-Forwarded-For is believed from
    EKINERJA_TRUSTED_PROXIES only, rightmost untrusted hop first."""
    clock = Clock()
    proxies = [ip_network("10.9.0.0/16"), ip_network("::1/128")]
    app = token_endpoint(settings, clock, token_rate_per_client=100, token_rate_per_address=2,
                         trusted_proxies=proxies)  # fmt: skip
    async with calling_from(app, "10.9.0.5") as proxy:
        abuser = forwarded("203.0.113.7")
        assert (await proxy.post("/oauth/token", data={}, headers=abuser)).status_code == 400
        assert (await proxy.post("/oauth/token", data={}, headers=abuser)).status_code == 400
        assert (await proxy.post("/oauth/token", data={}, headers=abuser)).status_code == 429
        # Another client through the same proxy is not limited by the first…
        other = forwarded("203.0.113.8")
        assert (await proxy.post("/oauth/token", data={}, headers=other)).status_code == 400
        # …and the abuser cannot pass as someone else by writing the header itself: the proxy
        # appends the address it saw, and that (the rightmost untrusted hop) is taken.
        spoofed = forwarded("198.51.100.1, 203.0.113.7")
        assert (await proxy.post("/oauth/token", data={}, headers=spoofed)).status_code == 429
        # Through two trusted proxies: the client is the hop before them.
        chained = forwarded("203.0.113.7, 10.9.3.3")
        assert (await proxy.post("/oauth/token", data={}, headers=chained)).status_code == 429
        # Garbage where the client's address belongs counts against the proxy itself.
        junk = forwarded("not-an-address")
        assert (await proxy.post("/oauth/token", data={}, headers=junk)).status_code == 400

    async with calling_from(app, "192.0.2.50") as direct:
        # A peer that is no trusted proxy: its own X-Forwarded-For is ignored, every one.
        for n, status in enumerate((400, 400, 429, 429)):
            spoof = forwarded(f"203.0.113.{100 + n}")
            assert (await direct.post("/oauth/token", data={}, headers=spoof)).status_code == status

    default = token_endpoint(settings, Clock(), token_rate_per_address=2)
    assert settings.trusted_proxies == []  # by default nobody's header is believed
    async with calling_from(default, "10.9.0.5") as proxy:
        for n, status in enumerate((400, 400, 429)):
            header = forwarded(f"203.0.113.{n}")
            assert (await proxy.post("/oauth/token", data={}, headers=header)).status_code == status
