"""DOMAIN rule 25: a conference (Hội nghị điển hình tiên tiến, Đại hội thi đua) against the
conference plan of its campaign (``contracts.registration.ConferencePlan``), e.g. Khánh Hòa
2020: the department's at most 150 delegates, about 70% exemplary models and 30% guests; a unit
over 200 staff holds a delegates' conference, one under 200 a plenary; each held in its
period and reported 14 days after. Pure: the conference and the plan in, the reasons out."""

from __future__ import annotations

from decimal import Decimal

from contracts.awards import ConferenceFields
from contracts.common import RejectionReason
from contracts.registration import ConferencePlan, ConferenceRule
from services.awards.rules.base import refusal, vn_date

SHARE_TOLERANCE_POINTS = Decimal(10)
"""A share the plan gives as approximate ("khoảng 70%") is met within ±10 percentage points
(63 to 77 exemplary delegates of 100 are "about 70%"); an exact one, exactly."""

KINDS = {
    "exemplary_models": "Hội nghị điển hình tiên tiến",
    "emulation_congress": "Đại hội thi đua",
}
FORMATS = {"plenary": "hội nghị toàn thể", "delegates": "hội nghị đại biểu"}
LEVELS = {
    "unit": "cấp cơ sở",
    "commune": "cấp xã",
    "city": "cấp thành phố",
    "department": "cấp Sở",
    "province": "cấp tỉnh",
    "ministry": "cấp bộ",
    "central": "cấp trung ương",
}


def share_percent(part: int, total: int) -> Decimal:
    """``part`` of ``total`` delegates in percent (0 of none)."""
    return Decimal(part * 100) / total if total else Decimal(0)


def _percent(value: Decimal) -> str:
    """In people-facing texts: 70 or 66,7 (comma decimal)."""
    text = f"{value.quantize(Decimal('0.1')).normalize():f}"
    return text.replace(".", ",")


def report_due_before_held(held: ConferenceFields) -> list[RejectionReason]:
    """Whatever the plan: a report cannot be due before the conference."""
    if held.report_due >= held.held_on:
        return []
    return refusal(
        "conference_report_due_before_held",
        f"Hạn báo cáo {vn_date(held.report_due)} trước ngày tổ chức hội nghị "
        f"{vn_date(held.held_on)}",
        "report_due",
    )


def within_quota(held: ConferenceFields, rule: ConferenceRule) -> list[RejectionReason]:
    """At most ``max_delegates`` (Khánh Hòa: 150 at the department's conference)."""
    if rule.max_delegates is None or held.delegates_total <= rule.max_delegates:
        return []
    return refusal(
        "conference_too_many_delegates",
        f"Hội nghị {LEVELS[held.level.value]} có {held.delegates_total} đại biểu, vượt số lượng "
        f"tối đa {rule.max_delegates} đại biểu theo kế hoạch",
        "delegates_total",
    )


def _share(
    held: ConferenceFields, part: int, planned: Decimal | None, approximate: bool, what: str
) -> list[RejectionReason]:
    if planned is None:
        return []
    actual = share_percent(part, held.delegates_total)
    tolerance = SHARE_TOLERANCE_POINTS if approximate else Decimal(0)
    if abs(actual - planned) <= tolerance:
        return []
    field = "exemplary_delegates" if what == "exemplary" else "guest_delegates"
    name = "đại biểu điển hình tiên tiến" if what == "exemplary" else "đại biểu khách mời"
    allowed = (
        f"khoảng {_percent(planned)}% (từ {_percent(planned - tolerance)}% đến "
        f"{_percent(planned + tolerance)}%)"
        if approximate
        else f"đúng {_percent(planned)}%"
    )
    return refusal(
        f"conference_{what}_share",
        f"Tỷ lệ {name} là {_percent(actual)}% ({part}/{held.delegates_total}), kế hoạch quy "
        f"định {allowed}",
        field,
    )


def shares_as_planned(held: ConferenceFields, rule: ConferenceRule) -> list[RejectionReason]:
    """Exemplary and guest delegates in the plan's shares (Khánh Hòa: about 70% and 30%)."""
    approximate = rule.shares_approximate
    return _share(
        held, held.exemplary_delegates, rule.exemplary_share_percent, approximate, "exemplary"
    ) + _share(held, held.guest_delegates, rule.guest_share_percent, approximate, "guest")


def format_as_planned(held: ConferenceFields, rule: ConferenceRule) -> list[RejectionReason]:
    """Over the plan's staff threshold a delegates' conference, under it a plenary (Khánh Hòa:
    200); exactly at it the plan leaves the choice to the organiser."""
    threshold = rule.delegates_above_staff
    if threshold is None:
        return []
    if held.staff_count is None:
        return refusal(
            "conference_staff_unknown",
            f"Kế hoạch quy định hình thức hội nghị theo số cán bộ (trên {threshold} người: hội "
            f"nghị đại biểu, dưới {threshold} người: hội nghị toàn thể); cần ghi số cán bộ của "
            "đơn vị tổ chức",
            "staff_count",
        )
    expected = rule.format_for(held.staff_count)
    if expected is None or expected == held.format:
        return []
    return refusal(
        "conference_format",
        f"Đơn vị có {held.staff_count} cán bộ ({'trên' if expected == 'delegates' else 'dưới'} "
        f"{threshold} người) phải tổ chức {FORMATS[expected]}, không phải "
        f"{FORMATS[held.format]}",
        "format",
    )


def held_in_period(held: ConferenceFields, rule: ConferenceRule) -> list[RejectionReason]:
    """Within the plan's time (Khánh Hòa: units in Quý I, the department in May 2020)."""
    period = rule.held_within
    if period is None or period.start <= held.held_on <= period.end:
        return []
    return refusal(
        "conference_outside_period",
        f"Hội nghị {LEVELS[held.level.value]} tổ chức ngày {vn_date(held.held_on)}, ngoài thời "
        f"gian kế hoạch quy định (từ {vn_date(period.start)} đến {vn_date(period.end)})",
        "held_on",
    )


def report_due_as_planned(held: ConferenceFields, rule: ConferenceRule) -> list[RejectionReason]:
    """The report is due ``report_due_days`` after the conference (Khánh Hòa: 14). The event
    states its due date (a required field); it must be the plan's, not filled in for it."""
    due = rule.report_due(held.held_on)
    if due is None or due == held.report_due:
        return []
    return refusal(
        "conference_report_due",
        f"Hạn báo cáo phải là ngày {vn_date(due)} ({rule.report_due_days} ngày sau ngày tổ "
        f"chức hội nghị {vn_date(held.held_on)}), không phải {vn_date(held.report_due)}",
        "report_due",
    )


RULE_CHECKS = (
    within_quota,
    shares_as_planned,
    format_as_planned,
    held_in_period,
    report_due_as_planned,
)
"""The checks of one level's rule, all run (every reason told at once)."""


def conference_fits_plan(
    held: ConferenceFields, plan: ConferencePlan | None
) -> list[RejectionReason]:
    """Every reason the conference departs from its campaign's plan (none without a plan)."""
    reasons = report_due_before_held(held)
    if plan is None:
        return reasons
    if held.kind != plan.kind:
        return reasons + refusal(
            "conference_kind",
            f"Kế hoạch của phong trào tổ chức {KINDS[plan.kind]}, không phải {KINDS[held.kind]}",
            "kind",
        )
    rule = plan.rule_for(held.level)
    if rule is None:
        planned = ", ".join(LEVELS[r.level.value] for r in plan.levels)
        return reasons + refusal(
            "conference_level_not_planned",
            f"Kế hoạch không tổ chức hội nghị {LEVELS[held.level.value]} (chỉ {planned})",
            "level",
        )
    for check in RULE_CHECKS:
        reasons += check(held, rule)
    return reasons
