"""What registration's corrections do to awards' nominations (issue 15), on the in-memory
world: a pending nomination that no longer qualifies is returned with the rules' reasons, one
that still qualifies is left alone, and an award already decided is flagged for review, never
changed."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.awards import AwardFlaggedForReview, NominationApproved, NominationReturned
from contracts.common import Rating, Scope, TitleCode
from contracts.registration import InitiativeWithdrawn, RatingCorrected, ResearchWithdrawn
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.consequences import derived_id
from services.awards.domain.facts import Initiative, Member, Research
from services.awards.domain.nomination import Status
from services.awards.readmodels import lookups as lk
from tests.unit.awards.builders import CAMPAIGN, DEPT, PERSON, dossier
from tests.unit.awards.memory import World, kinds
from tests.unit.awards.test_decisions import _approved, decide, nominate, vote

T = TitleCode
LDTT = nominate(PERSON).nomination_id
CSTDCS = nominate(PERSON, T.CSTDCS).nomination_id


def rating_corrected(rating: Rating) -> RatingCorrected:
    return RatingCorrected.model_validate(
        {
            "department_code": DEPT,
            "subject_kind": "individual",
            "subject_id": PERSON,
            "year": 2018,
            "rating": rating,
            "corrected_on": "2018-12-27",
            "reason": "Hội đồng đánh giá lại",
        }
    )


def world_of(rating: Rating, *dossiers: Any) -> World:
    world = World().campaign().person(PERSON, rating=rating)
    for d in dossiers:
        world.when(d)
    ids = tuple(d.nomination_id for d in dossiers)
    return world.knows(lk.NOMINATIONS_OF, PERSON, ids)


def corrected_to(world: World, rating: Rating, **kw: Any) -> dict[str, list[Any]]:
    """The read copy follows the correction (as ``read_inputs`` does), then awards decides."""
    world.knows(lk.RATING, ("individual", PERSON, 2018), rating)
    return world.when(rating_corrected(rating), department=None, **kw)


def approve_both(world: World) -> None:
    """The council's vote and the director's decision on the LĐTT and the CSTĐCS (six other
    LĐTT of the department leave room for one CSTĐCS under the 2018 cap)."""
    world.given(streams.quota(DEPT, 2018, T.LDTT), *[_approved(f"x{i}") for i in range(6)])
    world.when(vote((CSTDCS, 9)))
    decided = world.when(decide(LDTT, CSTDCS))
    assert isinstance(decided[streams.nomination(CSTDCS)][0], NominationApproved)


def codes_of(fact: Any) -> list[str]:
    return [r.code for r in fact.reasons]


def test_a_rating_corrected_below_good_returns_the_pending_ldtt_with_reasons() -> None:
    world = world_of(Rating.GOOD, nominate(PERSON))
    [returned] = corrected_to(world, Rating.COMPLETED)[streams.nomination(LDTT)]
    assert isinstance(returned, NominationReturned)
    assert (returned.late, returned.returned_on) == (False, date(2018, 12, 27))
    assert codes_of(returned) == ["awards.rating_corrected", "awards.ldtt_rating_too_low"]
    assert "27/12/2018" in returned.reasons[0].message


def test_a_pending_nomination_that_still_qualifies_is_left_alone() -> None:
    world = world_of(Rating.EXCELLENT, nominate(PERSON))
    assert corrected_to(world, Rating.GOOD) == {}


def test_a_lowered_rating_under_an_approved_cstdcs_flags_it_and_changes_nothing_else() -> None:
    cstdcs = nominate(PERSON, T.CSTDCS, evidence={"htxsnv": True})
    world = world_of(Rating.EXCELLENT, nominate(PERSON), cstdcs)
    approve_both(world)
    appended = corrected_to(world, Rating.GOOD, event_id="rc-1")
    # The LĐTT still holds on "good": not flagged.
    assert kinds(appended) == {streams.nomination(CSTDCS): ["AwardFlaggedForReview"]}
    [flag] = appended[streams.nomination(CSTDCS)]
    assert isinstance(flag, AwardFlaggedForReview)
    assert (flag.cause_event_id, flag.cause_type) == (
        "rc-1",
        rating_corrected(Rating.GOOD).type_name(),
    )
    assert codes_of(flag) == ["awards.rating_corrected", "awards.cstdcs_without_evidence"]
    state = world.folds.fold(world.streams[streams.nomination(CSTDCS)], agg.NOMINATION)
    assert state.status is Status.APPROVED
    # Its id derives from the correction's: deciding it again would give the same event.
    assert world.ids[streams.nomination(CSTDCS)] == [derived_id("rc-1", flag)]
    assert derived_id("rc-1", flag) != derived_id("rc-2", flag)
    # The same correction again (a redelivery the inbox missed) flags nothing more.
    assert corrected_to(world, Rating.GOOD, event_id="rc-1") == {}


def initiative(withdrawn: bool) -> Initiative:
    return Initiative(
        "sk-1",
        Scope.UNIT,
        author_ids=frozenset({PERSON}),
        withdrawn_on=date(2019, 1, 10) if withdrawn else None,
    )


def withdrawn_initiative() -> InitiativeWithdrawn:
    return InitiativeWithdrawn(
        initiative_id="sk-1",
        department_code=DEPT,
        withdrawn_on="2019-01-10",  # type: ignore[arg-type]
        reason="Trùng giải pháp đã công nhận năm 2016",
    )


def test_a_withdrawn_initiative_returns_the_pending_cstdcs_that_rested_on_it_alone() -> None:
    alone = nominate(PERSON, T.CSTDCS, evidence={"initiative_ids": ["sk-1"]})
    world = world_of(Rating.GOOD, alone).knows(
        lk.NOMINATIONS_CITING, ("initiative", "sk-1"), (CSTDCS,)
    )
    world.knows(lk.INITIATIVE, "sk-1", initiative(withdrawn=True))
    [returned] = world.when(withdrawn_initiative(), department=None)[streams.nomination(CSTDCS)]
    assert isinstance(returned, NominationReturned)
    assert codes_of(returned) == ["awards.evidence_withdrawn", "awards.cstdcs_without_evidence"]
    assert "đã bị rút ngày 10/01/2019" in returned.reasons[1].message


def test_a_pending_nomination_with_other_evidence_loses_only_the_initiative() -> None:
    also = nominate(PERSON, T.CSTDCS, evidence={"initiative_ids": ["sk-1"], "htxsnv": True})
    world = world_of(Rating.EXCELLENT, also)
    world.knows(lk.NOMINATIONS_CITING, ("initiative", "sk-1"), (CSTDCS,))
    world.knows(lk.INITIATIVE, "sk-1", initiative(withdrawn=True))
    assert world.when(withdrawn_initiative(), department=None) == {}


def test_an_award_decided_on_a_withdrawn_initiative_is_flagged_not_changed() -> None:
    both = nominate(PERSON, T.CSTDCS, evidence={"initiative_ids": ["sk-1"], "htxsnv": True})
    world = world_of(Rating.EXCELLENT, nominate(PERSON), both)
    world.knows(lk.INITIATIVE, "sk-1", initiative(withdrawn=False))
    approve_both(world)
    world.knows(lk.NOMINATIONS_CITING, ("initiative", "sk-1"), (CSTDCS,))
    world.knows(lk.INITIATIVE, "sk-1", initiative(withdrawn=True))
    appended = world.when(withdrawn_initiative(), department=None)
    # Still a CSTĐCS on HTXSNV, but it named the initiative: flagged for review all the same.
    [flag] = appended[streams.nomination(CSTDCS)]
    assert isinstance(flag, AwardFlaggedForReview)
    assert codes_of(flag) == ["awards.evidence_withdrawn"]
    assert set(appended) == {streams.nomination(CSTDCS)}


def test_research_whose_acceptance_is_cancelled_no_longer_counts() -> None:
    alone = nominate(PERSON, T.CSTDCS, evidence={"research_ids": ["dt-1"]})
    world = world_of(Rating.GOOD, alone).knows(
        lk.NOMINATIONS_CITING, ("research", "dt-1"), (CSTDCS,)
    )
    cancelled = Research(
        "dt-1", Scope.UNIT, author_ids=frozenset({PERSON}), withdrawn_on=date(2019, 1, 10)
    )
    world.knows(lk.RESEARCH, "dt-1", cancelled)
    withdrawn = ResearchWithdrawn(
        research_id="dt-1",
        department_code=DEPT,
        withdrawn_on="2019-01-10",  # type: ignore[arg-type]
        reason="Hủy kết quả nghiệm thu",
    )
    [returned] = world.when(withdrawn, department=None)[streams.nomination(CSTDCS)]
    assert codes_of(returned) == ["awards.evidence_withdrawn", "awards.cstdcs_without_evidence"]


def test_a_members_rating_corrected_returns_the_units_pending_ttldxs() -> None:
    unit = "sct-gialai/qltt"
    ttldxs = dossier(T.TTLDXS, nominee_id=unit, conferring_level="province")
    world = World().campaign().knows(lk.SUBJECT_DEPARTMENT, ("collective", unit), DEPT)
    world.knows(lk.REGISTERED, (CAMPAIGN, 2018, "collective", unit), True)
    world.when(ttldxs)
    world.knows(lk.NOMINATIONS_OF, unit, (ttldxs.nomination_id,))
    world.knows(lk.RATING, ("collective", unit, 2018), Rating.EXCELLENT)
    # The read copy as corrected: the member's rating is now "không hoàn thành nhiệm vụ".
    members = (Member(PERSON, rating=Rating.NOT_COMPLETED), Member("other", rating=Rating.GOOD))
    world.knows(lk.MEMBERS, (unit, 2018), members)
    fixed = rating_corrected(Rating.NOT_COMPLETED).model_copy(update={"unit_id": unit})
    [returned] = world.when(fixed, department=None)[streams.nomination(ttldxs.nomination_id)]
    assert isinstance(returned, NominationReturned)
    assert codes_of(returned) == ["awards.rating_corrected", "awards.members_not_all_completed"]
