"""Wiring of one service: pool, migrations, Kafka subscribers, the outbox relay, telemetry.

Every service is the same shape: command consumers (ingress and other services' events) that
append to its event store, projections that keep its read models, and one outbox relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import propagate, trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, SpanKind

from contracts import topics
from contracts.topics import INGRESS_PATTERN
from thidua.es import migrations
from thidua.es.consumer import (
    CommandConsumer,
    ConsumerPolicy,
    Handler,
    Incoming,
    Outcome,
    Ownership,
    deliver,
    error_headers,
)
from thidua.es.db import Pool, create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.offsets import OffsetCommitter
from thidua.es.ops import Metrics, group_lag, ops_app, serve
from thidua.es.outbox import OutboxRelay
from thidua.es.projection import Projection, ProjectionRunner

log = logging.getLogger(__name__)

COMMAND_BATCH = 100
"""Records of a command subscription decided in one transaction (one commit for them all)."""


def _incoming(raw: ConsumerRecord[bytes, bytes]) -> Incoming:
    return Incoming(
        raw.topic, raw.partition, raw.offset, raw.key, raw.value or b"", raw.headers or ()
    )


@dataclass(frozen=True)
class ServiceTopics:
    """Where a service writes: its facts, its refusals, its poison messages."""

    events: str
    dlq: str
    rejections: str = topics.REJECTIONS

    @classmethod
    def of(cls, service: str) -> ServiceTopics:
        return cls(events=topics.events(service), dlq=topics.dlq(service))

    @classmethod
    def isolated(cls, prefix: str, service: str) -> ServiceTopics:
        """Topics of their own (``<prefix>.<service>.events`` …), for tests and benchmarks."""
        return cls(f"{prefix}.{service}.events", f"{prefix}.{service}.dlq", f"{prefix}.rejections")


@dataclass
class _Subscription:
    topics: Sequence[str]
    pattern: str | None
    group_id: str
    handler: Handler | None = None
    ownership: Ownership | None = None
    projection: Projection | None = None
    consumer: CommandConsumer | None = None
    runner: ProjectionRunner | None = None


@dataclass
class ServiceRuntime:
    """One running instance of a service (several instances share its consumer groups)."""

    name: str
    database_url: str
    bootstrap: str
    schema: str | None = None
    writes_to: ServiceTopics | None = None
    migrations_dir: Path | None = None
    tracer_provider: TracerProvider | None = None
    policy: ConsumerPolicy = field(default_factory=ConsumerPolicy)
    relay_enabled: bool = True
    http_host: str = "127.0.0.1"
    http_port: int | None = None
    pool: Pool | None = None
    relay: OutboxRelay | None = None
    _subscriptions: list[_Subscription] = field(default_factory=list)
    _broker: KafkaBroker | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _relay_task: asyncio.Task[None] | None = None
    _background: list[Callable[[Pool, asyncio.Event], Coroutine[Any, Any, None]]] = field(
        default_factory=list
    )
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.metrics = Metrics(self.name)
        self._committer = OffsetCommitter()

    @property
    def writes(self) -> ServiceTopics:
        return self.writes_to or ServiceTopics.of(self.name)

    def handle(
        self,
        handler: Handler,
        *,
        topics: Sequence[str] = (),
        pattern: str | None = None,
        group_id: str | None = None,
        ownership: Ownership | None = None,
    ) -> None:
        """Consume ``topics`` (or a regex ``pattern``) as commands on this service's store.

        ``ownership`` says which types this service acts on (default: all, and it refuses what
        it cannot read); see :class:`thidua.es.consumer.Ownership`.
        """
        self._subscriptions.append(
            _Subscription(topics, pattern, group_id or self.name, handler, ownership)
        )

    def handle_ingress(
        self,
        handler: Handler,
        *,
        ownership: Ownership,
        topics: Sequence[str] | None = None,
        group_id: str | None = None,
    ) -> None:
        """Consume every department's ingress topic (by pattern), or only ``topics`` (tests)."""
        if topics:
            self.handle(handler, topics=topics, group_id=group_id, ownership=ownership)
        else:
            self.handle(handler, pattern=INGRESS_PATTERN, group_id=group_id, ownership=ownership)

    def project(self, projection: Projection, *, group_id: str | None = None) -> None:
        """Keep ``projection`` up to date from its topics."""
        self._subscriptions.append(
            _Subscription(
                projection.topics,
                None,
                group_id or f"{self.name}.{projection.name}",
                projection=projection,
            )
        )

    def background(self, run: Callable[[Pool, asyncio.Event], Coroutine[Any, Any, None]]) -> None:
        """Run ``run(pool, stop)`` beside the consumers (e.g. a dispatcher) from the moment the
        schema is migrated, before the consumers join their groups; it must return on stop."""
        self._background.append(run)

    def command_consumers(self) -> list[CommandConsumer]:
        return [s.consumer for s in self._subscriptions if s.consumer is not None]

    def projection_runners(self) -> list[ProjectionRunner]:
        return [s.runner for s in self._subscriptions if s.runner is not None]

    async def start(self) -> None:
        schema = self.schema or self.name
        self.pool = await create_pool(self.database_url, schema)
        found = migrations.runtime_migrations()
        if self.migrations_dir is not None:
            found += migrations.load_migrations(self.name, self.migrations_dir)
        await migrations.apply_migrations(self.pool, found)
        self._tasks = [_untraced(run(self.pool, self._stop)) for run in self._background]

        middlewares: list[Any] = []
        if self.tracer_provider is not None:
            middlewares.append(KafkaTelemetryMiddleware(tracer_provider=self.tracer_provider))
        broker = KafkaBroker(
            self.bootstrap,
            acks="all",
            enable_idempotence=True,
            middlewares=middlewares,
            client_id=self.name,
            metadata_max_age_ms=5000,
            # FastStream logs each message at this level: keep it below what operators see.
            log_level=logging.DEBUG,
        )
        self._broker = broker
        for sub in self._subscriptions:
            if sub.handler is not None:
                sub.consumer = CommandConsumer(
                    self.pool,
                    self.name,
                    sub.handler,
                    self._dead_letter,
                    policy=self.policy,
                    ownership=sub.ownership,
                )
            if sub.projection is not None:
                sub.runner = ProjectionRunner(self.pool, sub.projection)
                await sub.runner.setup()
        await ensure_topics(
            self.bootstrap,
            [
                self.writes.events,
                self.writes.dlq,
                self.writes.rejections,
                *(t for s in self._subscriptions for t in s.topics),
            ],
        )
        for sub in self._subscriptions:
            self._subscribe(broker, sub)
        await broker.start()
        self._tasks.append(_untraced(self._committer.run(self._stop)))
        if self.relay_enabled:
            self.relay = OutboxRelay(
                self.pool,
                self.bootstrap,
                self.name,
                events_topic=self.writes.events,
                rejections_topic=self.writes.rejections,
                tracer_provider=self.tracer_provider,
            )
            self._relay_task = _untraced(self.relay.run(self._stop))
        if self.http_port is not None:
            server = serve(ops_app(self), self.http_host, self.http_port, self._stop)
            self._tasks.append(_untraced(server))

    async def readiness(self) -> dict[str, bool]:
        """Whether this instance can reach its database and its brokers."""
        checks = {"database": False, "kafka": False}
        if self.pool is not None:
            with contextlib.suppress(Exception):
                checks["database"] = await self.pool.fetchval("SELECT 1") == 1
        if self._broker is not None:
            with contextlib.suppress(Exception):
                checks["kafka"] = await self._broker.ping(timeout=2.0)
        return checks

    async def refresh_gauges(self) -> None:
        """Measure consumer and outbox lag now (called when metrics are scraped)."""
        groups = sorted({s.group_id for s in self._subscriptions})
        # A busy instance must still answer scrapes quickly: keep the last figures on timeout.
        with contextlib.suppress(TimeoutError):
            lags = await asyncio.wait_for(group_lag(self.bootstrap, groups), timeout=5.0)
            for (group, topic, partition), lag in lags.items():
                self.metrics.consumer_lag.labels(self.name, group, topic, str(partition)).set(lag)
        if self.pool is not None and self.relay_enabled:
            behind = await self.pool.fetchval(
                """SELECT coalesce((SELECT max(position) FROM events), 0)
                        - coalesce((SELECT position FROM outbox_checkpoint WHERE relay = $1), 0)""",
                self.name,
            )
            self.metrics.outbox_lag.labels(self.name).set(behind)
        if self.relay is not None:
            self.metrics.published.labels(self.name).set(self.relay.published)

    def _subscribe(self, broker: KafkaBroker, sub: _Subscription) -> None:
        if sub.runner is not None:
            self._subscribe_projection(broker, sub, sub.runner)
            return
        subscriber = broker.subscriber(
            *sub.topics,
            pattern=sub.pattern,
            group_id=sub.group_id,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            batch=True,
            max_records=COMMAND_BATCH,
            batch_timeout_ms=20,
        )
        metrics = self.metrics
        committer = self._committer
        consumer = sub.consumer
        assert consumer is not None

        async def on_batch(message: KafkaMessage) -> None:
            """What the broker has, decided in one transaction (one commit); if that fails,
            record by record under the retry and dead-letter policy."""
            raw = message.raw_message
            records = raw if isinstance(raw, tuple) else (raw,)
            batch = [_incoming(r) for r in records]
            spans = [self._record_span(r, sub.group_id, len(batch)) for r in records]
            started = time.perf_counter()
            try:
                try:
                    outcomes = await consumer.process_batch(
                        batch, lambda i: trace.use_span(spans[i], end_on_exit=False)
                    )
                except Exception as exc:
                    if len(batch) > 1:
                        log.info("batch of %d failed (%r); one by one", len(batch), exc)
                    outcomes = []
                    for incoming, span in zip(batch, spans, strict=True):
                        with trace.use_span(span, end_on_exit=False):
                            outcomes.append(await consumer.process(incoming))
            except BaseException:
                await message.nack()  # not even the DLQ took it: read it again
                raise
            finally:
                for span in spans:
                    span.end()
            metrics.record(sub.group_id, outcomes, time.perf_counter() - started)
            for r in records:
                committer.done(message.consumer, r.topic, r.partition, r.offset)

        subscriber(on_batch)

    def _subscribe_projection(
        self, broker: KafkaBroker, sub: _Subscription, runner: ProjectionRunner
    ) -> None:
        """Projections take what the broker has in one transaction (up to 500 records); a batch
        that fails is retried record by record, so only a poison record goes to the DLQ."""
        subscriber = broker.subscriber(
            *sub.topics,
            pattern=sub.pattern,
            group_id=sub.group_id,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            batch=True,
            max_records=500,
            batch_timeout_ms=50,
        )
        policy = self.policy
        metrics = self.metrics
        committer = self._committer

        async def on_batch(message: KafkaMessage) -> None:
            raw = message.raw_message
            records = raw if isinstance(raw, tuple) else (raw,)
            batch = [_incoming(r) for r in records]
            spans = [self._record_span(r, sub.group_id, len(batch)) for r in records]
            try:
                with metrics.timed(sub.group_id, len(batch)) as outcome:
                    try:
                        await runner.apply_batch(batch)
                        outcome(Outcome.ACCEPTED)
                    except Exception:
                        log.warning("batch of %d failed; applying one by one", len(batch))
                        for incoming in batch:
                            await deliver(incoming, runner.apply, self._dead_letter, policy)
                        outcome(Outcome.ACCEPTED)
            except BaseException:
                await message.nack()
                raise
            finally:
                for span in spans:
                    span.end()
            for record in records:
                committer.done(message.consumer, record.topic, record.partition, record.offset)

        subscriber(on_batch)

    def _record_span(
        self, record: ConsumerRecord[bytes, bytes], group: str, batch_size: int
    ) -> Span:
        """A span in each record's own trace for the batch it was handled in, so a business
        event's trace shows each service that handled it (a projection's database work is the
        batch's; a command's runs under this span)."""
        carrier = {k: bytes(v).decode(errors="replace") for k, v in record.headers or ()}
        tracer = trace.get_tracer("thidua.consumer", tracer_provider=self.tracer_provider)
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

    async def _dead_letter(self, incoming: Incoming, error: BaseException, attempts: int) -> None:
        assert self._broker is not None
        self.metrics.dead_lettered.labels(self.name).inc()
        await self._broker.publish(
            incoming.value,
            topic=self.writes.dlq,
            key=incoming.key,
            headers={
                k: v.decode(errors="replace") for k, v in error_headers(incoming, error, attempts)
            },
        )

    async def stop(self) -> None:
        self._stop.set()
        if self._relay_task is not None:
            await self._relay_task
        for task in self._tasks:
            await task
        await self._committer.flush()
        if self._broker is not None:
            await self._broker.stop()
        if self.pool is not None:
            await self.pool.close()


def _untraced(work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    """A housekeeping task (relay polling, deliveries, offset commits, health and metrics)
    whose database and Kafka calls are not traced: outside any business event they would each
    be a one-span trace of their own, thousands a minute. The relay's publish spans, started
    explicitly under each event's restored context, are still recorded."""
    with suppress_instrumentation():
        return asyncio.create_task(work)
