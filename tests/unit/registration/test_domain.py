"""Pure decisions of the registration service."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import examples
from contracts.registration import (
    CampaignLaunched,
    InitiativeRecognized,
    InitiativeReviewed,
    InitiativeSubmitted,
    PersonJoined,
    PersonTransferred,
    UnitEstablished,
    UnitMerged,
    UnitRegistered,
)
from scenarios.seeds import Scenario
from services.registration.domain import campaigns, initiatives, people, registrations, units
from thidua.es.rejections import Refused

GIA_LAI = CampaignLaunched.model_validate(examples.GIA_LAI_2018_PLAN)
START, END = date(2018, 1, 1), date(2018, 12, 31)


def codes(error: pytest.ExceptionInfo[Refused]) -> list[str]:
    return [r.code for r in error.value.reasons]


@st.composite
def phase_lists(draw: st.DrawFn) -> list[dict[str, object]]:
    count = draw(st.integers(0, 4))
    phases = []
    for number in range(1, count + 1):
        start = START + timedelta(days=draw(st.integers(-40, 400)))
        end = start + timedelta(days=draw(st.integers(0, 200)))
        phases.append({"number": number, "start": start, "end": end})
    return phases


@given(phase_lists())
def test_accepted_phases_lie_inside_the_period_and_never_overlap(
    phases: list[dict[str, object]],
) -> None:
    plan = CampaignLaunched.model_validate({**examples.GIA_LAI_2018_PLAN, "phases": phases})
    spans = sorted((p.start, p.end) for p in plan.phases)
    valid = all(s >= START and e <= END for s, e in spans) and all(
        a[1] < b[0] for a, b in itertools.pairwise(spans)
    )
    try:
        facts = campaigns.decide_launch(None, plan, None)
    except Refused as refusal:
        assert not valid
        assert {r.code for r in refusal.reasons} <= {
            "campaign.phase_overlap",
            "campaign.phase_outside_period",
        }
        return
    assert valid
    assert facts == [plan]


def test_every_seed_plan_is_accepted() -> None:
    for plan in Scenario.build().plans.values():
        assert campaigns.decide_launch(None, plan, None) == [plan]


def test_a_number_held_by_another_campaign_is_refused() -> None:
    plan = CampaignLaunched.model_validate(examples.BAC_LIEU_53_KH_SCT)
    with pytest.raises(Refused) as refused:
        campaigns.decide_launch(None, plan, "sct-baclieu/other")
    assert codes(refused) == ["campaign.number_taken"]
    assert campaigns.decide_launch(None, plan, plan.campaign_id) == [plan]


def _registration(day: date) -> UnitRegistered:
    return UnitRegistered.model_validate(
        {
            "campaign_id": GIA_LAI.campaign_id,
            "department_code": "sct-gialai",
            "unit_id": "sct-gialai/qltt",
            "titles": ["TTLDXS"],
            "registered_on": day.isoformat(),
        }
    )


@given(st.dates(date(2017, 6, 1), date(2019, 6, 1)))
def test_registration_is_accepted_exactly_while_open(day: date) -> None:
    campaign = campaigns.fold([GIA_LAI])
    open_ = START <= day <= date(2018, 8, 30)
    try:
        facts = registrations.decide_register(
            campaign, registrations.Registrant(), _registration(day)
        )
    except Refused as refusal:
        assert not open_
        assert [r.code for r in refusal.reasons] == [
            "registration.not_open" if day < START else "registration.deadline_passed"
        ]
        return
    assert open_ and len(facts) == 1


def test_late_registration_message_names_both_dates() -> None:
    with pytest.raises(Refused) as refused:
        registrations.decide_register(
            campaigns.fold([GIA_LAI]), registrations.Registrant(), _registration(date(2018, 8, 31))
        )
    assert "31/08/2018" in refused.value.reasons[0].message
    assert "30/08/2018" in refused.value.reasons[0].message


@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_the_council_approves_at_two_thirds_of_all_members(votes: tuple[int, int]) -> None:
    total, approve = votes
    review = InitiativeReviewed(
        initiative_id="x",
        members_total=total,
        members_present=total,
        approve_votes=approve,
        reviewed_on=date(2018, 11, 5),
    )
    assert initiatives.CouncilRule().approves(review) == (3 * approve >= 2 * total)
    assert initiatives.CouncilRule(Fraction(1, 2)).approves(review) == (2 * approve >= total)


def test_a_configured_threshold_changes_the_outcome() -> None:
    submission = InitiativeSubmitted.model_validate(examples.EXAMPLES[InitiativeSubmitted][0])
    review = InitiativeReviewed(
        initiative_id=submission.initiative_id,
        members_total=9,
        members_present=9,
        approve_votes=5,
        reviewed_on=date(2018, 11, 5),
    )
    state = initiatives.fold([submission, review])
    recognition = InitiativeRecognized.model_validate(
        {"initiative_id": submission.initiative_id, "level": "unit", "recognized_on": "2018-11-10"}
    )
    with pytest.raises(Refused) as refused:
        initiatives.decide_recognize(state, recognition, initiatives.CouncilRule())
    assert codes(refused) == ["initiative.insufficient_votes"]
    assert initiatives.decide_recognize(
        state, recognition, initiatives.CouncilRule(Fraction(1, 2))
    ) == [recognition]


def test_a_person_history_answers_which_unit_on_a_date() -> None:
    joined = PersonJoined.model_validate(examples.EXAMPLES[PersonJoined][0])
    moved = PersonTransferred.model_validate(examples.EXAMPLES[PersonTransferred][0])
    person = people.fold_person([joined, moved])
    assert person is not None
    assert person.unit_on(date(2010, 8, 31)) is None
    assert person.unit_on(date(2018, 3, 31)) == "sct-gialai/vp"
    assert person.unit_on(date(2018, 4, 1)) == "sct-gialai/p-qlcn"
    unit = units.fold_unit(
        [
            UnitEstablished.model_validate(
                {**examples.EXAMPLES[UnitEstablished][0], "unit_id": "sct-gialai/p-qlcn"}
            ),
            UnitMerged(
                unit_id="sct-gialai/p-qlcn",
                into_unit_id="sct-gialai/x",
                effective_on=date(2025, 7, 1),
            ),
        ]
    )
    assert units.merged_into_on(unit, date(2025, 6, 30)) is None
    assert units.merged_into_on(unit, date(2025, 7, 1)) == "sct-gialai/x"
