"""What the outbox relay tests share: committing events to the store, waiting for the topic
and the relay's checkpoint, and checking each event went once, in order per key."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from aiokafka import ConsumerRecord

from contracts.envelope import CloudEvent
from tests.integration.test_event_store import unit_established
from tests.support import count_topic, eventually
from thidua.es import store
from thidua.es.db import Pool
from thidua.es.kafka import header
from thidua.es.outbox import OutboxRelay
from thidua.es.relayed import POSITION_HEADER


async def commit_events(
    pool: Pool, streams: int, per_stream: int, per_tx: int, prefix: str = "stream"
) -> list[str]:
    """Append events stream by stream, ``per_tx`` in each transaction; returns their ids."""
    ids = []
    for s in range(streams):
        for start in range(0, per_stream, per_tx):
            batch = [unit_established(s * 1000 + n) for n in range(start, start + per_tx)]
            async with pool.acquire() as conn, conn.transaction():
                await store.append(conn, f"{prefix}-{s}", start, batch)
            ids.extend(e.id for e in batch)
    return ids


def assert_once_in_order(records: list[ConsumerRecord[bytes, bytes]], committed: list[str]) -> None:
    ids = [CloudEvent.from_json(r.value or b"").id for r in records]
    assert len(ids) == len(set(ids)), "an event was published twice"
    assert set(ids) == set(committed)
    by_key: dict[bytes | None, list[int]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_key[record.key].append(int(header(record, POSITION_HEADER) or 0))
    for key, positions in by_key.items():
        assert positions == sorted(positions), f"events of {key!r} out of order"


async def until_on_topic(bootstrap: str, topic: str, count: int) -> None:
    await eventually(
        lambda: count_topic(bootstrap, topic),
        lambda n: n >= count,
        what=f"all {count} committed events on the topic",
    )


async def until_checkpoint_at_last(pool: Pool, relay: str) -> None:
    last = max(await pool.fetchval("SELECT max(position) FROM events"), 0)
    await eventually(
        lambda: pool.fetchval("SELECT position FROM outbox_checkpoint WHERE relay = $1", relay),
        lambda p: p == last,
        what=f"{relay}'s checkpoint at the last event",
    )


async def relay_until_published(relay: OutboxRelay, pool: Pool) -> None:
    """Run ``relay`` until its checkpoint is at the last event in the store, then stop it."""
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        await until_checkpoint_at_last(pool, relay.name)
    finally:
        stop.set()
        await running
