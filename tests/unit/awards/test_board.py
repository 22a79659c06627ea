"""The provincial board's steps (issue 17, DOMAIN rules 15, 16, 22), on the in-memory world: a
CSTĐ tỉnh is forwarded to the board of the department's province, the provincial council votes
and the chair decides on the board's ingress; a department, another province's board, or a board
acting on a director's title is refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts.awards import (
    AwardImported,
    CouncilVoted,
    DecisionIssued,
    NominationApproved,
    NominationForwarded,
    NominationRejected,
    NominationSubmitted,
    NominationVoted,
)
from contracts.common import OrgLevel, Scope, TitleCode
from contracts.registration import BlocRanked
from services.awards import streams
from services.awards.domain.boards import Provinces
from services.awards.domain.facts import Initiative
from services.awards.readmodels import lookups as lk
from services.awards.readmodels import registration as rc
from services.awards.rules.authority import decided_by_the_board
from tests.unit.awards.builders import BOARD, DEPT, PERSON, PROVINCE, dossier
from tests.unit.awards.memory import World
from thidua.es.rejections import Refused
from thidua.es.succession import Merger, Successions

T = TitleCode
OTHER_BOARD = "kon-tum-board"


def _held(year: int) -> AwardImported:
    return AwardImported.model_validate(
        {
            "nomination_id": f"{DEPT}/import/{year}",
            "department_code": DEPT,
            "year": year,
            "title": "CSTDCS",
            "nominee_kind": "individual",
            "nominee_id": PERSON,
            "decision_number": f"{year}/QĐ-SCT",
            "decision_date": f"{year}-12-20",
        }
    )


def eligible() -> tuple[World, NominationSubmitted]:
    """A person with CSTĐCS 2016-2018 and an initiative of province scope, nominated for CSTĐ
    tỉnh 2018 by the department."""
    world = World().campaign().person(PERSON)
    world.given(streams.titles(PERSON), _held(2016), _held(2017), _held(2018))
    initiative = Initiative(
        "sk-tinh", Scope.MINISTRY_PROVINCE, date(2018, 5, 1), author_ids=frozenset({PERSON})
    )
    world.knows(lk.INITIATIVE, "sk-tinh", initiative)
    cstd = dossier(
        T.CSTD_BO_TINH, conferring_level="province", evidence={"initiative_ids": ["sk-tinh"]}
    )
    return world, cstd


def vote(
    sender: str, nomination_id: str, yes: int, *, present: int = 10, level: str = "province"
) -> CouncilVoted:
    return CouncilVoted.model_validate(
        {
            "session_id": f"{sender}/hdtdkt/2018",
            "department_code": sender,
            "council_level": level,
            "members_total": 10,
            "members_present": present,
            "session_on": "2018-12-20",
            "results": [{"nomination_id": nomination_id, "yes_votes": yes}],
        }
    )


def decide(sender: str, nomination_id: str, authority: str = "provincial_chair") -> DecisionIssued:
    return DecisionIssued.model_validate(
        {
            "decision_id": f"{sender}/qd-2018",
            "department_code": sender,
            "number": "2500/QĐ-UBND",
            "issued_on": "2018-12-28",
            "issuer": {"name": "UBND tỉnh Gia Lai"},
            "authority": authority,
            "nomination_ids": [nomination_id],
        }
    )


def refused(world: World, payload: Any, department: str) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as raised:
        world.when(payload, department=department)
    return [(r.code, r.message) for r in raised.value.reasons]


def test_titles_above_a_directors_authority_are_the_boards() -> None:
    for title in (T.CSTD_BO_TINH, T.BANG_KHEN, T.CO_THI_DUA, T.TTLDXS):
        assert decided_by_the_board(title, None)
        assert not decided_by_the_board(title, OrgLevel.MINISTRY)
    for title in (T.LDTT, T.CSTDCS, T.TTLDTT, T.GIAY_KHEN, T.CSTD_TOAN_QUOC):
        assert not decided_by_the_board(title, OrgLevel.PROVINCE)


def test_a_cstd_tinh_dossier_is_forwarded_to_its_provinces_board() -> None:
    world, cstd = eligible()
    appended = world.when(cstd)
    [received, forwarded] = appended[streams.nomination(cstd.nomination_id)]
    assert received == cstd
    assert forwarded == NominationForwarded(
        nomination_id=cstd.nomination_id,
        department_code=DEPT,
        board_code=BOARD,
        province_id=PROVINCE,
        title=T.CSTD_BO_TINH,
        forwarded_on=cstd.received_on,
    )


def test_the_department_may_no_longer_vote_on_or_decide_a_forwarded_dossier() -> None:
    world, cstd = eligible()
    world.when(cstd)
    before = dict(world.streams)
    [(code, message)] = refused(world, vote(DEPT, cstd.nomination_id, 10), DEPT)
    assert code == "awards.forwarded_to_board"
    assert f"qua kênh '{BOARD}'" in message and "Chủ tịch UBND tỉnh" in message
    [(code, _)] = refused(world, decide(DEPT, cstd.nomination_id), DEPT)
    assert code == "awards.forwarded_to_board"
    assert world.streams == before


def test_the_provincial_council_votes_and_the_chair_decides_on_the_boards_ingress() -> None:
    world, cstd = eligible()
    world.when(cstd)
    [voted] = world.when(vote(BOARD, cstd.nomination_id, 9), department=BOARD)[
        streams.nomination(cstd.nomination_id)
    ]
    assert isinstance(voted, NominationVoted) and voted.reached
    appended = world.when(decide(BOARD, cstd.nomination_id), department=BOARD)
    [approved] = appended[streams.nomination(cstd.nomination_id)]
    assert isinstance(approved, NominationApproved), approved
    assert (approved.department_code, approved.authority) == (DEPT, "provincial_chair")
    assert approved.coefficient == 3


def test_a_cstd_tinh_needs_ninety_percent_of_the_provincial_council() -> None:
    world, cstd = eligible()
    world.when(cstd)
    appended = world.when(vote(BOARD, cstd.nomination_id, 8), department=BOARD)
    [voted, rejected] = appended[streams.nomination(cstd.nomination_id)]
    assert isinstance(voted, NominationVoted) and not voted.reached
    assert (voted.department_code, voted.threshold_percent) == (BOARD, 90)
    assert isinstance(rejected, NominationRejected)
    assert [r.code for r in rejected.reasons] == ["awards.vote_below_threshold"]


def test_a_provincial_session_under_eighty_percent_attendance_cannot_decide() -> None:
    world, cstd = eligible()
    world.when(cstd)
    codes = [c for c, _ in refused(world, vote(BOARD, cstd.nomination_id, 7, present=7), BOARD)]
    assert codes == ["awards.council_quorum_not_met"]


def test_the_boards_session_is_the_provincial_councils() -> None:
    world, cstd = eligible()
    world.when(cstd)
    codes = [
        c for c, _ in refused(world, vote(BOARD, cstd.nomination_id, 9, level="department"), BOARD)
    ]
    assert codes == ["awards.council_level"]


def test_another_provinces_board_may_not_decide() -> None:
    world, cstd = eligible()
    world.when(cstd)
    [(code, message)] = refused(world, decide(OTHER_BOARD, cstd.nomination_id), OTHER_BOARD)
    assert code == "awards.foreign_board" and f"'{BOARD}'" in message


def test_the_board_does_not_decide_a_directors_title() -> None:
    world = World().campaign().person(PERSON)
    ldtt = dossier(T.LDTT)
    assert [type(f).__name__ for f in world.when(ldtt)[streams.nomination(ldtt.nomination_id)]] == [
        "NominationSubmitted"
    ]
    [(code, _)] = refused(world, decide(BOARD, ldtt.nomination_id), BOARD)
    assert code == "awards.not_for_board"


def test_the_board_signs_as_the_provincial_chair() -> None:
    world, cstd = eligible()
    world.when(cstd)
    world.when(vote(BOARD, cstd.nomination_id, 10), department=BOARD)
    codes = [
        c
        for c, _ in refused(world, decide(BOARD, cstd.nomination_id, "department_director"), BOARD)
    ]
    assert codes == ["awards.authority_exceeded"]


def test_after_a_merger_of_provinces_the_successors_board_decides() -> None:
    world, cstd = eligible()
    world.when(cstd)
    merged = Successions([Merger(PROVINCE, "tay-nguyen", date(2018, 12, 15), "NQ test")])
    world.knows(lk.PROVINCES, lk.ALL, Provinces({DEPT: PROVINCE}, merged))
    [(code, message)] = refused(world, vote(BOARD, cstd.nomination_id, 10), BOARD)
    assert code == "awards.foreign_board" and "'tay-nguyen-board'" in message
    world.when(vote("tay-nguyen-board", cstd.nomination_id, 10), department="tay-nguyen-board")


def test_a_department_of_no_known_province_cannot_forward() -> None:
    world, cstd = eligible()
    world.knows(lk.PROVINCES, lk.ALL, Provinces())
    [(code, _)] = refused(world, cstd, DEPT)
    assert code == "awards.no_board"


def test_the_first_of_the_boards_bloc_ranking_is_the_years_leader_for_the_flag() -> None:
    ranked = BlocRanked.model_validate(
        {
            "bloc_id": "khoi-1",
            "year": 2018,
            "ranked_on": "2018-12-15",
            "ranking": [
                {"member_kind": "department", "member_id": "other", "rank": 2},
                {"member_kind": "department", "member_id": DEPT, "rank": 1},
            ],
        }
    )
    assert rc.changes(ranked) == [(rc.BLOCS, rc.BLOC_LEADER, ("khoi-1", 2018, "department", DEPT))]
