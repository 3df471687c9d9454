"""/graphql end to end over HTTP (in-process ASGI transport, real PostgreSQL). The caller is a
BKN central admin with a real token, who may bind any instansi with X-Instansi."""

from __future__ import annotations

import logging

import httpx
import pytest

from ekinerja.http.app import create_app
from ekinerja.models.shared import Instansi, StatusInstansi
from ekinerja.settings import Settings
from ekinerja.tenants.registry import forget
from ekinerja.tenants.schema_versions import latest_tenant_version
from tests.support.auth import central_admin_headers
from tests.support.probe_schema import probe_schema
from tests.support.server import settings_for


def _client(settings: Settings, idp, *, probe: bool = True) -> httpx.AsyncClient:
    app = create_app(settings, schema=probe_schema(settings) if probe else None)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://t",
        headers=central_admin_headers(idp),
    )


async def gql(client, query: str, kode: str | None = None, **headers) -> httpx.Response:
    if kode is not None:
        headers["X-Instansi"] = kode
    return await client.post("/graphql", json={"query": query}, headers=headers)


@pytest.fixture
async def probe(settings, idp):
    async with _client(settings, idp) as client:
        yield client


async def test_instansi_is_the_registry_entry_of_the_selected_tenant(probe, tenant):
    response = await gql(
        probe, "{ instansi { kode nama jenis status versiSchema } }", tenant.kode.lower()
    )
    assert response.status_code == 200
    assert response.json()["data"]["instansi"] == {
        "kode": tenant.kode,
        "nama": tenant.nama,
        "jenis": "KABUPATEN",
        "status": "ACTIVE",
        "versiSchema": latest_tenant_version(),
    }


async def test_resolvers_run_inside_the_tenant_binding(probe, tenant, other_tenant):
    for instansi in (tenant, other_tenant):
        response = await gql(probe, "{ binding }", instansi.kode)
        assert response.json()["data"]["binding"] == f"{instansi.schema_name}/{instansi.role_name}"


async def test_tenant_data_through_graphql_stays_in_its_tenant(probe, tenant, other_tenant):
    await gql(probe, 'mutation { writeSetting(key: "only-in-a") }', tenant.kode)
    seen_by_a = await gql(probe, "{ settingKeys }", tenant.kode)
    seen_by_b = await gql(probe, "{ settingKeys }", other_tenant.kode)
    assert seen_by_a.json()["data"]["settingKeys"] == ["only-in-a"]
    assert seen_by_b.json()["data"]["settingKeys"] == []


async def test_operation_with_an_error_commits_nothing(probe, tenant):
    response = await gql(probe, 'mutation { writeSetting(key: "half") refuse }', tenant.kode)
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    keys = await gql(probe, "{ settingKeys }", tenant.kode)
    assert keys.json()["data"]["settingKeys"] == []


async def test_no_tenant_selected(probe):
    response = await gql(probe, "{ serverInfo { versi versiSchemaInstansi } instansi { kode } }")
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NO_INSTANSI_SELECTED"
    assert "X-Instansi" in body["errors"][0]["message"]
    only_server = await gql(probe, "{ serverInfo { versi mode } }")
    assert only_server.json()["data"]["serverInfo"] == {"versi": "0.1.0", "mode": "development"}


async def test_unbound_operation_cannot_reach_tenant_tables(probe):
    response = await gql(probe, "{ settingKeys }")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"


@pytest.mark.parametrize(
    ("kode", "status", "code"),
    [
        ("not a kode", 400, "INVALID_TENANT_CODE"),
        ("ZZ404", 404, "TENANT_NOT_FOUND"),
    ],
)
async def test_unknown_or_invalid_tenant_is_refused_before_execution(probe, kode, status, code):
    response = await gql(probe, "{ instansi { kode } }", kode)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_suspended_and_unmigrated_tenants_are_refused(probe, tenant):
    # Changed behind the service's back: forgotten as the registry watcher does on the NOTIFY.
    await Instansi.filter(id=tenant.id).update(status=StatusInstansi.SUSPENDED)
    forget(tenant.kode)
    response = await gql(probe, "{ instansi { kode } }", tenant.kode)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "TENANT_SUSPENDED"

    await Instansi.filter(id=tenant.id).update(status=StatusInstansi.ACTIVE, schema_version=None)
    forget(tenant.kode)
    response = await gql(probe, "{ instansi { kode } }", tenant.kode)
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "TENANT_MIGRATION_PENDING"


def _nested(levels: int) -> str:
    selection = "leaf"
    for _ in range(levels):
        selection = f"child {{ {selection} }}"
    return f"{{ nested {{ {selection} }} }}"


async def test_over_deep_query_is_refused(probe, settings):
    allowed = await gql(probe, _nested(settings.graphql_max_depth - 2))
    assert "errors" not in allowed.json()
    response = await gql(probe, _nested(settings.graphql_max_depth + 1))
    body = response.json()
    assert body["data"] is None
    error = body["errors"][0]
    assert f"exceeds maximum operation depth of {settings.graphql_max_depth}" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_repeated_document_is_parsed_and_validated_once(probe, tenant, monkeypatch):
    from ekinerja.schema import documents, extensions

    calls = {"parse": 0, "validate": 0}

    def counted(name, function):
        def call(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(documents, "parse", counted("parse", documents.parse))
    monkeypatch.setattr(
        extensions, "validate_document", counted("validate", extensions.validate_document)
    )
    query = "{ serverInfo { versi } } # document cache probe"
    for _ in range(4):
        assert "errors" not in (await gql(probe, query, tenant.kode)).json()
    # The rules are fixed per schema (made per operation, no document would ever be found).
    assert calls == {"parse": 1, "validate": 1}


async def test_alias_bomb_is_refused(probe):
    bomb = "{ " + " ".join(f"a{i}: serverInfo {{ versi }}" for i in range(31)) + " }"
    response = await gql(probe, bomb)
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "31 aliases found. Allowed: 30"
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_token_flood_is_refused(probe, settings):
    flood = "{ serverInfo { " + " ".join(["versi"] * settings.graphql_max_tokens) + " } }"
    body = (await gql(probe, flood)).json()
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_unexpected_error_is_masked_and_tagged_with_the_request_id(probe, caplog):
    caplog.set_level(logging.ERROR, logger="ekinerja.graphql")
    response = await gql(probe, "{ boom }", **{"X-Request-ID": "support-case-0001"})
    error = response.json()["errors"][0]
    assert "secret internal detail" not in response.text
    assert error["extensions"] == {"code": "INTERNAL_ERROR", "requestId": "support-case-0001"}
    assert "support-case-0001" in error["message"]
    logged = [r for r in caplog.records if r.name == "ekinerja.graphql"]
    assert logged and logged[0].request_id == "support-case-0001"
    assert "secret internal detail" in str(logged[0].exc_info[1])


async def test_every_response_carries_a_request_id(probe):
    kept = await probe.get("/healthz", headers={"X-Request-ID": "abcdef12-3456"})
    assert kept.headers["x-request-id"] == "abcdef12-3456"
    replaced = await probe.get("/healthz", headers={"X-Request-ID": "bad id\u0001"})
    assert len(replaced.headers["x-request-id"]) == 32
    assert (await probe.get("/healthz")).headers["x-request-id"] != replaced.headers["x-request-id"]


async def test_introspection_and_graphiql_only_in_development(database, idp):
    introspection = "{ __schema { queryType { name } } }"
    async with _client(settings_for(database), idp, probe=False) as dev:
        assert (await gql(dev, introspection)).json()["data"]["__schema"]["queryType"][
            "name"
        ] == "Query"
        ide = await dev.get("/graphql", headers={"Accept": "text/html"})
        assert ide.status_code == 200 and "graphiql" in ide.text.lower()
    async with _client(settings_for(database, mode="production"), idp, probe=False) as prod:
        refused = (await gql(prod, introspection)).json()
        assert (
            refused["data"] is None and "introspection" in refused["errors"][0]["message"].lower()
        )
        # No page there: /graphql is POST only (405 with Allow, decision 0025).
        page = await prod.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 405 and page.headers["allow"] == "POST"


async def test_syntax_error_is_a_clear_validation_error(probe):
    body = (await gql(probe, "{ serverInfo { versi }")).json()
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_queries_over_get_are_refused(probe):
    response = await probe.get("/graphql", params={"query": "{ serverInfo { versi } }"})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert "data" not in response.json()
