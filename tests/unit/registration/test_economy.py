"""Economic results (issue 17) on registration's decision table, in memory: a department reports
its own plan's targets, in their units, for a period inside the plan's; each once, then by a
correction; a merged-away department is refused like for any other fact."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import examples
from contracts.registration import (
    CampaignAmended,
    CampaignTransferred,
    EconomicResultCorrected,
    EconomicResultReported,
    EconomicTarget,
)
from services.registration import streams
from services.registration.domain.economy import plan_on
from tests.unit.registration import restructuring as world
from tests.unit.registration.test_corrections import gia_lai, refused, run
from tests.unit.registration.test_table import PLAN

GL = "sct-gialai"
CAMPAIGN = PLAN.campaign_id
INDUSTRY = "Giá trị sản xuất công nghiệp"


def with_plan() -> Any:
    store = gia_lai()
    store.given(streams.campaign(CAMPAIGN), PLAN)
    return store


def report(**changes: Any) -> EconomicResultReported:
    return EconomicResultReported.model_validate(
        {**examples.EXAMPLES[EconomicResultReported][0], "campaign_id": CAMPAIGN, **changes}
    )


def correction(**changes: Any) -> EconomicResultCorrected:
    return EconomicResultCorrected.model_validate(
        {**examples.EXAMPLES[EconomicResultCorrected][0], "campaign_id": CAMPAIGN, **changes}
    )


def test_a_result_of_a_plan_target_lands_in_its_own_stream_once() -> None:
    store = with_plan()
    fact = report()
    assert run(store, fact) == ["EconomicResultReported"]
    assert store.log[-1].stream_id == streams.economic_result(
        CAMPAIGN, "giá trị sản xuất công nghiệp", date(2018, 1, 1), date(2018, 12, 31)
    )
    assert run(store, fact) == []  # the same report again: a repeat
    # Another figure for the same indicator and period: refused, naming the correction.
    assert refused(store, report(value=20500)) == ["registration.economic_conflicting_duplicate"]
    # Spelled in another case, it is the same indicator (and so the same stream).
    assert refused(store, report(indicator=INDUSTRY.upper(), value=1)) == [
        "registration.economic_conflicting_duplicate"
    ]
    # A half-year is another period: its own report.
    half = report(period={"start": "2018-01-01", "end": "2018-06-30"}, value=9100,
                  reported_on="2018-07-05")  # fmt: skip
    assert run(store, half) == ["EconomicResultReported"]


def test_a_result_is_refused_for_an_unknown_indicator_another_unit_or_period() -> None:
    store = with_plan()
    assert refused(store, report(indicator="Sản lượng điện")) == [
        "registration.economic_unknown_indicator"
    ]
    assert refused(store, report(unit_of_measure="triệu USD")) == [
        "registration.economic_unit_mismatch"
    ]
    outside = report(period={"start": "2018-01-01", "end": "2019-03-31"}, reported_on="2019-04-02")
    assert refused(store, outside) == ["registration.economic_period_outside_plan"]
    early = report(period={"start": "2018-07-01", "end": "2018-12-31"}, reported_on="2018-06-20")
    assert refused(store, early) == ["registration.economic_period_not_begun"]
    assert refused(store, report(campaign_id=f"{GL}/2018/khong-co")) == ["campaign.unknown"]
    # Another department's campaign: refused (DOMAIN rule 29).
    other = world.the_world()
    other.given(streams.campaign(CAMPAIGN), PLAN)
    fact = report(department_code=world.NEW)
    assert world.codes(world.refused(other, world.NEW, fact)) == ["campaign.of_other_department"]


def test_the_plan_is_read_as_it_stood_on_the_reports_day() -> None:
    store = with_plan()
    renamed = [
        t.model_copy(update={"indicator": "Chỉ số sản xuất công nghiệp"})
        if t.indicator == INDUSTRY
        else t
        for t in PLAN.economic_targets
    ]
    amendment = CampaignAmended(
        campaign_id=CAMPAIGN, amended_on=date(2018, 10, 1), economic_targets=renamed
    )
    store.given(streams.campaign(CAMPAIGN), amendment)
    history = [PLAN, amendment]
    before = plan_on(history, date(2018, 9, 30))
    assert before is not None and INDUSTRY in [t.indicator for t in before.plan.economic_targets]
    # Reported before the amendment: the old indicator holds; after it, only the new one.
    assert run(store, report(period={"start": "2018-01-01", "end": "2018-06-30"},
                             reported_on="2018-07-10")) == ["EconomicResultReported"]  # fmt: skip
    assert refused(store, report()) == ["registration.economic_unknown_indicator"]
    assert run(store, report(indicator="Chỉ số sản xuất công nghiệp")) == ["EconomicResultReported"]


def test_a_correction_needs_a_report_changes_it_and_is_not_before_it() -> None:
    store = with_plan()
    assert refused(store, correction()) == ["registration.economic_not_reported"]
    assert run(store, report()) == ["EconomicResultReported"]
    assert refused(store, correction(corrected_on="2018-12-01")) == [
        "registration.economic_corrected_before_report"
    ]
    assert refused(store, correction(value=20112.6, previous_value=None, note=report().note)) == [
        "registration.economic_unchanged"
    ]
    assert run(store, correction()) == ["EconomicResultCorrected"]
    assert run(store, correction()) == []  # a repeat
    assert refused(store, correction(value=20200, corrected_on="2019-01-10")) == [
        "correction.before_last_correction"
    ]
    assert run(store, correction(value=20200, corrected_on="2019-02-01")) == [
        "EconomicResultCorrected"
    ]


def _targets_for_bac_lieu() -> CampaignAmended:
    return CampaignAmended(
        campaign_id=world.CAMPAIGN,
        amended_on=date(2025, 3, 1),
        economic_targets=[
            EconomicTarget(
                indicator="Tổng kim ngạch xuất khẩu", unit_of_measure="triệu USD", value=1500
            )
        ],
    )


def _export(
    sender: str, on: str, end: str = "2025-06-30", value: int = 700
) -> EconomicResultReported:
    return EconomicResultReported.model_validate(
        {
            "campaign_id": world.CAMPAIGN,
            "department_code": sender,
            "indicator": "Tổng kim ngạch xuất khẩu",
            "period": {"start": "2025-02-01", "end": end},
            "value": value,
            "unit_of_measure": "triệu USD",
            "reported_on": on,
        }
    )


def test_a_merged_away_department_no_longer_reports_its_successor_does_once_transferred() -> None:
    store = world.after_the_merger()
    store.given(streams.campaign(world.CAMPAIGN), _targets_for_bac_lieu())
    # Before the merger the old department reports; after it, it is refused, naming Cà Mau.
    assert len(world.send(store, world.OLD, _export(world.OLD, "2025-06-30"))) == 1
    late = _export(world.OLD, "2025-07-15", end="2025-07-10")
    error = world.refused(store, world.OLD, late)
    assert world.codes(error) == ["directory.department_merged"]
    assert world.NEW in error.reasons[0].message or "Cà Mau" in error.reasons[0].message
    # The successor reports on the campaign only once it is transferred to it.
    fact = _export(world.NEW, "2025-07-15", end="2025-07-10", value=720)
    assert world.codes(world.refused(store, world.NEW, fact)) == ["directory.department_merged"]
    move = CampaignTransferred(
        campaign_id=world.CAMPAIGN, from_department_code=world.OLD,
        to_department_code=world.NEW, effective_on=world.MERGER_DAY,
    )  # fmt: skip
    assert len(world.send(store, world.NEW, move)) == 1
    assert [type(f).__name__ for _, f in world.send(store, world.NEW, fact)] == [
        "EconomicResultReported"
    ]
