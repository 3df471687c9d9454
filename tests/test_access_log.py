"""One log line per HTTP request, the service's own (http/edge.py): method, path without its
query string, status, duration and the request id the response carries; none with
EKINERJA_ACCESS_LOG=false."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from ekinerja.http.app import create_app
from tests.support.auth import principal_header
from tests.support.server import settings_for

ACCESS_LOGGER = "ekinerja.http.access"


def _lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == ACCESS_LOGGER]


def _client(app) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_each_request_is_one_line_with_its_id_and_status(settings, idp, team, tenant, caplog):
    caplog.set_level(logging.INFO)
    async with _client(create_app(settings)) as client:
        served = await client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers=principal_header(idp, tenant.kode, team.staf.nip),
        )
        refused = await client.post("/graphql", json={"query": "{ __typename }"})
    assert served.status_code == 200 and refused.status_code == 401
    first, second = _lines(caplog)
    assert first.request_id == served.headers["x-request-id"]
    assert (first.method, first.path, first.status) == ("POST", "/graphql", 200)
    assert isinstance(first.duration_ms, float) and first.duration_ms >= 0
    assert first.getMessage().startswith("POST /graphql 200 ")
    assert second.request_id == refused.headers["x-request-id"]
    assert second.status == 401


async def test_the_query_string_is_not_logged(settings, caplog):
    caplog.set_level(logging.INFO)
    async with _client(create_app(settings)) as client:
        answer = await client.get("/storage/object?key=a&expires=1&signature=rahasia")
    [line] = _lines(caplog)
    assert line.path == "/storage/object" and line.status == answer.status_code
    assert "rahasia" not in line.getMessage()


async def test_a_bug_is_logged_with_its_500(settings, caplog):
    async def broken(_request):
        raise RuntimeError("a bug")

    app = Starlette(
        routes=[Route("/rusak", broken)], middleware=create_app(settings).user_middleware
    )
    caplog.set_level(logging.INFO)
    async with _client(app) as client:
        answer = await client.get("/rusak")
    assert answer.status_code == 500
    [line] = _lines(caplog)
    assert line.status == 500 and line.request_id == answer.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/healthz", "/no-such-path"])
async def test_off_when_a_proxy_logs_requests(database, caplog, path):
    settings = settings_for(database, access_log=False)
    caplog.set_level(logging.INFO)
    async with _client(create_app(settings)) as client:
        answer = await client.get(path)
    assert answer.status_code in (200, 404)
    assert _lines(caplog) == []
