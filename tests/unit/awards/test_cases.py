"""A case about a nominee suspends their pending nominations; its closing resumes them, unless
another case is still open (Quy tắc 18). On the in-memory world."""

from __future__ import annotations

from datetime import date

from contracts.registration import CaseClosed, CaseOpened
from services.awards import streams
from services.awards.readmodels import lookups as lk
from tests.unit.awards.builders import DEPT, PERSON, dossier
from tests.unit.awards.memory import World, kinds
from tests.unit.awards.test_decisions import decide

NOMINATION = dossier().nomination_id


def opened(case_id: str = "vv-1") -> CaseOpened:
    return CaseOpened.model_validate(
        {
            "case_id": case_id,
            "kind": "complaint",
            "department_code": DEPT,
            "subject_kind": "individual",
            "subject_id": PERSON,
            "opened_on": "2018-12-12",
        }
    )


def closed(case_id: str = "vv-1") -> CaseClosed:
    return CaseClosed.model_validate(
        {"case_id": case_id, "closed_on": "2018-12-20", "outcome": "withdrawn"}
    )


def world_with_a_dossier() -> World:
    world = World().campaign().person(PERSON)
    world.when(dossier())
    world.knows(lk.NOMINATIONS_OF, PERSON, (NOMINATION,))
    return world.knows(lk.CASE_SUBJECT, "vv-1", PERSON).knows(lk.CASE_SUBJECT, "vv-2", PERSON)


def test_a_case_suspends_the_subjects_pending_nomination_and_its_closing_resumes_it() -> None:
    world = world_with_a_dossier()
    stream = streams.nomination(NOMINATION)
    assert kinds(world.when(opened(), department=None)) == {stream: ["NominationSuspended"]}
    assert kinds(world.when(closed(), department=None)) == {stream: ["NominationResumed"]}


def test_closing_one_case_leaves_the_nomination_suspended_under_another_still_open() -> None:
    world = world_with_a_dossier()
    world.when(opened(), department=None)
    world.knows(lk.OPEN_CASE, PERSON, "vv-2")
    [suspended] = world.when(closed(), department=None)[streams.nomination(NOMINATION)]
    assert (type(suspended).__name__, suspended.case_id) == ("NominationSuspended", "vv-2")
    assert suspended.suspended_on == date(2018, 12, 20)


def test_a_decided_nomination_is_not_suspended() -> None:
    world = world_with_a_dossier()
    world.when(decide(NOMINATION))
    assert world.when(opened(), department=None) == {}


def test_closing_a_case_that_suspended_nothing_changes_nothing() -> None:
    world = world_with_a_dossier()
    assert world.when(closed("vv-2"), department=None) == {}
