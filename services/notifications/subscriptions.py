"""Explicit subscriptions: decided by this service (an operator or an API call), kept as
``SubscriptionCreated`` / ``SubscriptionCancelled`` events with their table in one transaction."""

from __future__ import annotations

from contracts.envelope import CloudEvent
from contracts.notifications import SubscriptionCancelled, SubscriptionCreated
from thidua.es import store
from thidua.es.db import Pool

SOURCE = "urn:thidua:service:notifications"


async def subscribe(pool: Pool, sub: SubscriptionCreated) -> bool:
    """Record the subscription; False when the same id already exists (idempotent)."""
    stream = f"subscription:{sub.subscription_id}"
    async with pool.acquire() as conn, conn.transaction():
        if await store.stream_version(conn, stream) > 0:
            return False
        await conn.execute(
            """INSERT INTO subscriptions (subscription_id, recipient_kind, recipient_id, channel,
                   address, event_types, department_code) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            sub.subscription_id,
            sub.recipient_kind.value,
            sub.recipient_id,
            sub.channel.value,
            sub.address,
            sub.event_types,
            sub.department_code,
        )
        event = CloudEvent.new(sub, source=SOURCE, subject=stream, department=sub.department_code)
        await store.append(conn, stream, 0, [event])
    return True


async def unsubscribe(pool: Pool, cancel: SubscriptionCancelled) -> bool:
    stream = f"subscription:{cancel.subscription_id}"
    async with pool.acquire() as conn, conn.transaction():
        version = await store.stream_version(conn, stream)
        if version != 1:
            return False  # unknown, or already cancelled
        await conn.execute(
            "UPDATE subscriptions SET active = false WHERE subscription_id = $1",
            cancel.subscription_id,
        )
        await store.append(conn, stream, 1, [CloudEvent.new(cancel, source=SOURCE, subject=stream)])
    return True
