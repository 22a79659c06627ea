"""Conferences against the campaign's conference plan on the real Kafka and PostgreSQL
(DOMAIN rule 25, issue 17): the Khánh Hòa 2020 plan reaches awards' read copy from the
registration service's facts; a conference as planned is recorded, one off the plan is refused
with every reason, a report is accepted once and refused for an unknown conference."""

from __future__ import annotations

import copy
from typing import Any

from contracts.awards import ConferenceHeld, ConferenceReported
from contracts.examples import EXAMPLES, KHANH_HOA_2020_CONFERENCE_PLAN
from contracts.registration import CampaignLaunched
from tests.integration.awards.conftest import (
    REGISTRATION,
    Year2018,
    awards_facts,
    department,
    named,
    pool_of,
    refusals,
    send,
)
from tests.support import eventually


async def test_conferences_are_checked_against_the_plan_and_reported_once(
    awards: Year2018, bootstrap: str
) -> None:
    y, pool = awards, pool_of(awards)
    plan = copy.deepcopy(KHANH_HOA_2020_CONFERENCE_PLAN)
    plan.update(campaign_id=y.id("2020/hoi-nghi"), department_code=y.dept)
    plan["issuer"]["org_id"] = y.dept
    await send(
        bootstrap, y.registration, y.dept, [CampaignLaunched.model_validate(plan)], REGISTRATION
    )
    await eventually(
        lambda: pool.fetchval(
            "SELECT conference->>'kind' FROM rc_campaigns WHERE campaign_id = $1",
            y.id("2020/hoi-nghi"),
        ),
        lambda kind: kind == "exemplary_models",
        what="the plan's conferences in awards' read copy",
    )

    def held(local: str, **changes: Any) -> ConferenceHeld:
        data = {**EXAMPLES[ConferenceHeld][0], "conference_id": y.id(local)}
        data.update(department_code=y.dept, campaign_id=y.id("2020/hoi-nghi"))
        return ConferenceHeld.model_validate({**data, **changes})

    def report(local: str, on: str) -> ConferenceReported:
        data = {"conference_id": y.id(local), "department_code": y.dept, "reported_on": on}
        return ConferenceReported.model_validate(data)

    crowded = {"delegates_total": 200, "exemplary_delegates": 100, "guest_delegates": 100}
    inputs = [
        held("hn-nganh"),
        held("hn-dong", held_on="2020-06-10", report_due="2020-06-20", **crowded),  # refused
        held("hn-other", campaign_id=y.id("khong-co")),  # refused: unknown campaign
        report("hn-nganh", "2020-06-05"),  # late, accepted
        report("hn-nganh", "2020-06-06"),  # refused: reported already
        report("hn-dong", "2020-06-21"),  # refused: no such conference
    ]
    sent = await send(bootstrap, y.ingress, y.dept, inputs, department(y))
    refused = await refusals(bootstrap, y, [sent[i] for i in (1, 2, 4, 5)])
    assert refused[sent[1].id] == {
        "awards.conference_too_many_delegates",
        "awards.conference_exemplary_share",
        "awards.conference_guest_share",
        "awards.conference_outside_period",
        "awards.conference_report_due",
    }
    assert [refused[sent[i].id] for i in (2, 4, 5)] == [
        {"awards.unknown_campaign"},
        {"awards.conference_already_reported"},
        {"awards.unknown_conference"},
    ]
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: bool(named(f, "ConferenceReported")),
        what="the report recorded",
    )
    assert [e.data["conference_id"] for e in named(facts, "ConferenceHeld")] == [y.id("hn-nganh")]
    [reported] = named(facts, "ConferenceReported")
    assert (reported.subject, reported.data["reported_on"]) == (
        f"conference:{y.id('hn-nganh')}",
        "2020-06-05",
    )
