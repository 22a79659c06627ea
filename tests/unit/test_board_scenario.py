"""The scenario's provincial board part (issue 17, item 3): a CSTĐ tỉnh of Gia Lai forwarded to
the board and decided there, in two phases after the existing ones; the events before them
unchanged; the expectation (and so the rollup comparison) counts it. Judged here by awards'
own rules on the facts the scenario publishes, without a stack (tests/e2e runs the whole)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts import awards as a
from contracts import registration as r
from contracts import topics
from contracts.common import Rating, TitleCode
from scenarios import board
from scenarios.generator import DOSSIERS, Scenario, build_scenario
from services.awards.domain.boards import Provinces
from services.awards.domain.facts import Ballot, Facts, HeldTitle, Research
from services.awards.rules import judge, rule_set_for_year
from services.awards.rules.authority import decided_by_the_board


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario(120, seed=7, prefix="tb-")


def payloads(scenario: Scenario, phase: str) -> list[tuple[str, Any]]:
    [found] = [p for p in scenario.phases if p.name == phase]
    return [(s.department, s.event.payload()) for s in found.submissions]


def test_the_board_phases_come_after_every_other(scenario: Scenario) -> None:
    names = [p.name for p in scenario.phases]
    at = names.index(board.DOSSIER)
    assert names[at : at + 3] == [board.DOSSIER, board.RANKING, board.DECISION]
    assert at > names.index("Tiếp nhận đơn vị, phong trào năm 2026")  # after the restructuring
    assert scenario.main_year().phases[-1].name == DOSSIERS


def test_the_bench_year_expects_only_what_its_phases_send(scenario: Scenario) -> None:
    """The bench waits until the rollup equals ``main_year``'s expectation: the board's
    titles, votes and processing days come in later phases, so it must not expect them."""
    whole, main = scenario.expectation, scenario.main_year().expectation
    board_titles = {TitleCode.CSTD_BO_TINH.value, TitleCode.CO_THI_DUA.value}
    assert board_titles & set(whole.awards)
    assert not board_titles & {t for t, got in main.awards.items() if got}
    assert main.staff == whole.staff and sum(main.staff.values()) > 0
    assert sum(main.dossiers.values()) < sum(whole.dossiers.values())
    assert main.figures()["economy"] == []
    assert main.processing and main.votes  # the main year's own councils and decisions
    assert not board_titles & (set(main.processing) | set(main.votes))


def test_a_cstd_tinh_is_forwarded_and_decided_on_the_boards_ingress(scenario: Scenario) -> None:
    sent = payloads(scenario, board.DOSSIER)
    [(department, dossier)] = [
        (d, p)
        for d, p in sent
        if isinstance(p, a.NominationSubmitted) and p.title is TitleCode.CSTD_BO_TINH
    ]
    assert (dossier.title, dossier.conferring_level) == (TitleCode.CSTD_BO_TINH, "province")
    assert decided_by_the_board(dossier.title, dossier.conferring_level)
    placed = {
        p.department_code: p.province_id
        for s in scenario.submissions()
        if isinstance(p := s.event.payload(), r.DepartmentRegistered)
    }
    expected_board = Provinces(placed).board(department, dossier.received_on)
    assert expected_board is not None and expected_board.code == topics.board(scenario.province_id)
    decided = payloads(scenario, board.DECISION)
    assert {d for d, _ in decided} == {expected_board.code}
    [vote] = [p for _, p in decided if isinstance(p, a.CouncilVoted)]
    [decision] = [p for _, p in decided if isinstance(p, a.DecisionIssued)]
    assert (vote.council_level, decision.authority) == ("province", "provincial_chair")
    assert dossier.nomination_id in decision.nomination_ids
    assert decision.issued_on > board.SESSION_ON

    # Awards' rules, on what the scenario states: CSTĐCS 2016 and 2017 imported, 2018 awarded
    # by the department's decision, a research topic of province scope, the council's 10/11.
    imported = [p for _, p in sent if isinstance(p, a.AwardImported)]
    [research] = [p for _, p in sent if isinstance(p, r.ResearchAccepted)]
    titles = [HeldTitle(i.year, i.title) for i in imported] + [HeldTitle(2018, TitleCode.CSTDCS)]
    [ballot] = [x for x in vote.results if x.nomination_id == dossier.nomination_id]
    facts = Facts(
        dossier=dossier,
        registered=True,
        rating=Rating.GOOD,
        titles=tuple(titles),
        research=(
            Research(
                research.research_id,
                research.level,
                research.accepted_on,
                author_ids=frozenset({dossier.nominee_id}),
            ),
        ),
        ballot=Ballot(vote.members_total, vote.members_present, ballot.yes_votes, "province"),
    )
    assert judge(facts, rule_set_for_year(2018)).reasons == ()
    assert vote.members_present * 100 >= 80 * vote.members_total  # rule 16


def test_the_nominee_holds_the_main_years_cstdcs(scenario: Scenario) -> None:
    [dossier] = [
        p
        for _, p in payloads(scenario, board.DOSSIER)
        if isinstance(p, a.NominationSubmitted) and p.title is TitleCode.CSTD_BO_TINH
    ]
    cstdcs = [
        p
        for _, p in payloads(scenario, DOSSIERS)
        if isinstance(p, a.NominationSubmitted)
        and p.title is TitleCode.CSTDCS
        and p.nominee_id == dossier.nominee_id
    ]
    assert len(cstdcs) == 1
    decided = [
        p
        for _, p in payloads(scenario, DOSSIERS)
        if isinstance(p, a.DecisionIssued) and cstdcs[0].nomination_id in p.nomination_ids
    ]
    assert decided and decided[0].issued_on < date(2018, 12, 28)


def test_the_expectation_counts_the_cstd_tinh_in_gia_lai(scenario: Scenario) -> None:
    figures = scenario.expectation.figures()
    assert figures["nominations"]["CSTD_BO_TINH"] == {"approved": 1}
    [award] = [x for x in figures["awards"] if x["title"] == "CSTD_BO_TINH"]
    assert (award["count"], award["individuals"], award["cash_vnd"]) == (1, 1, 4_170_000)


def test_the_flag_goes_to_the_leader_of_the_boards_bloc_ranking(scenario: Scenario) -> None:
    [flag] = [
        p
        for _, p in payloads(scenario, board.DOSSIER)
        if isinstance(p, a.NominationSubmitted) and p.title is TitleCode.CO_THI_DUA
    ]
    [(sender, ranking)] = payloads(scenario, board.RANKING)
    assert isinstance(ranking, r.BlocRanked) and sender == topics.board(scenario.province_id)
    assert (ranking.leader.member_id, ranking.year) == (flag.nominee_id, flag.year)
    [formed] = [p for _, p in payloads(scenario, board.DOSSIER) if isinstance(p, r.BlocFormed)]
    ranked = {(m.member_kind, m.member_id) for m in ranking.ranking}
    assert ranked == {(m.member_kind, m.member_id) for m in formed.members}
    [vote] = [p for _, p in payloads(scenario, board.DECISION) if isinstance(p, a.CouncilVoted)]
    [ballot] = [x for x in vote.results if x.nomination_id == flag.nomination_id]
    facts = Facts(
        dossier=flag,
        bloc_leader=True,
        ballot=Ballot(vote.members_total, vote.members_present, ballot.yes_votes, "province"),
    )
    assert judge(facts, rule_set_for_year(2018)).reasons == ()
    [award] = [x for x in scenario.expectation.figures()["awards"] if x["title"] == "CO_THI_DUA"]
    assert (award["count"], award["collectives"], award["cash_vnd"]) == (1, 1, 11_120_000)
