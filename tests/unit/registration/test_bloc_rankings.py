"""A bloc's yearly ranking (issue 17, DOMAIN rule 14) on registration's table in memory: only
the board of the members' province ranks it, its members only, once a year, consistent with a
leader designated for the year; the first ranked is the year's leader."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.registration import (
    BlocFormed,
    BlocLeaderDesignated,
    BlocMember,
    BlocRanked,
    DepartmentRegistered,
)
from services.registration import streams
from services.registration.handlers import decider
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

SCT, SXD, OTHER = "sct-gialai", "sxd-gialai", "sct-khanhhoa"
BLOC = "gia-lai/khoi-kinh-te"
BOARD = "gia-lai-board"


def sent(payload: EventData, code: str) -> CloudEvent:
    return CloudEvent.new(payload, source=f"urn:thidua:board:{code}", department=code)


def placed(code: str, province: str) -> DepartmentRegistered:
    return DepartmentRegistered(
        department_code=code, name=f"Sở {code}", province_id=province, ministry_id="bct"
    )


def a_bloc() -> MemoryStore:
    store = MemoryStore()
    for code, province in ((SCT, "gia-lai"), (SXD, "gia-lai"), (OTHER, "khanh-hoa")):
        store.given(streams.department(code), placed(code, province))
    store.given(
        streams.bloc(BLOC),
        BlocFormed(
            bloc_id=BLOC,
            name="Khối các sở kinh tế",
            organiser={"org_id": "gia-lai", "name": "UBND tỉnh Gia Lai"},
            level="province",
            members=[
                BlocMember(member_kind="department", member_id=SCT),
                BlocMember(member_kind="department", member_id=SXD),
            ],
            formed_on=date(2016, 1, 4),
        ),
    )
    return store


def ranking(*members: str, year: int = 2018, **changes: Any) -> BlocRanked:
    return BlocRanked.model_validate(
        {
            "bloc_id": BLOC,
            "year": year,
            "ranked_on": "2018-12-15",
            "ranking": [
                {"member_kind": "department", "member_id": m, "rank": i}
                for i, m in enumerate(members, start=1)
            ],
            **changes,
        }
    )


def refused(store: MemoryStore, payload: EventData, code: str) -> list[str]:
    with pytest.raises(Refused) as error:
        decide(decider(), store, sent(payload, code), department=code)
    return [r.code for r in error.value.reasons]


def test_the_board_ranks_the_bloc_and_the_first_leads_it() -> None:
    store = a_bloc()
    fact = ranking(SXD, SCT)
    assert decide(decider(), store, sent(fact, BOARD), department=BOARD) == [
        (streams.bloc(BLOC), fact)
    ]
    assert fact.leader == BlocMember(member_kind="department", member_id=SXD)
    assert decide(decider(), store, sent(fact, BOARD), department=BOARD) == []  # a repeat


def test_a_department_or_another_provinces_board_may_not_rank_it() -> None:
    assert refused(a_bloc(), ranking(SCT, SXD), SCT) == ["producer.board_only"]
    assert refused(a_bloc(), ranking(SCT, SXD), "khanh-hoa-board") == ["producer.board_only"]


def test_only_the_blocs_members_are_ranked() -> None:
    assert refused(a_bloc(), ranking(SCT, OTHER), BOARD) == ["directory.not_bloc_member"]


def test_a_year_is_ranked_once() -> None:
    store = a_bloc()
    decide(decider(), store, sent(ranking(SCT, SXD), BOARD), department=BOARD)
    assert refused(store, ranking(SXD, SCT), BOARD) == ["directory.bloc_ranked_exists"]


def test_the_ranking_agrees_with_a_leader_designated_for_the_year() -> None:
    store = a_bloc()
    leader = BlocMember(member_kind="department", member_id=SCT)
    store.given(
        streams.bloc(BLOC),
        BlocLeaderDesignated(
            bloc_id=BLOC, year=2018, leader=leader, designated_on=date(2018, 1, 15)
        ),
    )
    assert refused(store, ranking(SXD, SCT), BOARD) == ["directory.bloc_leader_exists"]


def test_an_unknown_bloc_is_refused() -> None:
    assert refused(MemoryStore(), ranking(SCT), BOARD) == ["directory.unknown_bloc"]


def test_ranks_are_distinct_and_start_at_one() -> None:
    with pytest.raises(ValidationError):
        ranking(SCT, SCT)
    with pytest.raises(ValidationError):
        BlocRanked.model_validate(
            {
                "bloc_id": BLOC,
                "year": 2018,
                "ranked_on": "2018-12-15",
                "ranking": [
                    {"member_kind": "department", "member_id": SCT, "rank": 2},
                    {"member_kind": "department", "member_id": SXD, "rank": 2},
                ],
            }
        )
