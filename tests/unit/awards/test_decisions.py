"""Awards' decisions on departments' inputs, on the in-memory world: given facts, when an
input, then the facts appended (to public and private streams) or the refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts.awards import (
    AwardRevoked,
    CouncilVoted,
    DecisionIssued,
    ExemplaryModelChosen,
    NominationApproved,
    NominationRejected,
    NominationSubmitted,
)
from contracts.common import Rating, Scope, Sex, TitleCode
from contracts.rejections import InputRejected
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.domain.facts import Initiative
from services.awards.readmodels import lookups as lk
from tests.unit.awards.builders import DEPT, PERSON, dossier
from tests.unit.awards.memory import World, kinds
from thidua.es.rejections import Refused

T = TitleCode


def nominate(who: str, title: T = T.LDTT, **changes: Any) -> NominationSubmitted:
    return dossier(
        title, nomination_id=f"{DEPT}/2018/{title.lower()}-{who}", nominee_id=who, **changes
    )


def vote(*results: tuple[str, int], present: int = 9, level: str = "department") -> CouncilVoted:
    return CouncilVoted.model_validate(
        {
            "session_id": f"{DEPT}/hdtdkt/1",
            "department_code": DEPT,
            "council_level": level,
            "members_total": 9,
            "members_present": present,
            "session_on": "2018-12-18",
            "results": [{"nomination_id": n, "yes_votes": y} for n, y in results],
        }
    )


def decide(
    *nomination_ids: str, authority: str = "department_director", number: str = "250"
) -> DecisionIssued:
    return DecisionIssued.model_validate(
        {
            "decision_id": f"{DEPT}/qd-{number}",
            "department_code": DEPT,
            "number": f"{number}/QĐ-SCT",
            "issued_on": "2018-12-25",
            "issuer": {"name": "Sở Công Thương Gia Lai"},
            "authority": authority,
            "nomination_ids": list(nomination_ids),
        }
    )


def refusal_codes(world: World, payload: Any, department: str = DEPT) -> list[str]:
    with pytest.raises(Refused) as refused:
        world.when(payload, department=department)
    return [r.code for r in refused.value.reasons]


def test_a_dossier_about_another_department_is_refused_by_the_kernels_rule() -> None:
    world = World().campaign().person(PERSON)
    assert refusal_codes(world, nominate(PERSON), department="other-dept") == [
        "producer.foreign_department"
    ]


def test_a_dossier_for_a_campaign_awards_has_not_learned_of_is_refused() -> None:
    world = World().person(PERSON)
    assert refusal_codes(world, nominate(PERSON)) == ["awards.unknown_campaign"]


def test_a_nominee_of_another_department_is_refused() -> None:
    world = World().campaign().knows(lk.SUBJECT_DEPARTMENT, ("individual", PERSON), "sxd-gl")
    assert refusal_codes(world, nominate(PERSON)) == ["awards.foreign_nominee"]


def test_a_late_dossier_is_kept_returned_and_told_to_the_department() -> None:
    world = World().campaign().person(PERSON)
    late = nominate(PERSON, received_on=date(2018, 12, 12))
    appended = world.when(late)
    nomination = streams.nomination(late.nomination_id)
    assert kinds(appended)[nomination] == ["NominationSubmitted", "NominationReturned"]
    [told] = [f for s, fs in appended.items() if s.startswith("rejection:") for f in fs]
    assert isinstance(told, InputRejected)
    assert told.reasons[0].code == "awards.dossier_late"
    assert told.reasons[0].message.startswith(f"Hồ sơ {late.nomination_id}: ")
    assert "12/12/2018" in told.reasons[0].message  # dates as officials read them


def test_a_dossier_under_an_open_case_is_suspended_at_reception() -> None:
    world = World().campaign().person(PERSON).knows(lk.OPEN_CASE, PERSON, "vv-1")
    appended = world.when(nominate(PERSON))
    assert kinds(appended) == {
        streams.nomination(nominate(PERSON).nomination_id): [
            "NominationSubmitted",
            "NominationSuspended",
        ]
    }


def test_a_vote_below_the_threshold_rejects_the_nomination_and_keeps_the_ballot() -> None:
    world = World().campaign().person(PERSON)
    cstdcs = nominate(PERSON, T.CSTDCS)
    world.when(cstdcs)
    appended = world.when(vote((cstdcs.nomination_id, 7)))
    assert kinds(appended)[streams.nomination(cstdcs.nomination_id)] == [
        "NominationVoted",
        "NominationRejected",
    ]
    assert kinds(appended)[streams.ballots(cstdcs.nomination_id)] == ["CouncilVoted"]
    [voted, rejected] = appended[streams.nomination(cstdcs.nomination_id)]
    assert (voted.yes_votes, voted.members_total, voted.threshold_percent) == (7, 9, 80)
    assert not voted.reached
    assert [r.code for r in rejected.reasons] == ["awards.vote_below_threshold"]


def test_a_vote_on_an_unknown_nomination_refuses_the_session() -> None:
    assert refusal_codes(World(), vote(("nope", 8))) == ["awards.unknown_nomination"]


def test_a_provincial_council_without_quorum_decides_nothing() -> None:
    world = World().campaign().person(PERSON)
    world.when(nominate(PERSON, T.CSTDCS))
    session = vote((nominate(PERSON, T.CSTDCS).nomination_id, 7), present=7, level="province")
    assert refusal_codes(world, session) == ["awards.council_quorum_not_met"]


def test_an_ldtt_in_the_same_decision_counts_for_the_cstdcs_after_it() -> None:
    world = World().campaign().person(PERSON, rating=Rating.EXCELLENT)
    ldtt, cstdcs = nominate(PERSON), nominate(PERSON, T.CSTDCS, evidence={"htxsnv": True})
    for d in (ldtt, cstdcs):
        world.when(d)
    world.when(vote((cstdcs.nomination_id, 9)))
    # Six other LĐTT of the department this year: 1 CSTĐCS is within 15% of 7.
    world.given(streams.quota(DEPT, 2018, T.LDTT), *[_approved(f"x{i}") for i in range(6)])
    appended = world.when(decide(cstdcs.nomination_id, ldtt.nomination_id))
    outcomes = {
        s: type(fs[0]).__name__ for s, fs in appended.items() if s.startswith("nomination:")
    }
    assert set(outcomes.values()) == {"NominationApproved"}
    assert kinds(appended)[streams.titles(PERSON)] == ["NominationApproved", "NominationApproved"]
    # Each count of the department's year gains one copy of the decision, naming its awards.
    [counted] = appended[streams.quota(DEPT, 2018, T.CSTDCS)]
    assert counted.nomination_ids == [cstdcs.nomination_id]
    assert world.folds.fold(world.streams[streams.quota(DEPT, 2018, T.LDTT)], agg.QUOTA) == 7


def _approved(who: str, title: T = T.LDTT) -> NominationApproved:
    return NominationApproved.model_validate(
        {
            "nomination_id": f"{DEPT}/2018/{title.lower()}-{who}",
            "department_code": DEPT,
            "year": 2018,
            "title": title,
            "nominee_kind": "individual",
            "nominee_id": who,
            "decision_number": "1/QĐ",
            "decision_date": "2018-12-20",
            "authority": "department_director",
            "cash_vnd": 417000,
            "base_salary_vnd": 1390000,
            "coefficient": "0.3",
        }
    )


def test_the_woman_wins_the_tie_for_the_last_cstdcs_the_cap_allows() -> None:
    world = World().campaign()
    world.person("a", Sex.MALE, Rating.EXCELLENT).person("b", Sex.FEMALE, Rating.EXCELLENT)
    world.given(streams.quota(DEPT, 2018, T.LDTT), *[_approved(f"x{i}") for i in range(8)])
    for who in ("a", "b"):
        world.given(streams.titles(who), _approved(who))
        world.when(nominate(who, T.CSTDCS, evidence={"htxsnv": True}))
    ids = [nominate(w, T.CSTDCS).nomination_id for w in ("a", "b")]
    world.when(vote(*((i, 8) for i in ids)))
    appended = world.when(decide(*ids))
    man, woman = (appended[streams.nomination(i)][0] for i in ids)
    assert isinstance(woman, NominationApproved)
    assert isinstance(man, NominationRejected)
    assert [r.code for r in man.reasons] == ["awards.cstdcs_cap_exceeded"]


def test_an_initiative_supports_one_award_even_within_one_batch() -> None:
    world = World().campaign().person("a").person("b")
    recognized = Initiative("sk-1", Scope.UNIT, None, frozenset({"a", "b"}))
    world.knows(lk.INITIATIVE, "sk-1", recognized)
    evidence = {"initiative_ids": ["sk-1"]}
    ids = []
    for who in ("a", "b"):
        world.given(streams.titles(who), _approved(who))
        world.when(nominate(who, T.GIAY_KHEN, evidence=evidence))
        ids.append(nominate(who, T.GIAY_KHEN).nomination_id)
    world.when(decide(ids[0], number="1"))
    appended = world.when(decide(ids[1], number="2"))
    [second] = appended[streams.nomination(ids[1])]
    assert isinstance(second, NominationRejected)
    assert [r.code for r in second.reasons] == ["awards.initiative_already_used"]
    assert world.streams[streams.initiative_use("sk-1")].payloads()[0].nomination_id == ids[0]


def test_a_director_deciding_a_forwarded_title_has_the_whole_decision_refused() -> None:
    world = World().campaign().knows(lk.SUBJECT_DEPARTMENT, ("collective", "u"), DEPT)
    ttldxs = dossier(T.TTLDXS, nominee_id="u", conferring_level="province")
    world.when(ttldxs)
    before = dict(world.streams)
    assert refusal_codes(world, decide(ttldxs.nomination_id)) == ["awards.forwarded_to_board"]
    assert world.streams == before


def test_a_decision_is_recorded_once() -> None:
    world = World().campaign().person(PERSON)
    world.when(nominate(PERSON))
    world.when(decide(nominate(PERSON).nomination_id))
    assert refusal_codes(world, decide(nominate(PERSON).nomination_id)) == [
        "awards.decision_exists"
    ]


def test_a_revocation_uncounts_the_title_once() -> None:
    world = World().campaign().person(PERSON)
    ldtt = nominate(PERSON)
    world.when(ldtt)
    world.when(decide(ldtt.nomination_id))
    revocation = AwardRevoked(
        nomination_id=ldtt.nomination_id,
        department_code=DEPT,
        decision_number="31/QĐ-SCT",
        revoked_on=date(2019, 3, 1),
        reason="Hồ sơ kê khai không đúng",
    )
    appended = world.when(revocation)
    assert kinds(appended) == {
        streams.nomination(ldtt.nomination_id): ["AwardRevoked"],
        streams.titles(PERSON): ["AwardRevoked"],
        streams.quota(DEPT, 2018, T.LDTT): ["AwardRevoked"],
    }
    assert refusal_codes(world, revocation) == ["awards.not_awarded"]


def test_an_exemplary_model_is_recorded_once() -> None:
    chosen = ExemplaryModelChosen.model_validate(
        {
            "exemplary_id": "dh-1",
            "department_code": DEPT,
            "year": 2018,
            "subject_kind": "individual",
            "subject_id": PERSON,
            "chosen_on": "2018-12-20",
        }
    )
    world = World()
    assert kinds(world.when(chosen)) == {streams.exemplary("dh-1"): ["ExemplaryModelChosen"]}
    assert refusal_codes(world, chosen) == ["awards.already_recorded"]


def test_a_decision_refusing_many_dossiers_tells_the_department_once_naming_each() -> None:
    """Issue 18: one refusal per input, every refused dossier an item with its own reasons."""
    world = World().campaign().person("ok")
    weak = [f"w{i}" for i in range(5)]
    for who in weak:
        world.person(who, rating=Rating.COMPLETED)
    for who in ["ok", *weak]:
        world.when(nominate(who))
    ids = [nominate(w).nomination_id for w in ["ok", *weak]]
    appended = world.when(decide(*ids))
    [(stream, [told])] = [(s, fs) for s, fs in appended.items() if s.startswith("rejection:")]
    assert stream.endswith("/nominations")
    assert isinstance(told, InputRejected)
    assert told.partial is True
    assert told.excerpt is not None and told.excerpt["number"] == "250/QĐ-SCT"
    assert told.excerpt["issued_on"] == "2018-12-25"
    assert [r.item for r in told.reasons] == ids[1:]  # in the decision's order
    assert all(r.message.startswith(f"Hồ sơ {r.item}: ") for r in told.reasons)
    assert [s.id for s in told.subjects or []] == ids[1:]
