"""Emulation blocs and clusters (Khối / Cụm thi đua): their members, the leader designated
for a year, and the yearly ranking the provincial board publishes (issue 17, item 3).

Apart from the organisation directory because a bloc groups departments and units across it
for emulation alone: the yearly flag (DOMAIN rule 14) goes to the member that leads it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from contracts.base import event_type
from contracts.common import EntityId, NonNegativeQuantity, OrgLevel, OrgRef, ShortText, Value, Year
from contracts.registration.base import RegistrationEvent


class BlocMember(Value):
    """A member of an emulation bloc: a department or a unit (e.g. an enterprise)."""

    member_kind: Literal["department", "unit"]
    member_id: EntityId = Field(description="Department code or unit id.")


@event_type
class BlocFormed(RegistrationEvent):
    """An emulation bloc or cluster (Khối / Cụm thi đua) and its members."""

    event_name: ClassVar[str] = "BlocFormed"
    bloc_id: EntityId
    name: ShortText = Field(description="e.g. Khối thi đua các sở, ngành kinh tế tỉnh.")
    organiser: OrgRef = Field(description="Who organises the bloc, e.g. UBND tỉnh.")
    level: OrgLevel = Field(description="Level of the organiser (province, ministry, ...).")
    members: list[BlocMember] = Field(default_factory=list)
    formed_on: date


@event_type
class BlocLeaderDesignated(RegistrationEvent):
    """The bloc leader (Trưởng khối) for one year: the candidate for the yearly flag."""

    event_name: ClassVar[str] = "BlocLeaderDesignated"
    bloc_id: EntityId
    year: Year
    leader: BlocMember
    designated_on: date


# --- the provincial board (issue 17, item 3) ---------------------------------------------------


class BlocRank(BlocMember):
    """One member's place in its bloc's ranking for a year."""

    rank: int = Field(ge=1, description="1: the bloc's leader of the year (Trưởng khối).")
    score: NonNegativeQuantity | None = Field(default=None, description="Điểm chấm thi đua.")


@event_type
class BlocRanked(RegistrationEvent):
    """Kết quả chấm điểm, xếp hạng thi đua của khối trong năm, published by the board of the
    bloc's province: the member ranked first leads the bloc that year, the one the province's
    flag (Cờ thi đua tỉnh) may go to (DOMAIN rule 14)."""

    event_name: ClassVar[str] = "BlocRanked"
    bloc_id: EntityId
    year: Year
    ranked_on: date
    ranking: list[BlocRank] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> BlocRanked:
        members = [(r.member_kind, r.member_id) for r in self.ranking]
        if len(set(members)) != len(members):
            raise ValueError("a member is ranked twice")
        ranks = [r.rank for r in self.ranking]
        if len(set(ranks)) != len(ranks):
            raise ValueError("two members share a rank")
        if min(ranks) != 1:
            raise ValueError("nobody is ranked first")
        return self

    @property
    def leader(self) -> BlocMember:
        first = min(self.ranking, key=lambda r: r.rank)
        return BlocMember(member_kind=first.member_kind, member_id=first.member_id)
