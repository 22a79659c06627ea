"""The ceiling on a commendation fund (quỹ thi đua, khen thưởng), a rule of the rule set in
force for the fund's year (``Params.fund_cap_percent_*``).

The law caps the fund of a province's budget levels at a share of that level's regular
expenditure; the system holds no budget, so the ceiling is checked only when the allocation
declares the figure (``FundAllocated.regular_expenditure_vnd``): an allocation or adjustment
that takes the fund above it is refused. Pure."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from contracts.common import RejectionReason
from services.awards.rules.base import Params, refusal


def vnd(amount: int) -> str:
    """``1234567`` → ``1.234.567`` (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def ceiling(expenditure_vnd: int | None, upland: bool, params: Params) -> int | None:
    """The most the fund may hold (None: no figure declared, or no ceiling in force)."""
    percent = params.fund_cap_percent_upland if upland else params.fund_cap_percent_lowland
    if expenditure_vnd is None or percent is None:
        return None
    return int((Decimal(expenditure_vnd) * percent / 100).to_integral_value(ROUND_FLOOR))


def within_ceiling(
    total_vnd: int,
    expenditure_vnd: int | None,
    upland: bool,
    params: Params,
    basis: str,
    field: str,
) -> list[RejectionReason]:
    """Quỹ thi đua, khen thưởng: at most 1.0% (lowland) / 1.5% (upland) of the budget level's
    regular expenditure (NĐ 91/2017/NĐ-CP Điều 65; NĐ 152/2025/NĐ-CP Điều 46)."""
    most = ceiling(expenditure_vnd, upland, params)
    if most is None or total_vnd <= most:
        return []
    percent = params.fund_cap_percent_upland if upland else params.fund_cap_percent_lowland
    return refusal(
        "fund_above_ceiling",
        f"Quỹ thi đua, khen thưởng {vnd(total_vnd)} đồng vượt mức tối đa {vnd(most)} đồng "
        f"({percent}% chi ngân sách thường xuyên {vnd(expenditure_vnd or 0)} đồng, theo {basis})",
        field,
    )
