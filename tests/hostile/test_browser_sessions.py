"""Hostile browser sessions (issue 14, defects 3 and 4): a cookie copied before logout, what the
cookie carries, an admin ending someone's sessions (in their own instansi only), idle and
absolute expiry, and cross-site requests riding on the cookie (CSRF).

Sessions are made the way a browser makes them, through /auth/dev-login (development mode),
against the real database; requests go to the whole app in-process.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import httpx
import pytest
from tortoise.timezone import now

from ekinerja.auth import sesi as sessions
from ekinerja.auth.principal import Role
from ekinerja.http.app import create_app
from ekinerja.http.browser_sessions import COOKIE
from ekinerja.http.same_origin import allowed_origins
from ekinerja.models.shared import SesiBrowser
from ekinerja.models.tenant import AuditEvent, ProgresHarian
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import principal_header
from tests.support.org import Org
from tests.support.server import settings_for
from tests.test_pelaksanaan_import import HEADER

ORIGIN = "http://t"  # the service's public URL in these tests
PORTAL = "https://portal.example"  # a portal on another origin, allowed by configuration
EVIL = "https://evil.example"
ME = "{ saya { nama } }"
IMPORT = "/pelaksanaan/progres-harian/import"
IDLE, MAXIMUM = 1800, 4 * 3600
REVOKE = "mutation($nip: String!) { cabutSesiBrowser(nip: $nip) { __typename "
REVOKE += "... on SesiBrowserDicabut { nip jumlah } ... on MutationError { code field } } }"
LIST = (
    "query($nip: String!) { sesiBrowser(nip: $nip) { nodes { userAgent alamatIp berakhirPada } } }"
)


@pytest.fixture(scope="module")
def app(database, idp):
    settings = settings_for(
        database,
        public_url=ORIGIN,
        session_allowed_origins=PORTAL,
        session_idle_seconds=IDLE,
        session_max_seconds=MAXIMUM,
    )
    return create_app(settings)


def client(app, origin: str | None = ORIGIN, cookie: str | None = None) -> httpx.AsyncClient:
    """A browser whose requests carry ``origin`` (the page they come from), optionally with a
    session cookie obtained elsewhere."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=ORIGIN,
        headers={"Origin": origin} if origin else {},
        cookies={COOKIE: cookie} if cookie else None,
    )


async def log_in(app, tenant, nip: str) -> str:
    """A fresh browser login as ``nip``; the session id its cookie carries."""
    async with client(app) as browser:
        done = await browser.get(
            f"/auth/dev-login?instansi={tenant.kode}&nip={nip}",
            headers={"User-Agent": "Firefox/1 (uji)"},
        )
        assert done.status_code == 303
        return browser.cookies[COOKIE]


async def me(app, session_id: str, origin: str | None = ORIGIN) -> httpx.Response:
    async with client(app, origin, session_id) as browser:
        return await browser.post("/graphql", json={"query": ME})


async def row_of(session_id: str) -> SesiBrowser:
    return await SesiBrowser.get(hash=hashlib.sha256(session_id.encode()).hexdigest())


@pytest.fixture
async def people(tenant):
    async with tenant_transaction(as_bound(tenant)):
        org = Org()
        return await org.pegawai("Pengguna"), await org.pegawai("Admin Instansi")


# -- defect 4: logout ends the session ------------------------------------------------------


async def test_a_cookie_copied_before_logout_is_refused_after_it(app, tenant, people):
    member, _ = people
    async with client(app) as browser:
        await browser.get(f"/auth/dev-login?instansi={tenant.kode}&nip={member.nip}")
        copied = browser.cookies[COOKIE]
        assert (await me(app, copied)).json()["data"] == {"saya": {"nama": "Pengguna"}}

        logout = await browser.post("/auth/logout")
        assert logout.status_code == 303

    stolen = await me(app, copied)
    assert stolen.status_code == 401 and code_of(stolen) == "SESSION_EXPIRED"
    assert (await row_of(copied)).revoked_at is not None


async def test_a_logout_link_or_a_cross_site_post_does_not_log_out(app, tenant, people):
    session_id = await log_in(app, tenant, people[0].nip)
    async with client(app, cookie=session_id) as browser:
        page = await browser.get("/auth/logout")  # the old link, a prefetch, an <img>
        assert page.status_code == 200 and 'action="/auth/logout"' in page.text
    async with client(app, EVIL, session_id) as attacker_page:
        refused = await attacker_page.post("/auth/logout")
        assert refused.status_code == 403 and code_of(refused) == "CSRF_REJECTED"
    assert (await me(app, session_id)).status_code == 200


async def test_the_cookie_carries_a_random_id_never_the_token(app, tenant, people):
    member, _ = people
    async with client(app) as browser:
        response = await browser.get(f"/auth/dev-login?instansi={tenant.kode}&nip={member.nip}")
        cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(f"{COOKIE}="))
    value = session_cookie.split(";")[0].split("=", 1)[1]
    attributes = session_cookie.lower()
    assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes

    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    assert len(raw) == 32  # 256 random bits, nothing else: no JWT, no claims, no NIP
    assert "." not in value and member.nip.encode() not in raw
    for cookie in cookies:  # nor in the login-state cookie, if one is still set
        assert "eyJ" not in cookie and member.nip not in cookie
    row = await row_of(value)  # kept as a hash only
    assert row.hash != value and row.nip == member.nip and row.user_agent is not None
    stored = [str(v) for v in (await SesiBrowser.filter(id=row.id).values())[0].values()]
    assert not any("eyJ" in v or value in v for v in stored)


# -- an admin ends a person's sessions, within the instansi ---------------------------------


async def test_an_admin_ends_another_persons_sessions(app, idp, tenant, people):
    member, admin = people
    first = await log_in(app, tenant, member.nip)
    second = await log_in(app, tenant, member.nip)
    as_admin = principal_header(idp, tenant.kode, admin.nip, Role.ADMIN_INSTANSI)
    async with client(app, origin=None) as api:
        listed = await api.post(
            "/graphql", json={"query": LIST, "variables": {"nip": member.nip}}, headers=as_admin
        )
        sessions_seen = listed.json()["data"]["sesiBrowser"]["nodes"]
        assert len(sessions_seen) == 2 and sessions_seen[0]["userAgent"] == "Firefox/1 (uji)"

        as_member = principal_header(idp, tenant.kode, member.nip)
        by_member = await api.post(
            "/graphql", json={"query": REVOKE, "variables": {"nip": admin.nip}}, headers=as_member
        )
        assert by_member.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"

        revoked = await api.post(
            "/graphql", json={"query": REVOKE, "variables": {"nip": member.nip}}, headers=as_admin
        )
    assert revoked.json()["data"]["cabutSesiBrowser"] == {
        "__typename": "SesiBrowserDicabut",
        "nip": member.nip,
        "jumlah": 2,
    }
    for session_id in (first, second):
        ended = await me(app, session_id)
        assert ended.status_code == 401 and code_of(ended) == "SESSION_EXPIRED"
    async with tenant_transaction(as_bound(tenant)):
        audited = await AuditEvent.get(action="sesi_browser.cabut", entity_id=member.nip)
    assert audited.actor == admin.nip and audited.detail == {"jumlah": 2}


async def test_an_admin_of_another_instansi_cannot_end_them(app, idp, tenant, other_tenant, people):
    member, _ = people
    session_id = await log_in(app, tenant, member.nip)
    async with tenant_transaction(as_bound(other_tenant)):
        org = Org()
        other_admin = await org.pegawai("Admin Lain")
        namesake = await org.pegawai("Orang Lain")  # the same NIP, on B's own records
        namesake.nip = member.nip
        await namesake.save()
    as_other_admin = principal_header(idp, other_tenant.kode, other_admin.nip, Role.ADMIN_INSTANSI)
    variables = {"nip": member.nip}
    async with client(app, origin=None) as api:
        in_b = await api.post(
            "/graphql", json={"query": REVOKE, "variables": variables}, headers=as_other_admin
        )
        listed_in_b = await api.post(
            "/graphql", json={"query": LIST, "variables": variables}, headers=as_other_admin
        )
        into_a = await api.post(
            "/graphql",
            json={"query": REVOKE, "variables": variables},
            headers=as_other_admin | {"X-Instansi": tenant.kode},
        )
    assert in_b.json()["data"]["cabutSesiBrowser"]["jumlah"] == 0
    assert listed_in_b.json()["data"]["sesiBrowser"]["nodes"] == []
    assert into_a.status_code == 403 and code_of(into_a) == "FORBIDDEN"
    assert (await me(app, session_id)).json()["data"] == {"saya": {"nama": "Pengguna"}}


async def test_unknown_or_malformed_nip_is_refused_by_name(app, idp, tenant, people):
    _, admin = people
    as_admin = principal_header(idp, tenant.kode, admin.nip, Role.ADMIN_INSTANSI)
    async with client(app, origin=None) as api:
        for nip, code in (("1" * 18, "NOT_FOUND"), ("12x", "INVALID_INPUT")):
            answer = await api.post(
                "/graphql", json={"query": REVOKE, "variables": {"nip": nip}}, headers=as_admin
            )
            result = answer.json()["data"]["cabutSesiBrowser"]
            assert result == {"__typename": "MutationError", "code": code, "field": "nip"}
            listed = await api.post(
                "/graphql", json={"query": LIST, "variables": {"nip": nip}}, headers=as_admin
            )
            error = listed.json()["errors"][0]["extensions"]
            assert (error["code"], error["field"]) == (code, "nip")


# -- expiry -----------------------------------------------------------------------------------


async def test_idle_and_absolute_expiry_end_a_session(app, tenant, people):
    idle = await log_in(app, tenant, people[0].nip)
    old = await log_in(app, tenant, people[0].nip)
    live = await log_in(app, tenant, people[0].nip)
    await SesiBrowser.filter(id=(await row_of(idle)).id).update(
        last_seen_at=now() - timedelta(seconds=IDLE + 1)
    )
    await SesiBrowser.filter(id=(await row_of(old)).id).update(expires_at=now())
    for ended in (idle, old):
        response = await me(app, ended)
        assert response.status_code == 401 and code_of(response) == "SESSION_EXPIRED"

    # Used a while ago but within the idle limit: still live, and its last use moves.
    recently = now() - timedelta(seconds=IDLE - 60)
    await SesiBrowser.filter(id=(await row_of(live)).id).update(last_seen_at=recently)
    assert (await me(app, live)).status_code == 200
    assert (await row_of(live)).last_seen_at > recently

    # The worker's upkeep deletes what can no longer be used.
    await sessions.prune(sessions.Lifetimes(timedelta(seconds=IDLE), timedelta(seconds=MAXIMUM)))
    kept = await SesiBrowser.filter(nip=people[0].nip).values_list("id", flat=True)
    assert kept == [(await row_of(live)).id]


async def test_a_made_up_session_id_is_unauthenticated(app):
    for made_up in ("x" * 43, "y" * 5000):
        response = await me(app, made_up)
        assert response.status_code == 401 and code_of(response) == "UNAUTHENTICATED"


# -- defect 3: CSRF ---------------------------------------------------------------------------


async def test_cross_origin_graphql_with_the_cookie_is_refused(app, tenant, people):
    session_id = await log_in(app, tenant, people[0].nip)
    for origin in (EVIL, "null", f"{ORIGIN}.evil.example", "http://t:8080"):
        response = await me(app, session_id, origin)
        assert response.status_code == 403 and code_of(response) == "CSRF_REJECTED", origin
    async with client(app, origin=None, cookie=session_id) as no_origin:
        nothing = await no_origin.post("/graphql", json={"query": ME})
        assert nothing.status_code == 403 and code_of(nothing) == "CSRF_REJECTED"
        evil_referer = await no_origin.post(
            "/graphql", json={"query": ME}, headers={"Referer": f"{EVIL}/page"}
        )
        assert evil_referer.status_code == 403
        own_referer = await no_origin.post(
            "/graphql", json={"query": ME}, headers={"Referer": f"{ORIGIN}/graphql"}
        )
        assert own_referer.status_code == 200
    assert (await me(app, session_id, ORIGIN)).status_code == 200
    assert (await me(app, session_id, PORTAL)).status_code == 200  # configured


async def test_graphql_refuses_bodies_a_form_can_send_even_from_its_own_origin(app, tenant, people):
    session_id = await log_in(app, tenant, people[0].nip)
    mutation = f'mutation {{ cabutSesiBrowser(nip: \\"{people[0].nip}\\") {{ __typename }} }}'
    document = '{"query": "' + mutation + '"}'
    bodies = {  # the three types an HTML form (or a fetch without preflight) can post
        "text/plain": document,
        "application/x-www-form-urlencoded": "query=" + mutation,
        "multipart/form-data; boundary=b": "--b\r\nContent-Disposition: form-data; "
        f'name="operations"\r\n\r\n{document}\r\n--b--\r\n',
    }
    async with client(app, ORIGIN, session_id) as own_page:
        for content_type, body in bodies.items():
            response = await own_page.post(
                "/graphql", content=body, headers={"Content-Type": content_type}
            )
            # 415 before anything is read or anyone authenticated (decision 0025).
            assert response.status_code == 415, content_type
            assert code_of(response) == "UNSUPPORTED_TYPE"
    async with client(app, EVIL, session_id) as attacker_page:
        response = await attacker_page.post(
            "/graphql", content=document, headers={"Content-Type": "text/plain"}
        )
    assert response.status_code == 415 and code_of(response) == "UNSUPPORTED_TYPE"
    assert (await me(app, session_id)).status_code == 200


async def test_cross_origin_import_with_the_cookie_is_refused(app, tenant, team):
    session_id = await log_in(app, tenant, team.staf.nip)
    # What another site's page can send without a preflight: text/plain, naming the format.
    body = HEADER + f"{team.rencana()},05-01-2026,08:00,09:00,Disisipkan,1,Dokumen\n"
    url = f"{IMPORT}?format=csv"
    async with client(app, EVIL, session_id) as attacker_page:
        refused = await attacker_page.post(
            url, content=body, headers={"Content-Type": "text/plain"}
        )
    assert refused.status_code == 403 and code_of(refused) == "CSRF_REJECTED"
    assert "evil.example" in error_of(refused)["message"]
    async with tenant_transaction(as_bound(tenant)):
        assert await ProgresHarian.all().count() == 0

    async with client(app, ORIGIN, session_id) as own_page:
        accepted = await own_page.post(url, content=body, headers={"Content-Type": "text/csv"})
    assert accepted.status_code == 200 and accepted.json()["jumlah"] == 1


async def test_bearer_requests_need_no_origin(app, idp, tenant, people):
    headers = principal_header(idp, tenant.kode, people[0].nip)
    async with client(app, origin=None) as api:
        response = await api.post("/graphql", json={"query": ME}, headers=headers)
        assert response.status_code == 200
        cross = await api.post("/graphql", json={"query": ME}, headers=headers | {"Origin": EVIL})
        assert cross.status_code == 200  # another site's page cannot attach a bearer token


def test_development_takes_the_loopback_names_of_its_public_url_as_one_origin(database):
    """A developer opening http://localhost:8000 reaches the default public URL
    http://127.0.0.1:8000: the same service. Production trusts only what is configured."""
    development = settings_for(database, public_url="http://127.0.0.1:8000")
    assert {"http://localhost:8000", "http://[::1]:8000"} <= allowed_origins(development)
    production = settings_for(database, mode="production", public_url="http://127.0.0.1:8000")
    assert allowed_origins(production) == {"http://127.0.0.1:8000"}
    elsewhere = settings_for(database, public_url="https://kinerja.example.go.id")
    assert allowed_origins(elsewhere) == {"https://kinerja.example.go.id"}
