"""Small helpers shared by the decisions."""

from __future__ import annotations

from datetime import date

from contracts.base import EventData
from thidua.es.rejections import Reason, Refused, refuse

__all__ = ["decide_first", "refuse", "refuse_all", "vn_date"]


def vn_date(day: date) -> str:
    """Dates in people-facing texts: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def refuse_all(reasons: list[Reason]) -> None:
    if reasons:
        raise Refused(reasons)


def decide_first(
    existing: EventData | None, fact: EventData, code: str, what: str
) -> list[EventData]:
    """Facts stated once (an entity's creation): a same repeat is a no-op, another is refused."""
    if existing is None:
        return [fact]
    if existing == fact:
        return []
    raise refuse(code, f"{what} đã được ghi nhận với nội dung khác")
