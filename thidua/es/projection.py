"""The projection runner: read models and their checkpoint move together, in one transaction.

A projection consumes public topics and keeps tables in its own schema. The checkpoint is the
next offset to apply per topic partition, stored beside the read model, so a record delivered
twice (a crash before the Kafka offset commit) is skipped, and a rebuild can start from 0.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts.envelope import CloudEvent
from thidua.es.consumer import Incoming, Outcome
from thidua.es.db import Conn, Pool
from thidua.es.kafka import partitions_of

log = logging.getLogger(__name__)


class Projection(Protocol):
    """A read model kept from events."""

    name: str
    topics: Sequence[str]

    async def setup(self, conn: Conn) -> None:
        """Create the read-model tables in the current schema if missing."""

    async def reset(self, conn: Conn) -> None:
        """Empty the read-model tables (before a rebuild)."""

    async def apply(self, conn: Conn, event: CloudEvent, incoming: Incoming) -> None:
        """Fold one event into the read model."""


@runtime_checkable
class BatchedProjection(Projection, Protocol):
    """A projection that defers work to the end of each batch (e.g. sums its counter deltas over
    the batch and writes them once). Both hooks run in the batch's transaction."""

    async def begin_batch(self, conn: Conn) -> None:
        """A batch starts: forget anything pending from a batch that failed."""

    async def end_batch(self, conn: Conn) -> None:
        """Write what the batch's events left pending, before the checkpoint moves."""


Progress = Callable[[int, int], None]


class ProjectionRunner:
    def __init__(self, pool: Pool, projection: Projection) -> None:
        self.pool = pool
        self.projection = projection
        self.applied = 0

    async def setup(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.setup(conn)

    async def apply(self, incoming: Incoming) -> str:
        """Apply one record live (the consumer policy wraps this)."""
        applied = await self.apply_batch([incoming])
        return Outcome.ACCEPTED if applied else Outcome.DUPLICATE

    async def apply_batch(self, batch: Sequence[Incoming]) -> int:
        """Apply records of any partitions in one transaction; returns how many were new."""
        if not batch:
            return 0
        applied = 0
        async with self.pool.acquire() as conn, conn.transaction():
            keys = sorted({(r.topic, r.partition) for r in batch})
            rows = await conn.fetch(
                """SELECT topic, kafka_partition, next_offset FROM projection_checkpoints
                   WHERE projection = $1 FOR UPDATE""",
                self.projection.name,
            )
            next_offsets = {(r["topic"], r["kafka_partition"]): r["next_offset"] for r in rows}
            batched = self.projection if isinstance(self.projection, BatchedProjection) else None
            if batched is not None:
                await batched.begin_batch(conn)
            for record in batch:
                key = (record.topic, record.partition)
                if record.offset < next_offsets.get(key, 0):
                    continue
                event = CloudEvent.from_json(record.value)
                await self.projection.apply(conn, event, record)
                next_offsets[key] = record.offset + 1
                applied += 1
            if batched is not None:
                await batched.end_batch(conn)
            await conn.executemany(
                """INSERT INTO projection_checkpoints
                       (projection, topic, kafka_partition, next_offset)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (projection, topic, kafka_partition)
                   DO UPDATE SET next_offset = excluded.next_offset""",
                [
                    (self.projection.name, t, p, next_offsets[(t, p)])
                    for t, p in keys
                    if (t, p) in next_offsets
                ],
            )
        self.applied += applied
        return applied

    async def checkpoints(self) -> dict[tuple[str, int], int]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT topic, kafka_partition, next_offset FROM projection_checkpoints"
                " WHERE projection = $1",
                self.projection.name,
            )
        return {(r["topic"], r["kafka_partition"]): r["next_offset"] for r in rows}

    async def rebuild(
        self, bootstrap: str, *, progress: Progress | None = None, batch_size: int = 2000
    ) -> int:
        """Empty the read model and replay every topic from offset 0 up to its current end."""
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.setup(conn)
            await self.projection.reset(conn)
            await conn.execute(
                "DELETE FROM projection_checkpoints WHERE projection = $1", self.projection.name
            )
        return await self.catch_up(bootstrap, progress=progress, batch_size=batch_size)

    async def catch_up(
        self, bootstrap: str, *, progress: Progress | None = None, batch_size: int = 2000
    ) -> int:
        """Apply what the topics hold beyond the checkpoints, up to the ends found at the start."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, max_poll_records=batch_size
        )
        await consumer.start()
        try:
            layout = await partitions_of(bootstrap, self.projection.topics)
            tps = [TopicPartition(topic, p) for topic, parts in layout.items() for p in parts]
            if not tps:
                return 0
            ends = await consumer.end_offsets(tps)
            firsts = await consumer.beginning_offsets(tps)
            checkpoints = await self.checkpoints()
            starts = {
                tp: max(checkpoints.get((tp.topic, tp.partition), 0), firsts[tp]) for tp in tps
            }
            total = sum(max(ends[tp] - starts[tp], 0) for tp in tps)
            remaining = {tp for tp in tps if ends[tp] > starts[tp]}
            consumer.assign(tps)
            for tp in remaining:
                consumer.seek(tp, starts[tp])
            done = 0
            while remaining:
                fetched = await consumer.getmany(*remaining, timeout_ms=1000)
                batch = [
                    Incoming(r.topic, r.partition, r.offset, r.key, r.value or b"", r.headers or ())
                    for tp, records in fetched.items()
                    for r in records
                    if r.offset < ends[tp]
                ]
                await self.apply_batch(batch)
                done += len(batch)
                for tp in list(remaining):
                    if await consumer.position(tp) >= ends[tp]:
                        remaining.discard(tp)
                if progress:
                    progress(done, total)
            return done
        finally:
            await consumer.stop()
