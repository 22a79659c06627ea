"""The Gia Lai plan and registrations posted over the HTTP door give the same rollup as the
same data sent over Kafka, and the door answers what became of each event it took.

Two namespaces of the seed scenario (``build_scenario``, 60 people): Gia Lai's board and its
five departments send the directory, the 2018 plans, the registrations, ratings and
initiatives; in one namespace their systems post every phase over HTTP in batches (the
official SDK's JSON format, one machine login per department), in the other they produce the
same events on Kafka as ``thidua up``'s department systems do. One registration service
decides both and one reporting projection keeps both; the province rollups are equal once
the namespaces' prefixes are taken out, and not empty. The audit trail kept beside the model
(``services.reporting.audit``) answers ``GET /v1/departments/{code}/events/{id}``: accepted
with the facts it caused, refused with the reasons, pending for an id never sent."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest

from contracts import topics
from contracts.envelope import CloudEvent
from scenarios import Submission, build_scenario
from services.registration.app import build as registration
from services.reporting import app as reporting
from services.reporting import queries
from services.reporting.audit.app import build_audit
from services.reporting.door.binding import MAX_BATCH_EVENTS
from tests import cloudevents_sdk as sdk
from tests.integration.reporting.door import Door, door_served
from tests.support import as_service_role, count_topic, eventually, produce
from thidua import dbroles
from thidua.es.consumer import ConsumerPolicy
from thidua.es.db import Pool, create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings

PEOPLE = 60
PHASES = 3
"""The reference data, the departments placed, and the year's facts (the awards phase, the
dossiers, is awards' and does not pass through registration)."""


def gia_lai(prefix: str) -> tuple[str, list[list[Submission]], list[str]]:
    """The province id, the phases of Gia Lai's board and departments, and their codes."""
    scenario = build_scenario(PEOPLE, prefix=prefix)
    codes = [topics.board(scenario.province_id), *scenario.main_departments]
    phases = [
        [s for s in phase.submissions if s.department in codes]
        for phase in scenario.phases[:PHASES]
    ]
    return scenario.province_id, phases, codes


def by_department(phase: Sequence[Submission]) -> dict[str, list[Submission]]:
    grouped: dict[str, list[Submission]] = defaultdict(list)
    for submission in phase:
        grouped[submission.department].append(submission)
    return grouped


async def over_http(door: Door, phase: Sequence[Submission]) -> None:
    for code, submissions in by_department(phase).items():
        events = [s.event for s in submissions]
        for start in range(0, len(events), MAX_BATCH_EVENTS):
            chunk = events[start : start + MAX_BATCH_EVENTS]
            reply = await door.post(code, sdk.batch(chunk))
            assert reply.status_code == 202, reply.text
            assert reply.json()["ids"] == [e.id for e in chunk]


async def over_kafka(bootstrap: str, phase: Sequence[Submission]) -> None:
    for code, submissions in by_department(phase).items():
        values = [s.event.to_json() for s in submissions]
        await produce(bootstrap, topics.ingress(code), values, key=code.encode())


async def decided(runtime: ServiceRuntime, phase: Sequence[Submission]) -> None:
    ids = [s.event.id for s in phase]
    assert runtime.pool is not None
    pool = runtime.pool
    await eventually(
        lambda: pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = ANY($1)", ids),
        lambda n: n == len(set(ids)),
        timeout=240,
        what=f"{len(ids)} inputs decided by registration",
    )


async def outcomes(pool: Pool, phase: Sequence[Submission]) -> dict[str, int]:
    rows = await pool.fetch(
        "SELECT outcome, count(*) AS n FROM inbox WHERE event_id = ANY($1) GROUP BY outcome",
        [s.event.id for s in phase],
    )
    return {r["outcome"]: r["n"] for r in rows}


async def said(door: Door, registered: CloudEvent, nobody: CloudEvent, codes: list[str]) -> None:
    """What the door answers about an accepted, a refused and an unknown event of a department,
    and to another department's system."""
    code = str(registered.department)

    async def outcome(event_id: str) -> dict[str, Any]:
        reply = await door.outcome(code, event_id)
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    accepted = await eventually(
        lambda: outcome(registered.id), lambda o: o["status"] != "pending", what="accepted"
    )
    assert accepted["status"] == "accepted", accepted
    assert registered.type in [f["type"] for f in accepted["facts"]]
    assert any(f["causation_id"] == registered.id for f in accepted["facts"])
    refused = await eventually(
        lambda: outcome(nobody.id), lambda o: o["status"] != "pending", what="refused"
    )
    assert refused["status"] == "refused" and refused["codes"], refused
    assert all(r["message"] for r in refused["reasons"])
    assert (await outcome("chua-tung-gui"))["status"] == "pending"
    other = next(c for c in codes if c != code and not topics.is_board(c))
    # Another department's system learns nothing: 403, or 404 where the trail cannot place
    # the department (the audit route does not reveal which departments it knows).
    assert (await door.outcome(code, registered.id, as_code=other)).status_code in (403, 404)


@pytest.mark.timeout(900)
async def test_the_gia_lai_plan_and_registrations_over_http_roll_up_as_over_kafka(
    database_url: str, bootstrap: str, uid: str
) -> None:
    http_province, http_phases, http_codes = gia_lai(f"{uid}h-")
    kafka_province, kafka_phases, kafka_codes = gia_lai(f"{uid}k-")
    await ensure_topics(bootstrap, [t for c in kafka_codes for t in topics.department_topics(c)])
    out = ServiceTopics(
        events=f"test.{uid}.registration.events",
        dlq=f"test.{uid}.registration.dlq",
        rejections=f"test.{uid}.rejections",
    )
    awards_topic = f"test.{uid}.awards.events"
    await ensure_topics(bootstrap, [out.events, awards_topic])
    schema = f"test_{uid}"
    settings = StackSettings()
    owner = dbroles.local_role_url(settings, dbroles.MODELS_OWNER)
    async with door_served(database_url, bootstrap, uid, http_codes) as door:
        decider = registration(
            await as_service_role(database_url, "registration", schema),
            bootstrap,
            schema=schema,
            writes_to=out,
            ingress_topics=[topics.ingress(c) for c in (*http_codes, *kafka_codes)],
            group_id=f"registration-{uid}",
            policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.05),
        )
        await decider.start()
        model = await reporting.ensure_control(owner, f"test_{uid}_ctl")
        projection = reporting.build(
            owner,
            bootstrap,
            schema=model,
            source_topics=(out.events, awards_topic),
            group_id=f"reporting-{uid}",
            writes_to=ServiceTopics.isolated(f"test.{uid}", "reporting"),
        )
        await projection.start()
        audit = build_audit(
            owner,
            bootstrap,
            control_schema=f"test_{uid}_ctl",
            event_topics=(out.events, awards_topic),
            writes_to=ServiceTopics.isolated(f"test.{uid}", "reporting"),
            group_id=f"reporting-audit-{uid}",
        )
        await audit.start()
        try:
            for http_phase, kafka_phase in zip(http_phases, kafka_phases, strict=True):
                await over_http(door, http_phase)
                await over_kafka(bootstrap, kafka_phase)
                await decided(decider, http_phase)
                await decided(decider, kafka_phase)
            # One the door takes (its form is right) and registration refuses (nobody such).
            registered = next(
                s.event for s in http_phases[-1] if s.event.type.endswith("IndividualRegistered.v1")
            )
            nobody = registered.model_copy(
                update={
                    "id": f"{uid}-nobody",
                    "data": {**registered.data, "person_id": f"{registered.department}/khong-co"},
                }
            )
            assert (
                await door.post(str(registered.department), sdk.binary(nobody))
            ).status_code == 202
            await decided(decider, [Submission(str(registered.department), nobody)])
            assert decider.pool is not None
            pool = decider.pool
            await eventually(
                lambda: pool.fetchval(
                    """SELECT coalesce((SELECT max(position) FROM events), 0) - coalesce(
                        (SELECT position FROM outbox_checkpoint WHERE relay = 'registration'), 0)"""
                ),
                lambda behind: behind == 0,
                timeout=120,
                what="registration's outbox published",
            )
            total = await count_topic(bootstrap, out.events)
            runner = projection.projection_runners()[0]
            await eventually(
                runner.checkpoints,
                lambda c: sum(c.values()) == total,
                timeout=240,
                what=f"the projection at the end of {total} facts",
            )
            # The same decisions (the ministries aside: they are shared by both namespaces,
            # so the second namespace's registrations of them repeat known facts).
            for http_phase, kafka_phase in zip(http_phases[1:], kafka_phases[1:], strict=True):
                assert await outcomes(pool, http_phase) == await outcomes(pool, kafka_phase)
            reader = await create_pool(dbroles.local_role_url(settings, dbroles.READER_ROLE), model)
            try:
                async with reader.acquire() as conn:
                    http = await queries.province_rollup(conn, http_province, 2018)
                    kafka = await queries.province_rollup(conn, kafka_province, 2018)
            finally:
                await reader.close()
            await said(door, registered, nobody, http_codes)
        finally:
            await audit.stop()
            await projection.stop()
            await decider.stop()

    def unprefixed(rollup: object, prefix: str) -> object:
        text = json.dumps(rollup.model_dump(mode="json"), ensure_ascii=False)  # type: ignore[attr-defined]
        return json.loads(text.replace(prefix, ""))

    over_door, over_kafka_ = unprefixed(http, f"{uid}h-"), unprefixed(kafka, f"{uid}k-")
    assert over_door == over_kafka_
    assert http.staff.staff > 0 and http.registrations.individuals > 0, http
    assert len(http.children) == len(http_codes) - 1  # the five departments of Gia Lai
