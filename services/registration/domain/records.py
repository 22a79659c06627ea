"""Cases (discipline, investigation, complaint): opened once, closed once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contracts.base import EventData
from contracts.registration import CaseClosed, CaseOpened
from services.registration.domain.common import refuse, vn_date


@dataclass(frozen=True)
class Case:
    opened: CaseOpened
    closed: CaseClosed | None = None


def fold_case(payloads: Iterable[EventData]) -> Case | None:
    case: Case | None = None
    for p in payloads:
        if isinstance(p, CaseOpened):
            case = Case(p)
        elif isinstance(p, CaseClosed) and case is not None:
            case = Case(case.opened, p)
    return case


def decide_close_case(case: Case, fact: CaseClosed) -> list[EventData]:
    if case.closed is not None:
        if case.closed == fact:
            return []
        raise refuse(
            "case.closed", f"Vụ việc đã kết thúc ngày {vn_date(case.closed.closed_on)}", "case_id"
        )
    if fact.closed_on < case.opened.opened_on:
        raise refuse(
            "case.closed_before_opening",
            f"Ngày kết thúc {vn_date(fact.closed_on)} trước ngày mở vụ việc "
            f"{vn_date(case.opened.opened_on)}",
            "closed_on",
        )
    return [fact]
