"""The outbox relay publishes every committed event once, in order per key, none rolled back."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from contracts import topics
from contracts.common import RejectionReason
from contracts.envelope import CloudEvent
from contracts.rejections import InputRejected
from tests.integration.test_event_store import unit_established
from tests.support import count_topic, eventually, read_topic
from thidua.es import store
from thidua.es.db import Pool
from thidua.es.kafka import ensure_topics, header
from thidua.es.lease import Lease, LeaseLost
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


async def roll_back_some(pool: Pool, count: int) -> list[str]:
    """Transactions that append and then fail: their events must never be published."""
    ids = []
    for n in range(count):
        event = unit_established(10_000 + n)
        ids.append(event.id)
        with pytest.raises(RuntimeError, match="abort"):
            async with pool.acquire() as conn, conn.transaction():
                await store.append(conn, f"rolled-back-{n}", 0, [event])
                raise RuntimeError("abort")
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


async def test_relay_publishes_each_committed_event_once_in_order_and_nothing_rolled_back(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    topic = f"test.{uid}.events"
    await ensure_topics(bootstrap, [topic])
    committed = await commit_events(pool, streams=12, per_stream=20, per_tx=4)
    rolled_back = await roll_back_some(pool, 6)
    committed += await commit_events(pool, streams=3, per_stream=5, per_tx=5, prefix="late")

    relay = OutboxRelay(
        pool,
        bootstrap,
        "test",
        events_topic=topic,
        rejections_stem=f"{topic}.rejections",
        batch_size=50,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        await until_on_topic(bootstrap, topic, len(committed))
    finally:
        stop.set()
        await running
    records = await read_topic(bootstrap, topic)
    assert_once_in_order(records, committed)
    assert not set(rolled_back) & {CloudEvent.from_json(r.value or b"").id for r in records}


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


def refusal(original: str, source_topic: str) -> CloudEvent:
    rejected = InputRejected(
        original_id=original,
        topic=source_topic,
        rejected_by="test",
        reasons=[RejectionReason(code="data.invalid", message="Dữ liệu không hợp lệ")],
    )
    return CloudEvent.new(rejected, source="urn:thidua:service:test")


async def test_refusals_go_once_to_their_departments_topics_across_a_lost_checkpoint(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    """Each refusal on the topic of the department that sent the refused record (created by
    the relay if missing), a refusal of a record from no ingress topic on the operators' one;
    a relay that lost its checkpoint after publishing finds them all again there and sends
    none twice."""
    topic, stem = f"test.{uid}.events", f"test.{uid}.rejections"
    await ensure_topics(bootstrap, [topic])
    a, b = f"{uid}-a", f"{uid}-b"
    sent = {
        **{f"{a}-{n}": topics.ingress(a) for n in range(3)},
        **{f"{b}-{n}": topics.ingress(b) for n in range(2)},
        "from-events": "thidua.registration.events",
    }
    async with pool.acquire() as conn, conn.transaction():
        for original, source in sent.items():
            await store.append(conn, f"rejection:{original}", 0, [refusal(original, source)])
    facts = await commit_events(pool, streams=1, per_stream=2, per_tx=2)
    expected = {topics.rejections_of(s, stem) for s in sent.values()}
    assert expected == {f"{stem}.{a}", f"{stem}.{b}", f"{stem}.unrouted"}

    async def publish_all() -> None:
        relay = OutboxRelay(pool, bootstrap, "routing", events_topic=topic, rejections_stem=stem)
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        try:
            await until_checkpoint_at_last(pool, "routing")
        finally:
            stop.set()
            await running

    await publish_all()
    # A crash between publishing and moving the checkpoint, as the next leader finds it.
    await pool.execute("UPDATE outbox_checkpoint SET position = 0 WHERE relay = 'routing'")
    await publish_all()
    found = {t: await read_topic(bootstrap, t) for t in sorted(expected)}
    originals = {
        t: sorted(CloudEvent.from_json(r.value or b"").data["original_id"] for r in records)
        for t, records in found.items()
    }
    assert originals == {
        f"{stem}.{a}": [f"{a}-{n}" for n in range(3)],
        f"{stem}.{b}": [f"{b}-{n}" for n in range(2)],
        f"{stem}.unrouted": ["from-events"],
    }
    assert sorted(
        CloudEvent.from_json(r.value or b"").id for r in await read_topic(bootstrap, topic)
    ) == sorted(facts)


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


async def test_an_unsampled_trace_is_published_with_its_stored_context_and_envelope(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    """Most traces are not sampled: the relay then starts no publish span and sends the stored
    envelope as it is, its ``traceparent`` in the record's headers unchanged."""
    topic = f"test.{uid}.events"
    await ensure_topics(bootstrap, [topic])
    unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
    events = [
        unit_established(20_000 + n).model_copy(update={"traceparent": unsampled}) for n in range(3)
    ]
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, f"unsampled-{uid}", 0, events)
    relay = OutboxRelay(
        pool, bootstrap, "test", events_topic=topic, rejections_stem=f"{topic}.rejections"
    )
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        await eventually(
            lambda: count_topic(bootstrap, topic), lambda n: n >= 3, what="the three events"
        )
    finally:
        stop.set()
        await running
    records = await read_topic(bootstrap, topic)
    assert len(records) == 3
    sent = {e.id: e for e in events}
    for record in records:
        assert header(record, "traceparent") == unsampled
        published = CloudEvent.from_json(record.value or b"")
        assert published == sent[published.id]


async def test_what_the_relay_published_runs_ahead_of_its_checkpoint_until_it_is_written(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    """Once a pass published everything, the relay knows it at once (``published_through``,
    what the service's outbox-lag metric reads); the checkpoint row follows only in the next
    pass or after ``idle_interval``: a lag read from the row alone stayed up to half a second
    behind what Kafka had (the scenario publisher's gate waited on it at every phase)."""
    topic = f"test.{uid}.events"
    await ensure_topics(bootstrap, [topic])
    committed = await commit_events(pool, streams=3, per_stream=10, per_tx=5)
    relay = OutboxRelay(
        pool,
        bootstrap,
        "ahead",
        events_topic=topic,
        rejections_stem=f"{topic}.rejections",
        idle_interval=600.0,
    )
    last = await pool.fetchval("SELECT max(position) FROM events")
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        await until_on_topic(bootstrap, topic, len(committed))

        async def published() -> int:
            return relay.published_through

        await eventually(
            published,
            lambda p: p == last,
            what="the relay knowing it published the last event",
        )
        assert (await pool.fetchval(CHECKPOINT, "ahead") or 0) < last
    finally:
        stop.set()
        await running
    assert await pool.fetchval(CHECKPOINT, "ahead") == last  # written when the relay stops


CHECKPOINT = "SELECT position FROM outbox_checkpoint WHERE relay = $1"


async def test_an_event_kafka_will_never_take_is_dead_lettered_and_the_relay_goes_on(
    pool: Pool, bootstrap: str, uid: str
) -> None:
    """An event over Kafka's record size (stored before any limit existed, say) is refused by
    the producer for good: the relay puts a small record naming it on its DLQ and publishes
    the events after it, instead of failing on it for ever."""
    topic, dlq = f"test.{uid}.events", f"test.{uid}.events.dlq"
    await ensure_topics(bootstrap, [topic, dlq])
    before = [unit_established(30_000 + n) for n in range(3)]
    huge = unit_established(30_100).model_copy(update={"padding": "x" * 1_200_000})
    after = [unit_established(30_200 + n) for n in range(3)]
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, f"sized-{uid}", 0, [*before, huge, *after])
    position = await pool.fetchval("SELECT position FROM events WHERE event_id = $1", huge.id)
    relay = OutboxRelay(
        pool,
        bootstrap,
        f"sized-{uid}",
        events_topic=topic,
        rejections_stem=f"{topic}.rejections",
        dlq_topic=dlq,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        await until_on_topic(bootstrap, topic, 6)
        await eventually(lambda: count_topic(bootstrap, dlq), lambda n: n >= 1, what="the DLQ")
        await until_checkpoint_at_last(pool, relay.name)
    finally:
        stop.set()
        await running
    assert_once_in_order(await read_topic(bootstrap, topic), [e.id for e in before + after])
    [dead] = await read_topic(bootstrap, dlq)
    assert header(dead, POSITION_HEADER) == str(position)
    assert header(dead, "thidua-error-type") == "MessageSizeTooLargeError"
    described = json.loads(dead.value or b"")
    assert (described["position"], described["stream_id"]) == (position, f"sized-{uid}")
    assert described["size"] > 1_200_000
    assert relay.dead_lettered == 1
