"""OpenTelemetry traces through the Temporal SDK's interceptor: a span from the API's
workflow start or update continues in the workflow and its activities, across processes.
Off unless MUTASI_OTEL_EXPORTER is set; the OTLP exporter reads the standard
OTEL_EXPORTER_OTLP_* variables (endpoint, headers)."""

from __future__ import annotations

from typing import Any


def tracing_interceptors(exporter: str, service_name: str, span_exporter: Any = None) -> list[Any]:
    """The client interceptors for `exporter` ("none", "otlp", "console"); workers built on
    that client pick them up too. `span_exporter` overrides the exporter (tests)."""
    if exporter == "none" and span_exporter is None:
        return []
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )
    from temporalio.contrib.opentelemetry import TracingInterceptor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if span_exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    elif exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    else:
        raise ValueError(f"MUTASI_OTEL_EXPORTER tidak dikenal: {exporter!r} (none, otlp, console)")
    return [TracingInterceptor(provider.get_tracer("mutasi"))]
