"""Browser sessions that last (issue 18): the OIDC login keeps the provider's refresh token in
the session row, sealed; a request arriving when the access grant has ended (or ends within a
minute) renews it silently at the provider, once however many requests arrive together; the
provider refusing ends the session, the provider down does not; the grant never runs past the
session's absolute end; logout and revocations revoke the token at the provider.

The provider is tests/support/idp.py over real HTTP, issuing, rotating and revoking refresh
tokens as Keycloak does. Time moves by moving the row's grant end (`token_expires_at`) or its
absolute end into the past, which is what the clock's passing does to a session: no test
sleeps."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta
from urllib.parse import urlparse

import httpx
import pytest
from tortoise.timezone import now

from ekinerja.auth import sesi_idp
from ekinerja.auth.principal import Role
from ekinerja.auth.sesi_idp import TokenSeal
from ekinerja.http.app import create_app
from ekinerja.http.browser_sessions import COOKIE
from ekinerja.models.shared import SesiBrowser
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of
from tests.support.auth import principal_header
from tests.support.org import Org
from tests.support.server import settings_for
from tests.test_cli_errors import cli, on

ORIGIN = "http://t"
SECRET = "refresh-test-session-secret-" + "s" * 32
MAXIMUM = 8 * 3600
ME = {"query": "{ saya { nama } }"}
LIST = "query($nip: String!) { sesiBrowser(nip: $nip) { nodes { userAgent } } }"
REVOKE = "mutation($nip: String!) { cabutSesiBrowser(nip: $nip) { __typename "
REVOKE += "... on SesiBrowserDicabut { jumlah } } }"


@pytest.fixture
def provider(idp):
    """The session's identity provider, issuing refresh tokens for this test only."""
    idp.reset_refresh()
    idp.issues_refresh_tokens = True
    saved = dict(idp.login_claims)
    yield idp
    idp.reset_refresh()
    idp.login_claims = saved


@pytest.fixture
def settings(database, provider):
    return settings_for(
        database,
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        public_url=ORIGIN,
        session_secret=SECRET,
        session_max_seconds=MAXIMUM,
    )


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
async def people(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        return await org.pegawai("Pengguna Portal"), await org.pegawai("Admin Instansi")


def browser(app, session_id: str | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=ORIGIN,
        headers={"Origin": ORIGIN},
        cookies={COOKIE: session_id} if session_id else None,
    )


def claims_of(person, tenant, *roles: str) -> dict:
    return {
        "preferred_username": person.nip,
        "instansi": tenant.kode,
        "realm_access": {"roles": list(roles)},
    }


async def log_in(app, provider, person, tenant, *roles: str) -> str:
    """The whole OIDC login (authorization code with PKCE at the provider); the session id."""
    provider.login_claims = claims_of(person, tenant, *roles)
    async with browser(app) as page, httpx.AsyncClient() as network:
        start = await page.get("/auth/login")
        at_idp = await network.get(start.headers["location"])
        back = urlparse(at_idp.headers["location"])
        callback = await page.get(f"{back.path}?{back.query}")
        assert callback.status_code == 303, callback.text
        return page.cookies[COOKIE]


async def me(app, session_id: str, headers: dict | None = None) -> httpx.Response:
    async with browser(app, session_id) as page:
        return await page.post("/graphql", json=ME, headers=headers)


async def row_of(session_id: str) -> SesiBrowser:
    return await SesiBrowser.get(hash=hashlib.sha256(session_id.encode()).hexdigest())


async def grant_ends_in(session_id: str, seconds: float) -> None:
    """The clock moves: the session's access grant ends ``seconds`` from now (past if < 0)."""
    row = await row_of(session_id)
    await SesiBrowser.filter(id=row.id).update(token_expires_at=now() + timedelta(seconds=seconds))


def opened(row: SesiBrowser, settings) -> str | None:
    assert row.refresh_token_sealed is not None
    return TokenSeal.from_settings(settings).open(row.refresh_token_sealed, row.hash)


async def test_login_keeps_the_refresh_token_sealed(app, settings, provider, tenant, people):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    [issued] = provider.issued
    row = await row_of(session_id)

    stored = [str(v) for v in (await SesiBrowser.filter(id=row.id).values())[0].values()]
    assert not any(issued in value or issued[3:] in value for value in stored)
    assert opened(row, settings) == issued  # sealed with the service's key
    assert TokenSeal.from_settings(settings).open(row.refresh_token_sealed, "0" * 64) is None
    # The session lasts to its absolute end; the grant ends with the access token.
    assert abs((row.expires_at - row.created_at).total_seconds() - MAXIMUM) < 2
    assert row.token_expires_at <= row.created_at + timedelta(seconds=301)
    assert (await me(app, session_id)).status_code == 200
    assert provider.refreshes == 0  # the grant is fresh: nothing to renew


async def test_a_request_after_the_grant_ends_refreshes_once(
    app, settings, provider, tenant, people
):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    first = provider.issued[0]
    await grant_ends_in(session_id, -1)

    served = await me(app, session_id)
    assert served.status_code == 200 and served.json()["data"] == {
        "saya": {"nama": "Pengguna Portal"}
    }
    assert provider.refreshes == 1
    row = await row_of(session_id)
    rotated = opened(row, settings)
    assert rotated != first and rotated == provider.issued[-1]  # the rotated one is kept
    assert row.token_expires_at > now() + timedelta(seconds=200)

    assert (await me(app, session_id)).status_code == 200
    assert provider.refreshes == 1  # the renewed grant serves the next requests

    await grant_ends_in(session_id, 30)  # about to end: renewed before it does
    assert (await me(app, session_id)).status_code == 200
    assert provider.refreshes == 2 and provider.reuses == 0


async def test_two_concurrent_requests_refresh_once(app, settings, provider, tenant, people):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    await grant_ends_in(session_id, -1)
    provider.token_endpoint_delay = 0.3  # both requests are in flight while it renews

    answers = await asyncio.gather(*(me(app, session_id) for _ in range(3)))
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert provider.refreshes == 1 and provider.reuses == 0
    assert opened(await row_of(session_id), settings) == provider.current_refresh_tokens()[0]


async def test_the_provider_refusing_the_grant_ends_the_session(app, provider, tenant, people):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    provider.end_all_refresh_tokens()  # e.g. the SSO session ended at the provider
    await grant_ends_in(session_id, -1)

    refused = await me(app, session_id)
    assert refused.status_code == 401 and code_of(refused) == "SESSION_EXPIRED"
    row = await row_of(session_id)
    assert row.revoked_at is not None and row.refresh_token_sealed is None
    again = await me(app, session_id)
    assert again.status_code == 401 and code_of(again) == "SESSION_EXPIRED"


async def test_the_provider_down_refuses_without_ending_the_session(
    app, provider, tenant, people, monkeypatch
):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    await grant_ends_in(session_id, -1)
    sealed = (await row_of(session_id)).refresh_token_sealed

    provider.token_endpoint_down = True
    refused = await me(app, session_id)
    assert refused.status_code == 503 and code_of(refused) == "IDENTITY_PROVIDER_UNAVAILABLE"
    assert refused.headers["retry-after"] == str(sesi_idp.RETRY_AFTER_SECONDS)

    provider.token_endpoint_down = False
    monkeypatch.setattr(sesi_idp, "TIMEOUT", 0.2)
    provider.token_endpoint_stall = 2.0  # silent for longer than the service waits
    timed_out = await me(app, session_id)
    assert timed_out.status_code == 503 and code_of(timed_out) == "IDENTITY_PROVIDER_UNAVAILABLE"

    row = await row_of(session_id)
    assert row.revoked_at is None and row.refresh_token_sealed == sealed  # kept as it was
    provider.token_endpoint_stall = 0.0
    assert (await me(app, session_id)).status_code == 200  # back: renewed then
    assert provider.refreshes == 1 and provider.reuses == 0


async def test_the_grant_never_runs_past_the_absolute_end(app, provider, tenant, people):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    row = await row_of(session_id)
    absolute_end = now() + timedelta(seconds=120)  # sooner than a renewed token's 300 s
    await SesiBrowser.filter(id=row.id).update(
        expires_at=absolute_end, token_expires_at=now() - timedelta(seconds=1)
    )

    assert (await me(app, session_id)).status_code == 200
    row = await row_of(session_id)
    assert provider.refreshes == 1 and row.token_expires_at == row.expires_at == absolute_end
    assert (await me(app, session_id)).status_code == 200  # within a minute of the end: no
    assert provider.refreshes == 1  # renewal would move it, so none is asked for

    await SesiBrowser.filter(id=row.id).update(expires_at=now(), token_expires_at=now())
    ended = await me(app, session_id)
    assert ended.status_code == 401 and code_of(ended) == "SESSION_EXPIRED"
    assert provider.refreshes == 1


async def test_logout_revokes_the_refresh_token_at_the_provider(
    app, settings, provider, tenant, people
):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    await grant_ends_in(session_id, -1)
    assert (await me(app, session_id)).status_code == 200  # rotated once
    current = opened(await row_of(session_id), settings)

    async with browser(app, session_id) as page:
        assert (await page.post("/auth/logout")).status_code == 303
    assert provider.revoked == [current] and provider.current_refresh_tokens() == []
    row = await row_of(session_id)
    assert row.revoked_at is not None and row.refresh_token_sealed is None

    # The provider failing to revoke does not keep a session alive here.
    other = await log_in(app, provider, member, tenant)
    provider.revocation_down = True
    async with browser(app, other) as page:
        assert (await page.post("/auth/logout")).status_code == 303
    ended = await me(app, other)
    assert ended.status_code == 401 and code_of(ended) == "SESSION_EXPIRED"
    assert (await row_of(other)).refresh_token_sealed is None


async def test_an_admin_revocation_revokes_at_the_provider(app, idp, provider, tenant, people):
    member, admin = people
    session_id = await log_in(app, provider, member, tenant)
    [token] = provider.issued
    as_admin = principal_header(idp, tenant.kode, admin.nip, Role.ADMIN_INSTANSI)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as api:
        revoked = await api.post(
            "/graphql", json={"query": REVOKE, "variables": {"nip": member.nip}}, headers=as_admin
        )
    assert revoked.json()["data"]["cabutSesiBrowser"]["jumlah"] == 1
    assert provider.revoked == [token]
    assert (await row_of(session_id)).refresh_token_sealed is None


async def test_the_operator_revocation_revokes_at_the_provider(
    database, app, provider, tenant, people, tmp_path
):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    [token] = provider.issued
    env = on(database) | {
        "EKINERJA_SESSION_SECRET": SECRET,
        "EKINERJA_OIDC_ISSUER": provider.issuer,
        "EKINERJA_OIDC_CLIENT_ID": provider.client_id,
    }
    revoked = cli("sessions", "revoke", member.nip, "--instansi", tenant.kode, cwd=tmp_path, **env)
    assert revoked.returncode == 0, revoked.stderr
    assert provider.revoked == [token]
    assert (await row_of(session_id)).refresh_token_sealed is None


async def test_a_role_changed_at_the_provider_applies_at_refresh(app, provider, tenant, people):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    variables = {"nip": member.nip}

    async def list_sessions() -> httpx.Response:
        async with browser(app, session_id) as page:
            return await page.post("/graphql", json={"query": LIST, "variables": variables})

    assert (await list_sessions()).json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    provider.login_claims = claims_of(member, tenant, "admin-instansi")  # granted meanwhile
    await grant_ends_in(session_id, -1)
    granted = await list_sessions()
    assert (
        "errors" not in granted.json() and len(granted.json()["data"]["sesiBrowser"]["nodes"]) == 1
    )
    assert (await row_of(session_id)).roles == sorted(
        [Role.ADMIN_INSTANSI.value, Role.PEGAWAI.value]
    )

    provider.login_claims = claims_of(member, tenant)  # and taken away
    await grant_ends_in(session_id, -1)
    assert (await list_sessions()).json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert provider.refreshes == 2


@pytest.mark.parametrize("change", ["no NIP", "other person", "other instansi"])
async def test_a_person_no_longer_valid_is_refused_and_the_session_ended(
    app, provider, tenant, other_tenant, people, change
):
    member, admin = people
    session_id = await log_in(app, provider, member, tenant)
    provider.login_claims = {
        "no NIP": {"instansi": tenant.kode},
        "other person": claims_of(admin, tenant),
        "other instansi": claims_of(member, other_tenant),
    }[change]
    await grant_ends_in(session_id, -1)

    refused = await me(app, session_id)
    assert refused.status_code == 401 and code_of(refused) == "SESSION_EXPIRED"
    row = await row_of(session_id)
    assert row.revoked_at is not None and row.refresh_token_sealed is None
    assert provider.revoked == [provider.issued[-1]]  # the renewed token, which none holds


async def test_a_session_of_one_instansi_cannot_act_for_another_after_refresh(
    app, provider, tenant, other_tenant, people
):
    member, _ = people
    session_id = await log_in(app, provider, member, tenant)
    await grant_ends_in(session_id, -1)
    into_b = await me(app, session_id, headers={"X-Instansi": other_tenant.kode})
    assert into_b.status_code == 403 and code_of(into_b) == "FORBIDDEN"
    assert provider.refreshes == 1  # renewed, and still refused
    own = await me(app, session_id, headers={"X-Instansi": tenant.kode})
    assert own.status_code == 200


async def test_a_session_without_a_refresh_token_ends_with_its_grant(app, provider, tenant, people):
    member, _ = people
    provider.issues_refresh_tokens = False
    session_id = await log_in(app, provider, member, tenant)
    row = await row_of(session_id)
    assert row.refresh_token_sealed is None and row.expires_at == row.token_expires_at
    await SesiBrowser.filter(id=row.id).update(expires_at=now(), token_expires_at=now())
    ended = await me(app, session_id)
    assert ended.status_code == 401 and code_of(ended) == "SESSION_EXPIRED"
    assert provider.refreshes == 0


async def test_a_new_login_in_the_same_browser_drops_the_old_token_without_revoking_it(
    app, provider, tenant, people
):
    """The new login is likely the same SSO session at the provider, which revoking the old
    token would end with it (Keycloak revokes the client's session)."""
    member, _ = people
    old = await log_in(app, provider, member, tenant)
    async with browser(app, old) as page, httpx.AsyncClient() as network:
        start = await page.get("/auth/login")
        back = urlparse((await network.get(start.headers["location"])).headers["location"])
        callback = await page.get(f"{back.path}?{back.query}")
        assert callback.status_code == 303
        new = callback.cookies[COOKIE]
    assert new != old and provider.revoked == []
    row = await row_of(old)
    assert row.revoked_at is not None and row.refresh_token_sealed is None
    assert (await me(app, new)).status_code == 200
