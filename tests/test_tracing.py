"""OpenTelemetry spans (the `otel` extra, EKINERJA_OTEL_ENABLED): a request's span carries its
request id, the tenant binding is its child and the SQL statements the binding's; S3 calls and
webhook deliveries are spans too. Off, nothing is recorded. Spans are read from the SDK's
in-memory exporter."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

pytest.importorskip("opentelemetry.sdk.trace", reason="the otel extra is not installed")

from moto.server import ThreadedMotoServer  # noqa: E402
from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind  # noqa: E402
from tortoise.timezone import now as utc_now  # noqa: E402

from ekinerja.http.app import create_app  # noqa: E402
from ekinerja.observability import tracing  # noqa: E402
from ekinerja.storage import S3Store  # noqa: E402
from tests.support.auth import principal_header  # noqa: E402
from tests.support.receiver import Receiver  # noqa: E402
from tests.test_webhooks import announce, register, subscribe, worker  # noqa: E402

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    if not getattr(provider, "_ekinerja_test", False):
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        provider._ekinerja_test = True  # type: ignore[attr-defined]
    _EXPORTER.clear()
    yield _EXPORTER
    tracing.disable()
    _EXPORTER.clear()


def client_of(settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings)),
                             base_url="http://t")  # fmt: skip


async def test_request_binding_and_sql_spans(settings, idp, tenant, team, spans):
    traced = settings.model_copy(update={"otel_enabled": True})
    async with client_of(traced) as client:
        answer = await client.post(
            "/graphql",
            json={"query": "query Saya { saya { nama } }"},
            headers=principal_header(idp, tenant.kode, team.staf.nip)
            | {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
        )
    assert answer.status_code == 200 and "errors" not in answer.json()
    finished = spans.get_finished_spans()
    [request] = [s for s in finished if s.kind is SpanKind.SERVER]
    assert request.name == "POST /graphql"
    assert request.attributes["ekinerja.request_id"] == answer.headers["x-request-id"]
    assert request.attributes["graphql.operation.name"] == "Saya"
    assert request.attributes["ekinerja.instansi"] == tenant.kode
    assert request.attributes["http.response.status_code"] == 200
    # The caller's trace goes on (W3C traceparent).
    assert format(request.context.trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"
    bindings = [s for s in finished if s.name == "tenant binding"]
    assert bindings and all(b.parent.span_id == request.context.span_id for b in bindings)
    assert bindings[0].attributes["ekinerja.instansi"] == tenant.kode
    statements = [s for s in finished if s.attributes.get("db.system") == "postgresql"]
    inside = [s for s in statements if s.parent.span_id == bindings[0].context.span_id]
    assert {s.name for s in inside} >= {"BEGIN", "SELECT"}, [s.name for s in inside]
    assert all(s.context.trace_id == request.context.trace_id for s in statements)


async def test_off_records_nothing(settings, idp, tenant, team, spans):
    async with client_of(settings) as client:
        answer = await client.post(
            "/graphql",
            json={"query": "{ saya { nama } }"},
            headers=principal_header(idp, tenant.kode, team.staf.nip),
        )
    assert answer.status_code == 200
    assert spans.get_finished_spans() == ()


async def test_s3_calls_and_webhook_deliveries(settings, portal, tenant, spans):
    assert tracing.enable(settings.model_copy(update={"otel_enabled": True}))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    store = S3Store(bucket="traced", endpoint_url=f"http://{host}:{port}", access_key_id="t",
                    secret_access_key="t")  # fmt: skip
    try:
        await store.ensure_bucket()
        await store.check()
    finally:
        await store.close()
        server.stop()
    hr = await register(portal, "hr")
    async with httpx.AsyncClient() as http, Receiver() as receiver:
        await subscribe(hr, receiver.url())
        await announce(tenant)
        await worker(settings, http).run_tenant(tenant, utc_now())
    names = [s.name for s in spans.get_finished_spans()]
    assert "S3 HEAD" in names
    [delivery] = [s for s in spans.get_finished_spans() if s.name == "webhook delivery"]
    assert delivery.attributes["ekinerja.instansi"] == tenant.kode
    assert delivery.attributes["http.response.status_code"] == 200
