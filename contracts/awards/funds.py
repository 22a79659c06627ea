"""The commendation fund (quỹ thi đua, khen thưởng; issue 18, item 4): allocated and
adjusted by its owner, drawn on by each decision, overdrawn, recovered when an award is
revoked.

Apart from nominations because a fund is its owner's budget for a year, not one
nomination's: decisions draw on it, and only the awards service records the draws.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from contracts.awards.base import AwardsEvent
from contracts.base import event_type
from contracts.common import (
    MAX_VND,
    DepartmentCode,
    DocumentNumber,
    DocumentRef,
    EntityId,
    Text,
    Vnd,
    Year,
)


class FundFields(AwardsEvent):
    """A commendation fund (quỹ thi đua, khen thưởng) is its owner's for one budget year: a
    department's (``sct-gialai``) or its province's, kept by the board (``gia-lai-board``).
    The owner sends its own fund's facts, on its own ingress."""

    department_code: DepartmentCode = Field(
        description="The fund's owner: a department's code or a board's (<province>-board)."
    )
    year: Year = Field(description="Năm ngân sách: the decisions of this year draw on it.")


@event_type
class FundAllocated(FundFields):
    """Giao dự toán quỹ thi đua, khen thưởng: the fund of the year, once (change it with
    ``FundAdjusted``). When the regular expenditure of the budget it is formed from is
    declared, the rule set in force caps the fund at a share of it (NĐ 91/2017 Điều 65,
    NĐ 152/2025 Điều 46: at most 1.0% in lowland provinces and cities, 1.5% in upland ones)."""

    event_name: ClassVar[str] = "FundAllocated"
    amount_vnd: Vnd = Field(description="Số tiền giao, VND.")
    legal_basis: DocumentRef = Field(description="Quyết định giao dự toán.")
    allocated_on: date
    regular_expenditure_vnd: Vnd | None = Field(
        default=None, description="Chi ngân sách thường xuyên of the budget level, if declared."
    )
    upland: bool = Field(
        default=False,
        description="Tỉnh miền núi, trung du, Tây Nguyên, vùng sâu, vùng xa, hải đảo (1.5%).",
    )


@event_type
class FundAdjusted(FundFields):
    """Điều chỉnh quỹ: more (bổ sung) or less (cắt giảm) than allocated, with its basis."""

    event_name: ClassVar[str] = "FundAdjusted"
    delta_vnd: int = Field(
        ge=-MAX_VND, le=MAX_VND, description="Số tiền điều chỉnh, VND: + bổ sung, - giảm."
    )
    reason: Text = Field(description="Lý do điều chỉnh.")
    legal_basis: DocumentRef
    adjusted_on: date

    @model_validator(mode="after")
    def _changes_something(self) -> FundAdjusted:
        if self.delta_vnd == 0:
            raise ValueError("an adjustment of 0 VND changes nothing")
        return self


class FundDraw(FundFields):
    decision_id: EntityId
    decision_number: DocumentNumber
    decided_on: date
    amount_vnd: Vnd = Field(description="Tiền thưởng của quyết định, VND.")
    balance_vnd: int = Field(
        ge=-MAX_VND, le=MAX_VND, description="Số dư của quỹ sau quyết định (âm: bội chi)."
    )


@event_type
class FundDrawn(FundDraw):
    """The cash of a decision (the sum of its awards' ``cash_vnd``) drawn on its issuer's fund
    of the year; only once that fund is allocated."""

    event_name: ClassVar[str] = "FundDrawn"
    submittable: ClassVar[bool] = False


@event_type
class FundOverdrawn(FundDraw):
    """Bội chi quỹ: the decision is recorded (the law does not stop it), and flagged: its cash
    exceeds what was left of the fund."""

    event_name: ClassVar[str] = "FundOverdrawn"
    submittable: ClassVar[bool] = False
    available_vnd: int = Field(
        ge=-MAX_VND, le=MAX_VND, description="Số dư trước quyết định (đã giao - đã chi)."
    )


@event_type
class FundRecovered(FundDraw):
    """Thu hồi tiền thưởng: an award revoked (``AwardRevoked``) whose decision drew on a
    tracked fund gives its cash back to that fund (its issuer's, of the year it was drawn):
    Luật Thi đua, khen thưởng 2022, Chương VII, khoản 2: the decision is annulled and the
    award's objects and cash are recovered. ``amount_vnd`` is the award's cash, the
    ``decision_*`` fields the decision that drew it, ``balance_vnd`` the fund's after it."""

    event_name: ClassVar[str] = "FundRecovered"
    submittable: ClassVar[bool] = False
    nomination_id: EntityId = Field(description="The revoked award.")
    revoked_by: DocumentNumber = Field(description="Số quyết định thu hồi.")
    recovered_on: date = Field(description="Ngày thu hồi (of the revoking decision).")
