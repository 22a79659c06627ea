"""Cash that goes with a title: coefficient x base salary in force on the decision date.

Both tables are configurable data. Sources: DOMAIN.md §4 (coefficients) and the base salary
decrees (mức lương cơ sở); the figures before NĐ 73/2024 are *unverified* and kept here as data.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contracts.common import TitleCode

BASE_SALARY_VND: tuple[tuple[date, int], ...] = (
    (date(2016, 5, 1), 1_210_000),  # NĐ 47/2016/NĐ-CP
    (date(2017, 7, 1), 1_300_000),  # NĐ 47/2017/NĐ-CP
    (date(2018, 7, 1), 1_390_000),  # NĐ 72/2018/NĐ-CP
    (date(2019, 7, 1), 1_490_000),  # NĐ 38/2019/NĐ-CP
    (date(2023, 7, 1), 1_800_000),  # NĐ 24/2023/NĐ-CP
    (date(2024, 7, 1), 2_340_000),  # NĐ 73/2024/NĐ-CP
)
"""(in force from, VND per month), oldest first."""

COEFFICIENT: dict[TitleCode, Decimal] = {
    TitleCode.LDTT: Decimal("0.3"),
    TitleCode.CSTDCS: Decimal("1.0"),
    TitleCode.CSTD_BO_TINH: Decimal("3.0"),
    TitleCode.CSTD_TOAN_QUOC: Decimal("4.5"),
    TitleCode.TTLDTT: Decimal("0.8"),
    TitleCode.TTLDXS: Decimal("1.5"),
    TitleCode.CO_THI_DUA: Decimal("8.0"),
    # DOMAIN §4 gives no coefficient for Bằng khen and Giấy khen ("-"): no cash until set.
    TitleCode.BANG_KHEN: Decimal(0),
    TitleCode.GIAY_KHEN: Decimal(0),
}


class NoBaseSalary(LookupError):
    """The decision date is before the first base salary in the table."""


def base_salary_on(day: date, table: tuple[tuple[date, int], ...] = BASE_SALARY_VND) -> int:
    """Quy tắc 23: the base salary in force on ``day``."""
    in_force = [amount for start, amount in table if start <= day]
    if not in_force:
        raise NoBaseSalary(day)
    return in_force[-1]


def cash_for(title: TitleCode, decision_date: date) -> tuple[int, Decimal, int]:
    """(cash in VND, coefficient, base salary) for ``title`` decided on ``decision_date``."""
    base = base_salary_on(decision_date)
    coefficient = COEFFICIENT[title]
    cash = (coefficient * base).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(cash), coefficient, base
