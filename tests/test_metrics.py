"""/metrics (prometheus-client, ekinerja/observability/metrics.py): real requests through the
app, then the answer parsed with prometheus-client's own parser: requests by route template,
bounded GraphQL operation and status class; errors by code; the pool; timeouts; webhook
outcomes and queue depth; import rows; the `instansi` label only when configured, and never
more operation series than the bound however many names clients send.

The registry is the process's, shared by every test of the session: each test compares the
samples after with the samples before."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tortoise.timezone import now as utc_now
from tortoise.transactions import in_transaction

from ekinerja.auth.principal import Role
from ekinerja.db.config import CONNECTION
from ekinerja.db.errors import DatabaseTimeout
from ekinerja.http.app import create_app
from ekinerja.kepegawaian.impor.runner import run_pass
from ekinerja.webhooks.antrean import Sampler
from tests.support.auth import principal_header
from tests.support.pegawai_rows import small_agency
from tests.support.receiver import Receiver
from tests.test_impor_kepegawaian import admin, csv_body, upload
from tests.test_webhooks import announce, register, subscribe, worker

DURATION = "ekinerja_http_request_duration_seconds"
Samples = dict[tuple[str, frozenset], float]


async def samples(client: httpx.AsyncClient) -> Samples:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    return after.get(key, 0.0) - before.get(key, 0.0)


def client_of(settings) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(settings), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def operate(client, idp, tenant, nip: str, query: str, **body) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query, **body}, headers=principal_header(idp, tenant.kode, nip)
    )


async def test_requests_by_operation_endpoint_and_status(settings, idp, tenant, team):
    async with client_of(settings) as client:
        before = await samples(client)
        for _ in range(3):
            answer = await operate(
                client, idp, tenant, team.staf.nip, "query Saya { saya { nama } }"
            )
            assert answer.status_code == 200 and "errors" not in answer.json(), answer.json()
        named = await operate(
            client, idp, tenant, team.staf.nip, "query A { __typename } query B { __typename }",
            operationName="B",
        )  # fmt: skip
        assert named.status_code == 200
        anonymous = await operate(client, idp, tenant, team.staf.nip, "{ __typename }")
        assert anonymous.status_code == 200
        assert (await client.post("/graphql", json={"query": "{ __typename }"})).status_code == 401
        assert (await client.get("/skp/1/dokumen.pdf")).status_code == 401
        assert (await client.get("/no/such/path")).status_code == 404
        after = await samples(client)

    def count(**labels: str) -> float:
        return moved(before, after, f"{DURATION}_count", instansi="", **labels)

    graphql = {"endpoint": "/graphql", "status": "2xx"}
    assert count(operation="Saya", **graphql) == 3
    assert count(operation="B", **graphql) == 1
    assert count(operation="anonymous", **graphql) == 1
    # Refused before authentication: no operation read.
    assert count(endpoint="/graphql", operation="", status="4xx") == 1
    assert count(endpoint="/skp/{skp_id}/dokumen.pdf", operation="", status="4xx") == 1
    assert count(endpoint="unmatched", operation="", status="4xx") == 1
    key = {"endpoint": "/graphql", "operation": "Saya", "status": "2xx", "instansi": ""}
    assert moved(before, after, f"{DURATION}_sum", **key) > 0
    assert moved(before, after, f"{DURATION}_bucket", le="+Inf", **key) == 3
    # Per instansi is off by default: no instansi named anywhere.
    assert not any(dict(labels).get("instansi") for _, labels in after)


async def test_errors_by_code(settings, idp, tenant, team):
    async with client_of(settings) as client:
        before = await samples(client)
        await client.post("/graphql", json={"query": "{ __typename }"})  # no token
        invalid = await operate(client, idp, tenant, team.staf.nip, "{ noSuchField }")
        assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        after = await samples(client)
    assert moved(before, after, "ekinerja_errors_total", code="UNAUTHENTICATED", source="http") == 1
    assert (
        moved(before, after, "ekinerja_errors_total", code="GRAPHQL_VALIDATION_FAILED",
              source="graphql") == 1
    )  # fmt: skip


async def test_operation_names_are_bounded(settings, idp, tenant, team):
    """A thousand names from a client: the first `metrics_max_operations` are labels, the rest
    count as `other`; a name that is no GraphQL name never becomes one."""
    bounded = settings.model_copy(update={"metrics_max_operations": 10})
    async with client_of(bounded) as client:
        before = await samples(client)
        for n in range(1000):
            answer = await operate(
                client, idp, tenant, team.staf.nip, "{ __typename }", operationName=f"Op{n}x"
            )
            assert answer.status_code in (200, 400)  # no such operation in the document
        after = await samples(client)
    grew = {
        dict(labels)["operation"]
        for (name, labels), value in after.items()
        if name == f"{DURATION}_count"
        and dict(labels)["endpoint"] == "/graphql"
        and value > before.get((name, labels), 0.0)
    }
    ours = {op for op in grew if op.startswith("Op")}
    assert len(ours) <= 10 and "other" in grew
    series = [k for k in after if k[0] == f"{DURATION}_count"]
    assert len(series) < 200  # the whole session's, whatever the tests sent


async def test_per_instansi_when_configured(settings, idp, tenant, team):
    per_instansi = settings.model_copy(update={"metrics_per_instansi": True})
    async with client_of(per_instansi) as client:
        before = await samples(client)
        await operate(client, idp, tenant, team.staf.nip, "query Saya { saya { nama } }")
        after = await samples(client)
    assert (
        moved(before, after, f"{DURATION}_count", endpoint="/graphql", operation="Saya",
              status="2xx", instansi=tenant.kode) == 1
    )  # fmt: skip


async def test_pool_gauges_and_statement_timeouts(settings, client):
    before = await samples(client)
    with pytest.raises(DatabaseTimeout):
        async with in_transaction(CONNECTION) as connection:
            await connection.execute_query("SELECT set_config('statement_timeout', '50', true)")
            await connection.execute_query("SELECT pg_sleep(5)")
    after = await samples(client)
    assert moved(before, after, "ekinerja_db_timeouts_total", kind="statement") == 1
    assert after[("ekinerja_db_pool_max_connections", frozenset())] == settings.db_pool_max
    assert after[("ekinerja_db_pool_connections", frozenset({("state", "open")}))] >= 1
    assert ("ekinerja_db_pool_waiting", frozenset()) in after


async def test_webhook_outcomes_and_queue(portal, tenant, settings, client):
    hr = await register(portal, "hr")
    before = await samples(client)
    async with httpx.AsyncClient() as http, Receiver(500) as receiver:
        await subscribe(hr, receiver.url())
        await announce(tenant)
        t0 = utc_now()
        await worker(settings, http).run_tenant(tenant, t0)  # 500: to be retried
        await Sampler(per_instansi=False).sample([tenant])
        waiting = await samples(client)
        # Due again after its backoff: the receiver answers 200 now.
        await worker(settings, http).run_tenant(tenant, t0.replace(year=t0.year + 1))
        # A second event with one attempt allowed, refused: a dead letter.
        receiver.answers.append(500)
        await announce(tenant)
        await worker(settings, http, webhook_max_attempts=1).run_tenant(tenant, utc_now())
        await Sampler(per_instansi=False).sample([tenant])
    after = await samples(client)
    for outcome in ("failed", "delivered", "dead"):
        key = {"outcome": outcome, "instansi": ""}
        assert moved(before, after, "ekinerja_webhook_deliveries_total", **key) == 1, outcome
    assert waiting[("ekinerja_webhook_queue_depth", frozenset({("instansi", "")}))] == 1
    assert waiting[("ekinerja_worker_lag_seconds", frozenset({("instansi", "")}))] >= 0
    assert after[("ekinerja_webhook_queue_depth", frozenset({("instansi", "")}))] == 0
    assert after[("ekinerja_outbox_depth", frozenset({("instansi", "")}))] == 0
    assert after[("ekinerja_worker_queues_sampled_timestamp_seconds", frozenset())] > 0


async def test_import_rows(settings, idp, tenant, client):
    rows = small_agency()
    before = await samples(client)
    queued = await upload(client, admin(idp, tenant), csv_body(rows))
    assert queued.status_code == 202, queued.text
    assert await run_pass([tenant], settings) == 1
    after = await samples(client)
    written = {"kind": "PEGAWAI", "outcome": "written"}
    assert moved(before, after, "ekinerja_import_rows_total", **written) == len(rows)
    ended = {"kind": "PEGAWAI", "status": "SUCCEEDED"}
    assert moved(before, after, "ekinerja_import_jobs_total", **ended) == 1


async def test_access_log_says_operation_instansi_and_principal(settings, idp, tenant, team,
                                                                 caplog):  # fmt: skip
    import logging

    caplog.set_level(logging.INFO, logger="ekinerja.http.access")
    async with client_of(settings) as client:
        await operate(client, idp, tenant, team.staf.nip, "query Saya { saya { nama } }")
        await client.post(
            "/graphql", json={"query": "{ __typename }"},
            headers=principal_header(idp, tenant.kode, team.staf.nip, Role.ADMIN_INSTANSI),
        )  # fmt: skip
        await client.get("/healthz")
    served, anonymous, health = [r for r in caplog.records if r.name == "ekinerja.http.access"]
    assert (served.operation, served.instansi, served.principal) == ("Saya", tenant.kode, "person")
    assert (served.status, served.path) == (200, "/graphql") and served.duration_ms >= 0
    assert anonymous.operation is None and anonymous.instansi == tenant.kode
    assert (health.operation, health.instansi, health.principal) == (None, None, None)
