"""The dispatcher writes only under the lease it holds (the kernel's fenced lease): once
another instance took the lease over, a paused dispatcher that wakes up claims and confirms
nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.notifications.app import MIGRATIONS, NAME
from services.notifications.dispatcher import LEASE, Dispatcher
from services.notifications.domain.deliveries import Cause, plan, to_contact
from services.notifications.readmodels import deliveries
from services.notifications.templates import Message
from thidua.es import migrations
from thidua.es.db import Pool
from thidua.es.lease import Lease, LeaseLost

NOW = datetime(2018, 8, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
async def planned(pool: Pool) -> Pool:
    """The service's schema with one email to a unit planned."""
    await migrations.apply_migrations(pool, migrations.load_migrations(NAME, MIGRATIONS))
    notice = to_contact(
        "unit", "sct-gialai/u001", "Văn phòng Sở", Message("t", "Tiêu đề", "Nội dung")
    )
    async with pool.acquire() as conn, conn.transaction():
        await deliveries.insert(conn, plan(Cause("evt-1", "evt-1", None, None, {}), [notice], NOW))
    return pool


async def paused_leader(pool: Pool) -> Dispatcher:
    """A dispatcher that led, then stalled past its lease while another instance took over."""
    stale = Dispatcher(pool)
    stale.lease = Lease(pool, LEASE, ttl=30)
    assert await stale.lease.acquire()
    await pool.execute("UPDATE leases SET expires_at = clock_timestamp() - interval '1 second'")
    assert await Lease(pool, LEASE, ttl=30).acquire()  # the new leader, epoch 2
    return stale


async def test_a_paused_dispatcher_claims_nothing_after_a_takeover(planned: Pool) -> None:
    stale = await paused_leader(planned)
    with pytest.raises(LeaseLost):
        await stale.claim(NOW)
    row = await planned.fetchrow("SELECT status, attempts FROM deliveries")
    assert (row["status"], row["attempts"]) == ("pending", 0)


async def test_the_dispatcher_holding_the_lease_claims(planned: Pool) -> None:
    leader = Dispatcher(planned)
    leader.lease = Lease(planned, LEASE, ttl=30)
    assert await leader.lease.acquire()
    [row] = await leader.claim(NOW)
    assert (row["status"], row["channel"], row["attempts"]) == ("sending", "inbox", 1)
