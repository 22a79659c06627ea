"""The transactional outbox relay: publishes a service's event store, in commit order, once.

The event store is the outbox. One relay per service is active at a time (a PostgreSQL
advisory lock elects it); it reads committed events after its checkpoint, publishes them with an
idempotent producer (acks=all, key = stream id), then advances the checkpoint.

A crash between publishing and advancing the checkpoint must not publish twice. Each record
carries the relay's name and the event's position in headers, and the relay chooses partitions
itself; on taking over, it reads what each partition received since the checkpoint was written
and skips the events already there. Within a partition the idempotent producer writes without
gaps, so "position <= the last position seen in its partition" means "already published".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from contracts import topics
from thidua.es import store
from thidua.es.db import Conn, Pool
from thidua.es.kafka import header, partition_for, partitions_of, read_range
from thidua.es.waiting import pause
from thidua.telemetry import restored_trace_context

log = logging.getLogger(__name__)

POSITION_HEADER = "thidua-position"
RELAY_HEADER = "thidua-relay"
# Producer and database clocks may differ; look this far before the checkpoint's time.
CLOCK_MARGIN = timedelta(seconds=60)

Route = Callable[[store.RecordedEvent], str]


REJECTION_TYPE_PREFIX = "vn.thidua.rejections."
PRIVATE_STREAM_PREFIX = "claim:"
"""Streams that stay in the store: claims a decision makes to keep a value unique (a plan
number), which are not facts for other services."""


def route_to(events_topic: str, rejections_topic: str = topics.REJECTIONS) -> Route:
    """Refusals go to the rejections topic; every other fact to the service's events topic."""

    def route(recorded: store.RecordedEvent) -> str:
        if recorded.event.type.startswith(REJECTION_TYPE_PREFIX):
            return rejections_topic
        return events_topic

    return route


class OutboxRelay:
    def __init__(
        self,
        pool: Pool,
        bootstrap: str,
        name: str,
        *,
        events_topic: str,
        rejections_topic: str = topics.REJECTIONS,
        batch_size: int = 500,
        idle_interval: float = 0.05,
        tracer_provider: trace.TracerProvider | None = None,
    ) -> None:
        self.pool = pool
        self.bootstrap = bootstrap
        self.name = name
        self.route = route_to(events_topic, rejections_topic)
        self.destinations = frozenset({events_topic, rejections_topic})
        self.batch_size = batch_size
        self.idle_interval = idle_interval
        self.tracer = trace.get_tracer("thidua.outbox", tracer_provider=tracer_provider)
        self.published = 0
        self._producer: AIOKafkaProducer | None = None
        self._partitions: dict[str, int] = {}
        self._last_in_partition: dict[tuple[str, int], int] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; after a failure, start over (reconciling first)."""
        while not stop.is_set():
            try:
                await self._run_once(stop)
            except Exception:
                log.exception("relay %s failed; restarting", self.name)
                await pause(stop, 1.0)

    async def _run_once(self, stop: asyncio.Event) -> None:
        """Wait for the relay lock (one active relay per service), then publish."""
        async with self.pool.acquire() as lock_conn:
            while not stop.is_set():
                if await lock_conn.fetchval(
                    "SELECT pg_try_advisory_lock(hashtext('relay:' || current_schema()))"
                ):
                    break
                await pause(stop, 1.0)
            else:
                return
            try:
                await self._lead(stop)
            finally:
                try:
                    await lock_conn.execute(
                        "SELECT pg_advisory_unlock(hashtext('relay:' || current_schema()))"
                    )
                except BaseException:
                    # Pooled connections are not reset on release (see ``thidua.es.db``): a
                    # lock that could not be released goes with its connection.
                    lock_conn.terminate()
                    raise

    async def _lead(self, stop: asyncio.Event) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            client_id=f"{self.name}-relay",
        )
        await producer.start()
        self._producer = producer
        try:
            await self._reconcile()
            while not stop.is_set():
                if await self.publish_pending() == 0:
                    await pause(stop, self.idle_interval)
        finally:
            self._producer = None
            await producer.stop()

    async def publish_pending(self) -> int:
        """One pass: publish what was committed after the checkpoint; returns how many."""
        assert self._producer is not None, "publish_pending runs inside run()"
        async with self.pool.acquire() as conn:
            checkpoint = await self._checkpoint(conn)
            batch = await store.read_all(conn, checkpoint, self.batch_size)
        if not batch:
            return 0
        sends = []
        for recorded in batch:
            if recorded.stream_id.startswith(PRIVATE_STREAM_PREFIX):
                continue
            destination = self.route(recorded)
            partition = await self._partition(destination, recorded.stream_id)
            if recorded.position <= self._last_in_partition.get((destination, partition), 0):
                continue  # published before a crash, after the last checkpoint
            sends.append(
                (
                    destination,
                    partition,
                    recorded,
                    await self._send(destination, partition, recorded),
                )
            )
        for destination, partition, recorded, future in sends:
            await future
            self._last_in_partition[(destination, partition)] = recorded.position
        async with self.pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO outbox_checkpoint (relay, position) VALUES ($1, $2)
                   ON CONFLICT (relay) DO UPDATE
                   SET position = excluded.position, updated_at = clock_timestamp()""",
                self.name,
                batch[-1].position,
            )
        self.published += len(sends)
        return len(batch)

    async def _send(
        self, destination: str, partition: int, recorded: store.RecordedEvent
    ) -> asyncio.Future[object]:
        assert self._producer is not None
        event = recorded.event
        with (
            restored_trace_context(event.traceparent, event.tracestate),
            self.tracer.start_as_current_span(
                f"{destination} publish",
                kind=SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.operation.type": "send",
                    "messaging.destination.name": destination,
                    "messaging.destination.partition.id": str(partition),
                    "messaging.kafka.message.key": recorded.stream_id,
                    "messaging.message.id": event.id,
                    "cloudevents.event_type": event.type,
                    "thidua.position": recorded.position,
                },
            ),
        ):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            headers = [
                (POSITION_HEADER, str(recorded.position).encode()),
                (RELAY_HEADER, self.name.encode()),
                ("content-type", b"application/cloudevents+json"),
                ("ce_type", event.type.encode()),
                *((k, v.encode()) for k, v in carrier.items()),
            ]
            # Trace context on the wire is the publish span's, so consumers become its children.
            outgoing = event.model_copy(update=carrier) if carrier else event
            future: asyncio.Future[object] = await self._producer.send(
                destination,
                value=outgoing.to_json(),
                key=recorded.stream_id.encode(),
                partition=partition,
                headers=headers,
            )
            return future

    async def _partition(self, topic: str, stream_id: str) -> int:
        count = self._partitions.get(topic)
        if count is None:
            assert self._producer is not None
            found = await self._producer.partitions_for(topic)
            count = len(found)
            self._partitions[topic] = count
        return partition_for(stream_id.encode(), count)

    async def _checkpoint(self, conn: Conn) -> int:
        value = await conn.fetchval(
            "SELECT position FROM outbox_checkpoint WHERE relay = $1", self.name
        )
        return int(value or 0)

    async def _reconcile(self) -> None:
        """Learn which events after the checkpoint already reached Kafka before a crash."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT position, updated_at FROM outbox_checkpoint WHERE relay = $1", self.name
            )
            pending = await store.read_all(conn, int(row["position"]) if row else 0, 1)
        self._last_in_partition.clear()
        if not pending:
            return
        since_ms = int((row["updated_at"] - CLOCK_MARGIN).timestamp() * 1000) if row else 0
        layout = await partitions_of(self.bootstrap, sorted(self.destinations))
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        await consumer.start()
        try:
            for destination, parts in layout.items():
                tps = [TopicPartition(destination, p) for p in parts]
                if not tps:
                    continue
                ends = await consumer.end_offsets(tps)
                starts = await consumer.offsets_for_times({tp: since_ms for tp in tps})
                for tp in tps:
                    found = starts.get(tp)
                    if found is None:
                        continue
                    for record in await read_range(consumer, tp, found.offset, ends[tp]):
                        if header(record, RELAY_HEADER) != self.name:
                            continue
                        position = int(header(record, POSITION_HEADER) or 0)
                        key = (destination, tp.partition)
                        self._last_in_partition[key] = max(
                            self._last_in_partition.get(key, 0), position
                        )
        finally:
            await consumer.stop()
        if self._last_in_partition:
            log.info("relay %s resumes; already in Kafka: %s", self.name, self._last_in_partition)
