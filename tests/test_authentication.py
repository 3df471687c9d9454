"""Authentication over HTTP with real tokens: every bad input gets a clear 401 or 403 and no
data; issuers per tenant or central; API clients within their grants and scopes."""

from __future__ import annotations

import httpx
import pytest

from ekinerja.auth.klien_dikenal import lupakan
from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.models.shared import (
    ApiClient,
    ApiClientGrant,
    IdentityProvider,
    InstansiAdmin,
    StatusInstansi,
)
from ekinerja.models.tenant import AuditEvent
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound, forget, set_status
from tests.support.auth import (
    bearer,
    central_admin_headers,
    client_token,
    person_token,
    principal_header,
)
from tests.support.idp import TestIdentityProvider
from tests.support.ids import gid
from tests.support.org import Org

INSTANSI = "{ instansi { kode } }"


@pytest.fixture
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def post(api, headers: dict, query: str = INSTANSI) -> httpx.Response:
    return await api.post("/graphql", json={"query": query}, headers=headers)


def refused(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code
    return body["errors"][0]["message"]


@pytest.fixture
async def member(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await Org().pegawai("Anggota")


async def test_a_member_with_a_valid_token_is_served(api, idp, tenant, member):
    response = await post(api, principal_header(idp, tenant.kode, member.nip))
    assert response.json() == {"data": {"instansi": {"kode": tenant.kode}}}
    # Without the header a person acts for the instansi their token names.
    own = await post(api, bearer(person_token(idp, tenant.kode, member.nip)))
    assert own.json()["data"]["instansi"]["kode"] == tenant.kode


@pytest.fixture(scope="module")
async def module_member(module_tenant):
    """A member of the module's shared tenant (tests/conftest.py), for the refusals that only
    name it: nothing is read or written for them."""
    async with tenant_transaction(as_bound(module_tenant)):
        return await Org().pegawai("Anggota")


@pytest.mark.parametrize(
    ("headers", "status", "code", "message"),
    [
        (lambda idp, t, m: {}, 401, "UNAUTHENTICATED", "authentication required"),
        (
            lambda idp, t, m: {"Authorization": "Basic abc"},
            401,
            "UNAUTHENTICATED",
            "Bearer <token>",
        ),
        (lambda idp, t, m: bearer("garbage"), 401, "INVALID_TOKEN", "malformed token"),
        (
            lambda idp, t, m: bearer(idp.token({"preferred_username": m.nip}, lifetime=-100)),
            401,
            "TOKEN_EXPIRED",
            "expired",
        ),
        (
            lambda idp, t, m: bearer(person_token(idp, t.kode, m.nip, aud="other-service")),
            401,
            "WRONG_AUDIENCE",
            "not meant for this service",
        ),
        (
            lambda idp, t, m: bearer(
                person_token(idp, t.kode, m.nip).replace(".", ".x", 1)  # noqa: E203
            ),
            401,
            "INVALID_TOKEN",
            "malformed token",
        ),
    ],
)
async def test_bad_credentials_get_401_and_no_data(
    api, idp, module_tenant, module_member, headers, status, code, message
):
    credentials = headers(idp, module_tenant, module_member)
    assert message in refused(await post(api, credentials), status, code)


async def test_suspended_tenant_and_unknown_nip_get_403(api, idp, tenant, member):
    unknown = await post(api, principal_header(idp, tenant.kode, "199001012015011999"))
    assert "is not a pegawai of instansi" in refused(unknown, 403, "FORBIDDEN")

    await set_status(tenant.kode, StatusInstansi.SUSPENDED)
    suspended = await post(api, principal_header(idp, tenant.kode, member.nip))
    assert "is suspended" in refused(suspended, 403, "TENANT_SUSPENDED")


async def test_a_person_cannot_choose_another_instansi(api, idp, tenant, other_tenant, member):
    headers = bearer(person_token(idp, tenant.kode, member.nip)) | {"X-Instansi": other_tenant.kode}
    message = refused(await post(api, headers), 403, "FORBIDDEN")
    assert other_tenant.kode in message


async def test_token_naming_no_instansi_is_refused(api, idp, member):
    response = await post(api, bearer(person_token(idp, None, member.nip)))
    assert "names no instansi" in refused(response, 403, "FORBIDDEN")


async def test_per_tenant_issuer_speaks_only_for_its_tenant(api, tenant, other_tenant, member):
    own_idp = TestIdentityProvider(issuer=f"https://sso.{tenant.kode.lower()}.test/realm")
    own_idp.start()
    try:
        await IdentityProvider.create(
            issuer=own_idp.issuer,
            jwks_uri=own_idp.jwks_uri,
            audiences=["ekinerja"],
            instansi=tenant,
        )
        # No tenant claim needed: the issuer decides; a claim naming another is ignored.
        token = own_idp.token({"preferred_username": member.nip, "instansi": other_tenant.kode})
        response = await post(api, bearer(token))
        assert response.json()["data"]["instansi"]["kode"] == tenant.kode
        to_other = await post(api, bearer(token) | {"X-Instansi": other_tenant.kode})
        refused(to_other, 403, "FORBIDDEN")
        # Its tokens never make a central admin.
        admin_claim = own_idp.token(
            {"preferred_username": member.nip, "realm_access": {"roles": ["bkn-admin"]}}
        )
        refused(
            await post(api, bearer(admin_claim) | {"X-Instansi": other_tenant.kode}),
            403,
            "FORBIDDEN",
        )
    finally:
        own_idp.stop()
        await IdentityProvider.filter(issuer=own_idp.issuer).delete()


async def test_admin_instansi_from_token_role_or_registry(api, idp, tenant, member):
    override = """mutation { aturPengecualianAtasan(input: {pegawaiNip: "x", peran: PENILAI,
      berlakuMulai: "2026-01-01", alasan: "a", atasanNip: "y"}) { __typename } }"""
    plain = await post(api, principal_header(idp, tenant.kode, member.nip), override)
    assert plain.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    by_token = await post(
        api, principal_header(idp, tenant.kode, member.nip, Role.ADMIN_INSTANSI), override
    )
    assert by_token.json()["data"]["aturPengecualianAtasan"]["__typename"] == "MutationError"

    await InstansiAdmin.create(instansi=tenant, nip=member.nip)
    forget(tenant.kode)  # what the registry watcher does on the trigger's NOTIFY
    by_registry = await post(api, principal_header(idp, tenant.kode, member.nip), override)
    assert by_registry.json()["data"]["aturPengecualianAtasan"]["__typename"] == "MutationError"


@pytest.fixture
async def hr_system(tenant):
    client = await ApiClient.create(
        client_id=f"simpeg-{tenant.kode.lower()}", nama="SIMPEG", scopes=["pegawai:read"]
    )
    await ApiClientGrant.create(api_client=client, instansi=tenant)
    return client


async def test_api_client_within_grants_and_scopes(
    api, idp, tenant, other_tenant, member, hr_system
):
    directory = f'{{ pegawai(nip: "{member.nip}") {{ nama golongan }} }}'
    token = client_token(idp, hr_system.client_id, "pegawai:read")
    granted = await post(api, bearer(token) | {"X-Instansi": tenant.kode}, directory)
    assert granted.json() == {"data": {"pegawai": {"nama": "Anggota", "golongan": "III/a"}}}

    not_granted = await post(api, bearer(token) | {"X-Instansi": other_tenant.kode}, directory)
    assert other_tenant.kode in refused(not_granted, 403, "FORBIDDEN")

    # A scope the token lacks (or the client was never given) is refused per field.
    unscoped = client_token(idp, hr_system.client_id, "skp:read")
    body = (await post(api, bearer(unscoped) | {"X-Instansi": tenant.kode}, directory)).json()
    assert body["data"] == {"pegawai": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    unknown = client_token(idp, "no-such-client", "pegawai:read")
    refused(
        await post(api, bearer(unknown) | {"X-Instansi": tenant.kode}), 403, "UNKNOWN_PRINCIPAL"
    )

    hr_system.aktif = False
    await hr_system.save()
    lupakan(hr_system.client_id)  # what the registry watcher does on the trigger's NOTIFY
    refused(await post(api, bearer(token) | {"X-Instansi": tenant.kode}), 403, "UNKNOWN_PRINCIPAL")


async def test_cross_tenant_reads_are_audited(api, idp, tenant, member, hr_system):
    await post(api, central_admin_headers(idp, tenant.kode))
    token = client_token(idp, hr_system.client_id, "pegawai:read")
    await post(api, bearer(token) | {"X-Instansi": tenant.kode})
    # A member reading their own instansi is not a cross-tenant read.
    await post(api, principal_header(idp, tenant.kode, member.nip))
    async with tenant_transaction(as_bound(tenant)):
        events = await AuditEvent.filter(action="cross_tenant.read").order_by("id")
    assert [e.actor for e in events] == ["197001011990031001", f"client:{hr_system.client_id}"]
    assert all(e.request_id for e in events)


async def test_valid_token_of_tenant_a_cannot_read_tenant_b_by_id(
    api, idp, tenant, other_tenant, member
):
    async with tenant_transaction(as_bound(other_tenant)):
        org = Org()
        for i in range(5):
            await org.unit(f"Filler {i}")
        their_unit = await org.unit("Rahasia B")
    # The number of their unit, as an id of ours (theirs is refused outright: test_global_ids).
    query = f'{{ unitKerja(id: "{gid(tenant, "UnitKerja", their_unit.id)}") {{ nama }} }}'
    mine = await post(api, principal_header(idp, tenant.kode, member.nip), query)
    assert mine.json() == {"data": {"unitKerja": None}}
    theirs = await post(
        api,
        bearer(person_token(idp, tenant.kode, member.nip)) | {"X-Instansi": other_tenant.kode},
        query,
    )
    refused(theirs, 403, "FORBIDDEN")
