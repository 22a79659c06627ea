"""Small helpers shared by the decisions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from contracts.base import EventData
from thidua.es.rejections import Reason, Refused, refuse

__all__ = [
    "as_of",
    "correction_hint",
    "decide_correction",
    "decide_first",
    "not_before",
    "refuse",
    "refuse_all",
    "vn_date",
]


T = TypeVar("T")


def as_of(initial: T, changes: Iterable[tuple[date, T]], day: date | None) -> T:
    """A value as its effective-dated changes (in order) had left it on ``day`` (None: after
    all of them): a unit's department, a campaign's owner, an organisation's name."""
    value = initial
    for effective_on, changed in changes:
        if day is None or effective_on <= day:
            value = changed
    return value


def vn_date(day: date) -> str:
    """Dates in people-facing texts: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def refuse_all(reasons: list[Reason]) -> None:
    if reasons:
        raise Refused(reasons)


def correction_hint(event_name: str) -> str:
    """The end of a refusal of a second, different statement of a fact: what to send instead."""
    return f"; để sửa nội dung đã ghi nhận, gửi sự kiện đính chính {event_name}"


def decide_first(
    existing: EventData | None, fact: EventData, code: str, what: str, correction: str = ""
) -> list[EventData]:
    """Facts stated once (an entity's creation): a same repeat is a no-op, another is refused
    (``correction``: the event that corrects it, named in the refusal)."""
    if existing is None:
        return [fact]
    if existing == fact:
        return []
    hint = correction_hint(correction) if correction else ""
    raise refuse(code, f"{what} đã được ghi nhận với nội dung khác{hint}")


def decide_correction(
    last: EventData | None, fact: EventData, unchanged: bool, code: str, what: str
) -> list[EventData]:
    """A correction (đính chính) of a recorded fact: the same as the last correction is a
    repeat (no new fact); one dated before the last (``corrected_on``), or that changes
    nothing, is refused."""
    if last == fact:
        return []
    last_on: date | None = getattr(last, "corrected_on", None)
    if last_on is not None:
        not_before(
            getattr(fact, "corrected_on", last_on), last_on, "correction.before_last_correction",
            "lần đính chính trước", "corrected_on",
        )  # fmt: skip
    if unchanged:
        raise refuse(code, f"Nội dung đính chính của {what} trùng với nội dung đã ghi nhận")
    return [fact]


def not_before(day: date, earliest: date | None, code: str, what: str, field: str) -> None:
    """``day`` (a correction's, a withdrawal's) is not before the fact it changes."""
    if earliest is not None and day < earliest:
        raise refuse(code, f"Ngày {vn_date(day)} trước {what} ({vn_date(earliest)})", field)
