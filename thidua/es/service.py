"""Wiring of one service: pool, migrations, Kafka subscribers, the outbox relay, telemetry.

Every service is the same shape: command consumers (ingress and other services' events) that
append to its event store, projections that keep its read models, and one outbox relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, Status, StatusCode

from contracts import topics
from contracts.topics import INGRESS_PATTERN
from thidua.es import migrations
from thidua.es.consumer import (
    CommandConsumer,
    ConsumerPolicy,
    Handler,
    Health,
    Ownership,
)
from thidua.es.db import Pool, create_pool
from thidua.es.decider import Decider
from thidua.es.dlq import DeadLetterWriter
from thidua.es.intake import Incoming
from thidua.es.kafka import ensure_topics, faststream_security, topics_matching
from thidua.es.offsets import OffsetCommitter
from thidua.es.ops import LagProbe, Metrics, ops_app, serve
from thidua.es.outbox import OutboxRelay
from thidua.es.projection import Projection, ProjectionRunner
from thidua.es.subscribe import COMMANDS, PROJECTIONS, command_handler, subscribe_batches

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0
"""How long readiness waits for each of its checks (the database, the brokers) before it
counts that one as failed: a probe is answered in seconds, whatever holds the service up."""


@dataclass(frozen=True)
class ServiceTopics:
    """Where a service writes: its facts, its refusals, its poison messages.

    ``rejections`` is the stem of the rejections topics: a refusal goes to
    ``<stem>.<department>`` of the department whose ingress topic carried the record, or to
    ``<stem>.unrouted`` (``contracts.topics.rejections_of``)."""

    events: str
    dlq: str
    rejections: str = topics.REJECTIONS

    def rejections_of(self, source_topic: str) -> str:
        return topics.rejections_of(source_topic, self.rejections)

    async def ensure(
        self,
        bootstrap: str,
        sources: Sequence[str] = (),
        *,
        every_ingress: bool = False,
        publishes: bool = True,
    ) -> None:
        """Create this service's topics and the topics it reads, before anything is written:
        the events, DLQ and unrouted rejections topics, the ``sources``, and the rejections
        topic of each ingress topic among them (with ``every_ingress``, of every ingress topic
        that exists: a service that reads them by pattern). A service that does not publish
        (reporting: no relay) declares neither events nor rejections topics: its principal may
        not even see them (ACLs). Existing topics are left alone, so a principal without the
        right to create topics gets by where provisioning made them."""
        if every_ingress:
            sources = [*sources, *await topics_matching(bootstrap, INGRESS_PATTERN)]
        written = [self.events, self.rejections_of("")] if publishes else []
        refusals = [self.rejections_of(t) for t in sources] if publishes else []
        await ensure_topics(bootstrap, [*written, self.dlq, *refusals, *sources])

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
    handler: Decider | Handler | None = None
    ownership: Ownership | None = None
    projection: Projection | None = None
    gathers: bool = False
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
    _dead_letters: DeadLetterWriter | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _relay_task: asyncio.Task[None] | None = None
    _background: list[Callable[[Pool, asyncio.Event], Coroutine[Any, Any, None]]] = field(
        default_factory=list
    )
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.metrics = Metrics(self.name)
        self.health = Health()
        self._committer = OffsetCommitter()
        self._lag = LagProbe(self.bootstrap)

    @property
    def writes(self) -> ServiceTopics:
        return self.writes_to or ServiceTopics.of(self.name)

    def handle(
        self,
        handler: Decider | Handler,
        *,
        topics: Sequence[str] = (),
        pattern: str | None = None,
        group_id: str | None = None,
        ownership: Ownership | None = None,
        gathers: bool = False,
    ) -> None:
        """Consume ``topics`` (or a regex ``pattern``) as commands on this service's store.

        ``ownership`` says which types this service acts on (default: all, and it refuses what
        it cannot read); see :class:`thidua.es.consumer.Ownership`. ``gathers``: fetch in
        batches of up to 200 ms (:data:`thidua.es.subscribe.GATHER_MS`) instead of at once.
        """
        self._subscriptions.append(
            _Subscription(
                topics, pattern, group_id or self.name, handler, ownership, gathers=gathers
            )
        )

    def handle_ingress(
        self,
        handler: Decider | Handler,
        *,
        ownership: Ownership,
        topics: Sequence[str] | None = None,
        group_id: str | None = None,
        gathers: bool = False,
    ) -> None:
        """Consume every department's ingress topic (by pattern), or only ``topics`` (tests)."""
        self.handle(
            handler,
            topics=topics or (),
            pattern=None if topics else INGRESS_PATTERN,
            group_id=group_id,
            ownership=ownership,
            gathers=gathers,
        )

    def project(
        self,
        projection: Projection,
        *,
        group_id: str | None = None,
        pattern: str | None = None,
        gathers: bool = False,
    ) -> None:
        """Keep ``projection`` up to date from its topics, or from every topic a regex
        ``pattern`` matches (topics made later included); ``gathers`` as for :meth:`handle`."""
        self._subscriptions.append(
            _Subscription(
                () if pattern else projection.topics,
                pattern,
                group_id or f"{self.name}.{projection.name}",
                projection=projection,
                gathers=gathers,
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
        self.pool = await create_pool(self.database_url, schema, custom_plans=True)
        found = migrations.runtime_migrations()
        if self.migrations_dir is not None:
            found += migrations.load_migrations(self.name, self.migrations_dir)
        await migrations.apply_migrations(self.pool, found)
        self._tasks = [_untraced(run(self.pool, self._stop)) for run in self._background]
        self._tasks.append(_untraced(self._lag.warm()))

        # Each record gets its own CONSUMER span (``thidua.es.subscribe``), read from its raw
        # headers; FastStream's telemetry middleware would read the headers it decoded itself.
        broker = KafkaBroker(
            # FastStream takes one address per item (aiokafka splits a comma list itself).
            self.bootstrap.split(","),
            security=faststream_security(),
            acks="all",
            enable_idempotence=True,
            client_id=self.name,
            metadata_max_age_ms=5000,
            # The handlers take the raw message (``thidua.es.subscribe``): no dependency
            # injection, whose sync ``Context`` resolution ran in a worker thread per batch.
            apply_types=False,
            # FastStream logs each message at this level: keep it below what operators see.
            log_level=logging.DEBUG,
        )
        self._broker = broker
        self._dead_letters = DeadLetterWriter(
            self.bootstrap, self.writes.dlq, client_id=f"{self.name}-dlq"
        )
        await self._dead_letters.start()
        for sub in self._subscriptions:
            if sub.handler is not None:
                sub.consumer = CommandConsumer(
                    self.pool,
                    self.name,
                    sub.handler,
                    self._dead_letter,
                    policy=self.policy,
                    ownership=sub.ownership,
                    health=self.health,
                    stop=self._stop,
                )
            if sub.projection is not None:
                sub.runner = ProjectionRunner(self.pool, sub.projection)
                await sub.runner.setup()
        await self.writes.ensure(
            self.bootstrap,
            [t for s in self._subscriptions for t in s.topics],
            every_ingress=any(s.pattern == INGRESS_PATTERN for s in self._subscriptions),
            publishes=self.relay_enabled,
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
                rejections_stem=self.writes.rejections,
                dlq_topic=self.writes.dlq,
                tracer_provider=self.tracer_provider,
            )
            self._relay_task = _untraced(self.relay.run(self._stop))
        if self.http_port is not None:
            server = serve(ops_app(self), self.http_host, self.http_port, self._stop)
            self._tasks.append(_untraced(server))

    def alive(self) -> bool:
        """Every task this instance started (relay, offset commits, background work) still
        runs: none has ended by a crash."""
        tasks = [*self._tasks, *([self._relay_task] if self._relay_task else [])]
        return bool(tasks) and not any(t.done() for t in tasks)

    async def readiness(self) -> dict[str, bool]:
        """Whether this instance can reach its database and its brokers, and is not waiting
        out a transient fault of either."""
        checks = {"database": False, "kafka": False, "processing": self.health.ok}
        if self.pool is not None:
            # With the database gone, every connection of the pool may be held by work that is
            # waiting it out, and a probe must still be answered.
            with contextlib.suppress(Exception):
                one = await asyncio.wait_for(self.pool.fetchval("SELECT 1"), PROBE_TIMEOUT_S)
                checks["database"] = one == 1
        if self._broker is not None:
            with contextlib.suppress(Exception):
                checks["kafka"] = await self._broker.ping(timeout=PROBE_TIMEOUT_S)
        return checks

    async def refresh_gauges(self) -> None:
        """Measure consumer and outbox lag now (called when metrics are scraped)."""
        groups = sorted({s.group_id for s in self._subscriptions})
        # A busy instance must still answer scrapes quickly: keep the last figures on timeout.
        with contextlib.suppress(TimeoutError):
            lags = await asyncio.wait_for(self._lag.measure(groups), timeout=5.0)
            for (group, topic, partition), lag in lags.items():
                self.metrics.consumer_lag.labels(self.name, group, topic, str(partition)).set(lag)
        if self.pool is not None and self.relay_enabled:
            # Published is what the checkpoint says or, where this instance's relay leads, what
            # it published since (the checkpoint follows it up to half a second later).
            behind = await self.pool.fetchval(
                """SELECT coalesce((SELECT max(position) FROM events), 0) - greatest(
                        coalesce((SELECT position FROM outbox_checkpoint WHERE relay = $1), 0),
                        $2::bigint)""",
                self.name,
                self.relay.published_through if self.relay is not None else 0,
            )
            self.metrics.outbox_lag.labels(self.name).set(behind)
        if self.relay is not None:
            self.metrics.published.labels(self.name).set(self.relay.published)

    def _subscribe(self, broker: KafkaBroker, sub: _Subscription) -> None:
        tracer = trace.get_tracer("thidua.consumer", tracer_provider=self.tracer_provider)
        if sub.runner is not None:
            handle = self._projection_handler(sub.runner)
            settings, forget = PROJECTIONS, None
        else:
            assert sub.consumer is not None
            handle = command_handler(sub.consumer)
            settings, forget = COMMANDS, sub.consumer.forget_streams
        subscribe_batches(
            broker,
            topics=sub.topics,
            pattern=sub.pattern,
            group_id=sub.group_id,
            settings=settings.gathering() if sub.gathers else settings,
            handle=handle,
            metrics=self.metrics,
            committer=self._committer,
            tracer=tracer,
            on_rebalance=forget,
        )

    def _projection_handler(
        self, runner: ProjectionRunner
    ) -> Callable[[list[Incoming], list[Span]], Awaitable[Sequence[str]]]:
        """Projections take what the broker has in one transaction; a batch that fails for
        another reason than a transient fault is retried record by record, so only a poison
        record goes to the DLQ."""

        async def handle(batch: list[Incoming], spans: list[Span]) -> Sequence[str]:
            return await runner.apply_or_dead_letter(
                batch, self._dead_letter, policy=self.policy, health=self.health, stop=self._stop
            )

        return handle

    async def _dead_letter(self, incoming: Incoming, error: BaseException, attempts: int) -> None:
        assert self._dead_letters is not None
        # The span current here: a command's own record span (its batch is retried record by
        # record before anything is dead-lettered), a projection's batch span. Its trace shows
        # where the record ended.
        span = trace.get_current_span()
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, f"dead-lettered after {attempts} attempts"))
        self.metrics.dead_lettered.labels(self.name).inc()
        await self._dead_letters.put(incoming, error, attempts)

    async def stop(self) -> None:
        self._stop.set()
        if self._relay_task is not None:
            await self._relay_task
        for task in self._tasks:
            await task
        await self._committer.flush()
        if self._broker is not None:
            await self._broker.stop()
        if self._dead_letters is not None:
            await self._dead_letters.stop()
        await self._lag.close()
        if self.pool is not None:
            await self.pool.close()


def _untraced(work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    """A housekeeping task (relay polling, deliveries, offset commits, health and metrics)
    whose database and Kafka calls are not traced: outside any business event they would each
    be a one-span trace of their own, thousands a minute. The relay's publish spans, started
    explicitly under each event's restored context, are still recorded."""
    with suppress_instrumentation():
        return asyncio.create_task(work)
