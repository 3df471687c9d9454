"""Hostile identity input (issue 14, defects 2 and 6): role claims of every shape from a trusted
issuer, tenant codes that Unicode case mapping would turn into another instansi's code.

Real tokens signed by the test identity provider and checked against its JWKS over HTTP. Extra
issuers with other role claims reuse that provider's keys under their own `iss`.
"""

from __future__ import annotations

import itertools

import httpx
import pytest

from ekinerja.auth.authentication import principal_from
from ekinerja.auth.errors import InvalidToken
from ekinerja.auth.principal import Role
from ekinerja.auth.setup import token_authenticator
from ekinerja.auth.tokens import IssuerConfig, VerifiedToken
from ekinerja.http.app import create_app
from ekinerja.models.shared import IdentityProvider, Instansi, JenisInstansi, StatusInstansi
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.errors import InvalidTenantCode
from ekinerja.tenants.provisioning import create_tenant
from ekinerja.tenants.registry import as_bound, get_instansi, set_status
from tests.support.auth import bearer, central_admin_headers
from tests.support.org import Org
from tests.support.tenants import new_tenant
from tests.test_migrations import run_cli

NIP = "198001012006041001"
ADMIN_ONLY = """mutation { aturPengecualianAtasan(input: {pegawaiNip: "x", peran: PENILAI,
  berlakuMulai: "2026-01-01", alasan: "a", atasanNip: "y"}) { __typename } }"""
INSTANSI = "{ instansi { kode } }"
_issuers = itertools.count(1)


@pytest.fixture
async def extra_issuer(idp):
    """Registers a central issuer reading roles from a given claim, signing with ``idp``'s
    keys; removed after the test."""
    made: list[str] = []

    async def register(roles_claim: str) -> str:
        issuer = f"{idp.issuer}/roles-{next(_issuers)}"
        await IdentityProvider.create(
            issuer=issuer, jwks_uri=idp.jwks_uri, audiences=["ekinerja"], roles_claim=roles_claim
        )
        made.append(issuer)
        return issuer

    yield register
    await IdentityProvider.filter(issuer__in=made).delete()


@pytest.fixture
async def verify(settings, idp):
    """Token → principal, the way every request does it (a fresh issuer directory)."""
    async with httpx.AsyncClient() as http:
        authenticator = token_authenticator(settings, http)

        async def principal(claims: dict):
            token = idp.token({"preferred_username": NIP, "instansi": "T00001", **claims})
            return await principal_from(await authenticator.verify(token))

        yield principal


@pytest.fixture
async def api(settings, idp):
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def graphql(api, headers, query=INSTANSI) -> httpx.Response:
    return await api.post("/graphql", json={"query": query}, headers=headers)


def code_of(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


# ---- roles claim shapes


@pytest.mark.parametrize(
    ("claims", "roles"),
    [
        ({"realm_access": {"roles": ["admin-instansi"]}}, {Role.ADMIN_INSTANSI}),
        ({"realm_access": {"roles": "admin-instansi"}}, {Role.ADMIN_INSTANSI}),  # one role
        ({"realm_access": {"roles": ["bkn-admin", "offline_access"]}}, {Role.CENTRAL_ADMIN}),
        # The reported escalations: a string is one role, never searched for a substring.
        ({"realm_access": {"roles": "not-admin-instansi-really"}}, set()),
        ({"realm_access": {"roles": "no-bkn-admin-here"}}, set()),
        ({"realm_access": {"roles": ["x-admin-instansi", "bkn-admin-y"]}}, set()),
        ({"realm_access": {"roles": "admin-instansi bkn-admin"}}, set()),  # not scope-style
        ({"realm_access": {"roles": []}}, set()),
        ({"realm_access": {"roles": None}}, set()),
        ({"realm_access": {}}, set()),
        ({}, set()),
        # A list or string where an object belongs ends the path: no roles, no crash.
        ({"realm_access": ["admin-instansi"]}, set()),
        ({"realm_access": "admin-instansi"}, set()),
        ({"realm_access": 7}, set()),
    ],
)
async def test_roles_claim_shapes_grant_exactly_the_roles_named(verify, claims, roles):
    principal = await verify(claims)
    assert principal.roles == frozenset({Role.PEGAWAI} | roles)


@pytest.mark.parametrize(
    "value",
    [
        {"admin-instansi": True},
        42,
        True,
        ["admin-instansi", 1],
        [["admin-instansi"]],
        [{"name": "admin-instansi"}],
    ],
)
async def test_a_roles_claim_of_another_shape_is_refused(verify, value):
    with pytest.raises(InvalidToken, match="`realm_access.roles` claim must be") as refused:
        await verify({"realm_access": {"roles": value}})
    assert (refused.value.code, refused.value.http_status) == ("INVALID_ROLES_CLAIM", 401)


async def test_keycloak_client_roles_by_dotted_path(settings, idp, extra_issuer):
    issuer = await extra_issuer("resource_access.ekinerja-portal.roles")
    async with httpx.AsyncClient() as http:
        authenticator = token_authenticator(settings, http)

        async def roles(claims: dict) -> frozenset[Role]:
            claims |= {"iss": issuer, "preferred_username": NIP, "instansi": "T1"}
            token = idp.token(claims)
            return (await principal_from(await authenticator.verify(token))).roles

        client_role = {"resource_access": {"ekinerja-portal": {"roles": ["admin-instansi"]}}}
        assert Role.ADMIN_INSTANSI in await roles(client_role)
        # The same role under the realm or another client is not this issuer's role claim.
        elsewhere = {
            "realm_access": {"roles": ["admin-instansi"]},
            "resource_access": {"account": {"roles": ["admin-instansi"]}},
        }
        assert await roles(elsewhere) == {Role.PEGAWAI}
        assert await roles({"resource_access": {"ekinerja-portal": "admin-instansi"}}) == {
            Role.PEGAWAI
        }
        with pytest.raises(InvalidToken) as refused:
            await roles({"resource_access": {"ekinerja-portal": {"roles": {"a": 1}}}})
        assert refused.value.code == "INVALID_ROLES_CLAIM"


async def test_top_level_roles_claim_and_scope_style_roles(settings, idp, extra_issuer):
    plain = await extra_issuer("roles")
    scope_style = await extra_issuer("scope")
    async with httpx.AsyncClient() as http:
        authenticator = token_authenticator(settings, http)

        async def roles(issuer: str, value) -> frozenset[Role]:
            claims = {"iss": issuer, "preferred_username": NIP, "instansi": "T1", "roles": value}
            if issuer == scope_style:
                claims["scope"] = claims.pop("roles")
            token = idp.token(claims)
            return (await principal_from(await authenticator.verify(token))).roles

        assert Role.ADMIN_INSTANSI in await roles(plain, "admin-instansi")
        assert await roles(plain, "not-admin-instansi-really") == {Role.PEGAWAI}
        assert await roles(plain, "openid admin-instansi") == {Role.PEGAWAI}
        # Where the issuer keeps roles in `scope` (RFC 9068), the string is space-separated.
        assert Role.ADMIN_INSTANSI in await roles(scope_style, "openid admin-instansi profile")
        assert await roles(scope_style, "openid not-admin-instansi") == {Role.PEGAWAI}


def test_dotted_claim_lookup_never_indexes_a_non_object():
    config = IssuerConfig(issuer="i", audiences=("a",))
    token = VerifiedToken(
        {"a": ["b"], "s": "text", "n": 5, "d": {"x": {"y": 1}}, "l": [{"roles": ["r"]}]}, config
    )
    for path in ("a.b", "a.0", "s.upper", "s.0", "n.real", "d.x.y.z", "l.0.roles", "missing.x"):
        assert token.claim(path) is None, path
    assert token.claim("d.x.y") == 1


# ---- the escalations end to end, over HTTP


async def test_a_substring_of_a_role_makes_no_admin_over_http(api, idp, tenant, other_tenant):
    async with tenant_transaction(as_bound(tenant)):
        member = await Org().pegawai("Penyerang")

    def token(roles) -> dict:
        return bearer(
            idp.token(
                {
                    "preferred_username": member.nip,
                    "instansi": tenant.kode,
                    "realm_access": {"roles": roles},
                }
            )
        )

    not_admin = await graphql(api, token("not-admin-instansi-really"), ADMIN_ONLY)
    assert code_of(not_admin) == "FORBIDDEN"
    admin = await graphql(api, token("admin-instansi"), ADMIN_ONLY)
    assert admin.json()["data"]["aturPengecualianAtasan"]["__typename"] == "MutationError"

    # Not a central admin: another instansi stays out of reach.
    other = await graphql(api, token("no-bkn-admin-here") | {"X-Instansi": other_tenant.kode})
    assert (other.status_code, code_of(other)) == (403, "FORBIDDEN")
    central = await graphql(api, token(["bkn-admin"]) | {"X-Instansi": other_tenant.kode})
    assert central.json() == {"data": {"instansi": {"kode": other_tenant.kode}}}

    odd = await graphql(api, token({"bkn-admin": True}))
    assert (odd.status_code, code_of(odd)) == (401, "INVALID_ROLES_CLAIM")
    assert "data" not in odd.json()


# ---- Unicode tenant codes


@pytest.mark.parametrize(
    ("prefix", "disguise"),
    [
        ("SS", "ß"),  # "ß".upper() == "SS"
        ("S", "ſ"),  # long s
        ("I", "ı"),  # Turkish dotless i
        ("FI", "ﬁ"),  # ligature
        ("ST", "ﬆ"),
    ],
)
async def test_unicode_that_upper_cases_to_a_real_kode_is_refused(role_prefix, prefix, disguise):
    instansi = await new_tenant(role_prefix, prefix=prefix)
    attack = disguise + instansi.kode[len(prefix) :].lower()
    assert attack.upper() == instansi.kode  # what the old normalisation did with it
    with pytest.raises(InvalidTenantCode, match="ASCII"):
        await get_instansi(attack)
    with pytest.raises(InvalidTenantCode):
        await set_status(attack, StatusInstansi.SUSPENDED)
    assert (await Instansi.get(id=instansi.id)).status is StatusInstansi.ACTIVE


@pytest.mark.parametrize("kode", ["ßeca", "ſecd", "ıd01", "ＡＢ１２", "Ａ1", "ab\u00a0", "K\u212a"])
async def test_a_unicode_kode_creates_nothing(role_prefix, kode):
    with pytest.raises(InvalidTenantCode) as refused:
        await create_tenant(kode, f"Unicode {kode}", JenisInstansi.KABUPATEN, role_prefix)
    assert refused.value.code == "INVALID_TENANT_CODE"
    assert not await Instansi.filter(nama=f"Unicode {kode}").exists()


async def test_a_unicode_kode_in_the_header_or_token_is_a_400(api, idp, role_prefix):
    instansi = await new_tenant(role_prefix, prefix="SS")
    rest = instansi.kode[2:]
    # HTTP header bytes are read as Latin-1, where ß is one byte (0xDF).
    header = central_admin_headers(idp) | {"X-Instansi": ("ß" + rest).encode("latin-1")}
    response = await graphql(api, header)
    assert (response.status_code, code_of(response)) == (400, "INVALID_TENANT_CODE")
    assert "data" not in response.json()

    for disguise in ("ß" + rest, "ſs" + rest, "ＳＳ" + rest):
        token = idp.token({"preferred_username": NIP, "instansi": disguise})
        refused = await graphql(api, bearer(token))
        assert (refused.status_code, code_of(refused)) == (400, "INVALID_TENANT_CODE")


async def test_the_cli_refuses_a_unicode_kode_and_suspends_nothing(database, role_prefix):
    instansi = await new_tenant(role_prefix, prefix="S")
    attack = "ſ" + instansi.kode[1:]
    result = run_cli(database, "tenants", "suspend", attack)
    assert result.returncode != 0
    assert "INVALID_TENANT_CODE" in result.stderr + result.stdout
    assert (await Instansi.get(id=instansi.id)).status is StatusInstansi.ACTIVE
