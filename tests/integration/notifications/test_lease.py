"""The dispatcher's fenced lease on the real PostgreSQL: one holder at a time, a new epoch on
each takeover, and no write of an old epoch after a new one began."""

from __future__ import annotations

import asyncio

import pytest

from services.notifications.app import MIGRATIONS, NAME
from services.notifications.lease import Lease, LeaseLost
from thidua.es import migrations
from thidua.es.db import Pool


@pytest.fixture
async def leases(pool: Pool) -> Pool:
    await migrations.apply_migrations(pool, migrations.load_migrations(NAME, MIGRATIONS))
    return pool


async def test_a_lease_is_held_by_one_instance_until_it_expires(leases: Pool) -> None:
    first, second = Lease(leases, "dispatcher", 0.5), Lease(leases, "dispatcher", 0.5)
    assert await first.acquire() and first.epoch == 1
    assert not await second.acquire()
    await first.renew()
    await asyncio.sleep(0.6)  # the first is paused past its expiry
    assert await second.acquire() and second.epoch == 2
    with pytest.raises(LeaseLost):
        await first.renew()
    async with leases.acquire() as conn, conn.transaction():
        await second.fence(conn)


async def test_an_old_leader_cannot_write_after_a_takeover(leases: Pool) -> None:
    old, new = Lease(leases, "dispatcher", 0.5), Lease(leases, "dispatcher", 0.5)
    await leases.execute("CREATE TABLE written (epoch bigint)")
    assert await old.acquire()
    async with leases.acquire() as conn:
        writing = conn.transaction()
        await writing.start()
        await old.fence(conn)  # a write under epoch 1 is under way
        await asyncio.sleep(0.6)  # ... and outlives the lease
        takeover = asyncio.create_task(new.acquire())
        await asyncio.sleep(0.2)
        assert not takeover.done()  # the takeover waits for the write to end
        await conn.execute("INSERT INTO written VALUES (1)")
        await writing.commit()
    assert await takeover and new.epoch == 2
    held, args = old.holds(1)  # a single statement fenced by its condition
    assert await leases.execute(f"INSERT INTO written SELECT 1 WHERE {held}", *args) == "INSERT 0 0"
    with pytest.raises(LeaseLost):
        async with leases.acquire() as conn, conn.transaction():
            await old.fence(conn)
            await conn.execute("INSERT INTO written VALUES (1)")
    assert await leases.fetchval("SELECT count(*) FROM written") == 1


async def test_a_lease_given_up_is_taken_at_once(leases: Pool) -> None:
    first, second = Lease(leases, "dispatcher", 30), Lease(leases, "dispatcher", 30)
    assert await first.acquire()
    await first.release()
    assert await second.acquire() and second.epoch == 2
