"""The scenario's Khánh Hòa 2020 conferences (issue 17): awards' decisions (on the in-memory
world, with the campaign's plan as the scenario launches it) accept each as planned and refuse
the one that breaks the plan; reporting's fold of what was accepted gives exactly the
figures the scenario's independent expectation checks in Khánh Hòa's 2020 rollup."""

from __future__ import annotations

from typing import Any

from contracts import awards as aw
from contracts.registration import CampaignLaunched
from scenarios import conference
from scenarios.expectation import differences, observed
from scenarios.generator import Scenario, build_scenario
from services.awards.domain.facts import Campaign
from services.awards.readmodels import lookups as lk
from services.reporting.queries.conferences import conferences
from tests.unit.awards.memory import World
from tests.unit.reporting.test_conference_reports import totals
from thidua.es.rejections import Refused

SCENARIO: Scenario = build_scenario()


def _payloads(types: tuple[type[Any], ...]) -> list[tuple[str, Any]]:
    return [
        (s.event.id, p) for s in SCENARIO.submissions() if isinstance(p := s.event.payload(), types)
    ]


def _decided() -> tuple[list[tuple[str, Any]], dict[str, list[str]]]:
    """What awards accepts of the conference phase, and the codes of what it refuses."""
    [(_, launch)] = [
        (i, p)
        for i, p in _payloads((CampaignLaunched,))
        if p.campaign_id.endswith(conference.CAMPAIGN) and p.conference is not None
    ]
    world = World().knows(
        lk.CAMPAIGN,
        launch.campaign_id,
        (launch.department_code, Campaign(launch.campaign_id, 2020, conference=launch.conference)),
    )
    accepted, refused = [], {}
    for event_id, p in _payloads((aw.ConferenceHeld, aw.ConferenceReported)):
        try:
            world.when(p, department=p.department_code, event_id=event_id)
            accepted.append((event_id, p))
        except Refused as no:
            refused[f"{type(p).__name__} {p.conference_id}"] = [r.code for r in no.reasons]
    return accepted, refused


def test_the_conference_phase_follows_every_earlier_one() -> None:
    names = [p.name for p in SCENARIO.phases]
    at = names.index("Hội nghị điển hình tiên tiến Khánh Hòa 2020")
    assert at > names.index("Tiếp nhận đơn vị, phong trào năm 2026")  # after every earlier one
    last = SCENARIO.phases[at]
    assert last.absorbed_by == ("awards",)
    assert {s.department for s in last.submissions} == {"sct-khanhhoa"}


def test_awards_refuses_only_the_plenary_of_a_unit_over_200_staff() -> None:
    accepted, refused = _decided()
    refused_id = f"sct-khanhhoa/{conference.REFUSED}-2020"
    assert refused == {
        f"ConferenceHeld {refused_id}": ["awards.conference_format"],
        f"ConferenceReported {refused_id}": ["awards.unknown_conference"],
    }
    assert len(accepted) == 7  # four conferences, three reports


def test_the_khanh_hoa_rollup_shows_what_the_expectation_says() -> None:
    accepted, _ = _decided()
    [check] = [c for c in SCENARIO.checks if c.scope.endswith(conference.PROVINCE)]
    assert (check.year, check.with_predecessors) == (2020, False)
    rollup = {"conferences": conferences(totals(*accepted)).model_dump(mode="json")}
    expected = check.expectation.figures()["conferences"]
    assert differences(expected, observed(rollup)["conferences"]) == []
    assert expected["held"] == {"exemplary_models|department": 1, "exemplary_models|unit": 3}
    assert (expected["delegates"], expected["exemplary_delegates"]) == (330, 231)
    assert str(expected["exemplary_share_percent"]) == "70.00"
    on_time, late, outstanding = (expected[k] for k in ("reports_on_time", "reports_late",
                                                        "reports_outstanding"))  # fmt: skip
    assert (on_time, late, outstanding) == (2, 1, 1)


def test_the_gia_lai_rollup_shows_no_conference() -> None:
    assert SCENARIO.expectation.figures()["conferences"]["held"] == {}
