"""Liveness and readiness."""

from __future__ import annotations

import os

from prometheus_client.parser import text_string_to_metric_families
from tortoise.connection import get_connection

from ekinerja.db.config import CONNECTION
from ekinerja.models.shared import Instansi
from ekinerja.tenants.schema_versions import latest_shared_version


async def test_healthz_answers(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "pid": os.getpid()}


async def test_readyz_reports_database_and_migration_state(client, tenant):
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok" and ready.json()["sharedSchemaCurrent"] is True

    behind_before = ready.json()["tenantsBehind"]
    await Instansi.filter(id=tenant.id).update(schema_version=None)
    behind = await client.get("/readyz")
    # One tenant behind is refused on its own; the service stays ready for the others.
    assert behind.status_code == 200
    assert behind.json()["tenantsBehind"] == behind_before + 1


async def test_readyz_is_unavailable_when_shared_schema_is_not_current(client):
    connection = get_connection(CONNECTION)
    latest = latest_shared_version()
    rename = "UPDATE shared.tortoise_migrations SET name = $1 WHERE app = 'shared' AND name = $2"
    await connection.execute_query(rename, ["renamed", latest])
    try:
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "migrations_pending"
    finally:
        await connection.execute_query(rename, [latest, "renamed"])


async def test_metrics_are_prometheus_text_about_the_process_only(client, tenant):
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = response.text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    pool_max = families["ekinerja_db_pool_max_connections"]
    assert pool_max.type == "gauge" and [s.value for s in pool_max.samples] == [20]
    failures = {
        s.labels["code"]
        for s in families["ekinerja_database_failure_responses"].samples
        if s.name.endswith("_total")
    }
    assert failures >= {"DATABASE_UNAVAILABLE", "DATABASE_TIMEOUT", "DATABASE_LOCK_TIMEOUT"}
    assert tenant.kode not in text and tenant.schema_name not in text
