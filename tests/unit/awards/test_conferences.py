"""DOMAIN rule 25 (issue 17): a conference against its campaign's conference plan, one test per
figure of the Khánh Hòa 2020 plan (≤150 delegates, about 70/30, the 200-staff threshold, the
report 14 days after), then the decisions on the in-memory world: held, corrected, reported."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts.awards import ConferenceCorrected, ConferenceHeld, ConferenceReported
from contracts.examples import EXAMPLES, KHANH_HOA_2020_CONFERENCE_PLAN
from contracts.registration import CampaignLaunched, ConferencePlan
from services.awards import streams
from services.awards.domain.facts import Campaign
from services.awards.readmodels import lookups as lk
from services.awards.rules.conference import conference_fits_plan
from tests.unit.awards.memory import World, kinds
from tests.unit.awards.test_decisions import refusal_codes

LAUNCH = CampaignLaunched.model_validate(KHANH_HOA_2020_CONFERENCE_PLAN)
assert LAUNCH.conference is not None
PLAN: ConferencePlan = LAUNCH.conference
KH = LAUNCH.department_code
DEPARTMENTS: dict[str, Any] = {**EXAMPLES[ConferenceHeld][0]}
"""The department's conference of the plan: 20/05/2020, 150 delegates, 105 + 45 (70/30)."""
UNIT: dict[str, Any] = {
    **DEPARTMENTS,
    "conference_id": "sct-khanhhoa/hn-qltt-2020",
    "level": "unit",
    "format": "plenary",
    "organiser_unit_id": "sct-khanhhoa/qltt",
    "held_on": "2020-03-10",
    "delegates_total": 60,
    "exemplary_delegates": 42,
    "guest_delegates": 18,
    "staff_count": 120,
    "report_due": "2020-03-24",
}
"""A unit's plenary in Quý I: 120 staff, 60 delegates, 42 + 18 (70/30)."""


def held(base: dict[str, Any] = DEPARTMENTS, **changes: Any) -> ConferenceHeld:
    return ConferenceHeld.model_validate({**base, **changes})


def codes(conference: ConferenceHeld, plan: ConferencePlan | None = PLAN) -> list[str]:
    return [r.code for r in conference_fits_plan(conference, plan)]


# --- the rules, one per figure of the plan ----------------------------------------------------


def test_the_khanh_hoa_conferences_as_the_plan_has_them_pass() -> None:
    assert codes(held()) == []
    assert codes(held(UNIT)) == []


def test_the_department_conference_has_at_most_150_delegates() -> None:
    assert codes(held(delegates_total=151, exemplary_delegates=106, guest_delegates=45)) == [
        "awards.conference_too_many_delegates"
    ]
    [reason] = conference_fits_plan(
        held(delegates_total=180, exemplary_delegates=126, guest_delegates=54), PLAN
    )
    assert "180 đại biểu" in reason.message and "tối đa 150" in reason.message
    assert reason.field == "delegates_total"
    many = {"delegates_total": 400, "exemplary_delegates": 280, "guest_delegates": 120}
    assert codes(held(UNIT, staff_count=150, **many)) == []  # the units decide their number


@pytest.mark.parametrize(
    ("exemplary", "guests", "expected"),
    [
        (105, 45, []),  # 70/30
        (95, 55, []),  # 63.3/36.7: within ±10 points of "about 70%"
        (120, 30, []),  # 80/20: the edge
        (90, 60, []),  # 60/40: the other edge
        (85, 65, ["awards.conference_exemplary_share", "awards.conference_guest_share"]),
        (150, 0, ["awards.conference_exemplary_share", "awards.conference_guest_share"]),
        (105, 20, ["awards.conference_guest_share"]),  # 70 / 13.3 (25 others)
    ],
)
def test_about_70_percent_exemplary_and_30_percent_guests(
    exemplary: int, guests: int, expected: list[str]
) -> None:
    assert codes(held(exemplary_delegates=exemplary, guest_delegates=guests)) == expected


def test_shares_the_plan_gives_exactly_are_met_exactly() -> None:
    exact = PLAN.model_copy(
        update={"levels": [r.model_copy(update={"shares_approximate": False}) for r in PLAN.levels]}
    )
    assert codes(held(), exact) == []
    [reason] = conference_fits_plan(
        held(exemplary_delegates=104, guest_delegates=46, delegates_total=150), exact
    )[:1]
    assert reason.code == "awards.conference_exemplary_share"
    assert "69,3%" in reason.message and "đúng 70%" in reason.message


def test_a_unit_over_200_staff_holds_a_delegates_conference_under_200_a_plenary() -> None:
    assert codes(held(UNIT, staff_count=250)) == ["awards.conference_format"]
    assert codes(held(UNIT, staff_count=250, format="delegates")) == []
    assert codes(held(UNIT, staff_count=150, format="delegates")) == ["awards.conference_format"]
    assert codes(held(UNIT, staff_count=200, format="delegates")) == []  # the plan leaves 200
    assert codes(held(UNIT, staff_count=200)) == []
    [reason] = conference_fits_plan(held(UNIT, staff_count=250), PLAN)
    assert "250 cán bộ" in reason.message and "hội nghị đại biểu" in reason.message
    assert codes(held(UNIT, staff_count=None)) == ["awards.conference_staff_unknown"]


def test_the_report_is_due_14_days_after_the_conference() -> None:
    assert codes(held(report_due="2020-06-02")) == ["awards.conference_report_due"]
    assert codes(held(UNIT, report_due="2020-04-10")) == ["awards.conference_report_due"]
    [reason] = conference_fits_plan(held(report_due="2020-06-10"), PLAN)
    assert "03/06/2020" in reason.message and "14 ngày" in reason.message
    assert codes(held(report_due="2020-05-19"), None) == [
        "awards.conference_report_due_before_held"
    ]


def test_each_conference_is_held_in_its_period() -> None:
    assert codes(held(held_on="2020-04-20", report_due="2020-05-04")) == [
        "awards.conference_outside_period"
    ]
    assert codes(held(UNIT, held_on="2020-04-01", report_due="2020-04-15")) == [
        "awards.conference_outside_period"
    ]
    [reason] = conference_fits_plan(held(held_on="2020-06-01", report_due="2020-06-15"), PLAN)
    assert "01/06/2020" in reason.message and "01/05/2020" in reason.message


def test_a_level_or_kind_the_plan_does_not_hold_is_refused() -> None:
    assert codes(held(level="province")) == ["awards.conference_level_not_planned"]
    assert codes(held(kind="emulation_congress")) == ["awards.conference_kind"]


def test_every_reason_is_told_at_once() -> None:
    dates = {"held_on": "2020-04-02", "report_due": "2020-04-20"}
    wrong = held(UNIT, staff_count=250, exemplary_delegates=30, guest_delegates=30, **dates)
    assert codes(wrong) == [
        "awards.conference_exemplary_share",
        "awards.conference_guest_share",
        "awards.conference_format",
        "awards.conference_outside_period",
        "awards.conference_report_due",
    ]


def test_without_a_plan_only_the_dates_are_checked() -> None:
    assert codes(held(delegates_total=500, exemplary_delegates=100, guest_delegates=0), None) == []


# --- the decisions --------------------------------------------------------------------------


def khanh_hoa(plan: ConferencePlan | None = PLAN) -> World:
    campaign = Campaign(LAUNCH.campaign_id, 2020, conference=plan)
    return World().knows(lk.CAMPAIGN, LAUNCH.campaign_id, (KH, campaign))


def report(**changes: Any) -> ConferenceReported:
    return ConferenceReported.model_validate({**EXAMPLES[ConferenceReported][0], **changes})


def test_a_conference_as_planned_is_recorded_once() -> None:
    world = khanh_hoa()
    stream = streams.conference(DEPARTMENTS["conference_id"])
    assert kinds(world.when(held(), department=KH)) == {stream: ["ConferenceHeld"]}
    assert refusal_codes(world, held(), department=KH) == ["awards.already_recorded"]


def test_a_conference_off_the_plan_is_refused_and_nothing_kept() -> None:
    world = khanh_hoa()
    over = held(delegates_total=180, exemplary_delegates=126, guest_delegates=54)
    assert refusal_codes(world, over, department=KH) == ["awards.conference_too_many_delegates"]
    assert streams.conference(DEPARTMENTS["conference_id"]) not in world.streams


def test_a_conference_of_an_unknown_or_another_departments_campaign_is_refused() -> None:
    assert refusal_codes(World(), held(), department=KH) == ["awards.unknown_campaign"]
    theirs = World().knows(
        lk.CAMPAIGN, LAUNCH.campaign_id, ("sct-gialai", Campaign(LAUNCH.campaign_id, 2020))
    )
    assert refusal_codes(theirs, held(), department=KH) == ["awards.campaign_mismatch"]


def test_a_correction_must_fit_the_plan_too() -> None:
    world = khanh_hoa()
    world.when(held(), department=KH)
    fixing = {"corrected_on": "2020-05-25", "reason": "Số đại biểu dự thực tế"}
    over = ConferenceCorrected.model_validate(
        {**DEPARTMENTS, **fixing, "delegates_total": 160, "exemplary_delegates": 112}
        | {"guest_delegates": 48}
    )
    assert refusal_codes(world, over, department=KH) == ["awards.conference_too_many_delegates"]
    fewer = ConferenceCorrected.model_validate(EXAMPLES[ConferenceCorrected][0])
    assert kinds(world.when(fewer, department=KH)) == {
        streams.conference(DEPARTMENTS["conference_id"]): ["ConferenceCorrected"]
    }


def test_a_conference_is_reported_once_by_its_department_after_it_was_held() -> None:
    world = khanh_hoa()
    assert refusal_codes(world, report(), department=KH) == ["awards.unknown_conference"]
    world.when(held(), department=KH)
    early = report(reported_on="2020-05-19")
    assert refusal_codes(world, early, department=KH) == ["awards.conference_reported_before_held"]
    theirs = report(department_code="sct-gialai")
    assert refusal_codes(world, theirs, department="sct-gialai") == ["awards.foreign_conference"]
    stream = streams.conference(DEPARTMENTS["conference_id"])
    assert kinds(world.when(report(), department=KH)) == {stream: ["ConferenceReported"]}
    [reason_code] = refusal_codes(world, report(reported_on="2020-06-20"), department=KH)
    assert reason_code == "awards.conference_already_reported"


def test_a_late_report_is_accepted() -> None:
    world = khanh_hoa()
    world.when(held(), department=KH)
    late = report(reported_on=date(2020, 6, 15).isoformat())
    assert kinds(world.when(late, department=KH)) == {
        streams.conference(DEPARTMENTS["conference_id"]): ["ConferenceReported"]
    }
