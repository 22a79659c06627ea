"""The audit trail on the real stack: facts of registration and awards and a refusal, read
from their topics by the audit projection, answer a subject's trail in order and what became
of each event a department sent (pending, accepted, refused); a rebuild gives the same trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import pytest

from services.reporting import app as reporting
from services.reporting.audit import queries
from services.reporting.audit.app import build_audit, rebuild_audit
from services.reporting.audit.queries import audit_schema
from tests.auth import headers, service_token, user_token
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


@asynccontextmanager
async def api_client(audited_story: Audited) -> AsyncIterator[httpx.AsyncClient]:
    """Reporting's app over the story's trail (no rollup model needed by these routes)."""
    api = reporting.create_api(audited_story.pool, control_schema=audited_story.control)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client


async def test_the_api_answers_a_subjects_trail_within_the_roles(audited_story: Audited) -> None:
    story = audited_story.story
    central = headers(await service_token())  # board and ministry of every province
    async with api_client(audited_story) as client:
        trail = await client.get(f"/v1/audit/person/{story.person}", headers=central)
        unknown = await client.get(f"/v1/audit/unit/{story.gl}/nowhere", headers=central)
        bad_kind = await client.get(f"/v1/audit/planet/{story.person}", headers=central)
        anonymous = await client.get(f"/v1/audit/person/{story.person}")
        # another department (Sở Công Thương Gia Lai's officer) may not read this one's person
        foreign = await client.get(
            f"/v1/audit/person/{story.person}", headers=headers(await user_token("sct-gialai"))
        )
    assert trail.status_code == 200, trail.text
    body = trail.json()
    assert body["department"] == story.gl
    assert [e["kind"] for e in body["entries"]] == ["fact"] * 4 + ["refusal"]
    assert body["entries"][-1]["reasons"][0]["code"] == "awards.dossier_late"
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["detail"].startswith("Không tìm thấy đơn vị")
    assert bad_kind.status_code == 422
    assert anonymous.status_code == 401
    assert foreign.status_code == 403
    assert foreign.json()["title"] == "Không có quyền truy cập"


async def test_the_api_answers_what_became_of_a_departments_event(audited_story: Audited) -> None:
    story = audited_story.story
    central = headers(await service_token())

    def url(name: str, department: str | None = None) -> str:
        return f"/v1/departments/{department or story.gl}/events/{story.sent[name].id}"

    async with api_client(audited_story) as client:
        accepted = await client.get(url("nominated"), headers=central)
        refused = await client.get(url("late"), headers=central)
        pending = await client.get(url("unseen"), headers=central)
        unknown = await client.get(url("unseen", f"a{story.uid}-nowhere"), headers=central)
        foreign = await client.get(url("late"), headers=headers(await user_token("sct-gialai")))
    assert accepted.json()["status"] == "accepted"
    assert len(accepted.json()["facts"]) == 2
    assert refused.json()["status"] == "refused"
    assert refused.json()["codes"] == ["awards.dossier_late"]
    assert refused.json()["reasons"][0]["message"].startswith("Hồ sơ gửi sau hạn")
    assert pending.json()["status"] == "pending"
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["detail"] == f"Không tìm thấy Sở có mã 'a{story.uid}-nowhere'."
    assert foreign.status_code == 403


async def test_the_printable_page_lists_the_trail_in_vietnamese(audited_story: Audited) -> None:
    story = audited_story.story
    central = headers(await service_token())
    async with api_client(audited_story) as client:
        page = await client.get(
            "/nhat-ky", params={"loai": "ho-so", "ma": story.late_nomination}, headers=central
        )
        person = await client.get(
            "/nhat-ky", params={"loai": "ca-nhan", "ma": story.person}, headers=central
        )
        search = await client.get("/nhat-ky", headers=central)
        submitted = story.awards[0].id  # awards' fact of the dossier
        event = await client.get(
            "/nhat-ky", params={"loai": "su-kien", "ma": submitted}, headers=central
        )
        no_event = await client.get(
            "/nhat-ky", params={"loai": "su-kien", "ma": "no-such-event"}, headers=central
        )
        login = await client.get("/nhat-ky", params={"ma": story.person})
    assert page.status_code == 200, page.text
    html = page.text
    assert f"Nhật ký: hồ sơ đề nghị khen thưởng {story.late_nomination}" in html
    assert "@media print" in html
    assert 'data-kind="refusal"' in html and "Từ chối" in html
    assert "awards.dossier_late" in html and "Hồ sơ gửi sau hạn" in html
    assert person.text.count("<tr data-event=") == 5
    assert "01/12/2018" in person.text  # dd/mm/yyyy, Vietnam's time
    assert "Quyết định khen thưởng" in person.text and "Khen thưởng</td>" in person.text
    assert 'id="audit-search"' in search.text
    assert event.status_code == 200, event.text
    assert event.text.count("<tr data-event=") == 2  # the dossier's fact, then the approval
    assert f'data-audit="person" data-id="{story.person}"' in event.text
    assert no_event.status_code == 404
    assert login.status_code == 401 and "/auth/login" in login.text
