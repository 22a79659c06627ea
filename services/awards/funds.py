"""Awards' decisions on the commendation fund (quỹ thi đua, khen thưởng; issue 18, item 4).

The owner of a fund (a department, or its province's board for the province's fund) sends its
allocation and adjustments on its own ingress; awards judges them, because awards owns the
decisions whose cash draws on the fund: a decision draws on the fund of its issuer (the
department, or the board for the chair's decisions) for the budget year of its date. The
ceiling is the rule set's (``rules/fund.py``), by the set in force for the fund's year. A
revoked award's cash goes back to the fund its decision drew on (``recover``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from contracts import awards as a
from contracts.base import EventData
from contracts.common import TitleCode
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.domain import fund
from services.awards.readmodels import lookups as lk
from services.awards.rules import rule_set_for_year
from services.awards.rules.base import Params
from services.awards.rules.money import NoBaseSalary, cash_for
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command, Emit
from thidua.es.rejections import refuse


def _owners_fund(
    cmd: Command[a.FundAllocated] | Command[a.FundAdjusted], folds: Folds
) -> tuple[Workspace, str]:
    """The fund's stream, once its owner (the sender: the kernel checks the payload's code
    against the ingress) is known to the directory."""
    fact = cmd.payload
    stream = streams.fund(fact.department_code, fact.year)
    require(cmd, [stream], {lk.FUND_OWNER: [fact.department_code]})
    if not cmd.lookup(lk.FUND_OWNER, fact.department_code):
        raise refuse(
            "awards.unknown_fund_owner",
            f"Chưa có Sở hoặc Ban Thi đua - Khen thưởng '{fact.department_code}' trong danh mục: "
            "không giao được quỹ thi đua, khen thưởng",
            "department_code",
        )
    return Workspace(cmd, folds), stream


FundDecide = Callable[[fund.Fund, Any, Params, str], list[EventData]]


def _on_fund(cmd: Command[Any], folds: Folds, decide: FundDecide) -> list[Emit]:
    """An allocation or an adjustment, judged by the rule set in force for the fund's year."""
    ws, stream = _owners_fund(cmd, folds)
    rule_set = rule_set_for_year(cmd.payload.year)
    facts = decide(ws.state(stream, agg.FUND), cmd.payload, rule_set.params, rule_set.basis)
    ws.emit(stream, agg.FUND, *facts)
    return ws.emits


def allocate_fund(cmd: Command[a.FundAllocated], folds: Folds) -> list[Emit]:
    return _on_fund(cmd, folds, fund.allocate)


def adjust_fund(cmd: Command[a.FundAdjusted], folds: Folds) -> list[Emit]:
    return _on_fund(cmd, folds, fund.adjust)


def expected_cash(title: TitleCode, day: date) -> int | None:
    """The cash a title voted on ``day`` would bring if decided then (None: no base salary)."""
    try:
        return cash_for(title, day)[0]
    except NoBaseSalary:
        return None


def fund_stream(decision: a.DecisionIssued) -> str:
    """The fund a decision draws on: its issuer's, for the year of its date."""
    return streams.fund(decision.department_code, decision.issued_on.year)


def draw(
    ws: Workspace, decision: a.DecisionIssued, awarded: Sequence[a.NominationApproved]
) -> None:
    """The decision's cash on its issuer's fund (the stream was required with the decision's)."""
    stream = fund_stream(decision)
    cash = sum(x.cash_vnd for x in awarded)
    facts = fund.draw(ws.state(stream, agg.FUND), decision, decision.issued_on.year, cash)
    ws.emit(stream, agg.FUND, *facts)


def recover(ws: Workspace, award: a.NominationApproved | None, revoked: a.AwardRevoked) -> None:
    """Thu hồi tiền thưởng: the revoked award's cash back to the fund its decision drew on
    (the issuer's, of the decision's year), if it drew on one. Asks for the decision's stream
    (its first fact is the decision), then the fund's."""
    if award is None or award.decision_id is None or award.cash_vnd <= 0:
        return
    cmd = ws.cmd
    require(cmd, [streams.decision(award.decision_id)])
    decision = cmd.first(streams.decision(award.decision_id))
    if not isinstance(decision, a.DecisionIssued):
        return
    stream = fund_stream(decision)
    require(cmd, [stream])
    facts = fund.recover(ws.state(stream, agg.FUND), decision, award, revoked)
    ws.emit(stream, agg.FUND, *facts)
