"""Each record's span: in its parent's trace, and no span at all when the parent was not
sampled (only the parent's context, so what the record causes stays in the same trace)."""

from __future__ import annotations

from aiokafka import ConsumerRecord
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased
from opentelemetry.trace import Span

from thidua.es.subscribe import record_span

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


def _record(*headers: tuple[str, bytes]) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="thidua.ingress.x",
        partition=0,
        offset=7,
        timestamp=0,
        timestamp_type=0,
        key=None,
        value=b"{}",
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=2,
        headers=list(headers),
    )


def _span(*headers: tuple[str, bytes]) -> Span:
    tracer = TracerProvider(sampler=ParentBased(ALWAYS_ON)).get_tracer("test")
    return record_span(tracer, _record(*headers), "group", 1)


def test_sampled_parent_gives_a_recording_child_in_its_trace() -> None:
    span = _span(("traceparent", f"00-{TRACE}-{PARENT}-01".encode()))
    assert span.is_recording()
    assert span.get_span_context().trace_id == int(TRACE, 16)
    assert span.get_span_context().span_id != int(PARENT, 16)


def test_unsampled_parent_gives_its_own_context_and_no_span() -> None:
    span = _span(("traceparent", f"00-{TRACE}-{PARENT}-00".encode()))
    assert not span.is_recording()
    context = span.get_span_context()
    assert (context.trace_id, context.span_id) == (int(TRACE, 16), int(PARENT, 16))
    assert not context.trace_flags.sampled


def test_unsampled_parent_with_tracestate_goes_through_the_sampler() -> None:
    span = _span(("traceparent", f"00-{TRACE}-{PARENT}-00".encode()), ("tracestate", b"vendor=x"))
    assert not span.is_recording()
    assert span.get_span_context().trace_state.get("vendor") == "x"


def test_malformed_traceparent_or_none_starts_a_new_trace() -> None:
    for headers in [(("traceparent", b"\xff-junk"),), ()]:
        span = _span(*headers)
        assert span.is_recording()
        assert span.get_span_context().trace_id != int(TRACE, 16)
