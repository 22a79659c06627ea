"""The contract of the event store, kept by PostgreSQL's and by the one in memory that unit
tests decide on (as the eventsourcing library tests one recorder contract on two back ends)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from tests.integration.test_event_store import unit_established
from thidua.es.db import Pool
from thidua.es.memory import MemoryStore
from thidua.es.store import Append, ConcurrencyError, EventStore, PostgresStore


@pytest.fixture(params=["postgres", "postgres-alone", "memory"])
def session(request: pytest.FixtureRequest, pool: Pool) -> Callable[[], object]:
    """A unit of work on the store: a transaction on PostgreSQL, or no transaction (the append
    is one statement: a batch whose only write it is runs it alone), the same dict in
    memory."""
    memory = MemoryStore()

    @asynccontextmanager
    async def postgres() -> AsyncIterator[EventStore]:
        async with pool.acquire() as conn, conn.transaction():
            yield PostgresStore(conn)

    @asynccontextmanager
    async def alone() -> AsyncIterator[EventStore]:
        async with pool.acquire() as conn:
            yield PostgresStore(conn)

    @asynccontextmanager
    async def in_memory() -> AsyncIterator[EventStore]:
        yield memory

    return {"postgres": postgres, "postgres-alone": alone, "memory": in_memory}[request.param]


def appends(stream: str, after: int, count: int) -> list[Append]:
    return [Append(stream, after + n, unit_established(n)) for n in range(1, count + 1)]


async def test_a_stream_never_written_reads_as_version_zero(session: Callable[[], object]) -> None:
    async with session() as store:  # type: ignore[attr-defined]
        found = await store.load(["unit:none"])
    assert found["unit:none"].version == 0 and found["unit:none"].events == ()


async def test_appends_of_several_streams_read_back_in_version_order(
    session: Callable[[], object],
) -> None:
    async with session() as store:  # type: ignore[attr-defined]
        await store.append([*appends("a", 0, 3), *appends("b", 0, 2)], {"a": 0, "b": 0})
    async with session() as store:  # type: ignore[attr-defined]
        found = await store.load(["a", "b"])
    assert [e.version for e in found["a"].events] == [1, 2, 3]
    assert (found["a"].version, found["b"].version) == (3, 2)
    assert found["b"].events[1].payload.name == unit_established(2).payload().name


async def test_a_decision_on_a_moved_stream_writes_nothing(session: Callable[[], object]) -> None:
    async with session() as store:  # type: ignore[attr-defined]
        await store.append(appends("a", 0, 1), {"a": 0})

    async def stale() -> None:
        async with session() as store:  # type: ignore[attr-defined]
            # "b" was read at version 0 along with "a" at 0, but "a" is at 1 now.
            await store.append([*appends("b", 0, 1), *appends("a", 0, 1)], {"a": 0, "b": 0})

    await _raises(ConcurrencyError, stale)
    async with session() as store:  # type: ignore[attr-defined]
        found = await store.load(["a", "b"])
    assert (found["a"].version, found["b"].version) == (1, 0)


async def test_a_stream_only_read_is_checked_too(session: Callable[[], object]) -> None:
    async with session() as store:  # type: ignore[attr-defined]
        await store.append(appends("read", 0, 1), {"read": 0})

    async def stale_read() -> None:
        async with session() as store:  # type: ignore[attr-defined]
            await store.append(appends("written", 0, 1), {"read": 0, "written": 0})

    await _raises(ConcurrencyError, stale_read)


async def test_a_moved_stream_leaves_no_inbox_entry_without_a_transaction(pool: Pool) -> None:
    """Outside a transaction the append statement undoes its own inbox rows when it fails."""
    event = unit_established(1)
    entry = (event, "digest", "thidua.ingress.x", 0, 7, "accepted")
    async with pool.acquire() as conn:
        await PostgresStore(conn).append(appends("moved", 0, 1), {"moved": 0})
        with pytest.raises(ConcurrencyError) as raised:
            await PostgresStore(conn).append(appends("moved", 0, 1), {"moved": 0}, [entry])
        assert raised.value.stream_id == "moved" and not conn.is_in_transaction()
        assert not await conn.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.id)
        await PostgresStore(conn).append(appends("moved", 1, 1), {"moved": 1}, [entry])
        assert await conn.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.id)


async def _raises(error: type[Exception], work: Callable[[], Awaitable[None]]) -> None:
    with pytest.raises(error):
        await work()
