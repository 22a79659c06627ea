"""One outbox relay publishes at a time, under a lease: killed mid batch, stalled or kept
waiting by Kafka, the relay (or the one that takes over) publishes nothing twice and leaves no
gap; one whose lease was taken over cannot move the checkpoint."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.integration.outbox_support import (
    assert_once_in_order,
    commit_events,
    until_checkpoint_at_last,
    until_on_topic,
)
from tests.support import count_topic, eventually, read_topic
from thidua.es.db import Pool
from thidua.es.kafka import ensure_topics
from thidua.es.lease import Lease, LeaseLost
from thidua.es.outbox import OutboxRelay


def start_relay(
    database_url: str,
    schema: str,
    bootstrap: str,
    topic: str,
    log: Path,
    *,
    batch_size: int,
    lease_seconds: float = 5.0,
) -> subprocess.Popen[bytes]:
    """One relay named ``crash-test`` in a process of its own."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.relay_process",
            database_url,
            schema,
            bootstrap,
            topic,
            str(batch_size),
            str(lease_seconds),
        ],
        stderr=log.open("ab"),
    )


async def test_relay_killed_mid_batch_resumes_without_duplicates_or_gaps(
    pool: Pool, bootstrap: str, database_url: str, uid: str, tmp_path: Path
) -> None:
    topic = f"test.{uid}.events"
    await ensure_topics(bootstrap, [topic])
    committed = await commit_events(pool, streams=30, per_stream=100, per_tx=50)
    schema = await pool.fetchval("SELECT current_schema()")
    log = tmp_path / "relay.log"

    def start() -> subprocess.Popen[bytes]:
        return start_relay(database_url, schema, bootstrap, topic, log, batch_size=40)

    # Kill it three times while it is publishing, at rising progress, then let it finish.
    for threshold in (300, 1200, 2100):
        process = start()
        try:
            await eventually(
                lambda: count_topic(bootstrap, topic),
                lambda n, at_least=threshold: n >= at_least,
                timeout=90,
                interval=0.02,
                what=f"{threshold} events published",
            )
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
    process = start()
    try:
        await eventually(
            lambda: count_topic(bootstrap, topic),
            lambda n: n >= len(committed),
            timeout=90,
            what="every event published",
        )
        await until_checkpoint_at_last(pool, "crash-test")
    finally:
        process.terminate()
        process.wait(timeout=30)
    records = await read_topic(bootstrap, topic)
    assert len(records) == len(committed), log.read_text()[-3000:]
    assert_once_in_order(records, committed)
    payload_ids = {json.loads(r.value or b"{}")["id"] for r in records}
    assert payload_ids == set(committed)


async def test_a_stalled_relay_is_replaced_and_fenced_off(
    pool: Pool, bootstrap: str, database_url: str, uid: str, tmp_path: Path
) -> None:
    """SIGSTOP of the leading relay: the other instance takes the lease over once it expires
    and publishes; the stalled one, woken up, cannot move the checkpoint and publishes nothing
    twice."""
    topic = f"test.{uid}.events"
    await ensure_topics(bootstrap, [topic])
    schema = await pool.fetchval("SELECT current_schema()")
    log = tmp_path / "relay.log"
    first_ids = await commit_events(pool, streams=2, per_stream=50, per_tx=50, prefix="a")
    first = start_relay(
        database_url, schema, bootstrap, topic, log, batch_size=100, lease_seconds=2
    )
    second: subprocess.Popen[bytes] | None = None
    try:
        await eventually(
            lambda: count_topic(bootstrap, topic), lambda n: n >= 100, what="the first relay leads"
        )
        epoch = await pool.fetchval("SELECT epoch FROM leases WHERE name = 'relay:crash-test'")
        second = start_relay(
            database_url, schema, bootstrap, topic, log, batch_size=100, lease_seconds=2
        )
        first.send_signal(signal.SIGSTOP)
        later_ids = await commit_events(pool, streams=2, per_stream=50, per_tx=50, prefix="b")
        await eventually(
            lambda: count_topic(bootstrap, topic),
            lambda n: n >= 200,
            timeout=30,
            what="the second relay to take over",
        )
        assert (
            await pool.fetchval("SELECT epoch FROM outbox_checkpoint WHERE relay = 'crash-test'")
            > epoch
        )
        first.send_signal(signal.SIGCONT)
        last_ids = await commit_events(pool, streams=1, per_stream=50, per_tx=50, prefix="c")
        await eventually(
            lambda: count_topic(bootstrap, topic), lambda n: n >= 250, what="the rest published"
        )
    finally:
        for process in (first, second):
            if process is not None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
                process.wait(timeout=30)
    records = await read_topic(bootstrap, topic)
    assert_once_in_order(records, first_ids + later_ids + last_ids)


async def test_a_relay_kept_waiting_by_kafka_keeps_its_lease_and_nothing_goes_twice(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    """Kafka holds the leader's sends for longer than its lease (as a partition without a
    leader does, until the controller fences a killed broker). The leader is alive and
    renews its lease while it waits, so the other instance does not take over and publish
    the same events again (the chaos run once counted notifications' events twice)."""
    topic = f"test.{uid}.events"
    await ensure_topics(bootstrap, [topic])
    committed = await commit_events(pool, streams=2, per_stream=20, per_tx=20, prefix="w")
    ttl = 2.0  # as the stall test's: a lease is renewed each pass, at most idle_interval apart

    def instance() -> OutboxRelay:
        return OutboxRelay(
            pool,
            bootstrap,
            f"waiting-{uid}",
            events_topic=topic,
            rejections_stem=f"{topic}.rejections",
            lease_seconds=ttl,
        )

    leader, other = instance(), instance()
    produce = leader._produce

    async def held_by_kafka(*args: Any) -> asyncio.Future[object]:
        async def later() -> object:
            await asyncio.sleep(3 * ttl)
            return await (await produce(*args))

        return asyncio.ensure_future(later())

    leader._produce = held_by_kafka  # type: ignore[method-assign]
    stop = asyncio.Event()
    leading = asyncio.create_task(leader.run(stop))
    await eventually(
        lambda: pool.fetchval("SELECT holder FROM leases WHERE name = $1", leader.lease.name),
        lambda holder: holder == leader.lease.holder,
        what="the first instance leads",
    )
    waiting = asyncio.create_task(other.run(stop))
    try:
        await until_on_topic(bootstrap, topic, len(committed))
        await until_checkpoint_at_last(pool, leader.name)
    finally:
        stop.set()
        await asyncio.gather(leading, waiting)
    assert other.published == 0
    assert_once_in_order(await read_topic(bootstrap, topic), committed)


async def test_a_relay_whose_lease_was_taken_over_cannot_move_the_checkpoint(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    """The checkpoint moves in one statement fenced by the lease row: once another instance
    holds the lease, the old leader's move is refused by the database (its own clock still
    says the lease is valid) and the checkpoint stays where it was."""
    relay = OutboxRelay(pool, bootstrap, f"fence-{uid}", events_topic=f"test.{uid}.events")
    assert await relay.lease.acquire()
    await relay._advance(5)
    checkpoint = "SELECT position, epoch FROM outbox_checkpoint WHERE relay = $1"
    assert tuple(await pool.fetchrow(checkpoint, relay.name)) == (5, relay.lease.epoch)
    first_epoch = relay.lease.epoch
    # The lease expires (made to, here) and another instance takes it.
    await pool.execute(
        "UPDATE leases SET expires_at = clock_timestamp() - interval '1 second' WHERE name = $1",
        relay.lease.name,
    )
    other = Lease(pool, relay.lease.name)
    assert await other.acquire()
    assert relay.lease.valid()
    with pytest.raises(LeaseLost):
        await relay._advance(9)
    assert tuple(await pool.fetchrow(checkpoint, relay.name)) == (5, first_epoch)
    assert relay.lease.epoch is None
