"""The outbox relay publishes every committed event once, in order per key, none rolled back:
refusals to the topics of the departments they answer, an unsampled trace's stored envelope as
it is, what it published known before its checkpoint is written, an event Kafka will never
take dead-lettered."""

from __future__ import annotations

import asyncio
import json

import pytest

from contracts import topics
from contracts.common import RejectionReason
from contracts.envelope import CloudEvent
from contracts.rejections import InputRejected
from tests.integration.outbox_support import (
    assert_once_in_order,
    commit_events,
    relay_until_published,
    until_checkpoint_at_last,
    until_on_topic,
)
from tests.integration.test_event_store import unit_established
from tests.support import count_topic, eventually, read_topic
from thidua.es import store
from thidua.es.db import Pool
from thidua.es.kafka import ensure_topics, header
from thidua.es.outbox import OutboxRelay
from thidua.es.relayed import POSITION_HEADER


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
        await relay_until_published(relay, pool)

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


async def test_only_missing_refusal_topics_are_created_and_the_rest_asked_of_the_producer(
    pool: Pool, bootstrap: str, uid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A department's refusals topic that exists is known from the relay's producer; an admin
    client (a TLS handshake and a login of its own) is made only for one that is missing."""
    topic, stem = f"test.{uid}.events", f"test.{uid}.rejections"
    made, missing = f"{uid}-made", f"{uid}-missing"
    await ensure_topics(bootstrap, [topic, topics.rejections_of(topics.ingress(made), stem)])
    asked: list[list[str]] = []

    async def spied(bootstrap_: str, wanted: list[str]) -> None:
        asked.append(sorted(wanted))
        await ensure_topics(bootstrap_, wanted)

    monkeypatch.setattr("thidua.es.outbox.ensure_topics", spied)
    async with pool.acquire() as conn, conn.transaction():
        for department in (made, missing):
            original = f"{department}-1"
            refused = refusal(original, topics.ingress(department))
            await store.append(conn, f"rejection:{original}", 0, [refused])
    relay = OutboxRelay(pool, bootstrap, "asking", events_topic=topic, rejections_stem=stem)
    await relay_until_published(relay, pool)
    assert asked == [[f"{stem}.{missing}"]]
    for department in (made, missing):
        records = await read_topic(bootstrap, f"{stem}.{department}")
        assert [CloudEvent.from_json(r.value or b"").data["original_id"] for r in records] == [
            f"{department}-1"
        ]


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
