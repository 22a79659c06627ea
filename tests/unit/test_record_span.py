"""Each record's span: in its parent's trace, and no span at all when the parent was not
sampled (only the parent's context, so what the record causes stays in the same trace);
a span is marked failed only when its record is dead-lettered."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import cast

from aiokafka import ConsumerRecord
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased
from opentelemetry.trace import Span, StatusCode

from thidua.es.consumer import CommandConsumer, Incoming, Outcome
from thidua.es.decider import Missing
from thidua.es.dlq import DeadLetterWriter
from thidua.es.service import ServiceRuntime
from thidua.es.session import Around
from thidua.es.subscribe import command_handler, record_span

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


def _sdk_span() -> tuple[Span, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ALWAYS_ON)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("test").start_span("record"), exporter


class _LoadsFirst:
    """A command consumer whose decision asks for streams once (the kernel's ``Missing``),
    then decides: what every batch meeting a stream for the first time does."""

    async def handle(self, batch: Sequence[Incoming], around: Around | None = None) -> list[str]:
        assert around is not None
        with contextlib.suppress(Missing), around(0):
            raise Missing(["person:x"])
        with around(0):
            pass
        return [Outcome.ACCEPTED]


async def test_a_record_asking_for_streams_is_not_a_failed_span() -> None:
    span, exporter = _sdk_span()
    handle = command_handler(cast(CommandConsumer, _LoadsFirst()))
    assert await handle([Incoming("t", 0, 1, None, b"{}", ())], [span]) == [Outcome.ACCEPTED]
    span.end()
    (finished,) = exporter.get_finished_spans()
    assert finished.status.status_code is StatusCode.UNSET
    assert finished.events == ()


async def test_a_dead_lettered_record_marks_its_span_failed() -> None:
    span, exporter = _sdk_span()
    runtime = ServiceRuntime("svc", "postgresql://unused", "127.0.0.1:1")
    put = []

    class _Writer:
        async def put(self, incoming: Incoming, error: BaseException, attempts: int) -> None:
            put.append(incoming.position)

    runtime._dead_letters = cast(DeadLetterWriter, _Writer())
    record = Incoming("t", 0, 1, None, b"{}", ())
    with trace.use_span(span, end_on_exit=True):
        await runtime._dead_letter(record, ValueError("no handler"), 3)
    assert put == [record.position]
    (finished,) = exporter.get_finished_spans()
    assert finished.status.status_code is StatusCode.ERROR
    assert finished.status.description == "dead-lettered after 3 attempts"
    assert [e.name for e in finished.events] == ["exception"]
