"""The projection runner: read models and their checkpoint move together, in one transaction.

A projection consumes public topics and keeps tables in its own schema. The checkpoint is the
next offset to apply per topic partition, stored beside the read model, so a record delivered
twice (a crash before the Kafka offset commit) is skipped, and a rebuild can start from 0.
A rebuild replays the log with ``thidua.es.logread``; a catch-up reads it with
``thidua.es.catchup``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import Protocol, runtime_checkable

from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts.envelope import CloudEvent
from thidua.es.catchup import READ_TO_END_WAIT_MS, partition_ranges, read_to_ends
from thidua.es.consumer import (
    ConsumerPolicy,
    Health,
    Incoming,
    Outcome,
    Stopping,
    deliver,
    until_healthy,
)
from thidua.es.db import Conn, Pool
from thidua.es.kafka import client_options, partitions_of
from thidua.es.logread import LogReader, replay_group
from thidua.es.migrations import Migration, apply_migrations, runtime_migrations

log = logging.getLogger(__name__)


class Projection(Protocol):
    """A read model kept from events."""

    name: str
    topics: Sequence[str]

    async def setup(self, conn: Conn) -> None:
        """Create the read-model tables in the current schema if missing (or check them)."""

    async def reset(self, conn: Conn) -> None:
        """Empty the read-model tables (before a rebuild)."""

    async def apply(self, conn: Conn, event: CloudEvent, incoming: Incoming) -> None:
        """Fold one event into the read model."""


@runtime_checkable
class MigratedProjection(Projection, Protocol):
    """A projection whose tables are versioned migrations (``thidua.es.migrations``), applied
    by ``ProjectionRunner.setup`` after ``setup`` has checked the schema."""

    migrations: Sequence[Migration]


@runtime_checkable
class BatchProjection(Projection, Protocol):
    """A projection that takes a batch's records at once (in the batch's transaction) and
    reads them itself; a record it cannot read raises (and the batch is retried record by
    record, so only that one is dead-lettered)."""

    async def apply_records(self, conn: Conn, records: Sequence[Incoming]) -> None:
        """Fold the records, in order, into the read model."""


class Replayer(Protocol):
    def feed(self, records: Sequence[Incoming]) -> Sequence[tuple[Incoming, Exception]]:
        """Fold more of the log, in memory; returns the records that are not valid events
        (folded nowhere), each with the error that says why."""

    async def write(self, conn: Conn, pool: Pool) -> None:
        """Write the whole model into its empty tables, in ``conn``'s transaction (which then
        writes the checkpoints). Tables that need nothing of the others may be written in
        parallel on connections of ``pool``, each in its own transaction committed first: a
        model is read only once its checkpoints are written, so a replay that fails between
        those commits leaves a model nobody reads, dropped by the next rebuild."""


@runtime_checkable
class StreamingReplayer(Replayer, Protocol):
    def streaming(self, pool: Pool, ready: Awaitable[None]) -> AbstractAsyncContextManager[None]:
        """Inside this context the log is fed, and the replayer may write, once ``ready`` (the
        model's tables made and emptied), what the fold will not change again, on connections
        of ``pool`` in transactions that ``write`` ends and commits. Leaving it with an error
        rolls those back."""


@runtime_checkable
class ReplayableProjection(Projection, Protocol):
    """A projection that rebuilds from offset 0 in memory and writes its model once."""

    def replayer(self) -> Replayer: ...


Progress = Callable[[int, int], None]
DeadLetter = Callable[[Incoming, BaseException, int], Awaitable[None]]
"""Puts a record that cannot be applied on the DLQ: (record, error, attempts)."""


class UnreadableRecord(Exception):
    """A rebuild met a record it cannot apply, and was given no DLQ to put it on."""


REPLAY_FOLD_SLICE = 200
"""Records folded between two turns of the event loop: the model's DDL (a dozen round trips)
and the facts' copy wait for those turns while the log is folded (with 1,000 records a turn,
the tables were ready, and the facts' copy began, only 0.2-0.3 s before the fold ended)."""


class ProjectionRunner:
    def __init__(self, pool: Pool, projection: Projection) -> None:
        self.pool = pool
        self.projection = projection
        self.applied = 0

    async def setup(self) -> None:
        """The projection's own check, then the runtime's tables (the checkpoints) and the
        projection's migrations, if missing."""
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.setup(conn)
        own = self.projection.migrations if isinstance(self.projection, MigratedProjection) else ()
        await apply_migrations(self.pool, [*runtime_migrations(), *own])

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
            fresh = []
            for record in batch:
                key = (record.topic, record.partition)
                if record.offset < next_offsets.get(key, 0):
                    continue
                fresh.append(record)
                next_offsets[key] = record.offset + 1
            if isinstance(self.projection, BatchProjection):
                await self.projection.apply_records(conn, fresh)
            else:
                for record in fresh:
                    event = CloudEvent.from_json(record.value)
                    await self.projection.apply(conn, event, record)
            applied = len(fresh)
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

    async def apply_or_dead_letter(
        self,
        batch: Sequence[Incoming],
        dead_letter: DeadLetter,
        *,
        policy: ConsumerPolicy | None = None,
        health: Health | None = None,
        stop: asyncio.Event | None = None,
    ) -> list[str]:
        """Apply ``batch`` in one transaction, waiting out transient faults; if it fails for
        another reason, record by record under the consumer policy, so that only the records
        that still fail go to ``dead_letter`` (the checkpoint then moves past each)."""
        policy = policy or ConsumerPolicy()
        health = health or Health()
        try:
            await until_healthy(lambda: self.apply_batch(batch), policy, health, stop)
            return [Outcome.ACCEPTED] * len(batch)
        except Stopping:
            raise
        except Exception as exc:
            log.warning("batch of %d failed (%r); applying one by one", len(batch), exc)

        async def give_up(record: Incoming, error: BaseException, attempts: int) -> None:
            await dead_letter(record, error, attempts)
            await self.pass_over(record)

        return [
            await deliver(
                record,
                self.apply,
                give_up,
                policy,
                health=health,
                alive=self._database_answers,
                stop=stop,
            )
            for record in batch
        ]

    async def pass_over(self, record: Incoming) -> None:
        """Move the checkpoint past a record that went to the DLQ instead of the model."""
        await self.pool.execute(
            """INSERT INTO projection_checkpoints (projection, topic, kafka_partition, next_offset)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (projection, topic, kafka_partition) DO UPDATE
               SET next_offset
                   = greatest(projection_checkpoints.next_offset, excluded.next_offset)""",
            self.projection.name,
            record.topic,
            record.partition,
            record.offset + 1,
        )

    async def _database_answers(self) -> bool:
        return bool(await self.pool.fetchval("SELECT 1") == 1)

    async def checkpoints(self) -> dict[tuple[str, int], int]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT topic, kafka_partition, next_offset FROM projection_checkpoints"
                " WHERE projection = $1",
                self.projection.name,
            )
        return {(r["topic"], r["kafka_partition"]): r["next_offset"] for r in rows}

    async def rebuild(
        self,
        bootstrap: str,
        *,
        progress: Progress | None = None,
        batch_size: int = 2000,
        dead_letter: DeadLetter | None = None,
    ) -> int:
        """Empty the read model and replay every topic from offset 0 up to its current end.
        A record that cannot be applied goes to ``dead_letter``; without one, it stops the
        rebuild (:class:`UnreadableRecord`). No record is passed over unseen."""
        if isinstance(self.projection, ReplayableProjection):
            # A replay keeps millions of young objects alive until it writes them: the cyclic
            # collector would scan them again and again (it took a third of the time).
            collecting = gc.isenabled()
            gc.disable()
            try:
                return await self._replay(
                    self.projection.replayer(), bootstrap, progress, dead_letter
                )
            finally:
                if collecting:
                    gc.enable()
        await self._emptied()
        return await self.catch_up(
            bootstrap, progress=progress, batch_size=batch_size, dead_letter=dead_letter
        )

    async def _emptied(self) -> None:
        """The read model's tables made or checked, emptied, and its checkpoints deleted."""
        await self.setup()
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.reset(conn)
            await conn.execute(
                "DELETE FROM projection_checkpoints WHERE projection = $1", self.projection.name
            )

    async def _replay(
        self,
        replayer: Replayer,
        bootstrap: str,
        progress: Progress | None,
        dead_letter: DeadLetter | None,
    ) -> int:
        """Read every partition from its start to its end (``LogReader``: librdkafka fetches
        on threads of its own while the records are folded here), fold it in memory, then
        write the model and the checkpoints in one transaction."""
        # Nothing of the log is written before the whole of it is folded: the model's tables
        # are made and emptied meanwhile (a few hundred milliseconds of DDL), and the reader
        # leaves while the model is written.
        emptied = asyncio.create_task(self._emptied())
        reader = LogReader(bootstrap, replay_group(self.projection.name))
        stopped: asyncio.Task[None] | None = None
        try:
            async with AsyncExitStack() as streaming:
                if isinstance(replayer, StreamingReplayer):
                    await streaming.enter_async_context(replayer.streaming(self.pool, emptied))
                layout = await reader.layout(self.projection.topics)
                tps = [TopicPartition(topic, p) for topic, parts in layout.items() for p in parts]
                starts, ends = await reader.offsets(tps)
                total = sum(max(ends[tp] - starts[tp], 0) for tp in tps)
                done = 0
                async for fetched in reader.read(tps, starts, ends):
                    for at in range(0, len(fetched), REPLAY_FOLD_SLICE):
                        records = fetched[at : at + REPLAY_FOLD_SLICE]
                        for record, error in replayer.feed(records):
                            if dead_letter is None:
                                raise UnreadableRecord(f"{record.position}: {error}") from error
                            await dead_letter(record, error, 1)
                        done += len(records)
                        if progress:
                            progress(done, total)
                        # The model's DDL, what the replayer streams and a progress display
                        # run between slices, not once per batch of records.
                        await asyncio.sleep(0)
                stopped = asyncio.create_task(reader.close())
                await emptied
                async with self.pool.acquire() as conn, conn.transaction():
                    await replayer.write(conn, self.pool)
                    await conn.executemany(
                        """INSERT INTO projection_checkpoints
                               (projection, topic, kafka_partition, next_offset)
                           VALUES ($1, $2, $3, $4)""",
                        [(self.projection.name, tp.topic, tp.partition, ends[tp]) for tp in tps],
                    )
        finally:
            if not emptied.done():
                emptied.cancel()
            # Retrieved (a failure raised above, or none); the model's DDL is not left
            # running on a connection the pool is closing.
            await asyncio.gather(emptied, return_exceptions=True)
            await (stopped if stopped is not None else reader.close())
        self.applied += done
        return done

    async def catch_up(
        self,
        bootstrap: str,
        *,
        progress: Progress | None = None,
        batch_size: int = 2000,
        dead_letter: DeadLetter | None = None,
    ) -> int:
        """Apply what the topics hold beyond the checkpoints, up to the ends found at the start
        (a record that cannot be applied goes to ``dead_letter``, or else raises)."""
        consumer = AIOKafkaConsumer(
            **client_options(bootstrap),
            enable_auto_commit=False,
            max_poll_records=batch_size,
            fetch_max_wait_ms=READ_TO_END_WAIT_MS,
        )
        await consumer.start()
        try:
            tps, starts, ends = await partition_ranges(
                consumer,
                await self.checkpoints(),
                await partitions_of(bootstrap, self.projection.topics),
            )
            total = sum(max(ends[tp] - starts[tp], 0) for tp in tps)
            done = 0
            async for batch in read_to_ends(consumer, tps, starts, ends):
                if dead_letter is None:
                    await self.apply_batch(batch)
                else:
                    await self.apply_or_dead_letter(batch, dead_letter)
                done += len(batch)
                if progress:
                    progress(done, total)
            return done
        finally:
            await consumer.stop()
