"""The shared consumer policy against the real stack: inbox, refusals, retries, DLQ."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from contracts import topics
from contracts.awards import NominationApproved, NominationSubmitted
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES
from contracts.registration import UnitEstablished
from tests.integration.test_event_store import unit_established
from tests.support import count_topic, eventually, produce, read_topic
from thidua.es import store
from thidua.es.consumer import (
    ConsumerPolicy,
    Handler,
    Incoming,
    Outcome,
    Ownership,
    UnitOfWork,
)
from thidua.es.db import Pool
from thidua.es.kafka import ensure_topics, header, topics_matching
from thidua.es.rejections import refuse
from thidua.es.service import ServiceRuntime, ServiceTopics


async def establish_unit(uow: UnitOfWork, event: CloudEvent, payload: object) -> None:
    """A small real handler: a department may only establish its own units."""
    assert isinstance(payload, UnitEstablished)
    department = topics.department_of_ingress(uow.incoming.topic)
    if payload.department_code != department:
        raise refuse("directory.foreign_department", "Đơn vị thuộc Sở khác", "department_code")
    if payload.name == "POISON":
        raise RuntimeError("handler bug triggered by this message")
    stream = f"unit:{payload.unit_id}"
    await uow.append(stream, len(await uow.load(stream)), payload)


@dataclass
class Alpha:
    runtime: ServiceRuntime
    ingress: str
    department: str
    out: ServiceTopics


async def start_alpha(
    database_url: str, bootstrap: str, uid: str, handler: Handler, attempts: int = 3
) -> Alpha:
    """Service "alpha" running ``handler`` on the ingress topic of department ``uid``."""
    out = ServiceTopics.isolated(f"test.{uid}", "alpha")
    runtime = ServiceRuntime(
        "alpha",
        database_url,
        bootstrap,
        schema=f"test_{uid}",
        writes_to=out,
        policy=ConsumerPolicy(max_attempts=attempts, backoff_seconds=0.05),
    )
    ingress = topics.ingress(uid)
    runtime.handle(handler, topics=[ingress], group_id=f"alpha-{uid}")
    await runtime.start()
    return Alpha(runtime, ingress, uid, out)


@pytest.fixture
async def alpha(database_url: str, bootstrap: str, uid: str, pool: Pool) -> AsyncIterator[Alpha]:
    started = await start_alpha(database_url, bootstrap, uid, establish_unit)
    yield started
    await started.runtime.stop()


def unit_of(
    department: str, n: int, name: str | None = None, *, sent_by: str | None = None
) -> CloudEvent:
    """A UnitEstablished for ``department``, stated by ``sent_by`` (default: itself)."""
    event = unit_established(n)
    data = {**event.data, "department_code": department, "unit_id": f"{department}:u{n}"}
    if name:
        data["name"] = name
    return event.model_copy(update={"data": data, "department": sent_by or department})


async def test_a_duplicate_delivery_has_one_effect(
    alpha: Alpha, bootstrap: str, pool: Pool
) -> None:
    first, second = unit_of(alpha.department, 1), unit_of(alpha.department, 2)
    await produce(bootstrap, alpha.ingress, [first.to_json(), first.to_json(), second.to_json()])
    await eventually(
        lambda: pool.fetchval("SELECT count(*) FROM inbox"), lambda n: n == 2, what="inbox rows"
    )
    await eventually(
        lambda: count_topic(bootstrap, alpha.out.events), lambda n: n >= 2, what="2 facts published"
    )
    published = [
        CloudEvent.from_json(r.value or b"") for r in await read_topic(bootstrap, alpha.out.events)
    ]
    assert sorted(e.causationid or "" for e in published) == sorted([first.id, second.id])
    assert await pool.fetchval("SELECT count(*) FROM events") == 2
    counts = await eventually(
        lambda: _counts(alpha), lambda c: c.get(Outcome.DUPLICATE, 0) == 1, what="duplicate seen"
    )
    assert counts[Outcome.ACCEPTED] == 2


async def _counts(alpha: Alpha) -> dict[str, int]:
    return dict(alpha.runtime.command_consumers()[0].counts)


async def test_redelivering_the_same_record_adds_nothing(alpha: Alpha, pool: Pool) -> None:
    """What Kafka does after a crash between the commit of the effect and of the offset."""
    event = unit_of(alpha.department, 7)
    record = Incoming(alpha.ingress, 0, 41, b"k", event.to_json())
    consumer = alpha.runtime.command_consumers()[0]
    assert await consumer.process(record) == Outcome.ACCEPTED
    assert await consumer.process(record) == Outcome.DUPLICATE
    async with pool.acquire() as conn:
        assert len(await store.read_stream(conn, f"unit:{alpha.department}:u7")) == 1


async def test_refusals_reach_the_rejections_topic_with_reason_codes(
    alpha: Alpha, bootstrap: str, pool: Pool
) -> None:
    foreign = unit_of("another-dept", 3, sent_by=alpha.department)
    posing = unit_of("another-dept", 6)
    malformed = b'{"id": "x-1", "type": 42'
    reused = unit_of(alpha.department, 4)
    conflicting = unit_of(alpha.department, 5).model_copy(update={"id": reused.id})
    await produce(
        bootstrap,
        alpha.ingress,
        [foreign.to_json(), posing.to_json(), malformed, reused.to_json(), conflicting.to_json()],
    )
    own = alpha.out.rejections_of(alpha.ingress)
    assert own == f"{alpha.out.rejections}.{alpha.department}"
    records = await eventually(
        lambda: read_topic(bootstrap, own), lambda r: len(r) >= 4, what="four rejections"
    )
    rejections = [CloudEvent.from_json(r.value or b"") for r in records]
    by_code = {reason["code"]: e.data for e in rejections for reason in e.data["reasons"]}
    assert set(by_code) == {
        "directory.foreign_department",
        "producer.foreign_department",
        "envelope.invalid",
        "envelope.duplicate_id_conflict",
    }
    assert by_code["directory.foreign_department"]["original_id"] == foreign.id
    assert by_code["producer.foreign_department"]["original_id"] == posing.id
    assert by_code["envelope.duplicate_id_conflict"]["original_id"] == reused.id
    assert all(e.data["department"] == alpha.department for e in rejections)
    assert all(e.type == "vn.thidua.rejections.InputRejected.v1" for e in rejections)
    # Only the one acceptable input changed anything.
    assert (
        await pool.fetchval("SELECT count(*) FROM events WHERE event_type NOT LIKE '%rejections%'")
        == 1
    )
    # Every refusal went to the department's own topic; none to the operators' one.
    assert await count_topic(bootstrap, alpha.out.rejections_of("")) == 0


async def test_a_refusal_of_a_record_from_no_department_goes_to_the_operators_topic(
    database_url: str, bootstrap: str, uid: str
) -> None:
    """A record on a service's own topic names no sender a department could be: its refusal
    goes where operators read it, never to the department the envelope names."""
    out = ServiceTopics.isolated(f"test.{uid}", "alpha")
    runtime = ServiceRuntime("alpha", database_url, bootstrap, schema=f"test_{uid}", writes_to=out)
    facts = f"test.{uid}.facts"
    runtime.handle(establish_unit, topics=[facts], group_id=f"alpha-{uid}")
    await runtime.start()
    try:
        claims_a_department = unit_of(uid, 1).model_copy(update={"type": "vn.thidua.bogus.X.v1"})
        await produce(bootstrap, facts, [b"not json", claims_a_department.to_json()])
        unrouted = out.rejections_of(facts)
        assert unrouted == f"test.{uid}.rejections.unrouted"
        records = await eventually(
            lambda: read_topic(bootstrap, unrouted), lambda r: len(r) == 2, what="two refusals"
        )
    finally:
        await runtime.stop()
    assert {CloudEvent.from_json(r.value or b"").data["topic"] for r in records} == {facts}
    assert await topics_matching(bootstrap, topics.rejections_pattern(out.rejections)) == [unrouted]


async def test_a_poison_message_goes_to_the_dlq_and_later_messages_still_flow(
    alpha: Alpha, bootstrap: str
) -> None:
    poison = unit_of(alpha.department, 8, name="POISON")
    healthy = unit_of(alpha.department, 9)
    await produce(bootstrap, alpha.ingress, [poison.to_json(), healthy.to_json()])
    dead = await eventually(
        lambda: read_topic(bootstrap, alpha.out.dlq),
        lambda r: len(r) == 1,
        what="the poison message in the DLQ",
    )
    assert json.loads(dead[0].value or b"{}")["id"] == poison.id
    assert "handler bug triggered" in (header(dead[0], "thidua-error") or "")
    assert header(dead[0], "thidua-attempts") == "3"
    assert header(dead[0], "thidua-original-topic") == alpha.ingress
    facts = await eventually(
        lambda: read_topic(bootstrap, alpha.out.events),
        lambda r: len(r) == 1,
        what="the healthy message's fact",
    )
    assert CloudEvent.from_json(facts[0].value or b"").causationid == healthy.id


async def accept_anything(uow: UnitOfWork, event: CloudEvent, payload: object) -> None:
    await uow.append(f"seen:{event.id}", 0, event.payload())


async def test_services_sharing_ingress_act_on_their_own_types_and_refuse_once(
    database_url: str, bootstrap: str, uid: str
) -> None:
    stem = f"test.{uid}.rejections"
    ingress = topics.ingress(uid)
    rejections = topics.rejections_of(ingress, stem)

    def runtime(name: str, ownership: Ownership) -> ServiceRuntime:
        built = ServiceRuntime(
            name,
            database_url,
            bootstrap,
            schema=f"test_{uid}_{name}",
            writes_to=ServiceTopics(f"test.{uid}.{name}.events", f"test.{uid}.{name}.dlq", stem),
        )
        built.handle(
            accept_anything, topics=[ingress], group_id=f"{name}-{uid}", ownership=ownership
        )
        return built

    gate = runtime("gate", Ownership.service("registration", gatekeeper=True))
    other = runtime("other", Ownership.service("awards"))
    await gate.start()
    await other.start()
    try:

        def example(kind: type[EventData]) -> CloudEvent:
            return CloudEvent.new(
                kind.model_validate(EXAMPLES[kind][0]), source="urn:dept", department=uid
            )

        registration_fact = example(UnitEstablished)
        awards_fact = example(NominationSubmitted)
        decided_by_system = example(NominationApproved)
        unknown = registration_fact.model_copy(
            update={"id": "unknown-1", "type": "vn.thidua.bogus.Thing.v1"}
        )
        await produce(
            bootstrap,
            ingress,
            [e.to_json() for e in (registration_fact, awards_fact, decided_by_system, unknown)]
            + [b"not json"],
        )
        await eventually(
            lambda: read_topic(bootstrap, rejections), lambda r: len(r) >= 3, what="three refusals"
        )
        gate_events = f"test.{uid}.gate.events"
        other_events = f"test.{uid}.other.events"
        await eventually(
            lambda: count_topic(bootstrap, gate_events),
            lambda n: n >= 1,
            what="the gatekeeper's fact",
        )
        await eventually(
            lambda: count_topic(bootstrap, other_events),
            lambda n: n >= 1,
            what="the other service's fact",
        )
        # Let both consumers finish the whole topic before counting.
        for service in (gate, other):
            await eventually(
                lambda s=service: _handled(s), lambda n: n == 5, what="all five records handled"
            )
    finally:
        await gate.stop()
        await other.stop()
    codes = sorted(
        (e.data["rejected_by"], e.data["reasons"][0]["code"])
        for e in (
            CloudEvent.from_json(r.value or b"") for r in await read_topic(bootstrap, rejections)
        )
    )
    assert codes == [
        ("gate", "envelope.invalid"),
        ("gate", "envelope.unknown_type"),
        ("other", "envelope.not_submittable"),
    ]
    facts = {
        name: [
            CloudEvent.from_json(r.value or b"").causationid
            for r in await read_topic(bootstrap, f"test.{uid}.{name}.events")
        ]
        for name in ("gate", "other")
    }
    assert facts == {"gate": [registration_fact.id], "other": [awards_fact.id]}


async def _handled(runtime: ServiceRuntime) -> int:
    return sum(runtime.command_consumers()[0].counts.values())


async def test_a_batch_commits_once_and_a_refusal_in_it_undoes_only_its_record(
    alpha: Alpha, pool: Pool
) -> None:
    consumer = alpha.runtime.command_consumers()[0]
    first = unit_of(alpha.department, 1)
    records = [
        Incoming(alpha.ingress, 0, 100 + n, b"k", event.to_json())
        for n, event in enumerate(
            [
                first,
                unit_of("someone-else", 2, sent_by=alpha.department),  # refused
                unit_of(alpha.department, 3),
                first,  # delivered again within the same batch
            ]
        )
    ]
    entered: list[int] = []

    class Around:
        def __init__(self, i: int) -> None:
            entered.append(i)

        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc: object) -> None:
            return None

    outcomes = await consumer.process_batch(records, Around)
    assert outcomes == [Outcome.ACCEPTED, Outcome.REJECTED, Outcome.ACCEPTED, Outcome.DUPLICATE]
    # The repeat is recognised by the inbox lookup before anything is decided.
    assert entered == [0, 1, 2]
    streams = await pool.fetch("SELECT stream_id FROM events ORDER BY position")
    assert [r[0] for r in streams] == [
        f"unit:{alpha.department}:u1",
        f"rejection:{records[1].position}",
        f"unit:{alpha.department}:u3",
    ]


async def test_a_failure_in_a_batch_rolls_it_all_back(alpha: Alpha, pool: Pool) -> None:
    consumer = alpha.runtime.command_consumers()[0]
    records = [
        Incoming(alpha.ingress, 1, n, b"k", event.to_json())
        for n, event in enumerate(
            [unit_of(alpha.department, 5), unit_of(alpha.department, 6, "POISON")]
        )
    ]
    with pytest.raises(RuntimeError, match="handler bug"):
        await consumer.process_batch(records)
    assert await pool.fetchval("SELECT count(*) FROM events") == 0
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0


async def test_a_service_reading_every_ingress_declares_each_departments_rejections_topic(
    bootstrap: str, uid: str
) -> None:
    """At start, before any refusal: the rejections topic of every ingress topic that exists
    (a department provisioned by hand without one), and the operators' topic."""
    out = ServiceTopics.isolated(f"test.{uid}", "alpha")
    await ensure_topics(bootstrap, [topics.ingress(f"{uid}-x")])
    await out.ensure(bootstrap, every_ingress=True)
    made = await topics_matching(bootstrap, topics.rejections_pattern(out.rejections))
    assert {f"{out.rejections}.{uid}-x", f"{out.rejections}.unrouted"} <= set(made)
