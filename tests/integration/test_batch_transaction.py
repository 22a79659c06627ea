"""A batch's transaction is begun at its first write before the commit statement, and not at
all when that statement (``es_commit_batch``: inbox, version checks, appends) is its only
write: each ``BEGIN`` and ``COMMIT`` is a round trip, and a pure decider's batch needs
neither. Either way the batch is all or nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest

from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from tests.unit.test_foreseen_decisions import INGRESS, first_joiner_only, joining
from thidua.es.batch import Outcome
from thidua.es.consumer import CommandConsumer
from thidua.es.db import Conn, Pool
from thidua.es.decider import Command, Decider, Emit
from thidua.es.intake import Incoming
from thidua.es.store import Append, PostgresStore


class _Counting:
    """A pool whose connections count the transactions begun on them."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.begun = 0

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Any]:
        async with self.pool.acquire() as conn:
            yield _Connection(conn, self)

    async def fetchval(self, *args: Any) -> Any:
        return await self.pool.fetchval(*args)


class _Connection:
    def __init__(self, conn: Conn, counter: _Counting) -> None:
        self._conn = conn
        self._counter = counter

    def transaction(self) -> Any:
        self._counter.begun += 1
        return self._conn.transaction()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


async def _no_dead_letter(record: Incoming, error: BaseException, attempts: int) -> None:
    raise AssertionError(f"dead-lettered {record.position}: {error!r}")


def _batch(*events: CloudEvent, at: int = 0) -> list[Incoming]:
    return [Incoming(INGRESS, 0, at + n, None, e.to_json()) for n, e in enumerate(events)]


def _consumer(pool: _Counting, decider: Decider) -> CommandConsumer:
    return CommandConsumer(pool, "registration", decider, _no_dead_letter)  # type: ignore[arg-type]


async def test_a_pure_deciders_batch_writes_in_one_statement_without_a_transaction(
    pool: Pool,
) -> None:
    counting = _Counting(pool)
    consumer = _consumer(counting, first_joiner_only(Counter()))
    first = joining("a", "u1")

    outcomes = await consumer.process_batch(_batch(first, joining("b", "u1"), joining("c", "u2")))

    assert outcomes == [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED]
    assert counting.begun == 0
    streams = [r[0] for r in await pool.fetch("SELECT stream_id FROM events ORDER BY position")]
    assert streams == [
        "unit:sct-gialai/u1",
        f"rejection:{INGRESS}/0/1",
        "unit:sct-gialai/u2",
    ]
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 3
    # Delivered again: the inbox (written by that statement) knows it.
    again = await consumer.process_batch(_batch(first))
    assert again == [Outcome.DUPLICATE] and counting.begun == 0


async def test_a_batch_whose_stream_moved_meanwhile_leaves_nothing_and_is_decided_again(
    pool: Pool,
) -> None:
    counting = _Counting(pool)
    consumer = _consumer(counting, first_joiner_only(Counter()))
    await consumer.process_batch(_batch(joining("a", "u1")))  # the unit's stream is cached now
    # Another writer appends to the unit's stream behind this consumer's cache.
    async with pool.acquire() as conn:
        await PostgresStore(conn).append([Append("unit:sct-gialai/u1", 2, joining("z", "u1"))], {})

    outcomes = await consumer.process_batch(_batch(joining("b", "u1"), at=100))

    # Decided against the cached stream first (the statement failed, writing nothing), then
    # again after reloading it: refused, with exactly one inbox row.
    assert outcomes == [Outcome.REJECTED]
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE kafka_offset = 100") == 1
    streams = await pool.fetch("SELECT stream_id, version FROM events ORDER BY position")
    assert [tuple(r) for r in streams] == [
        ("unit:sct-gialai/u1", 1),
        ("unit:sct-gialai/u1", 2),
        (f"rejection:{INGRESS}/0/100", 1),
    ]
    assert counting.begun == 0


async def test_read_copies_are_kept_in_the_batchs_transaction_only_when_there_are_some(
    pool: Pool,
) -> None:
    await pool.execute("CREATE TABLE kept (event_id text PRIMARY KEY)")

    async def keep(conn: Conn, events: Sequence[CloudEvent]) -> None:
        assert conn.is_in_transaction()
        await conn.executemany("INSERT INTO kept VALUES ($1)", [(e.id,) for e in events])

    decider = first_joiner_only(Counter())
    decider.read_inputs = keep
    decider.inputs_kept = {"vn.thidua.registration.PersonJoined.v1"}.__contains__
    counting = _Counting(pool)
    consumer = _consumer(counting, decider)

    await consumer.process_batch(_batch(joining("a", "u1"), joining("b", "u2")))
    assert counting.begun == 1
    assert await pool.fetchval("SELECT count(*) FROM kept") == 2

    decider.inputs_kept = frozenset[str]().__contains__  # none of the batch's types
    await consumer.process_batch(_batch(joining("c", "u3"), at=10))
    assert counting.begun == 1


async def test_a_failure_after_a_read_copy_rolls_the_whole_batch_back(pool: Pool) -> None:
    await pool.execute("CREATE TABLE kept (event_id text PRIMARY KEY)")

    async def keep(conn: Conn, events: Sequence[CloudEvent]) -> None:
        await conn.executemany("INSERT INTO kept VALUES ($1)", [(e.id,) for e in events])

    def broken(command: Command[Any]) -> list[Emit]:
        raise RuntimeError("decider bug")

    decider = Decider(read_inputs=keep)
    decider.add(PersonJoined, broken)
    consumer = _consumer(_Counting(pool), decider)

    with pytest.raises(RuntimeError, match="decider bug"):
        await consumer.process_batch(_batch(joining("a", "u1")))

    assert await pool.fetchval("SELECT count(*) FROM kept") == 0
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0
    assert await pool.fetchval("SELECT count(*) FROM events") == 0
