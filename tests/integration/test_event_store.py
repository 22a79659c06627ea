"""The event store's contract: optimistic concurrency, commit order, nothing of a rollback."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from contracts.common import UnitKind
from contracts.envelope import CloudEvent
from contracts.registration import UnitEstablished
from thidua.es import migrations, store
from thidua.es.db import Pool


def unit_established(n: int) -> CloudEvent:
    return CloudEvent.new(
        UnitEstablished(
            unit_id=f"sct-gl:unit-{n}",
            department_code="sct-gl",
            name=f"Phòng {n}",
            kind=UnitKind.SECTION,
            established_on=date(2018, 1, 1),
        ),
        source="urn:test",
        department="sct-gl",
    )


async def append_in_tx(pool: Pool, stream: str, expected: int, *events: CloudEvent) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, stream, expected, list(events))


async def test_two_concurrent_appends_at_the_same_version_exactly_one_wins(pool: Pool) -> None:
    for round_ in range(25):
        stream = f"unit-{round_}"
        results = await asyncio.gather(
            append_in_tx(pool, stream, 0, unit_established(1)),
            append_in_tx(pool, stream, 0, unit_established(2)),
            return_exceptions=True,
        )
        assert sum(r is None for r in results) == 1, results
        assert sum(isinstance(r, store.ConcurrencyError) for r in results) == 1, results
        async with pool.acquire() as conn:
            assert [e.version for e in await store.read_stream(conn, stream)] == [1]


async def test_appending_at_a_stale_version_is_refused_and_writes_nothing(pool: Pool) -> None:
    await append_in_tx(pool, "unit-a", 0, unit_established(1), unit_established(2))
    with pytest.raises(store.ConcurrencyError):
        await append_in_tx(pool, "unit-a", 1, unit_established(3))
    await append_in_tx(pool, "unit-a", 2, unit_established(3))
    async with pool.acquire() as conn:
        versions = [e.version for e in await store.read_stream(conn, "unit-a")]
    assert versions == [1, 2, 3]


async def test_rolled_back_appends_are_never_read(pool: Pool) -> None:
    kept = unit_established(1)
    await append_in_tx(pool, "unit-a", 0, kept)
    with pytest.raises(RuntimeError, match="abort"):
        async with pool.acquire() as conn, conn.transaction():
            await store.append(conn, "unit-b", 0, [unit_established(2)])
            raise RuntimeError("abort")
    async with pool.acquire() as conn:
        everything = await store.read_all(conn)
    assert [e.event.id for e in everything] == [kept.id]


async def test_read_all_returns_commit_order_after_a_position(pool: Pool) -> None:
    events = [unit_established(n) for n in range(10)]
    for n, event in enumerate(events):
        await append_in_tx(pool, f"unit-{n % 3}", n // 3, event)
    async with pool.acquire() as conn:
        everything = await store.read_all(conn)
        tail = await store.read_all(conn, everything[4].position, limit=3)
    assert [e.event.id for e in everything] == [e.id for e in events]
    assert [e.position for e in everything] == sorted(e.position for e in everything)
    assert [e.event.id for e in tail] == [e.id for e in events[5:8]]


async def test_a_slow_transaction_does_not_let_later_positions_overtake_it(pool: Pool) -> None:
    """Positions are drawn in commit order, so a reader never skips a late commit."""
    first_appended = asyncio.Event()
    release = asyncio.Event()

    async def slow_writer() -> None:
        async with pool.acquire() as conn, conn.transaction():
            await store.append(conn, "slow", 0, [unit_established(1)])
            first_appended.set()
            await release.wait()

    slow = asyncio.create_task(slow_writer())
    await first_appended.wait()
    fast = asyncio.create_task(append_in_tx(pool, "fast", 0, unit_established(2)))
    async with pool.acquire() as conn:
        assert await store.read_all(conn) == []  # nothing committed yet
    release.set()
    await asyncio.gather(slow, fast)
    async with pool.acquire() as conn:
        streams = [e.stream_id for e in await store.read_all(conn)]
    assert streams == ["slow", "fast"]


async def test_append_outside_a_transaction_is_a_programming_error(pool: Pool) -> None:
    async with pool.acquire() as conn:
        with pytest.raises(RuntimeError, match="transaction"):
            await store.append(conn, "unit-a", 0, [unit_established(1)])


async def test_migrations_apply_once(pool: Pool) -> None:
    assert await migrations.apply_migrations(pool, migrations.runtime_migrations()) == []
    async with pool.acquire() as conn:
        applied = await conn.fetchval("SELECT count(*) FROM schema_migrations")
    assert applied == len(migrations.runtime_migrations())
