"""A small story for the audit trail, on a test's own topics: what two departments sent
(ingress events), the facts registration and awards decided from them (caused by them), and
one refusal, built by the kernel's own ``rejection_event``.

Gia Lai's person ``p-0042``: joined (registration), registered for the campaign, nominated for
CSTĐCS (awards), approved (a fact caused by the nomination's fact), and a second, late dossier
for the same person refused (``awards.dossier_late``). Bạc Liêu has a person of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from contracts import awards as aw
from contracts import registration as rg
from contracts import topics as topic_map
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES, GL
from thidua.es.batch import rejection_event
from thidua.es.intake import Incoming
from thidua.es.rejections import Reason

REGISTRATION = "urn:thidua:service:registration"
AWARDS = "urn:thidua:service:awards"
START = datetime(2018, 12, 1, 8, 0, tzinfo=UTC)
E = TypeVar("E", bound=EventData)


@dataclass
class AuditStory:
    uid: str
    gl: str
    bl: str
    person: str
    other_person: str
    nomination: str
    late_nomination: str
    campaign: str
    registration: list[CloudEvent] = field(default_factory=list)
    awards: list[CloudEvent] = field(default_factory=list)
    refusals: list[CloudEvent] = field(default_factory=list)
    sent: dict[str, CloudEvent] = field(default_factory=dict)
    """What the departments sent, by name: ``joined``, ``registered``, ``nominated``,
    ``late`` (refused), ``unseen`` (never decided)."""

    @property
    def topics(self) -> tuple[str, str]:
        return f"test.{self.uid}.registration.events", f"test.{self.uid}.awards.events"

    @property
    def rejections_stem(self) -> str:
        return f"test.{self.uid}.rejections"

    def rejections_topic(self, code: str) -> str:
        return f"{self.rejections_stem}.{code}"

    @property
    def total(self) -> int:
        return len(self.registration) + len(self.awards) + len(self.refusals)


def build_story(uid: str) -> AuditStory:
    gl, bl = f"a{uid}-gl", f"a{uid}-bl"
    story = AuditStory(
        uid=uid,
        gl=gl,
        bl=bl,
        person=f"{gl}/p-0042",
        other_person=f"{bl}/p-0007",
        nomination=f"{gl}/2018/cstdcs-0042",
        late_nomination=f"{gl}/2018/cstdcs-0042-late",
        campaign=f"{gl}/2018/phat-dong",
    )
    clock = [START]

    def at() -> datetime:
        clock[0] += timedelta(minutes=5)
        return clock[0]

    def sent(name: str, payload: EventData, department: str) -> CloudEvent:
        event = CloudEvent.new(
            payload, source=f"urn:dept:{department}", department=department, time=at()
        )
        story.sent[name] = event
        return event

    def fact(
        into: list[CloudEvent], source: str, payload: EventData, cause: CloudEvent | None
    ) -> CloudEvent:
        event = CloudEvent.new(payload, source=source, caused_by=cause, time=at())
        into.append(event)
        return event

    for code, province in ((gl, f"a{uid}-gia-lai"), (bl, f"a{uid}-bac-lieu")):
        placed = rg.DepartmentRegistered(
            department_code=code, name=f"Sở Công Thương {code}", province_id=province,
            ministry_id=f"a{uid}-bct",
        )  # fmt: skip
        fact(story.registration, REGISTRATION, placed, None)
    joined = sent("joined", _person(story.person, gl), gl)
    fact(story.registration, REGISTRATION, joined.payload(), joined)
    fact(story.registration, REGISTRATION, _person(story.other_person, bl), None)
    registered = sent(
        "registered",
        _example(rg.IndividualRegistered, gl, person_id=story.person, campaign_id=story.campaign),
        gl,
    )
    fact(story.registration, REGISTRATION, registered.payload(), registered)
    nominated = sent("nominated", _nomination(story, story.nomination), gl)
    submitted = fact(story.awards, AWARDS, nominated.payload(), nominated)
    fact(story.awards, AWARDS, _approval(story), submitted)
    late = sent("late", _nomination(story, story.late_nomination), gl)
    ingress = Incoming(topic_map.ingress(gl), 0, 17, None, late.to_json(), ())
    reason = Reason("awards.dossier_late", "Hồ sơ gửi sau hạn nộp hồ sơ của kế hoạch (30/11/2018)")
    refusal = rejection_event("awards", AWARDS, ingress, late, [reason])
    story.refusals.append(refusal.model_copy(update={"time": at()}))
    sent("unseen", _person(f"{gl}/p-0099", gl), gl)
    return story


def _example(kind: type[E], department: str, **changes: Any) -> E:
    """The contract's first example of ``kind``, moved to ``department``, with ``changes``."""
    data = json.loads(json.dumps(EXAMPLES[kind][0]).replace(GL, department))
    return kind.model_validate({**data, **changes})


def _person(person_id: str, department: str) -> rg.PersonJoined:
    return _example(rg.PersonJoined, department, person_id=person_id)


def _nomination(story: AuditStory, nomination_id: str) -> aw.NominationSubmitted:
    return _example(
        aw.NominationSubmitted,
        story.gl,
        nomination_id=nomination_id,
        campaign_id=story.campaign,
        nominee_id=story.person,
        evidence={"rating": "excellent", "htxsnv": True},
    )


def _approval(story: AuditStory) -> aw.NominationApproved:
    return _example(
        aw.NominationApproved, story.gl, nomination_id=story.nomination, nominee_id=story.person
    )
