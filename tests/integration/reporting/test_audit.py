"""The audit trail on the real stack: facts of registration and awards and a refusal, read
from their topics by the audit projection, answer a subject's trail in order and what became
of each event a department sent (pending, accepted, refused); a rebuild gives the same trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from services.reporting.audit import queries
from services.reporting.audit.app import build_audit, rebuild_audit
from services.reporting.audit.queries import audit_schema
from tests.integration.reporting.audit_scenario import AuditStory, build_story
from tests.support import eventually, produce, remove_leftovers, unique
from thidua import dbroles
from thidua.es.db import Pool, create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings


async def publish_story(bootstrap: str, story: AuditStory) -> None:
    reg, awards = story.topics
    refusals = story.rejections_topic(story.gl)
    await ensure_topics(bootstrap, [reg, awards, refusals, story.rejections_topic(story.bl)])
    for topic, events in ((reg, story.registration), (awards, story.awards)):
        for event in events:
            await produce(bootstrap, topic, [event.to_json()], key=(event.subject or "").encode())
    await produce(bootstrap, refusals, [e.to_json() for e in story.refusals])


@asynccontextmanager
async def audited(
    bootstrap: str, story: AuditStory
) -> AsyncIterator[tuple[ServiceRuntime, Pool, str]]:
    """The story published and audited live (as the models' owner role, in the schema
    ``test_<uid>_ctl_audit``), until every record is in; yields the runtime, a read-only
    pool on the trail and the control schema."""
    await publish_story(bootstrap, story)
    control = f"test_{story.uid}_ctl"
    settings = StackSettings()
    owner = dbroles.local_role_url(settings, dbroles.MODELS_OWNER)
    runtime = build_audit(
        owner,
        bootstrap,
        control_schema=control,
        event_topics=story.topics,
        writes_to=ServiceTopics.isolated(f"test.{story.uid}", "reporting"),
        group_id=f"reporting-audit-{story.uid}",
    )
    await runtime.start()
    runner = runtime.projection_runners()[0]
    try:
        await eventually(
            runner.checkpoints,
            lambda c: sum(c.values()) == story.total,
            what="the audit at the end of its topics",
        )
        reader = dbroles.local_role_url(settings, dbroles.READER_ROLE)
        pool = await create_pool(reader, audit_schema(control))
        try:
            yield runtime, pool, control
        finally:
            await pool.close()
    finally:
        await runtime.stop()


@dataclass(frozen=True)
class Audited:
    story: AuditStory
    pool: Pool
    control: str


@pytest.fixture(scope="module")
async def audited_story(database_url: str, bootstrap: str) -> AsyncIterator[Audited]:
    """One story audited for the module's tests (they only read it); removed after them."""
    uid = unique()
    story = build_story(uid)
    try:
        async with audited(bootstrap, story) as (_, pool, control):
            yield Audited(story, pool, control)
    finally:
        await remove_leftovers(database_url, bootstrap, uid)


async def test_a_persons_trail_lists_facts_and_refusals_in_order(audited_story: Audited) -> None:
    story = audited_story.story
    async with audited_story.pool.acquire() as conn:
        trail = await queries.subject_trail(conn, "person", story.person)
    assert trail is not None
    assert trail.department == story.gl
    names = [e.type.split(".")[-2] for e in trail.entries]
    assert names == [
        "PersonJoined",
        "IndividualRegistered",
        "NominationSubmitted",
        "NominationApproved",
        "InputRejected",
    ]
    joined, _registered, submitted, approved, refused = trail.entries
    assert (joined.decided_by, joined.department) == ("registration", story.gl)
    assert joined.producer == "urn:thidua:service:registration"
    assert joined.causation_id == story.sent["joined"].id
    assert (approved.decided_by, approved.causation_id) == ("awards", submitted.event_id)
    assert approved.summary.startswith(f"Quyết định khen thưởng: cá nhân {story.person}")
    assert refused.kind == "refusal"
    assert (refused.decided_by, refused.department) == ("awards", story.gl)
    assert refused.producer == f"urn:dept:{story.gl}"
    assert refused.original_id == story.sent["late"].id
    assert [r.code for r in refused.reasons] == ["awards.dossier_late"]
    assert refused.reasons[0].message.startswith("Hồ sơ gửi sau hạn")
    assert refused.summary.startswith("Từ chối: Tiếp nhận hồ sơ đề nghị khen thưởng")
    assert all(
        a.occurred_at <= b.occurred_at
        for a, b in zip(trail.entries, trail.entries[1:], strict=False)
    )


async def test_a_nominations_trail_and_its_place(audited_story: Audited) -> None:
    story = audited_story.story
    async with audited_story.pool.acquire() as conn:
        trail = await queries.subject_trail(conn, "nomination", story.nomination)
        late = await queries.subject_trail(conn, "nomination", story.late_nomination)
        place = await queries.subject_place(conn, "nomination", story.nomination)
        other = await queries.subject_place(conn, "person", story.other_person)
        nobody = await queries.subject_trail(conn, "person", f"{story.gl}/p-nobody")
    assert trail is not None and late is not None
    assert [e.type.split(".")[-2] for e in trail.entries] == [
        "NominationSubmitted",
        "NominationApproved",
    ]
    assert [e.kind for e in late.entries] == ["refusal"]
    assert place is not None and other is not None
    assert (place.department, place.province, place.ministry) == (
        story.gl,
        f"a{story.uid}-gia-lai",
        f"a{story.uid}-bct",
    )
    assert (other.department, other.province) == (story.bl, f"a{story.uid}-bac-lieu")
    assert nobody is None


async def test_event_outcome_pending_accepted_refused(audited_story: Audited) -> None:
    story = audited_story.story
    async with audited_story.pool.acquire() as conn:
        nominated = await queries.event_outcome(conn, story.gl, story.sent["nominated"].id)
        late = await queries.event_outcome(conn, story.gl, story.sent["late"].id)
        unseen = await queries.event_outcome(conn, story.gl, story.sent["unseen"].id)
        foreign = await queries.event_outcome(conn, story.bl, story.sent["nominated"].id)
        foreign_refusal = await queries.event_outcome(conn, story.bl, story.sent["late"].id)
    assert nominated.status == "accepted"
    # the nomination's fact, and the approval that fact caused (transitively)
    assert [f.type.split(".")[-2] for f in nominated.facts] == [
        "NominationSubmitted",
        "NominationApproved",
    ]
    assert late.status == "refused"
    assert late.codes == ["awards.dossier_late"]
    assert late.reasons[0].message.startswith("Hồ sơ gửi sau hạn")
    assert "bị từ chối" in late.message
    assert unseen.status == "pending"
    assert "Chưa có kết quả" in unseen.message
    # another department learns nothing of Gia Lai's events
    assert (foreign.status, foreign_refusal.status) == ("pending", "pending")


async def test_a_rebuild_gives_the_same_trail(
    database_url: str, bootstrap: str, audited_story: Audited
) -> None:
    story = audited_story.story
    rebuilt_schema = f"{audited_story.control}_again"
    read = await rebuild_audit(
        database_url,
        bootstrap,
        schema=rebuilt_schema,
        event_topics=story.topics,
        rejections_stem=story.rejections_stem,
    )
    assert read == story.total
    tables = ("audit_events", "audit_subjects", "audit_departments")
    async with audited_story.pool.acquire() as conn:
        live = {t: await conn.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3") for t in tables}
    rebuilt_pool = await create_pool(database_url, rebuilt_schema)
    try:
        async with rebuilt_pool.acquire() as conn:
            again = {t: await conn.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3") for t in tables}
    finally:
        await rebuilt_pool.close()
    assert [len(live[t]) for t in tables] == [len(again[t]) for t in tables]
    assert len(live["audit_events"]) == story.total
    assert {t: [tuple(r) for r in rows] for t, rows in live.items()} == {
        t: [tuple(r) for r in rows] for t, rows in again.items()
    }
