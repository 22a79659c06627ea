"""Campaigns: the seed plans load; numbers, parents, phases, deadlines; amend and close."""

from __future__ import annotations

from datetime import date

from contracts.common import TitleCode
from contracts.registration import (
    CampaignAmended,
    CampaignClosed,
    CampaignLaunched,
    Deadlines,
    UnitRegistered,
)
from scenarios.seeds import BAC_LIEU, GIA_LAI
from tests.integration.registration.conftest import Registration
from tests.support import unique


async def test_the_five_seed_plans_load_with_the_gia_lai_phases_targets_and_deadlines(
    registration: Registration,
) -> None:
    launched = [
        f for o in registration.loaded for f in o.facts if f.type.endswith("CampaignLaunched.v1")
    ]
    assert len(launched) == 5
    gia_lai = next(
        CampaignLaunched.model_validate(f.data)
        for f in launched
        if f.data["department_code"] == registration.code(GIA_LAI)
    )
    assert [(p.number, p.start, p.end) for p in gia_lai.phases] == [
        (1, date(2018, 1, 1), date(2018, 6, 30)),
        (2, date(2018, 7, 1), date(2018, 12, 31)),
    ]
    assert gia_lai.deadlines.registration == date(2018, 8, 30)
    assert gia_lai.deadlines.dossier == date(2018, 12, 10)
    assert {t.indicator for t in gia_lai.economic_targets} >= {"Tổng kim ngạch xuất khẩu"}
    assert [(str(t.title), int(t.value)) for t in gia_lai.emulation_targets] == [
        ("LDTT", 90),
        ("CSTDCS", 15),
        ("TTLDTT", 100),
        ("TTLDXS", 30),
        ("CO_THI_DUA", 1),
    ]


def plan(registration: Registration, department: str, **changes: object) -> CampaignLaunched:
    """A copy of the department's seed plan under a new id, with ``changes``."""
    seed = registration.scenario.plans[registration.code(department)]
    data = {**seed.model_dump(mode="json"), "campaign_id": unique("kh-"), **changes}
    return CampaignLaunched.model_validate(data)


async def test_a_plan_number_is_unique_per_issuer_and_year(registration: Registration) -> None:
    bl = registration.code(BAC_LIEU)
    same_number = plan(registration, BAC_LIEU)  # 53/KH-SCT of 2019 is the seed's
    next_year = plan(
        registration,
        BAC_LIEU,
        issued_on="2020-08-02",
        year=2020,
        period={"start": "2020-08-02", "end": "2020-12-31"},
    )
    taken, accepted = await registration.submit(bl, same_number, next_year)
    assert taken.codes == ["campaign.number_taken"] and not taken.facts
    assert accepted.accepted and accepted.types() == ["CampaignLaunched"]


async def test_a_relaunch_is_idempotent_but_a_different_one_is_refused(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    seed = registration.scenario.plans[gl]
    repeat, changed = await registration.submit(
        gl, seed, seed.model_copy(update={"slogan": "Khẩu hiệu khác"})
    )
    assert repeat.inbox == "ignored" and repeat.facts == [] and repeat.codes == []
    assert changed.codes == ["campaign.already_launched"]


async def test_an_implementing_plan_names_a_parent_document(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    orphan = plan(registration, GIA_LAI, parents=[])
    provincial = plan(registration, GIA_LAI, parents=[], launching_level="province")
    refused, accepted = await registration.submit(gl, orphan, provincial)
    assert refused.codes == ["campaign.parent_missing"]
    assert accepted.types() == ["CampaignLaunched"]


async def test_phases_lie_inside_the_period_and_do_not_overlap(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    overlapping = plan(
        registration,
        GIA_LAI,
        phases=[
            {"number": 1, "start": "2018-01-01", "end": "2018-07-15"},
            {"number": 2, "start": "2018-07-01", "end": "2018-12-31"},
        ],
    )
    outside = plan(
        registration,
        GIA_LAI,
        phases=[{"number": 1, "start": "2017-12-01", "end": "2018-06-30"}],
    )
    late_deadline = plan(registration, GIA_LAI, deadlines={"registration": "2019-01-15"})
    adjacent = plan(
        registration,
        GIA_LAI,
        phases=[
            {"number": 1, "start": "2018-01-01", "end": "2018-06-30"},
            {"number": 2, "start": "2018-07-01", "end": "2018-12-31"},
        ],
    )
    outcomes = await registration.submit(gl, overlapping, outside, late_deadline, adjacent)
    assert [o.codes for o in outcomes] == [
        ["campaign.phase_overlap"],
        ["campaign.phase_outside_period"],
        ["campaign.registration_deadline_after_period"],
        [],
    ]
    assert outcomes[3].types() == ["CampaignLaunched"]


async def test_amend_and_close_are_events_and_a_closed_campaign_takes_no_registration(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    campaign = plan(registration, GIA_LAI)
    cid = campaign.campaign_id
    later_deadline = CampaignAmended(
        campaign_id=cid,
        amended_on=date(2018, 8, 1),
        deadlines=Deadlines(registration=date(2018, 9, 15)),
    )
    bad_phases = CampaignAmended.model_validate(
        {
            "campaign_id": cid,
            "amended_on": "2018-08-02",
            "phases": [
                {"number": 1, "start": "2018-01-01", "end": "2018-08-31"},
                {"number": 2, "start": "2018-08-01", "end": "2018-12-31"},
            ],
        }
    )
    late_but_extended = UnitRegistered(
        campaign_id=cid,
        department_code=gl,
        unit_id=f"{GIA_LAI}/p-qltm",
        titles=[TitleCode.TTLDTT],
        registered_on=date(2018, 9, 10),
    )
    closing = CampaignClosed(campaign_id=cid, closed_on=date(2018, 12, 28))
    after_close = late_but_extended.model_copy(update={"unit_id": f"{GIA_LAI}/p-khtc"})
    foreign_amend = CampaignAmended(
        campaign_id=cid, amended_on=date(2018, 8, 3), theme="Chủ đề khác"
    )
    outcomes = await registration.submit(
        gl, campaign, later_deadline, bad_phases, late_but_extended, closing, after_close
    )
    assert [o.types() for o in outcomes] == [
        ["CampaignLaunched"],
        ["CampaignAmended"],
        [],
        ["UnitRegistered"],
        ["CampaignClosed"],
        [],
    ]
    assert outcomes[2].codes == ["campaign.phase_overlap"]
    assert outcomes[5].codes == ["registration.campaign_closed"]
    (foreign,) = await registration.submit(registration.code(BAC_LIEU), foreign_amend)
    assert foreign.codes == ["campaign.of_other_department"]


async def test_a_campaign_of_an_unregistered_department_is_refused(
    registration: Registration,
) -> None:
    stranger = registration.unregistered
    orphan = plan(registration, GIA_LAI, department_code=stranger)
    (outcome,) = await registration.submit(stranger, orphan)
    assert outcome.codes == ["directory.unknown_department"]
