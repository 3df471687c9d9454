"""Where a browser login comes back to: `/auth/login?kembali=...`, kept in the signed login-state
cookie and used by the callback, so a portal on its own origin gets its user back. Only a path
of this service (one leading "/", never "//") or a URL of an origin in the CORS allowlist is
taken; anything else is refused at the start, 400 naming the parameter, so the login is no
open redirect. Without it the callback goes to /graphql, as before."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import error_of
from tests.support.org import Org
from tests.support.server import settings_for

ORIGIN = "http://t"
PORTAL = "https://portal.example"  # a portal with bearer tokens, in EKINERJA_CORS_ALLOWED_ORIGINS


@pytest.fixture(scope="module")
def tenant(module_tenant):
    """One instansi and one member for the module (the conftest's tenant is one per test):
    each test is one login of the same pegawai, which reads the instansi and adds a session
    of its own; no test counts or looks at another's. ~15 tenant schemas fewer."""
    return module_tenant


@pytest.fixture(scope="module")
async def member(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await Org().pegawai("Pengguna Portal Kembali")


@pytest.fixture
def app(database, idp):
    settings = settings_for(
        database,
        oidc_issuer=idp.issuer,
        oidc_client_id=idp.client_id,
        public_url=ORIGIN,
        cors_allowed_origins=PORTAL,
    )
    return create_app(settings)


async def log_in(app, idp, tenant, member, kembali: str | None) -> httpx.Response:
    """The whole OIDC login with ``kembali`` at its start; the start's answer if it is refused,
    else the callback's."""
    idp.login_claims = {"preferred_username": member.nip, "instansi": tenant.kode}
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url=ORIGIN) as browser,
        httpx.AsyncClient() as network,
    ):
        query = "" if kembali is None else f"?kembali={quote(kembali, safe='')}"
        start = await browser.get(f"/auth/login{query}")
        if start.status_code != 302:
            return start
        back = urlparse((await network.get(start.headers["location"])).headers["location"])
        return await browser.get(f"{back.path}?{back.query}")


@pytest.mark.parametrize(
    "kembali",
    [
        "/beranda?tab=skp#atas",
        f"{PORTAL}/setelah-login?x=1",
        f"{PORTAL}",
    ],
    ids=["own path", "portal url", "portal origin"],
)
async def test_the_callback_goes_back_where_the_login_started(app, idp, tenant, member, kembali):
    callback = await log_in(app, idp, tenant, member, kembali)

    assert callback.status_code == 303, callback.text
    assert callback.headers["location"] == kembali
    assert any(c.startswith("ekinerja_session=") for c in callback.headers.get_list("set-cookie"))


async def test_without_kembali_the_callback_goes_to_graphql(app, idp, tenant, member):
    callback = await log_in(app, idp, tenant, member, None)

    assert callback.status_code == 303 and callback.headers["location"] == "/graphql"


@pytest.mark.parametrize(
    "kembali",
    [
        "https://evil.example/",
        "//evil.example",
        "javascript:alert(1)",
        "/\\evil.example",  # browsers read a backslash as a slash: //evil.example
        "/\t/evil.example",  # and drop tabs and newlines from URLs
        f"{PORTAL}.evil.example/",
        f"{PORTAL}@evil.example/",
        "https://evil.example@portal.example/",  # credentials in a URL: never a portal's
        "http://portal.example/",  # not the allowed origin: another scheme
        "beranda",  # relative: where it lands depends on the page, refused
        "",
    ],
)
async def test_anywhere_else_is_refused_at_the_start(app, idp, tenant, member, kembali):
    start = await log_in(app, idp, tenant, member, kembali)

    assert start.status_code == 400
    error = error_of(start)
    assert error["code"] == "INVALID_INPUT" and error["field"] == "kembali"
    assert "kembali" in error["message"]
    assert "location" not in start.headers
