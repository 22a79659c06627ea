"""One registration service per test module, on topics and a schema of its own, with the seed
scenario loaded. Tests submit department events on ingress topics and read what the service
published: facts on its events topic, refusals on its rejections topic, matched by causation
(each test only looks at what its own inputs caused)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts import topics
from contracts.base import EventData
from contracts.envelope import CloudEvent
from scenarios.seeds import Scenario
from services.registration.app import build
from tests.support import as_service_role, eventually, remove_leftovers, unique
from thidua.es.consumer import ConsumerPolicy
from thidua.es.db import Pool
from thidua.es.kafka import client_options, partitions_of
from thidua.es.service import ServiceRuntime, ServiceTopics

T = TypeVar("T")


@dataclass
class Outcome:
    """What the service did with one input."""

    inbox: str
    facts: list[CloudEvent]
    codes: list[str]
    messages: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.inbox == "accepted"

    def types(self) -> list[str]:
        return [f.type.split(".")[-2] for f in self.facts]


@dataclass
class Collector:
    """Everything published on the service's events and rejections topics, by event id, with
    the topic each came on."""

    bootstrap: str
    topics: list[str]
    published: dict[str, CloudEvent] = field(default_factory=dict)
    topic_of: dict[str, str] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None
    _consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        consumer = AIOKafkaConsumer(**client_options(self.bootstrap), enable_auto_commit=False)
        await consumer.start()
        parts = await partitions_of(self.bootstrap, self.topics)
        tps = [TopicPartition(t, p) for t in self.topics for p in parts[t]]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        self._consumer = consumer
        self._task = asyncio.create_task(self._run(consumer))

    async def _run(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    event = CloudEvent.from_json(record.value or b"")
                    self.published[event.id] = event
                    self.topic_of[event.id] = record.topic

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    def caused_by(self, event_id: str) -> list[CloudEvent]:
        return [e for e in self.published.values() if e.causationid == event_id]


@dataclass
class Registration:
    runtime: ServiceRuntime
    scenario: Scenario
    out: ServiceTopics
    bootstrap: str
    collector: Collector
    unregistered: str
    """A department code with an ingress topic but no directory entry."""
    new_board: str
    """The board of a province not registered yet (Kon Tum), with an ingress topic."""
    loaded: list[Outcome] = field(default_factory=list)

    @property
    def pool(self) -> Pool:
        assert self.runtime.pool is not None
        return self.runtime.pool

    def code(self, department: str) -> str:
        return self.scenario.code(department)

    def province(self, province: str) -> str:
        """A seed province's id in this module's namespace (``own_provinces``)."""
        return self.scenario.code(province)

    def board(self, province: str) -> str:
        return topics.board(self.province(province))

    def envelope(self, department: str, payload: EventData, **changes: Any) -> CloudEvent:
        event = CloudEvent.new(
            payload, source=f"urn:thidua:department:{department}", department=department
        )
        return event.model_copy(update=changes) if changes else event

    async def send(self, department: str, events: list[CloudEvent]) -> None:
        await self.send_raw(department, [e.to_json() for e in events])

    async def send_raw(self, department: str, values: list[bytes]) -> list[str]:
        """Produce in order, keyed by department (one partition: the department's order);
        returns each record's position topic/partition/offset."""
        producer = AIOKafkaProducer(**client_options(self.bootstrap), acks="all")
        await producer.start()
        try:
            positions = []
            for value in values:
                meta = await producer.send_and_wait(
                    topics.ingress(department), value, key=department.encode()
                )
                positions.append(f"{meta.topic}/{meta.partition}/{meta.offset}")
            return positions
        finally:
            await producer.stop()

    async def submit(self, department: str, *payloads: EventData) -> list[Outcome]:
        events = [self.envelope(department, p) for p in payloads]
        await self.send(department, events)
        return await self.settle(events)

    async def settle(self, events: list[CloudEvent]) -> list[Outcome]:
        """Wait until each input is in the inbox and all it caused is published."""
        ids = [e.id for e in events]
        rows = await eventually(
            lambda: self.pool.fetch(
                "SELECT event_id, outcome FROM inbox WHERE event_id = ANY($1)", ids
            ),
            lambda r: len(r) == len(set(ids)),
            what=f"{len(ids)} inputs processed",
        )
        inbox = {r["event_id"]: r["outcome"] for r in rows}
        caused = await self.pool.fetch(
            "SELECT event_id FROM events WHERE envelope->>'causationid' = ANY($1)"
            " AND stream_id NOT LIKE 'claim:%'",  # claims stay in the store
            ids,
        )
        await eventually(
            lambda: _async(all(r["event_id"] in self.collector.published for r in caused)),
            bool,
            what="what they caused published",
        )
        outcomes = []
        for event_id in ids:
            facts = [
                e
                for e in self.collector.caused_by(event_id)
                if e.type.split(".")[2] != "rejections"
            ]
            refusals = [
                e
                for e in self.collector.caused_by(event_id)
                if e.type.split(".")[2] == "rejections"
            ]
            reasons = [r for e in refusals for r in e.data["reasons"]]
            outcomes.append(
                Outcome(
                    inbox[event_id],
                    facts,
                    [r["code"] for r in reasons],
                    [r["message"] for r in reasons],
                )
            )
        return outcomes

    async def rejection_at(self, position: str) -> CloudEvent:
        def found() -> list[CloudEvent]:
            return [
                e
                for e in self.collector.published.values()
                if e.data.get("original_id") == position
            ]

        matches: list[CloudEvent] = await eventually(
            lambda: _async(found()), bool, what=f"refusal of {position}"
        )
        return matches[0]


async def _async(value: T) -> T:
    return value


@pytest.fixture(scope="module")
async def registration(database_url: str, bootstrap: str) -> AsyncIterator[Registration]:
    async with running_registration(database_url, bootstrap) as harness:
        yield harness


@contextlib.asynccontextmanager
async def running_registration(
    database_url: str, bootstrap: str, extra: Callable[[str], Sequence[str]] = lambda _: ()
) -> AsyncIterator[Registration]:
    """A registration service with the seed scenario loaded; ``extra(uid)``: more department
    (or board) codes whose ingress topics it reads, named from the module's unique id."""
    uid = unique()
    scenario = Scenario.build(prefix=f"{uid}-", own_provinces=True)
    unregistered = f"{uid}-so-moi"
    new_board = topics.board(f"{uid}-kon-tum")
    out = ServiceTopics(
        events=f"test.{uid}.registration.events",
        dlq=f"test.{uid}.registration.dlq",
        rejections=f"test.{uid}.rejections",
    )
    schema = f"test_{uid}"
    codes = [*scenario.boards, *scenario.directory, unregistered, new_board, *extra(uid)]
    ingress = [topics.ingress(c) for c in codes]
    runtime = build(
        await as_service_role(database_url, "registration", schema),  # its own role's rights
        bootstrap,
        schema=schema,
        writes_to=out,
        ingress_topics=ingress,
        group_id=f"registration-{uid}",
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.05),
    )
    await runtime.start()
    # Each department's refusals on its own topic (created with its ingress topic), and the
    # operators' topic, which nothing here should reach.
    refusals = [out.rejections_of(t) for t in ingress]
    collector = Collector(bootstrap, [out.events, *refusals, out.rejections_of("")])
    await collector.start()
    harness = Registration(runtime, scenario, out, bootstrap, collector, unregistered, new_board)
    try:
        await load_scenario(harness)
        yield harness
    finally:
        await collector.stop()
        await runtime.stop()
        await remove_leftovers(database_url, bootstrap, uid)


async def load_scenario(harness: Registration) -> None:
    """The boards first, one after the other (ministries, provinces, which department is in
    which: the departments depend on it), then each department in order."""
    scenario = harness.scenario
    loaded = []
    for board, placed in scenario.boards.items():
        loaded += await harness.submit(board, *placed)
    everything: list[tuple[str, list[CloudEvent]]] = []
    for department, payloads in scenario.directory.items():
        events = [harness.envelope(department, p) for p in payloads]
        events.append(harness.envelope(department, scenario.plans[department]))
        everything.append((department, events))
    await asyncio.gather(*(harness.send(d, events) for d, events in everything))
    for _, events in everything:
        loaded += await harness.settle(events)
    refused = [o for o in loaded if not o.accepted or len(o.facts) != 1]
    assert not refused, refused
    harness.loaded = loaded
