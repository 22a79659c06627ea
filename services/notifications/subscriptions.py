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
        # The row first: a second request for the same id waits here for the first to commit,
        # then inserts nothing (so two at once are one subscription, never an error).
        inserted = await conn.execute(
            """INSERT INTO subscriptions (subscription_id, recipient_kind, recipient_id, channel,
                   address, event_types, department_code) VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (subscription_id) DO NOTHING""",
            sub.subscription_id,
            sub.recipient_kind.value,
            sub.recipient_id,
            sub.channel.value,
            sub.address,
            sub.event_types,
            sub.department_code,
        )
        if inserted != "INSERT 0 1":
            return False
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
