"""Attainment of a plan's emulation targets (chỉ tiêu thi đua): pure arithmetic on counts.

Targets warn, never reject (DOMAIN.md §1); here they become an actual figure, the share of the
target reached and whether the comparator holds. Percentages are exact ``Decimal`` values
rounded half-up to 2 places only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, 2 decimals; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Basis:
    """The counts a target can be measured against, for one organisation and year.

    ``staff``: all staff (CBCCVCLĐ) on the reference date; ``non_leaders``: staff who are not
    leaders; ``units``: sections and attached units (đơn vị cấp phòng và trực thuộc);
    ``awarded``: titles awarded by title code; ``awarded_non_leaders``: individual titles
    awarded to non-leaders.
    """

    staff: int
    non_leaders: int
    units: int
    awarded: dict[str, int]
    awarded_non_leaders: dict[str, int]


@dataclass(frozen=True)
class Attainment:
    title: str
    measure: str
    basis: str
    comparator: str
    target: Decimal
    numerator: int
    denominator: int | None
    actual: Decimal | None
    attainment_percent: Decimal | None
    met: bool | None


def attain(
    title: str, measure: str, basis: str, comparator: str, target: Decimal, counts: Basis
) -> Attainment:
    """Measure one target. Percent targets: all_staff = awarded / staff; staff_excluding_leaders
    = awarded to non-leaders / non-leaders; units = awarded / units; organisation = awarded /
    1. Count targets: the number awarded. ``attainment_percent`` = actual / target;
    ``met`` applies the comparator (eq means exactly the target)."""
    denominator: int | None
    if basis == "staff_excluding_leaders":
        numerator = counts.awarded_non_leaders.get(title, 0)
        denominator = counts.non_leaders
    else:
        numerator = counts.awarded.get(title, 0)
        denominator = {"all_staff": counts.staff, "units": counts.units, "organisation": 1}.get(
            basis
        )
    actual: Decimal | None
    actual = Decimal(numerator) if measure == "count" else percent(numerator, denominator or 0)
    if actual is None:
        return Attainment(
            title, measure, basis, comparator, target, numerator, denominator, None, None, None
        )
    ratio = (actual * 100 / target).quantize(TWO_PLACES, ROUND_HALF_UP) if target > 0 else None
    met = {"gte": actual >= target, "lte": actual <= target, "eq": actual == target}[comparator]
    return Attainment(
        title, measure, basis, comparator, target, numerator, denominator, actual, ratio, met
    )
