"""A department corrects what it submitted to awards (issue 15), on the in-memory world: a
dossier withdrawn before it is decided, an exemplary model corrected or withdrawn, a
conference corrected; each checked like the fact it corrects."""

from __future__ import annotations

from typing import Any

from contracts.awards import (
    AwardRevoked,
    ConferenceCorrected,
    ConferenceHeld,
    ExemplaryModelChosen,
    ExemplaryModelCorrected,
    ExemplaryModelWithdrawn,
    NominationWithdrawn,
)
from contracts.common import TitleCode
from contracts.examples import EXAMPLES
from services.awards import streams
from tests.unit.awards.builders import DEPT, PERSON
from tests.unit.awards.memory import World, kinds
from tests.unit.awards.test_decisions import decide, nominate, refusal_codes, vote

LDTT = nominate(PERSON).nomination_id
CSTDCS = nominate(PERSON, TitleCode.CSTDCS).nomination_id


def withdrawal(nomination_id: str = LDTT, on: str = "2018-12-12") -> NominationWithdrawn:
    return NominationWithdrawn.model_validate(
        {
            "nomination_id": nomination_id,
            "department_code": DEPT,
            "withdrawn_on": on,
            "reason": "Đơn vị rút hồ sơ để bổ sung thành tích",
        }
    )


def with_dossiers() -> World:
    world = World().campaign().person(PERSON)
    world.when(nominate(PERSON))
    world.when(nominate(PERSON, TitleCode.CSTDCS))
    return world


def test_a_pending_dossier_is_withdrawn_once() -> None:
    world = with_dossiers()
    assert kinds(world.when(withdrawal())) == {streams.nomination(LDTT): ["NominationWithdrawn"]}
    assert refusal_codes(world, withdrawal()) == ["awards.nomination_withdrawn"]


def test_a_withdrawn_dossier_is_not_judged_by_a_later_vote_or_decision() -> None:
    world = with_dossiers()
    world.when(withdrawal(CSTDCS))
    assert refusal_codes(world, vote((CSTDCS, 9))) == ["awards.nomination_withdrawn"]
    assert refusal_codes(world, decide(LDTT, CSTDCS)) == ["awards.nomination_withdrawn"]
    assert "NominationApproved" in kinds(world.when(decide(LDTT)))[streams.nomination(LDTT)]


def test_an_approved_dossier_is_not_withdrawn_but_revoked() -> None:
    world = with_dossiers()
    world.when(decide(LDTT))
    assert refusal_codes(world, withdrawal()) == ["awards.nomination_approved"]
    revoked = AwardRevoked(
        nomination_id=LDTT,
        department_code=DEPT,
        decision_number="31/QĐ-SCT",
        revoked_on="2019-03-01",  # type: ignore[arg-type]
        reason="Kê khai không đúng",
    )
    assert kinds(world.when(revoked))[streams.nomination(LDTT)] == ["AwardRevoked"]
    assert refusal_codes(world, withdrawal()) == ["awards.nomination_decided"]


def test_withdrawing_an_unknown_or_not_yet_received_dossier_is_refused() -> None:
    world = with_dossiers()
    assert refusal_codes(world, withdrawal("khong-co")) == ["awards.unknown_nomination"]
    early = withdrawal(on="2018-12-01")  # received on 05/12/2018
    assert refusal_codes(world, early) == ["awards.withdrawn_before_received"]


def test_a_withdrawn_dossier_is_not_received_again_under_its_id() -> None:
    world = with_dossiers()
    world.when(withdrawal())
    assert refusal_codes(world, nominate(PERSON)) == ["awards.nomination_withdrawn"]


def test_another_departments_dossier_cannot_be_withdrawn() -> None:
    world = with_dossiers()
    other = withdrawal().model_copy(update={"department_code": "sxd-gl"})
    assert refusal_codes(world, other, department="sxd-gl") == ["awards.foreign_nomination"]


EXEMPLARY: dict[str, Any] = {
    "exemplary_id": "dh-1",
    "department_code": DEPT,
    "year": 2018,
    "subject_kind": "collective",
    "subject_id": "sct-gialai/qltt",
    "achievement": "Dẫn đầu phong trào chống buôn lậu",
    "chosen_on": "2018-12-26",
}
CORRECTION = {"corrected_on": "2019-01-05", "reason": "Ghi thiếu thành tích"}


def exemplary_corrected(**changes: Any) -> ExemplaryModelCorrected:
    return ExemplaryModelCorrected.model_validate({**EXEMPLARY, **CORRECTION, **changes})


def exemplary_withdrawn(on: str = "2019-01-05") -> ExemplaryModelWithdrawn:
    return ExemplaryModelWithdrawn.model_validate(
        {"exemplary_id": "dh-1", "department_code": DEPT, "withdrawn_on": on, "reason": "Nhầm"}
    )


def test_an_exemplary_model_is_corrected_then_withdrawn_then_neither_again() -> None:
    world = World()
    stream = streams.exemplary("dh-1")
    assert refusal_codes(world, exemplary_corrected()) == ["awards.unknown_exemplary_model"]
    world.when(ExemplaryModelChosen.model_validate(EXEMPLARY))
    unchanged = exemplary_corrected()
    assert refusal_codes(world, unchanged) == ["awards.correction_changes_nothing"]
    better = exemplary_corrected(achievement="Dẫn đầu phong trào chống buôn lậu và hàng giả")
    assert kinds(world.when(better)) == {stream: ["ExemplaryModelCorrected"]}
    assert refusal_codes(world, exemplary_withdrawn("2018-12-01")) == [
        "awards.withdrawn_before_recorded"
    ]
    assert kinds(world.when(exemplary_withdrawn())) == {stream: ["ExemplaryModelWithdrawn"]}
    assert refusal_codes(world, exemplary_withdrawn()) == ["awards.exemplary_model_withdrawn"]
    again = exemplary_corrected(achievement="Khác")
    assert refusal_codes(world, again) == ["awards.exemplary_model_withdrawn"]
    assert refusal_codes(world, ExemplaryModelChosen.model_validate(EXEMPLARY)) == [
        "awards.already_recorded"
    ]


def test_another_departments_exemplary_model_is_not_corrected() -> None:
    world = World()
    world.when(ExemplaryModelChosen.model_validate(EXEMPLARY))
    theirs = exemplary_corrected(department_code="sxd-gl", achievement="Khác")
    assert refusal_codes(world, theirs, department="sxd-gl") == ["awards.foreign_exemplary_model"]


CONFERENCE: dict[str, Any] = {
    **EXAMPLES[ConferenceHeld][0],
    "conference_id": "hn-1",
    "department_code": DEPT,
    "campaign_id": None,  # no plan: the plan's checks are tests/unit/awards/test_conferences.py
}


def test_a_conference_is_corrected_with_the_checks_of_the_conference() -> None:
    world = World()
    fixed = {**CONFERENCE, **CORRECTION, "delegates_total": 140, "exemplary_delegates": 98}
    corrected = ConferenceCorrected.model_validate({**fixed, "guest_delegates": 42})
    assert refusal_codes(world, corrected) == ["awards.unknown_conference"]
    world.when(ConferenceHeld.model_validate(CONFERENCE))
    assert kinds(world.when(corrected)) == {streams.conference("hn-1"): ["ConferenceCorrected"]}
    assert refusal_codes(world, corrected) == ["awards.correction_changes_nothing"]
