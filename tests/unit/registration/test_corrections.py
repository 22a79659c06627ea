"""Corrections and withdrawals on registration's table, on the event store in memory: each is
decided by the rules of the fact it changes, lands in that fact's stream, and is refused with
a code when there is nothing to correct, nothing changes, it comes from another department,
it is sent twice differently or it is dated before the fact."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

import pytest

from contracts import examples
from contracts.base import EventData
from contracts.registration import (
    DepartmentRegistered,
    DisciplineImposed,
    DisciplineLifted,
    InitiativeDetailsCorrected,
    InitiativeRecognized,
    InitiativeReviewed,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    PerformanceRated,
    PersonDetailsCorrected,
    PersonJoined,
    PersonTransferred,
    RatingCorrected,
    ResearchAccepted,
    ResearchWithdrawn,
    UnitEstablished,
)
from services.registration import streams
from services.registration.handlers import decider
from tests.unit.registration.test_table import refusal_codes, sent
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

E = TypeVar("E", bound=EventData)
GL, KH = "sct-gialai", "sct-khanhhoa"
VP, QLCN = f"{GL}/vp", f"{GL}/p-qlcn"
PERSON = f"{GL}/p-0042"


def _example(kind: type[E], **changes: Any) -> E:
    return kind.model_validate({**examples.EXAMPLES[kind][0], **changes})


def gia_lai() -> MemoryStore:
    """Sở Công Thương Gia Lai with two sections, one person, a rating, an initiative, a
    research topic and a discipline."""
    store = MemoryStore()
    store.given(
        streams.department(GL),
        DepartmentRegistered(
            department_code=GL, name="Sở Công Thương Gia Lai", province_id="gia-lai",
            ministry_id="bct",
        ),
    )  # fmt: skip
    for unit in (VP, QLCN):
        store.given(
            streams.unit(unit),
            UnitEstablished(
                unit_id=unit, department_code=GL, name=unit, kind="section",
                established_on=date(2005, 1, 1),
            ),
        )  # fmt: skip
    store.given(streams.person(PERSON), joined())
    store.given(streams.rating(rated().subject_kind, PERSON, 2018), rated())
    store.given(streams.initiative(initiative().initiative_id), initiative())
    store.given(streams.research(research().research_id), research())
    store.given(streams.discipline(PERSON), imposed())
    return store


def joined() -> PersonJoined:
    return _example(PersonJoined, person_id=PERSON, unit_id=VP, joined_on="2010-03-01")


def rated() -> PerformanceRated:
    return PerformanceRated.model_validate(
        {
            "department_code": GL, "subject_kind": "individual", "subject_id": PERSON,
            "unit_id": VP, "year": 2018, "rating": "excellent", "rated_on": "2018-12-20",
        }
    )  # fmt: skip


def initiative() -> InitiativeSubmitted:
    return _example(InitiativeSubmitted, unit_id=VP, authors=[{"full_name": "Trần Văn Minh"}],
                    campaign_id=None)  # fmt: skip


def research() -> ResearchAccepted:
    return _example(ResearchAccepted, unit_id=VP, authors=[{"full_name": "Trần Văn Minh"}],
                    campaign_id=None)  # fmt: skip


def imposed() -> DisciplineImposed:
    return _example(DisciplineImposed, person_id=PERSON, unit_id=VP, case_id=None)


def run(store: MemoryStore, payload: EventData, department: str = GL) -> list[str]:
    """The types decided for ``payload``, appended to ``store``."""
    return [type(f).__name__ for _, f in decide(decider(), store, sent(payload, department),
                                                department=department)]  # fmt: skip


def refused(store: MemoryStore, payload: EventData, department: str = GL) -> list[str]:
    before = len(store.log)
    with pytest.raises(Refused) as refusal:
        decide(decider(), store, sent(payload, department), department=department)
    assert len(store.log) == before
    assert all(r.message for r in refusal.value.reasons)
    return refusal_codes(refusal)


# --- ratings -----------------------------------------------------------------------------------


def rating_corrected(**changes: Any) -> RatingCorrected:
    return _example(RatingCorrected, **{"subject_id": PERSON, "unit_id": VP, **changes})


def test_a_rating_is_corrected_in_its_own_stream_once() -> None:
    store = gia_lai()
    correction = rating_corrected()
    assert run(store, correction) == ["RatingCorrected"]
    assert store.log[-1].stream_id == streams.rating(correction.subject_kind, PERSON, 2018)
    assert run(store, correction) == []  # the same correction again: a repeat
    assert refused(store, rating_corrected(reason="Lần nữa")) == ["rating.unchanged"]
    assert run(store, rating_corrected(rating="excellent", corrected_on="2019-01-05")) == [
        "RatingCorrected"
    ]


def test_a_rating_correction_is_refused_without_a_rating_or_changing_nothing() -> None:
    store = gia_lai()
    assert refused(store, rating_corrected(year=2017)) == ["rating.not_recorded"]
    assert refused(store, rating_corrected(rating="excellent")) == ["rating.unchanged"]
    assert refused(store, rating_corrected(corrected_on="2018-12-19")) == [
        "rating.corrected_before_rating"
    ]
    assert refused(store, rating_corrected(department_code=KH), KH) == [
        "directory.person_of_other_department"
    ]
    assert refused(store, rating_corrected(department_code=KH)) == ["producer.foreign_department"]


def test_a_second_different_rating_points_to_the_correction() -> None:
    store = gia_lai()
    with pytest.raises(Refused) as refusal:
        other = PerformanceRated.model_validate({**rated().model_dump(), "rating": "good"})
        decide(decider(), store, sent(other), department=GL)
    (reason,) = refusal.value.reasons
    assert reason.code == "rating.conflicting_duplicate"
    assert "RatingCorrected" in reason.message


# --- people ------------------------------------------------------------------------------------


def person_corrected(**changes: Any) -> PersonDetailsCorrected:
    return _example(PersonDetailsCorrected, **{"person_id": PERSON, **changes})


def test_a_person_is_corrected_and_the_directory_follows() -> None:
    store = gia_lai()
    correction = person_corrected(joined_on="2009-09-01", sex="male")
    assert run(store, correction) == ["PersonDetailsCorrected"]
    assert run(store, correction) == []
    again = person_corrected(joined_on="2009-09-01", sex="male", reason="khác")
    assert refused(store, again) == ["directory.person_unchanged"]
    earlier = person_corrected(joined_on="2009-09-01", corrected_on="2018-12-01")
    assert refused(store, earlier) == ["correction.before_last_correction"]
    with pytest.raises(Refused) as refusal:  # the original joining, now different
        decide(decider(), store, sent(joined()), department=GL)
    assert refusal_codes(refusal) == ["directory.person_exists"]
    assert "PersonDetailsCorrected" in refusal.value.reasons[0].message


def test_a_person_correction_keeps_the_rules_of_joining() -> None:
    store = gia_lai()
    store.given(
        streams.person(PERSON),
        PersonTransferred(person_id=PERSON, from_unit_id=VP, to_unit_id=QLCN,
                          effective_on=date(2018, 4, 1)),
    )  # fmt: skip
    assert refused(store, person_corrected(person_id=f"{GL}/p-9999")) == [
        "directory.unknown_person"
    ]
    assert refused(store, person_corrected(joined_on="2010-03-01", birth_year=1985,
                                           full_name="Nguyễn Thị Lan", sex="female")) == [
        "directory.person_unchanged"
    ]  # fmt: skip
    assert refused(store, person_corrected(joined_on="2018-05-01")) == [
        "directory.joined_after_later_change"
    ]
    assert refused(store, person_corrected(joined_on="2001-01-01")) == ["directory.unit_inactive"]
    assert refused(store, person_corrected(corrected_on="2009-01-01")) == [
        "directory.corrected_before_joining"
    ]
    assert refused(store, person_corrected(department_code=KH), KH) == [
        "directory.person_of_other_department"
    ]


# --- initiatives and research ------------------------------------------------------------------


def initiative_corrected(**changes: Any) -> InitiativeDetailsCorrected:
    return _example(
        InitiativeDetailsCorrected, **{"unit_id": VP, "corrected_on": "2018-10-20", **changes}
    )


def withdrawn(**changes: Any) -> InitiativeWithdrawn:
    return _example(InitiativeWithdrawn, **changes)


def test_an_initiative_is_corrected_then_withdrawn_and_then_nothing_moves_it() -> None:
    store = gia_lai()
    i = initiative().initiative_id
    assert run(store, initiative_corrected()) == ["InitiativeDetailsCorrected"]
    assert refused(store, initiative_corrected(reason="Lại")) == ["initiative.unchanged"]
    assert run(store, withdrawn()) == ["InitiativeWithdrawn"]
    assert run(store, withdrawn()) == []
    assert refused(store, withdrawn(reason="Lần hai")) == ["initiative.already_withdrawn"]
    review = InitiativeReviewed(initiative_id=i, members_total=9, members_present=9,
                                approve_votes=9, reviewed_on=date(2018, 11, 5))  # fmt: skip
    assert refused(store, review) == ["initiative.withdrawn"]
    assert refused(store, initiative_corrected(title="Khác")) == ["initiative.withdrawn"]


def test_an_initiative_correction_keeps_the_rules_of_submission() -> None:
    store = gia_lai()
    i = initiative().initiative_id
    assert refused(store, initiative_corrected(initiative_id=f"{GL}/sk-x")) == [
        "initiative.unknown"
    ]
    assert refused(store, withdrawn(initiative_id=f"{GL}/sk-x")) == ["initiative.unknown"]
    assert refused(store, initiative_corrected(unit_id=f"{GL}/khong-co")) == [
        "directory.unknown_unit"
    ]
    assert refused(store, initiative_corrected(corrected_on="2018-01-01")) == [
        "initiative.corrected_before_submission"
    ]
    assert refused(store, withdrawn(withdrawn_on="2018-01-01")) == [
        "initiative.withdrawn_before_submission"
    ]
    assert refused(store, withdrawn(department_code=KH), KH) == ["initiative.of_other_department"]
    store.given(
        streams.initiative(i),
        InitiativeReviewed(initiative_id=i, members_total=9, members_present=9, approve_votes=9,
                           reviewed_on=date(2018, 11, 5)),
        InitiativeRecognized.model_validate(
            {"initiative_id": i, "level": "ministry_province", "recognized_on": "2018-11-10"}
        ),
    )  # fmt: skip
    assert refused(store, initiative_corrected(scope="unit")) == ["initiative.level_above_scope"]


def test_research_is_withdrawn_once_after_its_acceptance() -> None:
    store = gia_lai()
    withdrawal = _example(ResearchWithdrawn)
    assert refused(store, withdrawal.model_copy(update={"research_id": f"{GL}/x"})) == [
        "research.unknown"
    ]
    assert refused(store, withdrawal.model_copy(update={"withdrawn_on": date(2017, 1, 1)})) == [
        "research.withdrawn_before_acceptance"
    ]
    assert refused(store, withdrawal.model_copy(update={"department_code": KH}), KH) == [
        "research.of_other_department"
    ]
    assert run(store, withdrawal) == ["ResearchWithdrawn"]
    assert run(store, withdrawal) == []
    assert refused(store, withdrawal.model_copy(update={"reason": "Khác"})) == [
        "research.already_withdrawn"
    ]


# --- discipline --------------------------------------------------------------------------------


def lifted(**changes: Any) -> DisciplineLifted:
    return _example(DisciplineLifted, **{"person_id": PERSON, "imposed_on": imposed().imposed_on,
                                         **changes})  # fmt: skip


def test_a_discipline_is_lifted_once_and_only_one_that_was_imposed() -> None:
    store = gia_lai()
    day = imposed().imposed_on
    assert refused(store, lifted(imposed_on="2018-01-02", lifted_on="2018-11-15")) == [
        "discipline.not_imposed"
    ]
    assert refused(store, lifted(lifted_on=day - timedelta(days=1))) == [
        "discipline.lifted_before_imposed"
    ]
    assert refused(store, lifted(department_code=KH), KH) == [
        "directory.person_of_other_department"
    ]
    assert run(store, lifted(lifted_on="2018-12-15")) == ["DisciplineLifted"]
    assert run(store, lifted(lifted_on="2018-12-15")) == []
    assert refused(store, lifted(lifted_on="2018-12-16")) == ["discipline.already_lifted"]
