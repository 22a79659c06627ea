"""Emulation blocs (khối thi đua): formed once with their members, then, each year, a leader
designated and the board's ranking (issue 17).

Apart from units and people: a bloc names its members by kind and id and is judged on its own
stream only (whether the sender may speak for it is the decision's, ``decisions/directory.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from contracts.base import EventData
from contracts.registration import BlocFormed, BlocLeaderDesignated, BlocMember, BlocRanked
from services.registration.domain.common import refuse, vn_date


@dataclass(frozen=True)
class Bloc:
    formed: BlocFormed
    leaders: dict[int, BlocLeaderDesignated]
    rankings: dict[int, BlocRanked] = field(default_factory=dict)

    def has_member(self, member: BlocMember) -> bool:
        return member in self.formed.members


def fold_bloc(payloads: Iterable[EventData]) -> Bloc | None:
    bloc: Bloc | None = None
    for p in payloads:
        if isinstance(p, BlocFormed):
            bloc = Bloc(p, {})
        elif isinstance(p, BlocLeaderDesignated) and bloc is not None:
            bloc = Bloc(bloc.formed, {**bloc.leaders, p.year: p}, bloc.rankings)
        elif isinstance(p, BlocRanked) and bloc is not None:
            bloc = Bloc(bloc.formed, bloc.leaders, {**bloc.rankings, p.year: p})
    return bloc


def decide_bloc_ranking(bloc: Bloc | None, fact: BlocRanked) -> list[EventData]:
    """The board's ranking of a bloc for a year (issue 17): its members only, after the bloc
    was formed, once a year (the same ranking again changes nothing), and consistent with a
    leader already designated for that year."""
    if bloc is None:
        raise refuse("directory.unknown_bloc", f"Không có khối thi đua {fact.bloc_id}", "bloc_id")
    for i, ranked in enumerate(fact.ranking):
        member = BlocMember(member_kind=ranked.member_kind, member_id=ranked.member_id)
        if not bloc.has_member(member):
            raise refuse(
                "directory.not_bloc_member",
                f"{ranked.member_id} không phải thành viên của {bloc.formed.name}",
                f"ranking.{i}",
            )
    _require_formed(bloc, fact.ranked_on, "ranked_on")
    earlier = bloc.rankings.get(fact.year)
    if earlier is not None:
        if earlier == fact:
            return []
        raise refuse(
            "directory.bloc_ranked_exists",
            f"Năm {fact.year} {bloc.formed.name} đã được xếp hạng "
            f"ngày {vn_date(earlier.ranked_on)}",
            "year",
        )
    designated = bloc.leaders.get(fact.year)
    if designated is not None and designated.leader != fact.leader:
        raise refuse(
            "directory.bloc_leader_exists",
            f"Năm {fact.year} khối đã có Trưởng khối {designated.leader.member_id}, "
            f"không phải {fact.leader.member_id} xếp thứ nhất",
            "ranking",
        )
    return [fact]


def _require_formed(bloc: Bloc, day: date, field: str) -> None:
    if day < bloc.formed.formed_on:
        raise refuse(
            "directory.bloc_not_formed",
            f"Khối thi đua được lập ngày {vn_date(bloc.formed.formed_on)}",
            field,
        )


def decide_form_bloc(existing: Bloc | None, fact: BlocFormed) -> list[EventData]:
    if existing is None:
        return [fact]
    if existing.formed == fact:
        return []
    raise refuse(
        "directory.conflicting_duplicate", f"Khối thi đua {fact.bloc_id} đã được lập", "bloc_id"
    )


def decide_bloc_leader(bloc: Bloc | None, fact: BlocLeaderDesignated) -> list[EventData]:
    if bloc is None:
        raise refuse("directory.unknown_bloc", f"Không có khối thi đua {fact.bloc_id}", "bloc_id")
    if not bloc.has_member(fact.leader):
        raise refuse(
            "directory.leader_not_member",
            f"{fact.leader.member_id} không phải thành viên của {bloc.formed.name}",
            "leader",
        )
    _require_formed(bloc, fact.designated_on, "designated_on")
    current = bloc.leaders.get(fact.year)
    if current is not None:
        if current.leader == fact.leader:
            return []
        raise refuse(
            "directory.bloc_leader_exists",
            f"Năm {fact.year} khối đã có Trưởng khối {current.leader.member_id}",
            "year",
        )
    return [fact]
