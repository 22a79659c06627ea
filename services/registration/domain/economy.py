"""Economic results (kết quả thực hiện chỉ tiêu kinh tế, issue 17): a department reports the
actual value of one of its plan's economic targets for a period, and corrects it.

The report is judged against the plan as it stood on the report's date (amendments made later
do not count): the indicator must be one of its targets, in the target's unit, for a period
inside the plan's period that has begun by then. Each (campaign, indicator, period) is
reported once; a different second report is refused, naming ``EconomicResultCorrected``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from contracts.base import EventData
from contracts.registration import (
    CampaignAmended,
    EconomicResult,
    EconomicResultCorrected,
    EconomicResultReported,
    EconomicTarget,
    indicator_key,
)
from services.registration.domain import campaigns
from services.registration.domain.common import (
    decide_correction,
    decide_first,
    not_before,
    refuse,
    vn_date,
)

CORRECTION = EconomicResultCorrected.event_name


def plan_on(history: Iterable[EventData], day: date) -> campaigns.Campaign | None:
    """The campaign with the amendments made by ``day`` only."""
    return campaigns.fold(
        p for p in history if not (isinstance(p, CampaignAmended) and p.amended_on > day)
    )


def target_for(campaign: campaigns.Campaign, fact: EconomicResult, day: date) -> EconomicTarget:
    """The plan's target the fact reports on; refused when the plan in force on ``day`` has no
    such indicator, when the units differ, or when the period is not the plan's."""
    plan = campaign.plan
    wanted = indicator_key(fact.indicator)
    target = next((t for t in plan.economic_targets if indicator_key(t.indicator) == wanted), None)
    if target is None:
        known = "; ".join(f"“{t.indicator}”" for t in plan.economic_targets) or "không có"
        raise refuse(
            "registration.economic_unknown_indicator",
            f"Kế hoạch {fact.campaign_id} (ngày {vn_date(day)}) không có chỉ tiêu kinh tế "
            f"“{fact.indicator}”; các chỉ tiêu của kế hoạch: {known}",
            "indicator",
        )
    if indicator_key(target.unit_of_measure) != indicator_key(fact.unit_of_measure):
        raise refuse(
            "registration.economic_unit_mismatch",
            f"Chỉ tiêu “{target.indicator}” tính bằng “{target.unit_of_measure}”, không phải "
            f"“{fact.unit_of_measure}”",
            "unit_of_measure",
        )
    period = fact.period
    if period.start < plan.period.start or period.end > plan.period.end:
        raise refuse(
            "registration.economic_period_outside_plan",
            f"Kỳ báo cáo {vn_date(period.start)} - {vn_date(period.end)} nằm ngoài thời gian "
            f"kế hoạch {vn_date(plan.period.start)} - {vn_date(plan.period.end)}",
            "period",
        )
    if day < period.start:
        raise refuse(
            "registration.economic_period_not_begun",
            f"Ngày {vn_date(day)} kỳ báo cáo {vn_date(period.start)} - {vn_date(period.end)} "
            "chưa bắt đầu",
            "period.start",
        )
    return target


def _what(fact: EconomicResult) -> str:
    return (
        f"Kết quả chỉ tiêu “{fact.indicator}” kỳ {vn_date(fact.period.start)} - "
        f"{vn_date(fact.period.end)} của phong trào {fact.campaign_id}"
    )


def decide_report(history: Sequence[EventData], fact: EconomicResultReported) -> list[EventData]:
    """Reported once: the same report again is a no-op, another is refused."""
    first = next((p for p in history if isinstance(p, EconomicResultReported)), None)
    return decide_first(
        first, fact, "registration.economic_conflicting_duplicate", _what(fact), CORRECTION
    )


def decide_correct(history: Sequence[EventData], fact: EconomicResultCorrected) -> list[EventData]:
    """Đính chính: of a result reported, not before it, changing its figures."""
    reported = next((p for p in history if isinstance(p, EconomicResultReported)), None)
    if reported is None:
        raise refuse(
            "registration.economic_not_reported",
            f"{_what(fact)} chưa được báo cáo, không đính chính được (gửi "
            f"{EconomicResultReported.event_name})",
            "indicator",
        )
    not_before(
        fact.corrected_on, reported.reported_on, "registration.economic_corrected_before_report",
        "ngày báo cáo", "corrected_on",
    )  # fmt: skip
    corrections = [p for p in history if isinstance(p, EconomicResultCorrected)]
    current: EconomicResult = corrections[-1] if corrections else reported
    unchanged = _figures(current) == _figures(fact)
    what = _what(fact)
    return decide_correction(
        corrections[-1] if corrections else None,
        fact,
        unchanged,
        "registration.economic_unchanged",
        what[0].lower() + what[1:],
    )


def _figures(fact: EconomicResult) -> tuple[object, ...]:
    return (fact.value, fact.previous_value, fact.growth_percent, fact.note)
