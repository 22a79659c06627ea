"""The transactional outbox relay: publishes a service's event store, in commit order, once.

The event store is the outbox. One relay per service is active at a time: the holder of a fenced
lease (``thidua.es.lease``), which another instance takes over when the holder stalls. It reads
committed events after its checkpoint, publishes them with an idempotent producer (acks=all,
key = stream id), then advances the checkpoint, only forward and only under the epoch of the
lease it holds: a relay that stalled and was replaced cannot move the checkpoint any more. The
advance rides on the next pass's read (one statement a pass), or is written on its own when
the relay has been idle for ``idle_interval``, and when it stops.

A crash between publishing and advancing the checkpoint must not publish twice. Each record
carries the relay's name and the event's position in headers, and the relay chooses partitions
itself; on taking over, it reads what each partition received since the checkpoint was written
and skips the events already there. Within a partition the idempotent producer writes without
gaps, so "position <= the last position seen in its partition" means "already published".

What goes on the wire, and is read back on taking over, is ``thidua.es.relayed``'s; which topic
each event goes to, ``thidua.es.routing``'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from aiokafka import AIOKafkaProducer
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from contracts import topics
from thidua.es import store
from thidua.es.db import Pool
from thidua.es.kafka import client_options, ensure_topics, partition_for
from thidua.es.lease import FENCE, Lease, LeaseLost
from thidua.es.relayed import (
    CLOCK_MARGIN,
    UNPUBLISHABLE,
    Pending,
    already_published,
    dead_letter_record,
    headers_of,
    publish_attributes,
)
from thidua.es.routing import PRIVATE_STREAM_PREFIX, route_to
from thidua.es.waiting import pause
from thidua.telemetry import restored_trace_context, unsampled_context

log = logging.getLogger(__name__)

_PENDING = f"""position, stream_id, event_type,
    CASE WHEN stream_id LIKE '{PRIVATE_STREAM_PREFIX}%' THEN '' ELSE envelope::text END
    AS envelope, envelope->>'traceparent' AS traceparent, envelope->>'tracestate' AS tracestate"""
"""What a pass reads of each event: a private stream's envelope is never published, so it is
not read either (notifications' delivery claims, each about 2 KB, are most of its store). The
trace context comes beside it, read by PostgreSQL from the stored ``jsonb``: most events'
trace is not sampled, and they are published as stored without being parsed here."""
_MOVE_CHECKPOINT = """INSERT INTO outbox_checkpoint (relay, position, epoch)
    SELECT $4, $5, epoch FROM held
    ON CONFLICT (relay) DO UPDATE
    SET position = excluded.position, epoch = excluded.epoch, updated_at = clock_timestamp()
    WHERE outbox_checkpoint.position < excluded.position"""
"""The checkpoint moved to $5 for relay $4, only forward, if the lease is held (``held``)."""


class OutboxRelay:
    def __init__(
        self,
        pool: Pool,
        bootstrap: str,
        name: str,
        *,
        events_topic: str,
        rejections_stem: str = topics.REJECTIONS,
        dlq_topic: str | None = None,
        batch_size: int = 2000,
        idle_interval: float = 0.5,
        lease_seconds: float = 5.0,
        tracer_provider: trace.TracerProvider | None = None,
    ) -> None:
        self.pool = pool
        self.bootstrap = bootstrap
        self.name = name
        self.route = route_to(events_topic, rejections_stem)
        self.events_topic = events_topic
        self.rejections_stem = rejections_stem
        self.dlq_topic = dlq_topic or f"{events_topic}.dlq"
        self.batch_size = batch_size
        self.idle_interval = idle_interval
        self.lease = Lease(pool, f"relay:{name}", ttl=lease_seconds)
        self.tracer = trace.get_tracer("thidua.outbox", tracer_provider=tracer_provider)
        self.published = 0
        self.dead_lettered = 0
        self._producer: AIOKafkaProducer | None = None
        self._partitions: dict[str, int] = {}
        self._last_in_partition: dict[tuple[str, int], int] = {}
        self._position = 0
        """Every event up to it is in Kafka (known to the leader): where the next read starts."""
        self._saved = 0
        """The checkpoint as written. It follows ``_position`` in the next pass's read (one
        statement), or after ``idle_interval`` without a commit, or when the relay stops."""

    @property
    def published_through(self) -> int:
        """Every event up to this position is in Kafka, as far as this instance knows: what it
        published itself (acknowledged), which runs ahead of the checkpoint written for it
        by up to ``idle_interval`` once the relay has nothing more to publish."""
        return max(self._position, self._saved)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish while this instance holds the lease, until ``stop`` is set; after a failure
        or a lost lease, start over (taking the lease, then reconciling)."""
        try:
            while not stop.is_set():
                try:
                    if await self.lease.acquire():
                        await self._lead(stop)
                    else:
                        await pause(stop, self.lease.ttl / 5)
                except LeaseLost:
                    log.warning("relay %s lost its lease; another instance publishes", self.name)
                except Exception:
                    log.exception("relay %s failed; restarting", self.name)
                    await pause(stop, 1.0)
        finally:
            try:
                await self.lease.release()
            except Exception as exc:  # the lease then simply expires
                log.warning("relay %s could not release its lease: %r", self.name, exc)

    async def _lead(self, stop: asyncio.Event) -> None:
        producer = AIOKafkaProducer(
            **client_options(self.bootstrap),
            acks="all",
            enable_idempotence=True,
            # No linger: a pass sends its records without yielding, so they leave as one
            # batch anyway, and a lone record is not held back (every relay hop paid 5 ms).
            linger_ms=0,
            max_batch_size=256 * 1024,
            client_id=f"{self.name}-relay",
        )
        await producer.start()
        self._producer = producer
        woken = asyncio.Event()

        def wake(*_: object) -> None:
            woken.set()

        async def wake_on_stop() -> None:
            await stop.wait()
            woken.set()

        stopping = asyncio.create_task(wake_on_stop())
        async with self.pool.acquire() as listener:
            channel = store.appended_channel(await listener.fetchval("SELECT current_schema()"))
            await listener.add_listener(channel, wake)
            try:
                # Reading back every department's refusals topic can take longer than a lease
                # (a hundred topics over TLS): it is kept meanwhile, or the check would start
                # over for ever and nothing would be published.
                await self.lease.renewed_during(self._reconcile())
                while not stop.is_set():
                    if self.lease.due():
                        await self.lease.renew()
                    woken.clear()
                    # A pass that read less than a full batch read everything committed before
                    # it: what commits later notifies (``woken`` was cleared before the read),
                    # so the relay waits instead of reading again to find nothing, a round
                    # trip per pass. A commit's notification wakes it at once; the poll is the
                    # fallback (a lost notification, a connection being replaced).
                    if await self.publish_pending() < self.batch_size:
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(woken.wait(), timeout=self.idle_interval)
                if self._saved < self._position:
                    await self._advance(self._position)
            finally:
                stopping.cancel()
                self._producer = None
                await producer.stop()
                # Pooled connections are not reset on release (``thidua.es.db``).
                await listener.remove_listener(channel, wake)

    async def publish_pending(self) -> int:
        """One pass: publish what was committed after the checkpoint; returns how many."""
        assert self._producer is not None, "publish_pending runs inside run()"
        # From where this leader last published (the checkpoint read once when it took the
        # lease, then its own passes): no other instance publishes while the lease is this one's.
        rows = await self._read_pending()
        if not rows:
            return 0
        batch = [
            Pending(
                r["position"],
                r["stream_id"],
                r["event_type"],
                r["envelope"],
                r["traceparent"],
                r["tracestate"],
            )
            for r in rows
        ]
        routed = [
            (pending, self.route(pending.event_type, pending.envelope))
            for pending in batch
            if not pending.stream_id.startswith(PRIVATE_STREAM_PREFIX)
        ]
        await self._learn_partitions({destination for _, destination in routed})
        if not self.lease.valid():
            raise LeaseLost(self.lease.name)  # checked again just before sending
        # Kafka may hold the sends for longer than the lease: a partition without a leader
        # waits until the controller fences the broker that led it (up to the brokers'
        # session timeout, 9 s), the producer retrying meanwhile. This instance is alive and
        # keeps its lease while it waits; had it let the lease lapse, another instance would
        # take over, find nothing of these events in Kafka yet, and publish them again.
        self.published += await self.lease.renewed_during(self._send_all(routed))
        # The checkpoint follows in the next pass's read (a round trip fewer a pass).
        self._position = max(self._position, batch[-1].position)
        return len(batch)

    async def _send_all(self, routed: list[tuple[Pending, str]]) -> int:
        """Send what a pass read, skipping what Kafka already holds; returns how many were
        sent, once Kafka has acknowledged them all (or refused one for good: dead-lettered)."""
        sends = []
        for pending, destination in routed:
            partition = partition_for(pending.stream_id.encode(), self._partitions[destination])
            if pending.position <= self._last_in_partition.get((destination, partition), 0):
                continue  # published before a crash, after the last checkpoint
            sends.append(
                (destination, partition, pending, await self._send(destination, partition, pending))
            )
        for destination, partition, pending, future in sends:
            try:
                await future
            except UNPUBLISHABLE as exc:
                await self._dead_letter(pending, exc)
            self._last_in_partition[(destination, partition)] = pending.position
        return len(sends)

    async def _read_pending(self) -> list[Any]:
        """The events after ``_position``; the checkpoint moved to ``_position`` in the same
        statement if it is behind, fenced as :meth:`_advance` is (raises :class:`LeaseLost`
        if the lease is no longer this instance's)."""
        if self._saved >= self._position:
            return list(
                await self.pool.fetch(
                    f"SELECT {_PENDING} FROM events WHERE position > $1 ORDER BY position LIMIT $2",
                    self._position,
                    self.batch_size,
                )
            )
        # One row at least: whether the lease was held, with each event (if any) beside it.
        rows = await self.pool.fetch(
            f"""WITH held AS ({FENCE}), moved AS ({_MOVE_CHECKPOINT})
                SELECT h.held, e.* FROM (SELECT count(*) AS held FROM held) h
                LEFT JOIN LATERAL (
                    SELECT {_PENDING} FROM events WHERE position > $5 ORDER BY position LIMIT $6
                ) e ON true
                ORDER BY e.position""",
            *self.lease.fence_arguments(),
            self.name,
            self._position,
            self.batch_size,
        )
        if not rows[0]["held"]:
            raise self.lease.lost()
        self._saved = self._position
        return [r for r in rows if r["position"] is not None]

    async def _advance(self, position: int) -> None:
        """Move the checkpoint forward, fenced by the lease, in one statement (one round trip
        a pass, where a transaction with :meth:`Lease.fence` took four): the lease row is held
        (``FOR SHARE``, so a takeover waits for the commit) and the checkpoint written only if
        the row is still this instance's at its epoch."""
        held = await self.pool.fetchval(
            f"""WITH held AS ({FENCE}), moved AS ({_MOVE_CHECKPOINT})
                SELECT count(*) FROM held""",
            *self.lease.fence_arguments(),
            self.name,
            position,
        )
        if not held:
            raise self.lease.lost()
        self._position = max(self._position, position)
        self._saved = max(self._saved, position)

    async def _send(
        self, destination: str, partition: int, pending: Pending
    ) -> asyncio.Future[object]:
        assert self._producer is not None
        traceparent, tracestate = pending.traceparent, pending.tracestate
        if traceparent and not tracestate and unsampled_context(traceparent) is not None:
            # An unsampled trace (most, by the sampling ratio): a publish span would record
            # nothing, so the record carries the stored context as it is, and the stored
            # envelope's text is the value (no second encoding).
            return await self._produce(
                destination,
                partition,
                pending,
                pending.envelope.encode(),
                [*headers_of(pending, self.name), ("traceparent", traceparent.encode())],
            )
        envelope = json.loads(pending.envelope)
        with (
            restored_trace_context(traceparent, tracestate),
            self.tracer.start_as_current_span(
                f"{destination} publish",
                kind=SpanKind.PRODUCER,
                attributes=publish_attributes(destination, partition, pending, envelope.get("id")),
            ),
        ):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            headers = [
                *headers_of(pending, self.name),
                *((k, v.encode()) for k, v in carrier.items()),
            ]
            # Trace context on the wire is the publish span's, so consumers become its children.
            envelope.update(carrier)
            value = json.dumps(envelope, ensure_ascii=False, sort_keys=True).encode()
            return await self._produce(destination, partition, pending, value, headers)

    async def _produce(
        self,
        destination: str,
        partition: int,
        pending: Pending,
        value: bytes,
        headers: list[tuple[str, bytes]],
    ) -> asyncio.Future[object]:
        assert self._producer is not None
        try:
            future: asyncio.Future[object] = await self._producer.send(
                destination,
                value=value,
                key=pending.stream_id.encode(),
                partition=partition,
                headers=headers,
            )
        except UNPUBLISHABLE as exc:
            future = asyncio.get_running_loop().create_future()
            future.set_exception(exc)
        return future

    async def _dead_letter(self, pending: Pending, error: BaseException) -> None:
        """An event Kafka will never take (too large, say): a small record on the DLQ names it
        (its position and id stay in the store), and the relay goes on."""
        assert self._producer is not None
        log.error("relay %s dead-letters position %d: %r", self.name, pending.position, error)
        value, headers = dead_letter_record(pending, self.name, error)
        await self._producer.send_and_wait(
            self.dlq_topic, value=value, key=pending.stream_id.encode(), headers=headers
        )
        self.dead_lettered += 1

    async def _learn_partitions(self, destinations: set[str]) -> None:
        """Know how many partitions each destination has, creating in one request the
        rejections topics that do not exist yet: a department's is created with its ingress
        topic, but one made by hand without it must not wedge the relay on its first refusal.
        A slow first look (a new department) renews the lease before anything is sent."""
        unknown = sorted(destinations - self._partitions.keys())
        if not unknown:
            return
        assert self._producer is not None
        # What exists is asked of the producer's own connection: an admin client of its
        # own, for each new department, cost a TLS handshake and a SCRAM login (tens of
        # milliseconds of this process's CPU) while every event waited behind it.
        cluster = await self._producer.client.fetch_all_metadata()
        existing = cluster.topics()
        created = [t for t in unknown if t != self.events_topic and t not in existing]
        if created:
            await ensure_topics(self.bootstrap, created)
        for topic in unknown:
            held = cluster.partitions_for_topic(topic)  # None for one created just now
            self._partitions[topic] = len(held or await self._producer.partitions_for(topic))
        if self.lease.due():
            await self.lease.renew()

    async def _reconcile(self) -> None:
        """Learn which events after the checkpoint already reached Kafka before a crash."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT position, updated_at FROM outbox_checkpoint WHERE relay = $1", self.name
            )
            self._position = self._saved = int(row["position"]) if row else 0
            pending = await store.read_all(conn, self._position, 1)
        self._last_in_partition.clear()
        if not pending:
            return
        since_ms = int((row["updated_at"] - CLOCK_MARGIN).timestamp() * 1000) if row else 0
        self._last_in_partition.update(
            await already_published(
                self.bootstrap, self.name, self.events_topic, self.rejections_stem, since_ms
            )
        )
        if self._last_in_partition:
            log.info("relay %s resumes; already in Kafka: %s", self.name, self._last_in_partition)
