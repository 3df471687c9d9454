"""OpenTelemetry spans, optional: with the `otel` extra installed and EKINERJA_OTEL_ENABLED=true
the service makes a span for each HTTP request (attribute ``ekinerja.request_id``, and the
operation, instansi and status once known), each tenant binding (the transaction bound to an
instansi), each SQL statement, each object-store call and each webhook delivery.

Off (the default) or not installed, nothing of OpenTelemetry is imported and the hooks cost one
test of ``tracer`` against None (a module attribute) where they stand: the edge middleware, the
binding, the engine's one place every statement goes out, the S3 store's one wrapper of its
calls, the webhook worker's attempt.

Where spans go is the deployment's choice: when no tracer provider has been set (by the
process, or a test), ``enable`` sets the SDK's with the OTLP exporter if that is installed (the
`otel-otlp` extra; it reads the standard OTEL_EXPORTER_OTLP_* variables), else with none (a
warning says so: spans are made, then dropped).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from ekinerja.settings import Settings

log = logging.getLogger(__name__)

tracer: Any = None  # an opentelemetry Tracer while tracing is on
_NO_SPAN = nullcontext()
MAX_STATEMENT = 2000  # characters of a statement kept as db.statement


def enable(settings: Settings) -> bool:
    """Turn tracing on if the settings ask and OpenTelemetry is installed; whether it is on."""
    global tracer
    if not settings.otel_enabled:
        return tracer is not None
    if tracer is not None:
        return True
    try:
        from opentelemetry import trace
    except ImportError:
        log.warning(
            "EKINERJA_OTEL_ENABLED is true but OpenTelemetry is not installed (pip install "
            "'ekinerja[otel]'): no spans"
        )
        return False
    _provide(trace)
    tracer = trace.get_tracer("ekinerja")
    return True


def disable() -> None:
    """Back to no spans (tests)."""
    global tracer
    tracer = None


def _provide(trace: Any) -> None:
    """The SDK's provider with an exporter, unless someone set a provider already."""
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        return  # the API alone: the application (or nobody) provides
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    # The service's name unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) gives one.
    detected = Resource.create()
    named = detected.attributes.get("service.name", "").startswith("unknown_service")
    provider = TracerProvider(
        resource=detected.merge(Resource({"service.name": "ekinerja"})) if named else detected
    )
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError:
        log.warning(
            "tracing on without an exporter: spans are dropped (pip install "
            "'ekinerja[otel-otlp]' and set OTEL_EXPORTER_OTLP_ENDPOINT)"
        )
    else:
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


def span(name: str, **attributes: Any):
    """A span as a context manager, or a context manager that does nothing while tracing is
    off. For the hooks that are not per-request hot paths; those test ``tracer`` first."""
    if tracer is None:
        return _NO_SPAN
    return tracer.start_as_current_span(name, attributes=attributes)


def server_span(scope: dict, request_id: str):
    """The span of one HTTP request, continuing the caller's trace (W3C traceparent) if any."""
    from opentelemetry.propagate import extract
    from opentelemetry.trace import SpanKind

    carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    route = scope["path"]
    return tracer.start_as_current_span(
        f"{scope['method']} {route}",
        context=extract(carrier),
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": scope["method"],
            "url.path": scope["path"],
            "ekinerja.request_id": request_id,
        },
    )


def finish_server_span(current: Any, scope: dict, status: int | None) -> None:
    state = scope.get("state", {})
    route = scope.get("route")
    if route is not None:
        current.update_name(f"{scope['method']} {route.path}")
        current.set_attribute("http.route", route.path)
    if status is not None:
        current.set_attribute("http.response.status_code", status)
        if status >= 500:
            from opentelemetry.trace import Status, StatusCode

            current.set_status(Status(StatusCode.ERROR))
    for key, attribute in (
        ("operation_name", "graphql.operation.name"),
        ("instansi", "ekinerja.instansi"),
        ("principal", "ekinerja.principal"),
    ):
        value = state.get(key)
        if value:
            current.set_attribute(attribute, value)


@contextmanager
def statement_span(sql: Any) -> Iterator[None]:
    text = sql if isinstance(sql, str) else str(sql)
    verb = text.lstrip().split(None, 1)[0].upper() if text.strip() else "SQL"
    with tracer.start_as_current_span(
        verb,
        attributes={
            "db.system": "postgresql",
            "db.statement": text[:MAX_STATEMENT],
        },
    ):
        yield
