"""One department's event is one trace in Zipkin, across all four services' processes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contracts import topics
from scenarios import Submission, seeds
from scenarios.restructuring import LATE_HIRE
from tests.e2e.conftest import Loaded
from tests.support import eventually
from thidua.settings import StackSettings

pytestmark = pytest.mark.e2e

Span = dict[str, Any]
SERVICES = ("registration", "awards", "notifications", "reporting")
REGISTRATION_EVENTS = topics.events("registration")


def service(span: Span) -> str:
    return str(span.get("localEndpoint", {}).get("serviceName"))


def tags(span: Span) -> dict[str, str]:
    return dict(span.get("tags", {}))


def destination(span: Span) -> str | None:
    """The topic of a messaging span. FastStream's consumer spans name it with the older
    semantic convention (``messaging.destination_publish.name``), ours with the current one."""
    found = tags(span)
    return found.get("messaging.destination.name") or found.get(
        "messaging.destination_publish.name"
    )


def ancestry(span: Span, by_id: dict[str, Span]) -> list[Span]:
    """``span``, its parent, … up to the root of the trace."""
    chain = [span]
    while (parent := by_id.get(chain[-1].get("parentId", ""))) is not None:
        chain.append(parent)
    return chain


def consumer_of(spans: list[Span], name: str, topic: str) -> Span | None:
    return next(
        (
            s
            for s in spans
            if service(s) == name and s.get("kind") == "CONSUMER" and destination(s) == topic
        ),
        None,
    )


def a_registration_fact(loaded: Loaded) -> Submission:
    """A department's event that registration accepts and publishes to the other services: the
    last person who joins in the scenario (Zipkin's in-memory store evicts the oldest traces
    first, and every service's background queries are traced too at a sample rate of 1), but
    not the hire the merged-away department still sends after its merger (refused)."""
    late = LATE_HIRE.format(old=f"{loaded.scenario.prefix}{seeds.BAC_LIEU}")
    return [
        s
        for s in loaded.scenario.submissions()
        if s.event.type == "vn.thidua.registration.PersonJoined.v1"
        and (s.event.data or {}).get("person_id") != late
    ][-1]


async def test_a_department_event_is_one_trace_through_all_four_services(
    loaded: Loaded, services: StackSettings
) -> None:
    assert loaded.remaining == [], "the scenario was not absorbed (see the rollup test)"
    submission = a_registration_fact(loaded)
    department = f"department-{submission.department}"

    async def the_trace() -> list[Span]:
        async with httpx.AsyncClient(base_url=services.zipkin_url, timeout=30) as client:
            found = await client.get(
                "/api/v2/traces",
                params={
                    "serviceName": department,
                    "annotationQuery": f"messaging.message.id={submission.event.id}",
                    "limit": 10,
                },
            )
            if found.status_code != 200 or not found.json():
                return []
            trace_id = found.json()[0][0]["traceId"]
            whole = await client.get(f"/api/v2/trace/{trace_id}")
            return list(whole.json()) if whole.status_code == 200 else []

    def complete(spans: list[Span]) -> bool:
        # Each service exports on its own schedule: wait until every service's spans are in
        # (registration's may come after those of the services downstream of it).
        ingress = topics.ingress(submission.department)
        return consumer_of(spans, "registration", ingress) is not None and all(
            consumer_of(spans, name, REGISTRATION_EVENTS) for name in SERVICES[1:]
        )

    spans = await eventually(
        the_trace, complete, timeout=60, interval=1, what=f"the trace of {submission.event.id}"
    )

    by_id = {s["id"]: s for s in spans}
    assert len({s["traceId"] for s in spans}) == 1
    assert {department, *SERVICES} <= {service(s) for s in spans}

    # It starts at the department system's publish on its ingress topic…
    roots = [s for s in spans if "parentId" not in s]
    assert [service(s) for s in roots] == [department]
    root = roots[0]
    assert root["kind"] == "PRODUCER"
    assert tags(root)["messaging.system"] == "kafka"
    assert tags(root)["messaging.destination.name"] == topics.ingress(submission.department)
    assert tags(root)["messaging.message.id"] == submission.event.id

    # …and reaches awards, notifications and reporting through registration: its consumer of the
    # ingress topic, then its outbox relay's publish on thidua.registration.events.
    for name in SERVICES[1:]:
        consumer = consumer_of(spans, name, REGISTRATION_EVENTS)
        assert consumer is not None, name
        chain = ancestry(consumer, by_id)
        assert [(service(s), s.get("kind"), destination(s)) for s in chain] == [
            (name, "CONSUMER", REGISTRATION_EVENTS),
            ("registration", "PRODUCER", REGISTRATION_EVENTS),
            ("registration", "CONSUMER", topics.ingress(submission.department)),
            (department, "PRODUCER", topics.ingress(submission.department)),
        ], name

    # Messaging spans carry the OpenTelemetry messaging attributes.
    messaging = [s for s in spans if s.get("kind") in ("PRODUCER", "CONSUMER")]
    for span in messaging:
        assert tags(span).get("messaging.system") == "kafka", span
        assert destination(span), span
    relay = next(s for s in messaging if service(s) == "registration" and s["kind"] == "PRODUCER")
    assert tags(relay)["messaging.destination.name"] == REGISTRATION_EVENTS
    assert tags(relay)["messaging.message.id"]  # the accepted fact's own id
    projection = consumer_of(spans, "reporting", REGISTRATION_EVENTS)
    assert projection is not None
    assert tags(projection)["messaging.destination.name"] == REGISTRATION_EVENTS
    assert tags(projection)["messaging.consumer.group.name"].startswith("reporting.")
    assert int(tags(projection)["messaging.batch.message_count"]) >= 1

    # A command consumer's database work is its batch's (one inbox query, one stream load, one
    # append): it runs under a span in the trace of the batch's first record, so it shows in
    # business events' traces, each statement under its batch below a department's publish.
    async def batch_work_seen(name: str) -> list[str]:
        """What is still missing for ``name`` (empty once it all shows)."""
        async with httpx.AsyncClient(base_url=services.zipkin_url, timeout=30) as client:
            found = await client.get(
                "/api/v2/traces",
                params={
                    "serviceName": name,
                    "annotationQuery": "db.system=postgresql",
                    "limit": 50,
                },
            )
        # Operations endpoints' queries (readiness) are traces of their own: keep those that
        # start at a department's publish.
        traces = [
            t
            for t in (found.json() if found.status_code == 200 else [])
            if any("parentId" not in s and service(s).startswith("department-") for s in t)
        ]
        if not traces:
            return [f"no business event's trace with a database span of {name}"]
        problems = []
        for trace in traces[:5]:
            by_id = {s["id"]: s for s in trace}
            db = [s for s in trace if s.get("kind") == "CLIENT" and service(s) == name]
            roots = [s for s in trace if "parentId" not in s]
            if not all(tags(s).get("db.system") == "postgresql" for s in db):
                problems.append(f"{name}: a CLIENT span that is not PostgreSQL's")
            if not any(tags(s).get("db.statement") for s in db):
                problems.append(f"{name}: no statement")
            if [s.get("kind") for s in roots] != ["PRODUCER"]:
                problems.append(f"{name}: roots {[s.get('kind') for s in roots]}")
            # Each service exports on its own schedule: the parents may show a moment later.
            if not any(
                any(
                    service(s) == name
                    and (s.get("kind") == "CONSUMER" or s["name"].endswith(" batch"))
                    for s in ancestry(statement, by_id)
                )
                for statement in db
            ):
                problems.append(f"{name}: no statement under its batch or consumer span")
        return problems

    for name in ("registration", "awards", "notifications"):
        await eventually(
            lambda name=name: batch_work_seen(name),
            lambda problems: problems == [],
            timeout=60,
            interval=2,
            what=f"{name}'s batch database work in business events' traces",
        )
