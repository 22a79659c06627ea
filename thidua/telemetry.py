"""OpenTelemetry bootstrap, configured from the standard ``OTEL_*`` environment variables.

``OTEL_TRACES_EXPORTER`` picks the exporter: ``zipkin`` (the local trace UI; endpoint from
``OTEL_EXPORTER_ZIPKIN_ENDPOINT``), ``otlp`` (a collector; ``OTEL_EXPORTER_OTLP_*``),
``console`` or ``none`` (the default when unset). ``OTEL_SERVICE_NAME`` and
``OTEL_RESOURCE_ATTRIBUTES`` shape the resource; ``OTEL_SDK_DISABLED=true`` turns it all off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace import SpanContext, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_instrumented = False

_TRACEPARENT = re.compile(rb"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")


def unsampled_context(traceparent: bytes | str | None) -> SpanContext | None:
    """The remote context a W3C ``traceparent`` names if it says "not sampled"; None for a
    sampled, missing or malformed one. A parent-based sampler records nothing under such a
    context: code that would only start a span to pass the context on can pass it as it is."""
    if not traceparent:
        return None
    raw = traceparent.encode() if isinstance(traceparent, str) else traceparent
    found = _TRACEPARENT.fullmatch(raw.strip())
    if found is None or int(found[3], 16) & TraceFlags.SAMPLED:
        return None
    context = SpanContext(
        int(found[1], 16), int(found[2], 16), is_remote=True, trace_flags=TraceFlags(0)
    )
    return context if context.is_valid else None


def _exporter(name: str) -> SpanExporter | None:
    if name == "zipkin":
        from opentelemetry.exporter.zipkin.json import ZipkinExporter

        return ZipkinExporter()
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if name == "console":
        return ConsoleSpanExporter()
    if name in ("", "none"):
        return None
    raise ValueError(
        f"OTEL_TRACES_EXPORTER={name!r} is not supported (zipkin, otlp, console, none)"
    )


def build_tracer_provider(service_name: str) -> TracerProvider:
    """A tracer provider for one service, exporting where ``OTEL_*`` says."""
    resource = Resource.create({SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", service_name)})
    provider = TracerProvider(resource=resource)
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return provider
    exporter = _exporter(os.environ.get("OTEL_TRACES_EXPORTER", "none").split(",")[0].strip())
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def _under_unsampled_parent() -> bool:
    """The active span is valid and not sampled: under a parent-based sampler, no child of it
    records anything."""
    context = trace.get_current_span().get_span_context()
    return context.is_valid and not context.trace_flags.sampled


def instrument_asyncpg(provider: TracerProvider) -> None:
    """Trace asyncpg queries (process-wide; the first provider given keeps them).

    The instrumentation builds each statement's attributes and a span even where the sampler
    then drops it: under an unsampled parent (most records, by the sampling ratio) that cost
    7-13% of a service's CPU. With a parent-based sampler (the SDK's default, and every
    ``parentbased_*`` choice of ``OTEL_TRACES_SAMPLER``) such a span can never be recorded, so
    the statement runs as it is, and the traces exported are the same."""
    global _instrumented
    if _instrumented:
        return
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.sdk.trace.sampling import ParentBased

    instrumentor: Any = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if isinstance(provider.sampler, ParentBased):
        for name in ("_do_execute", "_do_cursor_execute", "_do_prepared_execute"):
            setattr(instrumentor, name, _skip_when_unsampled(getattr(instrumentor, name)))
    instrumentor.instrument(tracer_provider=provider)
    _instrumented = True


def _skip_when_unsampled(
    wrapper: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """``wrapper`` (a wrapt wrapper: the method, its instance, args, kwargs), skipped under
    an unsampled parent."""

    async def wrapped(func: Any, instance: Any, args: Any, kwargs: Any) -> Any:
        if _under_unsampled_parent():
            return await func(*args, **kwargs)
        return await wrapper(func, instance, args, kwargs)

    return wrapped


def configure_telemetry(service_name: str) -> TracerProvider:
    """Install the process-wide tracer provider for a service process, asyncpg included."""
    provider = build_tracer_provider(service_name)
    trace.set_tracer_provider(provider)
    instrument_asyncpg(provider)
    return provider


def current_trace_context() -> Mapping[str, str]:
    """W3C ``traceparent``/``tracestate`` of the active span; empty when there is none.

    This runs for every event a service stores, and the events a record causes are stored under
    its one span: the last span's context is formatted once and kept (by the identity of its
    ``SpanContext``, which is immutable). Callers must not change what it returns."""
    global _LAST
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return _EMPTY
    last = _LAST
    if last is not None and last[0] is context:
        return last[1]
    # The W3C propagator alone (not the global composite, whose baggage is not kept).
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    _LAST = (context, MappingProxyType(carrier))
    return _LAST[1]


_W3C = TraceContextTextMapPropagator()
_EMPTY: Mapping[str, str] = MappingProxyType({})
_LAST: tuple[SpanContext, Mapping[str, str]] | None = None


@contextmanager
def restored_trace_context(traceparent: str | None, tracestate: str | None) -> Iterator[None]:
    """Make a stored W3C context current, so spans started inside continue that trace."""
    if not traceparent:
        yield
        return
    carrier = {"traceparent": traceparent}
    if tracestate:
        carrier["tracestate"] = tracestate
    token = otel_context.attach(propagate.extract(carrier))
    try:
        yield
    finally:
        otel_context.detach(token)
