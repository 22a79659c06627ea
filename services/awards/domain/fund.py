"""A commendation fund (quỹ thi đua, khen thưởng) of one owner for one budget year: what was
allocated, adjusted and drawn by decisions (stream ``fund:<owner>:<year>``). Pure.

- ``FundAllocated`` once: a second is refused (adjust it instead);
- ``FundAdjusted`` only after it, never below 0 in total;
- a decision's cash is drawn on it (``FundDrawn``), or, when the cash exceeds what is left,
  still recorded and flagged (``FundOverdrawn``, its balance negative): the law does not stop
  a decision for want of fund; a year whose fund is not allocated is not tracked;
- an award revoked gives the cash it drew back to the fund (``FundRecovered``), only when its
  decision drew on this fund (a decision of a year not tracked recovers nothing here)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from contracts import awards as a
from contracts.base import EventData
from contracts.common import RejectionReason
from services.awards.rules.base import Params, as_reasons, refusal, vn_date
from services.awards.rules.fund import vnd, within_ceiling
from thidua.es.rejections import Refused


@dataclass(frozen=True)
class Fund:
    allocation: a.FundAllocated | None = None
    adjusted_vnd: int = 0
    spent_vnd: int = 0
    recovered_vnd: int = 0
    drawn_by: frozenset[str] = frozenset()
    """The decisions (ids) whose cash was drawn on the fund."""
    recovered_for: frozenset[str] = frozenset()
    """The revoked awards (nomination ids) whose cash came back."""

    @property
    def total_vnd(self) -> int:
        """Allocated and adjusted."""
        allocated = self.allocation.amount_vnd if self.allocation is not None else 0
        return allocated + self.adjusted_vnd

    @property
    def balance_vnd(self) -> int:
        return self.total_vnd - self.spent_vnd + self.recovered_vnd


def evolve(state: Fund, event: EventData) -> Fund:
    if isinstance(event, a.FundAllocated):
        return replace(state, allocation=event)
    if isinstance(event, a.FundAdjusted):
        return replace(state, adjusted_vnd=state.adjusted_vnd + event.delta_vnd)
    if isinstance(event, a.FundRecovered):
        return replace(
            state,
            recovered_vnd=state.recovered_vnd + event.amount_vnd,
            recovered_for=state.recovered_for | {event.nomination_id},
        )
    if isinstance(event, a.FundDraw):
        return replace(
            state,
            spent_vnd=state.spent_vnd + event.amount_vnd,
            drawn_by=state.drawn_by | {event.decision_id},
        )
    return state


def _refuse(reasons: list[RejectionReason]) -> Refused:
    return Refused(as_reasons(reasons))


def _within_ceiling(
    allocation: a.FundAllocated, total_vnd: int, params: Params, basis: str, field: str
) -> list[RejectionReason]:
    """The rule set's ceiling on the budget the allocation declares."""
    expenditure, upland = allocation.regular_expenditure_vnd, allocation.upland
    return within_ceiling(total_vnd, expenditure, upland, params, basis, field)


def allocate(state: Fund, fact: a.FundAllocated, params: Params, basis: str) -> list[EventData]:
    """Once per owner and year; within the rule set's ceiling when the budget is declared."""
    if state.allocation is not None:
        before = state.allocation
        raise _refuse(
            refusal(
                "fund_already_allocated",
                f"Quỹ thi đua, khen thưởng năm {fact.year} của '{fact.department_code}' đã được "
                f"giao {vnd(before.amount_vnd)} đồng ngày {vn_date(before.allocated_on)}: "
                "điều chỉnh bằng FundAdjusted",
                "year",
            )
        )
    reasons = _within_ceiling(fact, fact.amount_vnd, params, basis, "amount_vnd")
    if reasons:
        raise _refuse(reasons)
    return [fact]


def adjust(state: Fund, fact: a.FundAdjusted, params: Params, basis: str) -> list[EventData]:
    """Of an allocated fund, not before its allocation, never below 0, within the ceiling."""
    allocation = state.allocation
    if allocation is None:
        raise _refuse(
            refusal(
                "fund_not_allocated",
                f"Chưa giao quỹ thi đua, khen thưởng năm {fact.year} của "
                f"'{fact.department_code}': không điều chỉnh được",
                "year",
            )
        )
    total = state.total_vnd + fact.delta_vnd
    reasons: list[RejectionReason] = []
    if fact.adjusted_on < allocation.allocated_on:
        reasons = refusal(
            "fund_adjusted_before_allocated",
            f"Ngày điều chỉnh {vn_date(fact.adjusted_on)} trước ngày giao quỹ "
            f"{vn_date(allocation.allocated_on)}",
            "adjusted_on",
        )
    elif total < 0:
        reasons = refusal(
            "fund_negative",
            f"Điều chỉnh {vnd(fact.delta_vnd)} đồng làm quỹ âm: quỹ hiện có "
            f"{vnd(state.total_vnd)} đồng",
            "delta_vnd",
        )
    else:
        reasons = _within_ceiling(allocation, total, params, basis, "delta_vnd")
    if reasons:
        raise _refuse(reasons)
    return [fact]


def draw(state: Fund, decision: a.DecisionIssued, year: int, cash_vnd: int) -> list[EventData]:
    """A decision's cash on an allocated fund: drawn, or overdrawn (recorded and flagged)."""
    if state.allocation is None or cash_vnd <= 0:
        return []
    fields = {
        "department_code": decision.department_code,
        "year": year,
        "decision_id": decision.decision_id,
        "decision_number": decision.number,
        "decided_on": decision.issued_on,
        "amount_vnd": cash_vnd,
        "balance_vnd": state.balance_vnd - cash_vnd,
    }
    if cash_vnd > state.balance_vnd:
        return [a.FundOverdrawn(**fields, available_vnd=state.balance_vnd)]
    return [a.FundDrawn(**fields)]


def recover(
    state: Fund,
    decision: a.DecisionIssued,
    award: a.NominationApproved,
    revocation: a.AwardRevoked,
) -> list[EventData]:
    """A revoked award's cash back to the fund its decision drew on (thu hồi tiền thưởng):
    only when that decision drew on this fund, once per award, and only cash it had."""
    drew = decision.decision_id in state.drawn_by
    if not drew or award.cash_vnd <= 0 or award.nomination_id in state.recovered_for:
        return []
    return [
        a.FundRecovered(
            department_code=decision.department_code,
            year=decision.issued_on.year,
            decision_id=decision.decision_id,
            decision_number=decision.number,
            decided_on=decision.issued_on,
            amount_vnd=award.cash_vnd,
            balance_vnd=state.balance_vnd + award.cash_vnd,
            nomination_id=award.nomination_id,
            revoked_by=revocation.decision_number,
            recovered_on=revocation.revoked_on,
        )
    ]
