"""Corrections and withdrawals on the real stack: a department corrects a person, a rating or
an initiative, withdraws an initiative or a research result, lifts a discipline; each is
published on registration's events topic, keyed like the fact it changes, and the bad ones are
refused with a code on the department's refusals topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.base import EventData
from contracts.registration import (
    DisciplineImposed,
    DisciplineLifted,
    InitiativeDetailsCorrected,
    InitiativeReviewed,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    PerformanceRated,
    PersonDetailsCorrected,
    PersonJoined,
    RatingCorrected,
    ResearchAccepted,
    ResearchWithdrawn,
)
from scenarios.seeds import BAC_LIEU, GIA_LAI
from tests.integration.registration.conftest import Outcome, Registration
from tests.support import unique

VP = f"{GIA_LAI}/vp"
REASON = "Nhập sai khi gửi lần đầu"


@dataclass(frozen=True)
class Corrected:
    """A fact and its correction, as sent (ingress ids) and as published (fact ids): what an
    audit page of the subject must list."""

    sent: tuple[str, str]
    published: tuple[str, str]
    subject: str


async def corrected(registration: Registration, fact: EventData, fix: EventData) -> Corrected:
    """Submit ``fact`` then its correction ``fix`` (Gia Lai); both must be accepted, each with
    one fact, published under the same subject."""
    events = [registration.envelope(registration.code(GIA_LAI), p) for p in (fact, fix)]
    await registration.send(registration.code(GIA_LAI), events)
    original, correction = await registration.settle(events)
    assert original.accepted and correction.accepted, (original, correction)
    (before,), (after,) = original.facts, correction.facts
    assert before.subject == after.subject
    assert type(fix).model_validate(after.data) == fix
    return Corrected((events[0].id, events[1].id), (before.id, after.id), before.subject or "")


async def refusals(registration: Registration, department: str, *payloads: EventData) -> list[str]:
    """The single refusal code of each payload (nothing published for any)."""
    outcomes: list[Outcome] = await registration.submit(registration.code(department), *payloads)
    assert all(not o.facts for o in outcomes), outcomes
    return [code for o in outcomes for code in o.codes]


def joined(registration: Registration, **kw: object) -> PersonJoined:
    return PersonJoined.model_validate(
        {
            "person_id": unique(f"{GIA_LAI}/p-"),
            "department_code": registration.code(GIA_LAI),
            "unit_id": VP,
            "full_name": "Nguyễn Thị Hoa",
            "sex": "female",
            "birth_year": 1958,
            "joined_on": "2016-03-01",
            **kw,
        }
    )


def person_fix(person: PersonJoined, **kw: object) -> PersonDetailsCorrected:
    return PersonDetailsCorrected.model_validate(
        {
            **person.model_dump(include={"person_id", "department_code", "full_name", "sex"}),
            "birth_year": 1985,
            "joined_on": person.joined_on,
            "corrected_on": "2018-12-22",
            "reason": "Nhập sai năm sinh",
            **kw,
        }
    )


async def test_a_person_is_corrected_and_bad_corrections_are_refused(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    person = joined(registration)
    both = await corrected(registration, person, person_fix(person, sex="male"))
    assert both.subject == f"person:{person.person_id}"
    again = person_fix(person, sex="male", reason="Gửi lại")
    assert await refusals(
        registration,
        GIA_LAI,
        person_fix(person, person_id=unique(f"{GIA_LAI}/p-")),
        again,
        person_fix(person, corrected_on="2016-01-01"),
        person_fix(person, joined_on="1990-01-01"),
        person,  # the original joining again: it was corrected since
    ) == [
        "directory.unknown_person",
        "directory.person_unchanged",
        "directory.corrected_before_joining",
        "directory.unit_inactive",
        "directory.person_exists",
    ]
    (foreign,) = await registration.submit(
        registration.code(BAC_LIEU), person_fix(person, sex="female")
    )
    assert foreign.codes == ["producer.foreign_department"]
    (exists,) = await registration.submit(gl, person.model_copy(update={"full_name": "Khác"}))
    assert "PersonDetailsCorrected" in exists.messages[0]


def rated(registration: Registration, person_id: str) -> PerformanceRated:
    return PerformanceRated.model_validate(
        {
            "department_code": registration.code(GIA_LAI), "subject_kind": "individual",
            "subject_id": person_id, "unit_id": VP, "year": 2018, "rating": "excellent",
            "rated_on": "2018-12-20",
        }
    )  # fmt: skip


def rating_fix(original: PerformanceRated, **kw: object) -> RatingCorrected:
    return RatingCorrected.model_validate(
        {
            **original.model_dump(exclude={"rated_on"}),
            "rating": "good",
            "corrected_on": "2018-12-27",
            "reason": "Hội đồng đánh giá lại theo Kết luận số 12/KL-SCT",
            **kw,
        }
    )


async def test_a_rating_is_corrected_and_bad_corrections_are_refused(
    registration: Registration,
) -> None:
    person = joined(registration)
    (joining,) = await registration.submit(registration.code(GIA_LAI), person)
    assert joining.accepted
    rating = rated(registration, person.person_id)
    both = await corrected(registration, rating, rating_fix(rating))
    assert both.subject == f"rating:individual:{person.person_id}:2018"
    assert await refusals(
        registration,
        GIA_LAI,
        rating_fix(rating, year=2017),
        rating_fix(rating, reason="Gửi lại"),
        rating_fix(rating, rating="excellent", corrected_on="2018-12-19"),
        PerformanceRated.model_validate({**rating.model_dump(), "rating": "good"}),
    ) == [
        "rating.not_recorded",
        "rating.unchanged",
        "rating.corrected_before_rating",
        "rating.conflicting_duplicate",
    ]
    (conflict,) = await registration.submit(
        registration.code(GIA_LAI),
        PerformanceRated.model_validate({**rating.model_dump(), "rating": "good"}),
    )
    assert "RatingCorrected" in conflict.messages[0]
    bl = registration.code(BAC_LIEU)
    (foreign,) = await registration.submit(bl, rating_fix(rating, department_code=bl))
    assert foreign.codes == ["directory.person_of_other_department"]


def initiative(registration: Registration) -> InitiativeSubmitted:
    return InitiativeSubmitted.model_validate(
        {
            "initiative_id": unique(f"{GIA_LAI}/sk-"),
            "department_code": registration.code(GIA_LAI),
            "unit_id": VP,
            "title": "Số hóa hồ sơ cấp phép",
            "kind": "technical",
            "scope": "unit",
            "authors": [{"full_name": "Trần Văn Minh"}],
            "submitted_on": "2018-10-15",
        }
    )


async def test_an_initiative_is_corrected_then_withdrawn(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    submitted = initiative(registration)
    i = submitted.initiative_id
    fix = InitiativeDetailsCorrected.model_validate(
        {
            **submitted.model_dump(include={"initiative_id", "department_code", "unit_id",
                                            "kind", "scope", "authors"}),
            "title": "Số hóa hồ sơ cấp phép hoạt động điện lực",
            "corrected_on": "2018-10-20",
            "reason": "Ghi thiếu tên sáng kiến",
        }
    )  # fmt: skip
    both = await corrected(registration, submitted, fix)
    assert both.subject == f"initiative:{i}"
    withdrawal = InitiativeWithdrawn(
        initiative_id=i, department_code=gl, withdrawn_on=date(2019, 1, 10), reason=REASON
    )
    (withdrawn,) = await registration.submit(gl, withdrawal)
    assert withdrawn.types() == ["InitiativeWithdrawn"]
    review = InitiativeReviewed(
        initiative_id=i, members_total=9, members_present=9, approve_votes=9,
        reviewed_on=date(2019, 1, 15),
    )  # fmt: skip
    assert await refusals(
        registration,
        GIA_LAI,
        withdrawal.model_copy(update={"reason": "Lần hai"}),
        review,
        fix.model_copy(update={"title": "Khác"}),
        withdrawal.model_copy(update={"initiative_id": unique(f"{GIA_LAI}/sk-")}),
    ) == [
        "initiative.already_withdrawn",
        "initiative.withdrawn",
        "initiative.withdrawn",
        "initiative.unknown",
    ]
    other = initiative(registration)
    (submitted_other,) = await registration.submit(gl, other)
    assert submitted_other.accepted
    same = fix.model_copy(update={"initiative_id": other.initiative_id, "title": other.title})
    early = withdrawal.model_copy(
        update={"initiative_id": other.initiative_id, "withdrawn_on": date(2018, 10, 1)}
    )
    assert await refusals(registration, GIA_LAI, same, early) == [
        "initiative.unchanged",
        "initiative.withdrawn_before_submission",
    ]


async def test_research_is_withdrawn_once(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    accepted = ResearchAccepted.model_validate(
        {
            "research_id": unique(f"{GIA_LAI}/dt-"),
            "department_code": gl,
            "unit_id": VP,
            "title": "Đánh giá tiềm năng điện mặt trời",
            "authors": [{"full_name": "Trần Văn Minh"}],
            "level": "ministry_province",
            "accepted_on": "2018-11-20",
        }
    )
    withdrawal = ResearchWithdrawn(
        research_id=accepted.research_id, department_code=gl, withdrawn_on=date(2019, 1, 10),
        reason=REASON,
    )  # fmt: skip
    both = await corrected(registration, accepted, withdrawal)
    assert both.subject == f"research:{accepted.research_id}"
    assert await refusals(
        registration,
        GIA_LAI,
        withdrawal.model_copy(update={"reason": "Lần hai"}),
        withdrawal.model_copy(update={"research_id": unique(f"{GIA_LAI}/dt-")}),
        accepted.model_copy(update={"title": "Khác"}),
    ) == ["research.already_withdrawn", "research.unknown", "research.conflicting_duplicate"]


async def test_a_discipline_is_lifted_once(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    person = joined(registration)
    (joining,) = await registration.submit(gl, person)
    assert joining.accepted
    imposed = DisciplineImposed.model_validate(
        {
            "person_id": person.person_id, "department_code": gl, "unit_id": VP,
            "level": "warning", "imposed_on": "2018-09-01",
        }
    )  # fmt: skip
    lifted = DisciplineLifted.model_validate(
        {
            "person_id": person.person_id, "department_code": gl, "imposed_on": "2018-09-01",
            "lifted_on": "2018-11-15", "annulled": True, "reason": REASON,
        }
    )  # fmt: skip
    both = await corrected(registration, imposed, lifted)
    assert both.subject == f"discipline:{person.person_id}"
    assert await refusals(
        registration,
        GIA_LAI,
        lifted.model_copy(update={"lifted_on": date(2018, 11, 16)}),
        lifted.model_copy(update={"imposed_on": date(2018, 9, 2)}),
        lifted.model_copy(update={"person_id": unique(f"{GIA_LAI}/p-")}),
    ) == ["discipline.already_lifted", "discipline.not_imposed", "directory.unknown_person"]
