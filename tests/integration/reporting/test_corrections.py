"""Corrections and withdrawals in the rollups, on the real stack: the seed feed with a rating,
a research result, disciplines, a dossier, exemplary models and a conference is projected live;
then registration's and awards' corrections of them are written to the topics the projection
reads, as the services publish them. Each moves its figures from the day it took effect: the
rollup now shows the corrected figures, as of a day before the correction the old ones, and a
rebuild from the log gives the same model as the live projection."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from scenarios.seeds import GIA_LAI
from services.reporting import app as reporting
from services.reporting.audit.links import KIND_SLUGS
from services.reporting.audit.queries import audit_schema, subject_trail
from services.reporting.queries import Rollup
from services.reporting.queries import rollup as scope_rollup
from services.reporting.rebuild import rebuild
from tests.auth import headers, service_token
from tests.integration.reporting.conftest import produce_keyed, projected
from tests.integration.reporting.scenario import Feed, build_feed
from tests.integration.reporting.scenario_registration import GL_CAMPAIGN
from tests.integration.reporting.test_rollups import day_counters_and_lines, model_rows
from tests.support import eventually
from thidua import dbroles
from thidua.es.db import Pool, create_pool
from thidua.es.service import ServiceRuntime
from thidua.settings import StackSettings

REASON = "Đính chính theo hồ sơ gốc"
PERSON, OTHER, MOVED = "sct-gialai/p-0042", "sct-gialai/p-0051", "sct-gialai/p-0102"
VP = "sct-gialai/vp"
RESEARCH = "sct-gialai/dt-2018-01"


@dataclass
class Corrections:
    """The originals (in the feed) and the corrections (published after it), by topic."""

    feed: Feed
    registration: list[tuple[bytes, CloudEvent]] = field(default_factory=list)
    awards: list[tuple[bytes, CloudEvent]] = field(default_factory=list)

    def original(self, payload: EventData, key: str) -> CloudEvent:
        return _add(self._topic(payload, self.feed.registration, self.feed.awards), payload, key)

    def correction(self, payload: EventData, key: str) -> CloudEvent:
        return _add(self._topic(payload, self.registration, self.awards), payload, key)

    @staticmethod
    def _topic(payload: EventData, reg: list[Any], awards: list[Any]) -> list[Any]:
        return reg if payload.service == "registration" else awards


def _add(records: list[tuple[bytes, CloudEvent]], payload: EventData, key: str) -> CloudEvent:
    event = CloudEvent.new(payload, source=f"urn:thidua:service:{payload.service}")
    records.append((key.encode(), event))
    return event


def corrections_of(feed: Feed) -> Corrections:
    """Originals and their corrections in Gia Lai (its department code in this feed: ``gl``)."""
    gl = feed.scenario.code(GIA_LAI)
    c = Corrections(feed)
    rating = {"department_code": gl, "subject_kind": "individual", "subject_id": PERSON,
              "unit_id": VP, "year": 2018}  # fmt: skip
    c.original(rg.PerformanceRated.model_validate(
        {**rating, "rating": "excellent", "rated_on": "2018-12-15"}),
        f"rating:{PERSON}")  # fmt: skip
    c.original(rg.PerformanceRated.model_validate(
        {**rating, "subject_kind": "collective", "subject_id": VP, "unit_id": None,
         "rating": "excellent"}), f"rating:{VP}")  # fmt: skip
    c.correction(rg.RatingCorrected.model_validate(
        {**rating, "rating": "good", "corrected_on": "2019-01-10", "reason": REASON}),
        f"rating:{PERSON}")  # fmt: skip
    c.correction(rg.PersonDetailsCorrected.model_validate(
        {"person_id": MOVED, "department_code": gl, "full_name": "Cán bộ p-0102",
         "sex": "male", "joined_on": "2015-06-01", "corrected_on": "2018-07-01",
         "reason": REASON}), MOVED)  # fmt: skip
    c.correction(rg.InitiativeDetailsCorrected.model_validate(
        {"initiative_id": "sct-gialai/sk-2018-07", "department_code": gl, "unit_id": VP,
         "title": "Sáng kiến sct-gialai/sk-2018-07", "kind": "technical", "scope": "unit",
         "authors": [{"person_id": PERSON, "full_name": "Nguyễn Thị Lan"}],
         "corrected_on": "2018-12-01", "reason": REASON}), "sct-gialai/sk-2018-07")  # fmt: skip
    c.correction(rg.InitiativeWithdrawn(
        initiative_id="sct-gialai/sk-2018-08", department_code=gl,
        withdrawn_on=date(2019, 1, 10), reason=REASON), "sct-gialai/sk-2018-08")  # fmt: skip
    c.original(rg.ResearchAccepted.model_validate(
        {"research_id": RESEARCH, "department_code": gl, "unit_id": VP, "title": "Đề tài",
         "authors": [{"full_name": "Trần Văn Minh"}], "level": "ministry_province",
         "accepted_on": "2018-11-20"}), RESEARCH)  # fmt: skip
    c.correction(rg.ResearchWithdrawn(
        research_id=RESEARCH, department_code=gl, withdrawn_on=date(2019, 1, 10),
        reason=REASON), RESEARCH)  # fmt: skip
    for person, level, imposed, lifted, annulled in (
        (PERSON, "warning", "2018-09-01", "2018-11-15", True),
        (OTHER, "reprimand", "2018-05-02", "2018-11-01", False),
    ):
        discipline = {"person_id": person, "department_code": gl, "imposed_on": imposed}
        c.original(rg.DisciplineImposed.model_validate(
            {**discipline, "unit_id": VP, "level": level}), f"discipline:{person}")  # fmt: skip
        c.correction(rg.DisciplineLifted.model_validate(
            {**discipline, "lifted_on": lifted, "annulled": annulled, "reason": REASON}),
            f"discipline:{person}")  # fmt: skip
    nomination = "gl/cstdcs-0100"
    c.original(aw.NominationSubmitted.model_validate(
        {"nomination_id": nomination, "department_code": gl, "campaign_id": GL_CAMPAIGN,
         "year": 2018, "title": "CSTDCS", "nominee_kind": "individual",
         "nominee_id": "sct-gialai/p-0100", "unit_id": VP, "received_on": "2018-12-05"}),
        f"nomination:{nomination}")  # fmt: skip
    c.correction(aw.NominationWithdrawn(
        nomination_id=nomination, department_code=gl, withdrawn_on=date(2018, 12, 12),
        reason=REASON), f"nomination:{nomination}")  # fmt: skip
    c.correction(aw.AwardFlaggedForReview.model_validate(
        {"nomination_id": "gl/ldtt-0042", "department_code": gl, "flagged_on": "2019-01-10",
         "cause_type": "vn.thidua.registration.RatingCorrected.v1", "cause_event_id": "x",
         "reasons": [{"code": "awards.rating_corrected", "message": "Xếp loại đã đính chính"}]}),
        "nomination:gl/ldtt-0042")  # fmt: skip
    chosen = {"department_code": gl, "year": 2018, "subject_kind": "collective",
              "subject_id": VP, "unit_id": VP, "chosen_on": "2018-12-26"}  # fmt: skip
    for exemplary in ("sct-gialai/dh-2018-01", "sct-gialai/dh-2018-02"):
        c.original(aw.ExemplaryModelChosen.model_validate(
            {**chosen, "exemplary_id": exemplary}), f"exemplary:{exemplary}")  # fmt: skip
    c.correction(aw.ExemplaryModelCorrected.model_validate(
        {**chosen, "exemplary_id": "sct-gialai/dh-2018-01", "subject_kind": "individual",
         "subject_id": PERSON, "corrected_on": "2019-01-05", "reason": REASON}),
        "exemplary:sct-gialai/dh-2018-01")  # fmt: skip
    c.correction(aw.ExemplaryModelWithdrawn(
        exemplary_id="sct-gialai/dh-2018-02", department_code=gl,
        withdrawn_on=date(2019, 1, 5), reason=REASON),
        "exemplary:sct-gialai/dh-2018-02")  # fmt: skip
    held = {"conference_id": "sct-gialai/hn-2018", "department_code": gl,
            "kind": "exemplary_models", "level": "department", "format": "delegates",
            "held_on": "2018-12-20", "delegates_total": 100, "exemplary_delegates": 70,
            "guest_delegates": 30, "report_due": "2019-01-03"}  # fmt: skip
    c.original(aw.ConferenceHeld.model_validate(held), "conference:sct-gialai/hn-2018")
    c.correction(aw.ConferenceCorrected.model_validate(
        {**held, "delegates_total": 140, "exemplary_delegates": 98, "guest_delegates": 42,
         "corrected_on": "2018-12-27", "reason": REASON}),
        "conference:sct-gialai/hn-2018")  # fmt: skip
    c.correction(aw.ConferenceReported(
        conference_id="sct-gialai/hn-2018", department_code=gl, reported_on=date(2019, 1, 5)),
        "conference:sct-gialai/hn-2018")  # fmt: skip  # two days late (issue 17)
    return c


@dataclass
class Projected:
    corrections: Corrections
    runtime: ServiceRuntime
    pool: Pool
    source: tuple[str, str]
    before: Rollup | None = None
    """Gia Lai's rollup before the corrections."""

    @property
    def gl(self) -> str:
        return self.corrections.feed.scenario.code(GIA_LAI)

    async def department(self, as_of: date | None = None) -> Rollup:
        async with self.pool.acquire() as conn:
            return await scope_rollup(conn, "department", self.gl, 2018, as_of=as_of)


@pytest.fixture
async def projected_corrections(
    database_url: str, bootstrap: str, uid: str
) -> AsyncIterator[Projected]:
    """The feed with the originals projected live, then the corrections published after it
    (so they reach the projection in later batches, as they do in production)."""
    feed = build_feed(f"{uid}-")
    c = corrections_of(feed)
    async with projected(database_url, bootstrap, uid, feed, audit=True) as (
        runtime,
        pool,
        source,
    ):
        done = Projected(c, runtime, pool, source)
        done.before = await done.department()
        for topic, records in zip(source, (c.registration, c.awards), strict=True):
            await produce_keyed(bootstrap, topic, records)
        runner = runtime.projection_runners()[0]
        total = sum(len(x) for x in (feed.registration, feed.awards, c.registration, c.awards))
        await eventually(
            runner.checkpoints,
            lambda found: sum(found.values()) == total,
            what="the corrections projected",
        )
        yield done


def audit_ids(c: Corrections, subject_key: str) -> tuple[list[str], list[str]]:
    """The event ids of the originals and of the corrections published under one key (a
    subject: ``rating:<person>``, ``discipline:<person>``...): an audit page of the subject
    must list both."""
    key = subject_key.encode()
    originals = [e.id for k, e in (*c.feed.registration, *c.feed.awards) if k == key]
    fixes = [e.id for k, e in (*c.registration, *c.awards) if k == key]
    return originals, fixes


async def test_corrections_move_the_rollup_from_their_date_and_a_rebuild_agrees(
    projected_corrections: Projected, database_url: str, bootstrap: str, uid: str
) -> None:
    p = projected_corrections
    before = p.before
    assert before is not None
    now = await p.department()
    assert all(audit_ids(p.corrections, f"rating:{PERSON}"))
    # What a correction takes back from a day, its day counters lose (a rollup as of a date
    # in its month reads them).
    counters, from_lines = await day_counters_and_lines(p.pool)
    assert counters == from_lines
    assert len(counters) > 10

    # Ratings: the person's "excellent" corrected to "good" on 10/01/2019.
    assert before.ratings == {"collective": {"excellent": 1}, "individual": {"excellent": 1}}
    assert now.ratings == {"collective": {"excellent": 1}, "individual": {"good": 1}}
    assert (await p.department(date(2019, 1, 9))).ratings == before.ratings

    # A person corrected on 01/07/2018 from a woman to a man: staff figures from that day.
    july = await p.department(date(2018, 7, 1))
    june = await p.department(date(2018, 6, 30))
    assert (june.staff.staff, june.staff.women - 1) == (july.staff.staff, july.staff.women)
    assert now.staff.women == before.staff.women - 1

    # Initiatives: sk-2018-07 corrected from management to technical on 01/12/2018,
    # sk-2018-08 (technical, recognised by the province) withdrawn on 10/01/2019.
    assert before.initiatives.submitted == {"management": 1, "operational": 1, "technical": 1}
    assert now.initiatives.submitted == {"operational": 1, "technical": 1}
    assert {(r.kind, r.level): r.count for r in now.initiatives.recognized if r.count} == {
        ("technical", "unit"): 1
    }
    assert now.initiatives.withdrawn == {"technical": 1}
    december = await p.department(date(2018, 12, 31))
    assert december.initiatives.submitted == {"operational": 1, "technical": 2}
    assert december.initiatives.withdrawn == {}
    november = await p.department(date(2018, 11, 30))
    assert november.initiatives.submitted == before.initiatives.submitted

    # Research withdrawn on 10/01/2019: counted in 2018 until then.
    assert before.research.accepted == {"ministry_province": 1} == december.research.accepted
    assert (now.research.accepted, now.research.withdrawn) == ({}, {"ministry_province": 1})

    # Disciplines: the warning annulled on 15/11/2018 no longer counts; the reprimand, lifted
    # at the end of its term on 01/11/2018, still counts as imposed in 2018.
    assert before.discipline == {"reprimand": 1, "warning": 1}
    assert now.discipline == {"reprimand": 1}
    assert now.discipline_lifted == {"reprimand": 1, "warning": 1}
    october = await p.department(date(2018, 10, 31))
    assert (october.discipline, october.discipline_lifted) == (before.discipline, {})

    # A dossier withdrawn on 12/12/2018 is no longer pending.
    assert before.nominations["CSTDCS"].get("submitted", 0) >= 1
    assert now.nominations["CSTDCS"].get("submitted", 0) == (
        before.nominations["CSTDCS"]["submitted"] - 1
    )
    assert now.nominations["CSTDCS"]["withdrawn"] == 1 == now.dossiers.withdrawn
    assert (await p.department(date(2018, 12, 11))).dossiers.withdrawn == 0

    # An award flagged for review (10/01/2019): counted, not changed.
    assert now.awards_flagged_for_review == 1 and before.awards_flagged_for_review == 0
    assert {a.title: a.count for a in now.awards} == {a.title: a.count for a in before.awards}
    assert {a.title for a in now.awards if a.flagged_for_review} == {"LDTT"}

    # Exemplary models: one corrected (collective → individual), one withdrawn, on 05/01/2019.
    assert (before.exemplary_models, now.exemplary_models) == (2, 1)
    assert now.exemplary_models_withdrawn == 1
    assert december.exemplary_models == 2

    # The conference's delegates corrected from 100 to 140 on 27/12/2018.
    assert (
        before.conferences.delegates
        == 100
        == (await p.department(date(2018, 12, 26))).conferences.delegates
    )
    assert now.conferences.delegates == 140
    assert now.conferences.held == {"exemplary_models|department": 1}
    assert (now.conferences.exemplary_delegates, now.conferences.guest_delegates) == (98, 42)
    assert now.conferences.exemplary_share_percent == 70

    # Its report, due 03/01/2019, received on 05/01/2019: late; outstanding until then.
    reports = ("reports_on_time", "reports_late", "reports_outstanding")
    assert [getattr(before.conferences, k) for k in reports] == [0, 0, 1]
    assert [getattr(now.conferences, k) for k in reports] == [0, 1, 0]
    waiting = (await p.department(date(2019, 1, 4))).conferences
    assert [getattr(waiting, k) for k in reports] == [0, 0, 1]

    # The province sums its departments the same way.
    async with p.pool.acquire() as conn:
        province = await scope_rollup(conn, "province", "gia-lai", 2018)
    assert province.ratings["individual"] == {"good": 1}
    assert province.discipline == now.discipline

    # A rebuild from the log equals the live model, row for row.
    control = f"test_{uid}_ctl"
    rebuilt = await rebuild(
        database_url,
        bootstrap,
        lambda done, total: None,
        control_schema=control,
        source_topics=p.source,
        dlq_topic=f"test.{uid}.reporting.dlq",
    )
    assert rebuilt.skipped == 0
    pool = await create_pool(database_url, rebuilt.schema)
    try:
        assert await model_rows(pool) == await model_rows(p.pool)
        for table in ("reporting_counted", "reporting_people"):
            query = f"SELECT * FROM {table} ORDER BY 1"
            assert [tuple(r) for r in await pool.fetch(query)] == [
                tuple(r) for r in await p.pool.fetch(query)
            ]
    finally:
        await pool.close()


CORRECTED: dict[type[EventData], tuple[str, str, type[EventData]]] = {
    rg.RatingCorrected: ("person", "subject_id", rg.PerformanceRated),
    rg.PersonDetailsCorrected: ("person", "person_id", rg.PersonJoined),
    rg.InitiativeDetailsCorrected: ("initiative", "initiative_id", rg.InitiativeSubmitted),
    rg.InitiativeWithdrawn: ("initiative", "initiative_id", rg.InitiativeSubmitted),
    rg.ResearchWithdrawn: ("research", "research_id", rg.ResearchAccepted),
    rg.DisciplineLifted: ("person", "person_id", rg.DisciplineImposed),
    aw.NominationWithdrawn: ("nomination", "nomination_id", aw.NominationSubmitted),
    aw.ExemplaryModelCorrected: ("exemplary", "exemplary_id", aw.ExemplaryModelChosen),
    aw.ExemplaryModelWithdrawn: ("exemplary", "exemplary_id", aw.ExemplaryModelChosen),
    aw.ConferenceCorrected: ("conference", "conference_id", aw.ConferenceHeld),
    aw.ConferenceReported: ("conference", "conference_id", aw.ConferenceHeld),
}
"""Each correction type: the subject whose audit trail must list it, the field naming that
subject, and the type of the fact it corrects."""


async def test_the_audit_trail_lists_each_fact_and_its_correction(
    projected_corrections: Projected, uid: str
) -> None:
    """For every correction type, the trail of its subject (what the audit page prints) lists
    the corrected fact and then the correction, both kept."""
    c = projected_corrections.corrections
    feed = [e for _, e in (*c.feed.registration, *c.feed.awards)]
    corrections = [e for _, e in (*c.registration, *c.awards) if type(e.payload()) in CORRECTED]
    assert {type(e.payload()) for e in corrections} == set(CORRECTED)
    reader = dbroles.local_role_url(StackSettings(), dbroles.READER_ROLE)
    pool = await create_pool(reader, audit_schema(f"test_{uid}_ctl"))
    pages: dict[tuple[str, str], tuple[str, str]] = {}
    try:
        for correction in corrections:
            kind, field_name, original_type = CORRECTED[type(correction.payload())]
            subject = correction.data[field_name]
            originals = {
                e.id
                for e in feed
                if isinstance(e.payload(), original_type) and e.data.get(field_name) == subject
            }
            assert originals, f"no {original_type.event_name} of {subject} in the feed"

            async def trail(kind: str = kind, subject: str = subject) -> list[str]:
                async with pool.acquire() as conn:
                    found = await subject_trail(conn, kind, subject)
                return [e.event_id for e in found.entries] if found else []

            ids = await eventually(
                trail,
                lambda ids, fix=correction.id: fix in ids,
                what=f"the {correction.type} of {kind} {subject} in its audit trail",
            )
            shown = [i for i in ids if i in originals]
            assert shown, f"the trail of {kind} {subject} lacks the fact corrected: {ids}"
            assert ids.index(shown[0]) < ids.index(correction.id)
            pages[(kind, subject)] = (shown[0], correction.id)
        # The printable page (/nhat-ky) of each subject lists both, as a board officer reads it.
        api = reporting.create_api(pool, control_schema=f"test_{uid}_ctl")
        transport = httpx.ASGITransport(app=api)
        central = headers(await service_token())
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            for (kind, subject), (original, fix) in pages.items():
                page = await client.get(
                    "/nhat-ky", params={"loai": KIND_SLUGS[kind], "ma": subject}, headers=central
                )
                assert page.status_code == 200, page.text
                html = page.text
                assert f'data-event="{original}"' in html and f'data-event="{fix}"' in html
                assert html.index(f'data-event="{original}"') < html.index(f'data-event="{fix}"')
    finally:
        await pool.close()
