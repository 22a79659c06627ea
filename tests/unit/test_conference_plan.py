"""The conference plan of a campaign (DOMAIN rule 25) and the plan's ``inferred`` marks."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.awards import ConferenceHeld
from contracts.common import OrgLevel, field_at
from contracts.examples import (
    EXAMPLES,
    GIA_LAI_2018_PLAN,
    KHANH_HOA_2020_CONFERENCE_PLAN,
)
from contracts.registration import CampaignLaunched, ConferencePlan, ConferenceRule

KHANH_HOA = CampaignLaunched.model_validate(KHANH_HOA_2020_CONFERENCE_PLAN)
SCHEMA = Path(__file__).resolve().parents[2] / "contracts" / "schemas"


def _plan() -> ConferencePlan:
    assert KHANH_HOA.conference is not None
    return KHANH_HOA.conference


def _rule(**changes: Any) -> dict[str, Any]:
    unit = copy.deepcopy(KHANH_HOA_2020_CONFERENCE_PLAN["conference"]["levels"][0])
    return {**unit, **changes}


# --- the Khánh Hòa plan ----------------------------------------------------------------------


def test_khanh_hoa_units_hold_theirs_in_the_first_quarter_the_department_in_may() -> None:
    plan = _plan()
    assert plan.kind == "exemplary_models"
    unit, department = plan.rule_for(OrgLevel.UNIT), plan.rule_for(OrgLevel.DEPARTMENT)
    assert unit is not None and department is not None
    assert plan.rule_for(OrgLevel.PROVINCE) is None
    assert unit.held_within is not None and department.held_within is not None
    assert (unit.held_within.start, unit.held_within.end) == (date(2020, 1, 1), date(2020, 3, 31))
    assert (department.held_within.start, department.held_within.end) == (
        date(2020, 5, 1),
        date(2020, 5, 31),
    )
    assert unit.duration_days == department.duration_days == Decimal("0.5")
    assert department.forms == ["Hội nghị điển hình tiên tiến ngành Công Thương Khánh Hòa"]
    assert len(unit.forms) == 3


def test_khanh_hoa_quota_shares_threshold_and_report_delay() -> None:
    unit, department = _plan().levels
    assert department.max_delegates == 150
    assert unit.max_delegates is None  # "Số lượng đại biểu do đơn vị tổ chức quyết định"
    for rule in (unit, department):
        assert (rule.exemplary_share_percent, rule.guest_share_percent) == (70, 30)
        assert rule.shares_approximate
        assert rule.report_due_days == 14
    assert unit.delegates_above_staff == 200
    assert department.delegates_above_staff is None
    assert "conference.levels.1.report_due_days" in KHANH_HOA.inferred


def test_over_200_staff_hold_a_delegates_conference_under_200_a_plenary() -> None:
    unit, department = _plan().levels
    assert unit.format_for(150) == "plenary"
    assert unit.format_for(201) == "delegates"
    assert unit.format_for(200) is None  # the plan says "dưới 200" and "trên 200" only
    assert department.format_for(500) is None


def test_the_report_is_due_two_weeks_after_the_conference() -> None:
    department = _plan().rule_for(OrgLevel.DEPARTMENT)
    assert department is not None
    assert department.report_due(date(2020, 5, 20)) == date(2020, 6, 3)
    assert ConferenceRule(level=OrgLevel.UNIT).report_due(date(2020, 5, 20)) is None


def test_the_conference_held_example_fits_the_plan() -> None:
    held = ConferenceHeld.model_validate(EXAMPLES[ConferenceHeld][0])
    assert held.campaign_id == KHANH_HOA.campaign_id
    rule = _plan().rule_for(held.level)
    assert rule is not None and rule.held_within is not None and rule.max_delegates is not None
    assert rule.held_within.start <= held.held_on <= rule.held_within.end
    assert held.delegates_total <= rule.max_delegates
    assert Decimal(held.exemplary_delegates * 100) / held.delegates_total == 70
    assert Decimal(held.guest_delegates * 100) / held.delegates_total == 30
    assert rule.report_due(held.held_on) == held.report_due


def test_the_plan_goes_on_the_wire_as_json_numbers_and_back() -> None:
    wire = json.loads(KHANH_HOA.model_dump_json())
    unit = wire["conference"]["levels"][0]
    assert unit["duration_days"] == 0.5
    assert (unit["exemplary_share_percent"], unit["guest_share_percent"]) == (70, 30)
    assert CampaignLaunched.model_validate(wire) == KHANH_HOA


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"exemplary_share_percent": 70, "guest_share_percent": 20}, ""),
        ({"exemplary_share_percent": 80, "guest_share_percent": 30}, ""),
        ({"exemplary_share_percent": 170, "guest_share_percent": -70}, "exemplary_share_percent"),
        ({"guest_share_percent": -5}, "guest_share_percent"),
        ({"max_delegates": 0}, "max_delegates"),
        ({"max_delegates": -150}, "max_delegates"),
        ({"delegates_above_staff": 0}, "delegates_above_staff"),
        ({"report_due_days": 0}, "report_due_days"),
        ({"report_due_days": 400}, "report_due_days"),
        ({"duration_days": 0}, "duration_days"),
        ({"duration_days": 45}, "duration_days"),
        ({"level": "hamlet"}, "level"),
        ({"held_within": {"start": "2020-03-31", "end": "2020-01-01"}}, "held_within"),
    ],
)
def test_an_inconsistent_rule_is_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ConferenceRule.model_validate(_rule(**changes))
    assert any(".".join(map(str, e["loc"])).startswith(field) for e in caught.value.errors())


def test_shares_add_up_to_100_when_both_are_given() -> None:
    assert ConferenceRule.model_validate(_rule(exemplary_share_percent=75, guest_share_percent=25))
    only_one = {k: v for k, v in _rule().items() if k != "guest_share_percent"}
    assert ConferenceRule.model_validate(only_one).guest_share_percent is None


@pytest.mark.parametrize(
    "conference",
    [
        {"kind": "exemplary_models", "levels": []},
        {"kind": "exemplary_models", "levels": [_rule(), _rule()]},
        {"kind": "banquet", "levels": [_rule()]},
    ],
)
def test_a_plan_without_rules_with_two_for_one_level_or_of_an_unknown_kind_is_refused(
    conference: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        CampaignLaunched.model_validate(
            {**KHANH_HOA_2020_CONFERENCE_PLAN, "conference": conference}
        )


def test_plans_without_a_conference_or_inferred_fields_still_parse() -> None:
    added = {"conference", "inferred"}
    older = {k: v for k, v in KHANH_HOA_2020_CONFERENCE_PLAN.items() if k not in added}
    plan = CampaignLaunched.model_validate(older)
    assert plan.conference is None and plan.inferred == []
    schema = json.loads((SCHEMA / f"{CampaignLaunched.type_name()}.json").read_text())
    assert {"conference", "inferred"} <= set(schema["properties"])
    assert not {"conference", "inferred"} & set(schema.get("required", []))


# --- inferred fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["signature", "inferred", "inferred.0", "Period.End", "period..end", "period.end."]
)
def test_an_inferred_mark_on_no_field_of_the_plan_is_refused(path: str) -> None:
    plan = {**GIA_LAI_2018_PLAN, "inferred": [*GIA_LAI_2018_PLAN.get("inferred", []), path]}
    with pytest.raises(ValidationError):
        CampaignLaunched.model_validate(plan)


def test_a_copy_of_a_plan_that_drops_a_marked_item_stays_valid() -> None:
    """A derived plan (a test's variant, an amendment's result) may drop what a mark names."""
    marked = {**GIA_LAI_2018_PLAN, "inferred": ["parents.1.issuer", "phases.1.end"]}
    plan = CampaignLaunched.model_validate({**marked, "parents": [], "phases": []})
    assert plan.inferred == ["parents.1.issuer", "phases.1.end"]
    with pytest.raises(LookupError):
        field_at(plan, "parents.1.issuer")
    assert field_at(CampaignLaunched.model_validate(marked), "phases.1.end") == date(2018, 12, 31)


def test_an_inferred_mark_is_given_once() -> None:
    plan = {**GIA_LAI_2018_PLAN, "inferred": ["period.end", "period.end"]}
    with pytest.raises(ValidationError):
        CampaignLaunched.model_validate(plan)


def test_inferred_marks_name_fields_lists_and_items() -> None:
    plan = {**GIA_LAI_2018_PLAN, "inferred": ["period", "phases.1.end", "sub_movements"]}
    assert CampaignLaunched.model_validate(plan).inferred == [
        "period",
        "phases.1.end",
        "sub_movements",
    ]
