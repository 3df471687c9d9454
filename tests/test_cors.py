"""CORS (issue 16, item 6; decision 0024): real preflights and real cross-origin requests, sent
as a browser sends them, through the whole app in-process.

Before it, a portal on another origin could not call the API at all: the preflight to /graphql
was 405 (no route answers OPTIONS).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route

from ekinerja.db.errors import DatabaseUnavailable
from ekinerja.http.app import create_app
from ekinerja.http.browser_sessions import COOKIE
from ekinerja.http.cors import ALLOWED_METHODS, CorsPolicy
from ekinerja.settings import Settings
from ekinerja.tenants.binding import tenant_transaction
from ekinerja.tenants.registry import as_bound
from tests.http_contract.envelope import code_of, error_of
from tests.support.auth import principal_header
from tests.support.org import Org
from tests.support.server import settings_for

SERVICE = "http://t"  # the public URL
PORTAL = "https://portal.example.go.id"  # trusted with the session cookie
DASBOR = "https://dasbor.example.org"  # a bearer-token page, no cookie
EVIL = "https://evil.example"
MAX_AGE = 900
ME = "{ saya { nama } }"
# What the portal sends on its requests beyond the safelisted headers.
PORTAL_HEADERS = "authorization, content-type, x-instansi, x-request-id, idempotency-key"


@pytest.fixture(scope="module")
def settings(database) -> Settings:
    return settings_for(
        database,
        public_url=SERVICE,
        session_allowed_origins=PORTAL,
        cors_allowed_origins=f"{DASBOR}, HTTPS://Other.Example.org:443/",
        cors_max_age_seconds=MAX_AGE,
    )


@pytest.fixture(scope="module")
def app(settings, idp):
    return create_app(settings)


def browser(app, origin: str | None, **kwargs) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=SERVICE,
        headers={"Origin": origin} if origin else {},
        **kwargs,
    )


async def preflight(
    app, origin: str, path: str = "/graphql", method: str = "POST", **headers: str
) -> httpx.Response:
    asked = {"Access-Control-Request-Method": method} | headers
    async with browser(app, origin) as page:
        return await page.options(path, headers=asked)


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


def listed(value: str | None) -> set[str]:
    return {part.strip().lower() for part in (value or "").split(",") if part.strip()}


def browser_routes(app) -> list[tuple[str, str]]:
    """Every route the app serves and each method it accepts (HEAD goes with GET), with its
    path parameters filled in: a route added later is covered without editing this test."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount):  # the portal's static files: read, as a page reads them
            found.append((f"{route.path}/index.html", "GET"))
            continue
        path = re.sub(r"\{[^}]+\}", "1", route.path)
        # A route mounted without methods (/graphql) answers every method itself: a browser
        # may send it any the CORS policy allows.
        for method in sorted(set(route.methods or ALLOWED_METHODS) - {"HEAD"}):
            found.append((path, method))
    return found


@pytest.fixture
async def member(tenant):
    async with tenant_transaction(as_bound(tenant)):
        return await Org().pegawai("Pengguna Portal")


# -- preflights -----------------------------------------------------------------------------


async def test_a_preflight_to_graphql_from_a_listed_origin_is_answered(app):
    """The defect: 405 before."""
    answer = await preflight(app, DASBOR, **{"Access-Control-Request-Headers": PORTAL_HEADERS})
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == DASBOR
    assert "access-control-allow-credentials" not in answer.headers  # bearer only
    assert listed(PORTAL_HEADERS) <= listed(answer.headers["access-control-allow-headers"])
    assert {"GET", "POST"} <= set(answer.headers["access-control-allow-methods"].split(", "))
    assert answer.headers["access-control-max-age"] == str(MAX_AGE)
    assert "Origin" in answer.headers["vary"]
    assert answer.content == b""


async def test_every_route_answers_a_preflight_for_each_of_its_methods(app):
    routes = browser_routes(app)
    assert ("/graphql", "POST") in routes and ("/oauth/token", "POST") in routes
    for path, method in routes:
        assert method in ALLOWED_METHODS, (path, method)
        for origin, credentials in ((DASBOR, None), (PORTAL, "true")):
            answer = await preflight(app, origin, path, method)
            assert answer.status_code == 204, (path, method, origin, answer.text)
            assert answer.headers["access-control-allow-origin"] == origin
            assert answer.headers.get("access-control-allow-credentials") == credentials
            assert method in answer.headers["access-control-allow-methods"]


async def test_the_session_origins_are_allowed_with_credentials(app):
    for origin in (PORTAL, SERVICE):
        answer = await preflight(app, origin, **{"Access-Control-Request-Headers": "x-instansi"})
        assert answer.status_code == 204
        assert answer.headers["access-control-allow-origin"] == origin
        assert answer.headers["access-control-allow-credentials"] == "true"


async def test_a_configured_origin_is_matched_as_browsers_serialise_it(app):
    answer = await preflight(app, "https://other.example.org")
    assert answer.headers["access-control-allow-origin"] == "https://other.example.org"


@pytest.mark.parametrize(
    "origin",
    [
        EVIL,
        "null",  # a sandboxed page or a file
        "http://portal.example.go.id",  # another scheme is another origin
        "https://portal.example.go.id:8443",  # and another port
        "https://portal.example.go.id.evil.example",  # a listed name as a prefix
        "https://evil-portal.example.go.id",
        "https://dasbor.example.org/",  # not an origin as a browser writes it
    ],
)
async def test_a_preflight_from_an_unlisted_origin_is_refused_without_cors_headers(app, origin):
    answer = await preflight(app, origin)
    assert answer.status_code == 403
    assert cors_headers(answer) == {}
    error = error_of(answer)  # the envelope, with the request id of the header
    assert error["code"] == "CORS_ORIGIN_REFUSED"
    assert "EKINERJA_CORS_ALLOWED_ORIGINS" in error["message"]


async def test_a_preflight_never_reaches_authentication(app):
    """A preflight carries no credentials; an unknown session cookie (which authentication
    refuses 401) or no token at all changes nothing, on every authenticated endpoint."""
    for path in ("/graphql", "/skp/1/dokumen.pdf", "/kepegawaian/impor/pegawai"):
        async with browser(app, PORTAL, cookies={COOKIE: "never-issued"}) as page:
            answer = await page.options(
                path,
                headers={
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "content-type",
                },
            )
        assert answer.status_code == 204, (path, answer.text)


async def test_an_options_request_that_is_no_preflight_goes_to_the_route(app):
    async with browser(app, DASBOR) as page:
        assert (await page.options("/graphql")).status_code == 405


async def test_a_header_the_service_does_not_read_is_left_for_the_browser_to_refuse(app):
    """The browser names the missing header in its console, clearer than a refused preflight."""
    answer = await preflight(app, DASBOR, **{"Access-Control-Request-Headers": "x-custom"})
    assert answer.status_code == 204
    assert "x-custom" not in listed(answer.headers["access-control-allow-headers"])


# -- actual requests ------------------------------------------------------------------------


async def test_a_bearer_request_from_a_listed_origin_can_be_read_without_cookies(
    app, idp, tenant, member
):
    async with browser(app, DASBOR) as page:
        answer = await page.post(
            "/graphql", json={"query": ME}, headers=principal_header(idp, tenant.kode, member.nip)
        )
    assert answer.json()["data"] == {"saya": {"nama": "Pengguna Portal"}}
    assert answer.headers["access-control-allow-origin"] == DASBOR
    assert "access-control-allow-credentials" not in answer.headers
    exposed = listed(answer.headers["access-control-expose-headers"])
    assert {"x-request-id", "retry-after", "location", "content-disposition"} <= exposed
    assert "Origin" in answer.headers["vary"]


async def test_a_cookie_request_from_the_session_origin_is_allowed_with_credentials(
    app, tenant, member
):
    async with browser(app, SERVICE) as login:
        await login.get(f"/auth/dev-login?instansi={tenant.kode}&nip={member.nip}")
        session = login.cookies[COOKIE]
    async with browser(app, PORTAL, cookies={COOKIE: session}) as page:
        answer = await page.post("/graphql", json={"query": ME})
    assert answer.json()["data"] == {"saya": {"nama": "Pengguna Portal"}}
    assert answer.headers["access-control-allow-origin"] == PORTAL
    assert answer.headers["access-control-allow-credentials"] == "true"


async def test_a_bearer_only_origin_gets_no_credentials_and_its_cookie_posts_are_refused(
    app, tenant, member
):
    """The two lists relate one way: a page trusted with tokens is not trusted with the
    cookie. A browser would not even send the cookie (no Allow-Credentials); one that did is
    refused by the CSRF check, and the portal can read why."""
    async with browser(app, SERVICE) as login:
        await login.get(f"/auth/dev-login?instansi={tenant.kode}&nip={member.nip}")
        session = login.cookies[COOKIE]
    async with browser(app, DASBOR, cookies={COOKIE: session}) as page:
        answer = await page.post("/graphql", json={"query": ME})
    assert answer.status_code == 403
    assert "CSRF_REJECTED" in answer.text
    assert answer.headers["access-control-allow-origin"] == DASBOR
    assert "access-control-allow-credentials" not in answer.headers


async def test_a_response_to_an_unlisted_origin_carries_no_cors_headers(app, idp, tenant, member):
    async with browser(app, EVIL) as page:
        answer = await page.post(
            "/graphql", json={"query": ME}, headers=principal_header(idp, tenant.kode, member.nip)
        )
    assert answer.status_code == 200  # served as to any client; the browser hides it
    assert cors_headers(answer) == {}
    assert "Origin" in answer.headers["vary"]


async def test_a_request_without_origin_is_untouched_but_varies_by_origin(app):
    async with browser(app, None) as client:
        answer = await client.get("/healthz")
    assert cors_headers(answer) == {}
    assert "Origin" in answer.headers["vary"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/graphql", None),  # no token
        ("GET", "/skp/1/dokumen.pdf", 401),
        ("GET", "/siasn/rw-skp22.csv?tahun=2025", 401),
        ("POST", "/kepegawaian/impor/pegawai", None),  # refused before or at authentication
        ("GET", "/tidak-ada", 404),
        ("PUT", "/graphql", 405),
    ],
)
async def test_an_error_answer_to_a_listed_origin_can_be_read(app, method, path, status):
    async with browser(app, DASBOR) as page:
        answer = await page.request(method, path, json={"query": ME})
    if status is not None:
        assert answer.status_code == status, answer.text
    assert answer.status_code >= 400 or "errors" in answer.json()
    assert answer.headers["access-control-allow-origin"] == DASBOR
    assert "x-request-id" in listed(answer.headers["access-control-expose-headers"])


def failing_app(app) -> Starlette:
    """The service's own middleware, in its order, around endpoints that fail as a bug would
    and as a lost database does."""

    async def broken(_request):
        raise RuntimeError("a bug")

    async def database_gone(_request):
        raise DatabaseUnavailable()

    return Starlette(
        routes=[Route("/rusak", broken), Route("/basis-data", database_gone)],
        middleware=app.user_middleware,
    )


async def test_a_server_error_to_a_listed_origin_still_carries_cors_headers(app):
    transport = httpx.ASGITransport(app=failing_app(app), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=SERVICE) as page:
        listed_answer = await page.get("/rusak", headers={"Origin": DASBOR})
        unlisted_answer = await page.get("/rusak", headers={"Origin": EVIL})
    assert listed_answer.status_code == 500
    assert listed_answer.headers["access-control-allow-origin"] == DASBOR
    assert "x-request-id" in listed_answer.headers
    assert unlisted_answer.status_code == 500
    assert cors_headers(unlisted_answer) == {}


async def test_a_database_outage_answered_to_a_listed_origin_can_be_read(app):
    transport = httpx.ASGITransport(app=failing_app(app))
    async with httpx.AsyncClient(transport=transport, base_url=SERVICE) as page:
        answer = await page.get("/basis-data", headers={"Origin": PORTAL})
    assert answer.status_code == 503
    assert code_of(answer) == "DATABASE_UNAVAILABLE"
    assert answer.headers["access-control-allow-origin"] == PORTAL
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert "retry-after" in listed(answer.headers["access-control-expose-headers"])


async def test_a_server_error_is_still_raised_for_the_server_to_log(app):
    transport = httpx.ASGITransport(app=failing_app(app))
    async with httpx.AsyncClient(transport=transport, base_url=SERVICE) as page:
        with pytest.raises(RuntimeError, match="a bug"):
            await page.get("/rusak", headers={"Origin": DASBOR})


# -- settings -------------------------------------------------------------------------------


def test_the_environment_lists_origins_comma_separated(monkeypatch, database):
    monkeypatch.setenv("EKINERJA_CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example:8443")
    monkeypatch.setenv("EKINERJA_CORS_MAX_AGE_SECONDS", "120")
    settings = Settings(_env_file=None)
    policy = CorsPolicy.of(settings)
    assert {"https://a.example", "https://b.example:8443"} <= policy.origins
    assert "https://a.example" not in policy.credentialed
    assert policy.max_age_seconds == 120


@pytest.mark.parametrize(
    "value", ["*", "https://*.example.go.id", "portal.example.go.id", "https://a.example/app"]
)
def test_anything_but_an_exact_origin_is_refused_at_start(value):
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(_env_file=None, cors_allowed_origins=value)


def test_the_preflight_cache_is_bounded():
    with pytest.raises(ValidationError):
        Settings(_env_file=None, cors_max_age_seconds=86401)


# -- a real browser -------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium")

PAGE = """<!doctype html><pre id="out"></pre><script>
async function call(init) {
  try {
    const r = await fetch(%(api)s + "/graphql", {method: "POST", body: %(query)s, ...init});
    return {status: r.status, requestId: r.headers.get("x-request-id"), body: await r.json()};
  } catch (error) {
    return {blocked: String(error)};
  }
}
(async () => {
  const json = {"Content-Type": "application/json"};
  const results = {
    withToken: await call({headers: {...json, ...%(auth)s}}),
    withoutToken: await call({headers: json}),
    withCookies: await call({headers: json, credentials: "include"}),
  };
  document.getElementById("out").textContent = JSON.stringify(results);
})();
</script>"""


def listening_socket() -> socket.socket:
    """Bound and listening before the server runs: the kernel queues connections until it
    accepts them, so nothing waits for the server to come up."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@asynccontextmanager
async def serving(app, sock: socket.socket, lifespan: str) -> AsyncIterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, lifespan=lifespan, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def page_results(url: str) -> dict:
    """What the page at ``url`` found, as headless Chromium runs it (its fetches included)."""
    browser_process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        "--no-sandbox",
        "--disable-gpu",
        "--headless",  # Debian's chromium (the portal's browser tests install it) needs it
        "--dump-dom",
        "--virtual-time-budget=10000",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    dom, _ = await asyncio.wait_for(browser_process.communicate(), timeout=60)
    found = re.search(r'<pre id="out">(.*?)</pre>', dom.decode())
    assert found, dom
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium (apt: chromium-headless-shell)")
async def test_a_browser_on_a_listed_origin_can_call_and_an_unlisted_one_cannot(
    database, idp, tenant, member
):
    api_socket, page_socket = listening_socket(), listening_socket()
    api = f"http://127.0.0.1:{api_socket.getsockname()[1]}"
    page_port = page_socket.getsockname()[1]
    listed_page = f"http://127.0.0.1:{page_port}"
    unlisted_page = f"http://localhost:{page_port}"  # the same page, another origin
    settings = settings_for(database, public_url=api, cors_allowed_origins=listed_page)
    auth = principal_header(idp, tenant.kode, member.nip)
    page = PAGE % {
        "api": json.dumps(api),
        "query": json.dumps(json.dumps({"query": ME})),
        "auth": json.dumps(auth),
    }

    async def page_endpoint(_request):
        return HTMLResponse(page)

    pages = Starlette(routes=[Route("/", page_endpoint)])
    async with (
        serving(create_app(settings), api_socket, "on"),
        serving(pages, page_socket, "off"),
    ):
        listed_results = await page_results(f"{listed_page}/")
        unlisted_results = await page_results(f"{unlisted_page}/")

    with_token = listed_results["withToken"]
    assert with_token["status"] == 200, with_token
    assert with_token["body"]["data"] == {"saya": {"nama": "Pengguna Portal"}}
    assert with_token["requestId"]  # an exposed header the page can read
    assert 400 <= listed_results["withoutToken"]["status"] < 500  # an error, readable
    assert "blocked" in listed_results["withCookies"]  # no credentials for a bearer origin
    assert all("blocked" in result for result in unlisted_results.values()), unlisted_results
