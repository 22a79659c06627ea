"""The awards service in this process on topics and a schema of its own, and a helper to
send what the registration service or a department's system would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from contracts import topics
from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.awards.app import build
from tests.support import as_service_role, produce
from thidua.es.consumer import ConsumerPolicy
from thidua.es.service import ServiceRuntime, ServiceTopics

REGISTRATION = "urn:thidua:service:registration"


@dataclass
class Year2018:
    runtime: ServiceRuntime
    dept: str
    ingress: str
    registration: str
    out: ServiceTopics
    schema: str
    group: str

    @property
    def province(self) -> str:
        return f"{self.dept}-gl"

    @property
    def board(self) -> str:
        """The code (and ingress) of the department's province's board (issue 17)."""
        return topics.board(self.province)

    def id(self, local: str) -> str:
        return f"{self.dept}/{local}"


@pytest.fixture
async def awards(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Year2018]:
    out = ServiceTopics(
        events=f"test.{uid}.awards.events",
        dlq=f"test.{uid}.awards.dlq",
        rejections=f"test.{uid}.rejections",
    )
    registration = f"test.{uid}.registration.events"
    schema = f"test_{uid}"
    runtime = build(
        await as_service_role(database_url, "awards", schema),  # its own role's rights
        bootstrap,
        schema=schema,
        writes_to=out,
        ingress_topics=[topics.ingress(uid), topics.ingress(topics.board(f"{uid}-gl"))],
        registration_topic=registration,
        group_id=f"awards-{uid}",
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.05),
    )
    await runtime.start()
    yield Year2018(
        runtime, uid, topics.ingress(uid), registration, out, f"test_{uid}", f"awards-{uid}.ingress"
    )
    await runtime.stop()


async def send(
    bootstrap: str, topic: str, dept: str, facts: list[EventData], source: str
) -> list[CloudEvent]:
    events = [CloudEvent.new(f, source=source, department=dept) for f in facts]
    # One key: one partition, so the department's inputs are handled in the order sent.
    await produce(bootstrap, topic, [e.to_json() for e in events], key=dept.encode())
    return events
