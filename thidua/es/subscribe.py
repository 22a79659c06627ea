"""Kafka subscriptions of a service: raw record batches in, outcomes and offsets out.

FastStream is the transport. Its own parser would decode every header as UTF-8 and its batch
decoder would ``json.loads`` every value before the handler runs; either failing drops the
record, or the whole batch, without a trace. So the subscriptions here use a parser that passes
the records through untouched (keys, values and headers as bytes) and a decoder that decodes
nothing: every record reaches ``thidua.es.intake`` and ends as exactly one outcome.
"""

from __future__ import annotations

import contextlib
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any, cast

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, Topic
from faststream.kafka.message import FAKE_CONSUMER, KafkaAckableMessage
from faststream.kafka.subscriber.usecase import BatchSubscriber
from opentelemetry import propagate, trace
from opentelemetry.trace import Link, NonRecordingSpan, Span, SpanKind

from thidua.es.consumer import CommandConsumer, Outcome
from thidua.es.intake import Incoming
from thidua.es.offsets import OffsetCommitter
from thidua.es.ops import Metrics
from thidua.es.pressure import BATCH, SpareCpu
from thidua.telemetry import unsampled_context

log = logging.getLogger(__name__)

Records = tuple[ConsumerRecord[bytes, bytes], ...]


@dataclass(frozen=True)
class BatchSettings:
    """How many records one batch holds at most, how long one poll waits for a first record
    when none is fetched yet (records already fetched are handed over at once), and what the
    broker waits for before it answers a fetch: ``fetch_min_bytes`` new bytes, or
    ``fetch_max_wait_ms`` (Kafka's defaults answer as soon as one record is there)."""

    max_records: int
    timeout_ms: int
    fetch_max_wait_ms: int = 500
    fetch_min_bytes: int = 1

    def gathering(self) -> BatchSettings:
        """These settings for a consumer that gathers (:data:`GATHER_MS`)."""
        return replace(self, fetch_max_wait_ms=GATHER_MS, fetch_min_bytes=GATHER_BYTES)


COMMANDS = BatchSettings(max_records=500, timeout_ms=250)
# A projection's batch costs about fifteen statements whatever its size, and the counters' deltas
# of its facts are summed before they are written: a backlog (a history produced at once, a
# restart) goes through in fewer, larger transactions. Live projection of the bench's 51k
# events, interleaved runs: 2,000 records 4,575 / 4,464 events/s, 5,000 records 5,348 / 4,686
# / 4,920 / 5,873, 10,000 records 5,538 / 5,275 (a fetch holds about 1 MB a partition, so a
# batch seldom reaches the limit). A few records arriving at a time still go at once.
PROJECTIONS = BatchSettings(max_records=10000, timeout_ms=250)

GATHER_MS = 200
GATHER_BYTES = 1 << 20
"""A consumer that gathers is answered when 1 MB of new records is there, or 200 ms after it
asked: at a hundred events a second it takes them in batches of about twenty instead of one
(one fetch, one transaction and one offset commit for twenty), and under a backlog it is as
prompt as any. Consumers whose output nobody waits on within a second gather (awards'
paperwork, notifications, the audit trail); the path from a department's event to the
province's rollup (registration's ingress, the reporting model) answers at once, unless it
is busy (``BUSY_FETCH``) (docs/decisions.md, "Consumers that gather")."""


BUSY_RECORDS_PER_S = 300
"""A prompt consumer taking at least this many records a second gathers (``BUSY_FETCH``)."""
BUSY_FETCH = (20, 16 * 1024)
"""(``fetch_max_wait_ms``, ``fetch_min_bytes``) of a prompt consumer while it is busy: the broker
answers when 16 KiB of new records are there, or 20 ms after it was asked. At 500 events/s
registration decided 81 batches a second of about six events, and the cost of each batch
(statements, a commit, a produce, the fetches of every consumer after it) filled the machine;
gathering for at most 20 ms on the way to the rollup took the publish-to-rollup p99 at 500
events/s from 853-1,096 ms to 390-395 in three interleaved pairs (40 ms and 64 KiB did no
better) (docs/decisions.md, "Prompt consumers gather when busy"). Below
``BUSY_RECORDS_PER_S`` it answers at once, as before."""
PACE_S = 0.5
"""How often a prompt consumer's rate is looked at (and its fetch settings changed)."""


@dataclass
class _Pace:
    """A prompt consumer's fetch settings: gathering while it is busy, prompt otherwise.

    aiokafka reads them from its fetcher for every fetch request it builds, and has no public
    way to change them on a running consumer: they are set on the fetcher
    (``tests/unit/test_prompt_subscriber.py`` checks that the installed aiokafka still builds its
    fetches from them)."""

    fetcher: Any
    prompt: tuple[int, int]
    since: float
    records: int = 0
    busy: bool = False

    def count(self, records: int, now: float) -> None:
        self.records += records
        if now - self.since < PACE_S:
            return
        busy = self.records / (now - self.since) >= BUSY_RECORDS_PER_S
        self.since, self.records = now, 0
        if busy is not self.busy:
            self.busy = busy
            wait, least = BUSY_FETCH if busy else self.prompt
            self.fetcher._fetch_max_wait_ms = wait
            self.fetcher._fetch_min_bytes = least


_PACES: weakref.WeakKeyDictionary[Any, _Pace | None] = weakref.WeakKeyDictionary()
"""Each fetcher's pace, by the fetcher itself: a consumer started again gets a new fetcher, and
with it a new pace."""


def _pace_of(consumer: AIOKafkaConsumer) -> _Pace | None:
    """The pace of a prompt consumer (one whose broker answers at the first byte); None for a
    consumer that gathers anyway, or that has no fetcher (not started)."""
    fetcher = getattr(consumer, "_fetcher", None)
    if fetcher is None:
        return None
    if fetcher not in _PACES:
        pace = None
        if getattr(fetcher, "_fetch_min_bytes", None) == 1:
            prompt = (fetcher._fetch_max_wait_ms, fetcher._fetch_min_bytes)
            pace = _Pace(fetcher, prompt, time.monotonic())
        _PACES[fetcher] = pace
    return _PACES[fetcher]


class _PromptBatchSubscriber(BatchSubscriber):
    """FastStream's batch subscriber without its nap.

    Its ``get_msg`` polls with ``getmany(timeout_ms=batch_timeout_ms)`` and, when that returns
    nothing, sleeps as long again before the next poll: a record that arrives during the nap
    waits for it (every hop of the pipeline paid up to the timeout again), and an idle
    consumer woke 25-50 times a second to poll. aiokafka's ``getmany`` already returns as soon
    as its fetcher has records, so polling again at once loses nothing."""

    __slots__ = ()

    async def get_msg(self, consumer: AIOKafkaConsumer) -> tuple[ConsumerRecord[Any, Any], ...]:
        fetched = await consumer.getmany(
            timeout_ms=self.batch_timeout_ms, max_records=self.max_records
        )
        records = tuple(chain.from_iterable(fetched.values()))
        pace = _pace_of(consumer)
        if pace is not None:
            pace.count(len(records), time.monotonic())
        return records


def prompt(subscriber: object) -> None:
    """Make a FastStream batch subscriber poll again at once (:class:`_PromptBatchSubscriber`)."""
    if isinstance(subscriber, BatchSubscriber):
        subscriber.__class__ = _PromptBatchSubscriber


def incoming(record: ConsumerRecord[bytes, bytes]) -> Incoming:
    return Incoming(
        record.topic,
        record.partition,
        record.offset,
        record.key,
        record.value or b"",
        tuple(record.headers or ()),
    )


class _Holder:
    """The subscriber's consumer, known once the subscriber exists."""

    def __init__(self) -> None:
        self.subscriber: Any = None

    @property
    def consumer(self) -> Any:
        found = getattr(self.subscriber, "consumer", None)
        return found if found is not None else FAKE_CONSUMER


def _raw(holder: _Holder) -> tuple[Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]]:
    async def parse(records: Records) -> KafkaAckableMessage:
        batch = records if isinstance(records, tuple) else (records,)
        first = batch[0]
        return KafkaAckableMessage(
            raw_message=batch,
            body=[],
            message_id=f"{first.topic}-{first.partition}-{first.offset}",
            consumer=holder.consumer,
        )

    async def decode(message: KafkaAckableMessage) -> KafkaAckableMessage:
        # The "body" handed to the handler is the message: the broker runs without
        # FastStream's dependency injection (``apply_types=False``), which would otherwise
        # resolve a ``Context("message")`` parameter in a worker thread for every batch.
        # A weak proxy, because FastStream keeps what the decoder returned on the message
        # (its cache of decoded bodies): the message itself there made each batch a reference
        # cycle, so its records were freed only by the cyclic collector. Measured in awards
        # during a scenario's dossier deadline: 17,000 records and 43,000 header tuples found
        # by one young collection, 50-190 ms each, on the path to the rollup. FastStream holds
        # the message until the handler returns.
        return cast(KafkaAckableMessage, weakref.proxy(message))

    return parse, decode


class _ForgetOnRebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    """Streams cached by a consumer are valid only while it owns its partitions."""

    def __init__(self, forget: Callable[[], None]) -> None:
        self.forget = forget

    async def on_partitions_revoked(self, revoked: Any) -> None:
        self.forget()

    async def on_partitions_assigned(self, assigned: Any) -> None:
        self.forget()


def subscribe_batches(
    broker: KafkaBroker,
    *,
    topics: Sequence[str],
    pattern: str | None,
    group_id: str,
    settings: BatchSettings,
    handle: Callable[[list[Incoming], list[Span]], Awaitable[Sequence[str]]],
    metrics: Metrics,
    committer: OffsetCommitter,
    tracer: trace.Tracer,
    on_rebalance: Callable[[], None] | None = None,
) -> None:
    """Subscribe ``handle`` to raw batches; commit each record's offset once it returns."""
    holder = _Holder()
    parse, decode = _raw(holder)
    spare = SpareCpu()  # a background program's batches wait while the CPU is saturated
    subscriber = broker.subscriber(
        # The runtime declares its topics itself (ensure_topics, provisioning); a service's
        # principal may not create topics, and FastStream would make them with 1 partition.
        *(Topic(t, declare=False) for t in topics),
        pattern=pattern,
        group_id=group_id,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",
        batch=True,
        max_records=min(settings.max_records, BATCH) if spare.background else settings.max_records,
        batch_timeout_ms=settings.timeout_ms,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        fetch_min_bytes=settings.fetch_min_bytes,
        parser=parse,
        decoder=decode,
        listener=_ForgetOnRebalance(on_rebalance) if on_rebalance else None,
    )
    prompt(subscriber)
    holder.subscriber = subscriber

    async def on_batch(message: KafkaAckableMessage) -> None:
        records: Records = message.raw_message
        metrics.yielded(group_id, await spare.wait())
        batch = [incoming(r) for r in records]
        spans = [record_span(tracer, r, group_id, len(batch)) for r in records]
        started = time.perf_counter()
        try:
            with batch_context(tracer, spans, group_id):
                outcomes = await handle(batch, spans)
        except BaseException:
            await message.nack()  # read them again
            raise
        finally:
            for span in spans:
                span.end()
        metrics.record(group_id, outcomes, time.perf_counter() - started)
        consumer: AIOKafkaConsumer = holder.consumer
        for r in records:
            committer.done(consumer, r.topic, r.partition, r.offset)

    subscriber(on_batch)


def command_handler(
    consumer: CommandConsumer,
) -> Callable[[list[Incoming], list[Span]], Awaitable[Sequence[str]]]:
    """Each record is decided under its own span (so its facts carry its trace). An exception
    leaving a decision is not the record's fate: the kernel's ``Missing`` (load these streams,
    then decide again) passes through every batch that meets a stream for the first time, and
    a failed batch is decided again record by record. A span is marked as failed only when its
    record is dead-lettered (``ServiceRuntime``)."""

    async def handle(batch: list[Incoming], spans: list[Span]) -> Sequence[str]:
        return await consumer.handle(
            batch,
            lambda i: trace.use_span(
                spans[i], end_on_exit=False, record_exception=False, set_status_on_exception=False
            ),
        )

    return handle


def record_span(
    tracer: trace.Tracer, record: ConsumerRecord[bytes, bytes], group: str, batch_size: int
) -> Span:
    """A span in each record's own trace, so a business event's trace shows each service that
    handled it. Header bytes that are not UTF-8 are replaced here: reading them for tracing
    never refuses or drops a record (``intake`` judges the record).

    A record whose parent was not sampled gets no span of its own, only its parent's context
    (what a parent-based sampler decides anyway, without building the span): the facts it
    causes carry the same unsampled trace, and most records cost no tracing at all."""
    unsampled = _unsampled_parent(record.headers or ())
    if unsampled is not None:
        return unsampled
    carrier = {k: bytes(v or b"").decode(errors="replace") for k, v in record.headers or ()}
    return tracer.start_span(
        f"{record.topic} process",
        context=propagate.extract(carrier),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
            "messaging.consumer.group.name": group,
            "messaging.batch.message_count": batch_size,
        },
    )


def _unsampled_parent(headers: Sequence[tuple[str, bytes | None]]) -> Span | None:
    """The parent of a record whose ``traceparent`` says "not sampled" (and that carries no
    ``tracestate`` to pass on), as a non-recording span; None for any other record."""
    parent = None
    for key, value in headers:
        if key == "traceparent":
            parent = value
        elif key == "tracestate":
            return None
    context = unsampled_context(parent)
    return NonRecordingSpan(context) if context is not None else None


@contextlib.contextmanager
def batch_context(tracer: trace.Tracer, spans: list[Span], group: str) -> Iterator[None]:
    """The batch's own work (one inbox query, stream loads, one append, the commit) runs
    under a span in the trace of the batch's first traced record, linked to the others. In a
    batch with none, it runs under the first record's unsampled context: its statements would
    otherwise each start a trace of their own (sampled by ratio, with no record in it)."""
    traced = [s for s in spans if s.get_span_context().is_valid and s.is_recording()]
    if not traced:
        with trace.use_span(spans[0], end_on_exit=False) if spans else contextlib.nullcontext():
            yield
        return
    span = tracer.start_span(
        f"{group} batch",
        context=trace.set_span_in_context(traced[0]),
        links=[Link(s.get_span_context()) for s in traced[1:]],
        attributes={"thidua.batch.records": len(spans)},
    )
    with trace.use_span(span, end_on_exit=True):
        yield


__all__ = [
    "COMMANDS",
    "PROJECTIONS",
    "BatchSettings",
    "Outcome",
    "command_handler",
    "incoming",
    "record_span",
    "subscribe_batches",
]
