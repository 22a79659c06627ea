"""Economic targets against their results (chỉ tiêu kinh tế: kế hoạch / thực hiện / đạt % /
tăng trưởng, issue 17): pure arithmetic on exact decimals, rounded half-up to 2 places only at
the end.

- **Attained** (đạt % kế hoạch) = actual / target * 100.
- **Growth** (tăng trưởng so với cùng kỳ) = actual / base - 1, in %, where the base (the same
  period of the previous year) is, in this order: the ``previous_value`` the department
  reported; else actual / (1 + g) with the growth g it reported; else, for a figure of the
  plan's whole period, the plan's own base target / (1 + g) with the target's growth g
  (a plan of 19,663 at +8.76% was set on a previous year of 19,663 / 1.0876). Otherwise none.
- **A province** sums like indicators in like units only (indicator and unit matched by
  ``contracts.registration.indicator_key``), over the departments that reported: target and
  actual of those, attained = their actual / their target; growth = their actual / their bases
  - 1 when every one has a base. ``planned`` counts the departments whose plans set it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contracts.registration import indicator_key
from services.reporting.queries.models import EconomicTotal

TWO_PLACES = Decimal("0.01")


def _percent(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Target:
    indicator: str
    unit_of_measure: str
    value: Decimal
    growth_percent: Decimal | None = None


@dataclass(frozen=True)
class Result:
    """One indicator's figures for a period, as last reported or corrected."""

    start: date
    end: date
    value: Decimal
    previous_value: Decimal | None = None
    growth_percent: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class Line:
    """A target of one department's plan with the result that measures it (None: none yet)."""

    department_code: str
    campaign_id: str
    target: Target
    result: Result | None
    base: Decimal | None
    attained_percent: Decimal | None
    growth_percent: Decimal | None


def latest(results: Iterable[Result]) -> Result | None:
    """The figure that measures a year's target: the period ending last (the longest of
    those), i.e. the most recent cumulative figure."""
    return max(results, key=lambda r: (r.end, -r.start.toordinal()), default=None)


def base_of(target: Target, result: Result, plan_start: date, plan_end: date) -> Decimal | None:
    """The same period of the previous year (see the module's text)."""
    if result.previous_value is not None:
        return result.previous_value
    if result.growth_percent is not None:
        grown = 1 + result.growth_percent / 100
        return result.value / grown if grown else None
    whole = (result.start, result.end) == (plan_start, plan_end)
    if whole and target.growth_percent is not None:
        grown = 1 + target.growth_percent / 100
        return target.value / grown if grown else None
    return None


def growth(actual: Decimal, base: Decimal | None) -> Decimal | None:
    if base is None or base == 0:
        return None
    return _percent((actual / base - 1) * 100)


def attained(actual: Decimal, target: Decimal) -> Decimal | None:
    return _percent(actual * 100 / target) if target else None


def line(
    department_code: str,
    campaign_id: str,
    target: Target,
    result: Result | None,
    plan_start: date,
    plan_end: date,
) -> Line:
    if result is None:
        return Line(department_code, campaign_id, target, None, None, None, None)
    base = base_of(target, result, plan_start, plan_end)
    return Line(
        department_code,
        campaign_id,
        target,
        result,
        base,
        attained(result.value, target.value),
        growth(result.value, base),
    )


def totals(lines: Sequence[Line]) -> list[EconomicTotal]:
    """Like indicators in like units summed, in the order they first appear."""
    groups: dict[tuple[str, str], list[Line]] = {}
    for item in lines:
        key = (indicator_key(item.target.indicator), indicator_key(item.target.unit_of_measure))
        groups.setdefault(key, []).append(item)
    out = []
    for group in groups.values():
        first = group[0].target
        reported = [g for g in group if g.result is not None]
        target = sum((g.target.value for g in reported), Decimal(0))
        actual = sum((g.result.value for g in reported if g.result), Decimal(0))
        bases = [g.base for g in reported]
        base = sum((b for b in bases if b is not None), Decimal(0))
        out.append(
            EconomicTotal(
                indicator=first.indicator,
                unit_of_measure=first.unit_of_measure,
                planned=len({g.department_code for g in group}),
                reported=len({g.department_code for g in reported}),
                planned_target=sum((g.target.value for g in group), Decimal(0)),
                target=target,
                actual=actual if reported else None,
                attained_percent=attained(actual, target) if reported else None,
                growth_percent=growth(actual, base) if reported and None not in bases else None,
            )
        )
    return out
