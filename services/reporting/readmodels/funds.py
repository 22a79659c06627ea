"""The commendation funds (quỹ thi đua, khen thưởng; issue 18, item 4) folded into the
batch's state (pure): one row per event that moves a fund (``reporting_funds``), so the model
depends only on the set of events and "as of" a date is the query's choice
(``services/reporting/funds.py``).

Kinds: ``allocated`` (+), ``adjusted`` (±), ``drawn`` and ``overdrawn`` (a decision's cash),
``recovered`` (a revoked award's cash back to the fund its decision drew on, on the day of the
revocation),
``committed`` (a dossier the council voted for, at the cash its title would bring: the vote's
council decides it, on its own fund) and ``concluded`` (the dossier approved, rejected or
withdrawn: no longer committed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from contracts import awards as aw
from contracts.base import EventData
from services.reporting.readmodels.state import FundRow, ModelState

Handler = Callable[[ModelState, str, str, Any], None]


def _put(s: ModelState, event_id: str, kind: str, owner: str | None, year: int | None,
         on: date, amount: int, *, nomination_id: str | None = None,
         decision_id: str | None = None, number: str | None = None) -> None:  # fmt: skip
    s.funds.put(
        event_id, FundRow(event_id, kind, owner, year, on, amount, nomination_id, decision_id,
                          number),
    )  # fmt: skip


def allocated(s: ModelState, event_id: str, type_: str, p: aw.FundAllocated) -> None:
    _put(s, event_id, "allocated", p.department_code, p.year, p.allocated_on, p.amount_vnd)


def adjusted(s: ModelState, event_id: str, type_: str, p: aw.FundAdjusted) -> None:
    _put(s, event_id, "adjusted", p.department_code, p.year, p.adjusted_on, p.delta_vnd)


def drawn(s: ModelState, event_id: str, type_: str, p: aw.FundDraw) -> None:
    kind = "overdrawn" if isinstance(p, aw.FundOverdrawn) else "drawn"
    _put(s, event_id, kind, p.department_code, p.year, p.decided_on, p.amount_vnd,
         decision_id=p.decision_id, number=p.decision_number)  # fmt: skip


def recovered(s: ModelState, event_id: str, type_: str, p: aw.FundRecovered) -> None:
    _put(s, event_id, "recovered", p.department_code, p.year, p.recovered_on, p.amount_vnd,
         nomination_id=p.nomination_id, decision_id=p.decision_id,
         number=p.decision_number)  # fmt: skip


def _committed(s: ModelState, event_id: str, p: aw.NominationVoted) -> None:
    if p.reached and p.expected_cash_vnd:
        _put(s, event_id, "committed", p.department_code, p.voted_on.year, p.voted_on,
             p.expected_cash_vnd, nomination_id=p.nomination_id)  # fmt: skip


def _concluded(s: ModelState, event_id: str, p: Any) -> None:
    on: date
    if isinstance(p, aw.NominationApproved):
        on = p.decision_date
    elif isinstance(p, aw.NominationRejected):
        on = p.rejected_on
    else:
        on = p.withdrawn_on
    _put(s, event_id, "concluded", None, None, on, 0, nomination_id=p.nomination_id)


HANDLERS: dict[type[EventData], Handler] = {
    aw.FundAllocated: allocated,
    aw.FundAdjusted: adjusted,
    aw.FundDrawn: drawn,
    aw.FundOverdrawn: drawn,
    aw.FundRecovered: recovered,
}
FOLLOWS: dict[type[EventData], Callable[[ModelState, str, Any], None]] = {
    aw.NominationVoted: _committed,
    aw.NominationApproved: _concluded,
    aw.NominationRejected: _concluded,
    aw.NominationWithdrawn: _concluded,
}
"""Facts other handlers count, which also commit or release a fund."""


def with_funds(handlers: Mapping[type[EventData], Handler]) -> dict[type[EventData], Handler]:
    """``handlers`` and the fund's own, the ones it follows calling the counted handler first."""

    def both(first: Handler, then: Callable[[ModelState, str, Any], None]) -> Handler:
        def handle(s: ModelState, event_id: str, type_: str, p: Any) -> None:
            first(s, event_id, type_, p)
            then(s, event_id, p)

        return handle

    chained = {kind: both(handlers[kind], then) for kind, then in FOLLOWS.items()}
    return {**handlers, **chained, **HANDLERS}
