"""Browser login: authorization code + PKCE (S256) against a real OIDC provider over HTTP, a
server-side session behind an HTTP-only cookie, logout by POST; and the development login.
(The attacks on sessions are in tests/hostile/test_browser_sessions.py.)"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.models.shared import SesiBrowser
from ekinerja.models.tenant import AuditEvent
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of
from tests.support.org import Org
from tests.support.server import settings_for

QUERY = {"query": "{ saya { nama } instansi { kode } }"}


@pytest.fixture
async def member(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await Org().pegawai("Pengguna Portal")


def app_client(settings, base_url: str = "http://t") -> httpx.AsyncClient:
    """A browser on the service's own pages: its posts carry the service's Origin."""
    app = create_app(settings)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=base_url, headers={"Origin": base_url}
    )


async def test_oidc_login_with_pkce_session_cookie_and_logout(database, idp, tenant, member):
    settings = settings_for(
        database, oidc_issuer=idp.issuer, oidc_client_id=idp.client_id, public_url="http://t"
    )
    idp.login_claims = {"preferred_username": member.nip, "instansi": tenant.kode}
    async with app_client(settings) as browser, httpx.AsyncClient() as network:
        start = await browser.get("/auth/login")
        assert start.status_code == 302
        authorize = urlparse(start.headers["location"])
        params = parse_qs(authorize.query)
        assert params["code_challenge_method"] == ["S256"] and params["code_challenge"]
        assert params["redirect_uri"] == ["http://t/auth/callback"]

        at_idp = await network.get(start.headers["location"])  # the user signs in at the IdP
        assert at_idp.status_code == 302
        back = urlparse(at_idp.headers["location"])
        callback = await browser.get(f"{back.path}?{back.query}")
        assert callback.status_code == 303 and callback.headers["location"] == "/graphql"
        cookie = next(
            c.lower()
            for c in callback.headers.get_list("set-cookie")
            if c.startswith("ekinerja_session=")
        )
        assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
        session = await SesiBrowser.get(nip=member.nip, instansi_kode=tenant.kode)
        # Never after the token: the session does not outlive the identity provider's grant.
        assert session.expires_at <= session.created_at + timedelta(seconds=300)

        served = await browser.post("/graphql", json=QUERY)
        assert served.json()["data"] == {
            "saya": {"nama": "Pengguna Portal"},
            "instansi": {"kode": tenant.kode},
        }

        page = await browser.get("/auth/logout")  # a link or prefetch does not log out
        assert page.status_code == 200 and 'method="post"' in page.text
        assert (await browser.post("/graphql", json=QUERY)).status_code == 200

        logout = await browser.post("/auth/logout")
        assert logout.status_code == 303 and 'ekinerja_session=""' in logout.headers["set-cookie"]
        assert (await browser.post("/graphql", json=QUERY)).status_code == 401

    async with tenant_transaction(as_bound(tenant)):
        login = await AuditEvent.get(action="login")
        logout = await AuditEvent.get(action="logout")
    assert login.actor == member.nip and login.detail == {"via": "oidc"}
    assert logout.actor == member.nip


async def test_a_failed_code_exchange_logs_nobody_in(database, idp):
    settings = settings_for(database, oidc_issuer=idp.issuer, oidc_client_id=idp.client_id)
    async with app_client(settings) as browser:
        await browser.get("/auth/login")
        forged = await browser.get("/auth/callback?code=made-up&state=made-up")
        assert forged.status_code == 401 and code_of(forged) == "LOGIN_FAILED"
        assert (await browser.post("/graphql", json=QUERY)).status_code == 401


async def test_production_session_cookie_is_secure(database, idp, tenant, member):
    settings = settings_for(
        database, mode="production", oidc_issuer=idp.issuer, oidc_client_id=idp.client_id
    )
    idp.login_claims = {"preferred_username": member.nip, "instansi": tenant.kode}
    async with app_client(settings, "https://t") as browser, httpx.AsyncClient() as network:
        start = await browser.get("/auth/login")
        back = urlparse((await network.get(start.headers["location"])).headers["location"])
        callback = await browser.get(f"{back.path}?{back.query}")
        assert "secure" in callback.headers["set-cookie"].lower()


async def test_login_without_configuration_says_so(settings):
    async with app_client(settings) as browser:
        response = await browser.get("/auth/login")
    assert response.status_code == 404 and code_of(response) == "LOGIN_NOT_CONFIGURED"


async def test_development_login_as_a_demo_user(database, tenant, member):
    settings = settings_for(database, demo_tenant=tenant.kode, public_url="http://t")
    async with app_client(settings) as browser:
        page = await browser.get("/auth/dev-login")
        assert member.nip in page.text and "as admin instansi" in page.text
        signed_in = await browser.get(f"/auth/dev-login?instansi={tenant.kode}&nip={member.nip}")
        assert signed_in.status_code == 303
        served = await browser.post("/graphql", json=QUERY)
        assert served.json()["data"]["saya"] == {"nama": "Pengguna Portal"}

    production = settings_for(database, mode="production", demo_tenant=tenant.kode)
    async with app_client(production) as browser:
        assert (await browser.get(f"/auth/dev-login?nip={member.nip}")).status_code == 404
