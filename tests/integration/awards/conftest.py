"""The awards service in this process on topics and a schema of its own, a helper to send what
the registration service or a department's system would, and helpers to read what awards
made of it (its facts, its refusals)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from contracts import topics
from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.awards.app import build
from tests.support import as_service_role, eventually, produce, read_topic
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


def pool_of(y: Year2018) -> asyncpg.Pool:
    pool = y.runtime.pool
    assert pool is not None
    return pool


def department(y: Year2018) -> str:
    return f"urn:thidua:department:{y.dept}"


async def awards_facts(bootstrap: str, y: Year2018) -> list[CloudEvent]:
    return [CloudEvent.from_json(r.value or b"") for r in await read_topic(bootstrap, y.out.events)]


def named(events: list[CloudEvent], kind: str, nomination_id: str | None = None) -> list[Any]:
    return [
        e
        for e in events
        if e.type.endswith(f".{kind}.v1")
        and (nomination_id is None or e.data.get("nomination_id") == nomination_id)
    ]


def codes(event: CloudEvent) -> list[str]:
    return [r["code"] for r in event.data["reasons"]]


async def refusals(
    bootstrap: str, y: Year2018, inputs: Sequence[CloudEvent]
) -> dict[str, set[str]]:
    """The codes each of ``inputs`` was refused with, once every one of them has its refusal."""
    wanted = {e.id for e in inputs}

    async def by_original() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for record in await read_topic(bootstrap, y.out.rejections_of(y.ingress)):
            refusal = CloudEvent.from_json(record.value or b"")
            if refusal.data["original_id"] in wanted:
                codes_ = {r["code"] for r in refusal.data["reasons"]}
                found.setdefault(refusal.data["original_id"], set()).update(codes_)
        return found

    return await eventually(by_original, lambda f: set(f) == wanted, what="the refusals")
