"""The trace context stored with each event: the active span's, formatted once per span."""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON

from thidua.telemetry import current_trace_context


def test_each_span_gets_its_own_context_and_none_outside_a_span() -> None:
    assert dict(current_trace_context()) == {}
    tracer = TracerProvider(sampler=ALWAYS_ON).get_tracer("test")
    seen = []
    for _ in range(2):
        with tracer.start_as_current_span("record") as span:
            first, again = current_trace_context(), current_trace_context()
            ids = span.get_span_context()
            assert dict(first) == dict(again)
            assert first["traceparent"] == (
                f"00-{ids.trace_id:032x}-{ids.span_id:016x}-{int(ids.trace_flags):02x}"
            )
            assert ids.trace_flags.sampled
            seen.append(first["traceparent"])
    assert seen[0] != seen[1]
    assert dict(current_trace_context()) == {}


def test_an_unsampled_span_passes_its_flags_on() -> None:
    tracer = TracerProvider(sampler=ALWAYS_OFF).get_tracer("test")
    with tracer.start_as_current_span("record"):
        flags = current_trace_context()["traceparent"].rsplit("-", 1)[1]
        assert not int(flags, 16) & 1
