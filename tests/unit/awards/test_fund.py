"""The commendation fund (quỹ thi đua, khen thưởng; issue 18, item 4) on the in-memory world:
an allocation once, adjustments after it, within the rule set's ceiling when the budget is
declared; a decision draws its cash on its issuer's fund, and one that overdraws it is still
recorded, and flagged; a revoked award's cash goes back to the fund its decision drew on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.awards import (
    AwardRevoked,
    FundAdjusted,
    FundAllocated,
    FundDrawn,
    FundOverdrawn,
    FundRecovered,
    NominationSubmitted,
)
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.readmodels import lookups as lk
from services.awards.rules.base import Params
from services.awards.rules.fund import ceiling
from tests.unit.awards.builders import BOARD, DEPT
from tests.unit.awards.memory import World, kinds
from tests.unit.awards.test_decisions import decide, nominate, refusal_codes

FUND = streams.fund(DEPT, 2018)
BASIS = {"number": "3079/QĐ-UBND", "issuer": "UBND tỉnh Gia Lai", "issued_on": "2017-12-20"}


def allocated(amount: int = 500_000, owner: str = DEPT, **changes: Any) -> FundAllocated:
    data: dict[str, Any] = {
        "department_code": owner,
        "year": 2018,
        "amount_vnd": amount,
        "legal_basis": BASIS,
        "allocated_on": "2018-01-05",
    }
    return FundAllocated.model_validate({**data, **changes})


def adjusted(delta: int, **changes: Any) -> FundAdjusted:
    data: dict[str, Any] = {
        "department_code": DEPT,
        "year": 2018,
        "delta_vnd": delta,
        "reason": "Bổ sung dự toán",
        "legal_basis": BASIS,
        "adjusted_on": "2018-06-01",
    }
    return FundAdjusted.model_validate({**data, **changes})


def world() -> World:
    found = World().campaign().person("p1").person("p2")
    for owner in (DEPT, BOARD, "sct-nowhere"):
        found.knows(lk.FUND_OWNER, owner, owner != "sct-nowhere")
    return found


def two_nominated(fund_vnd: int) -> tuple[World, NominationSubmitted, NominationSubmitted]:
    """A fund allocated, then two LĐTT dossiers (417.000 đồng each when decided)."""
    w = world()
    w.when(allocated(fund_vnd))
    first, second = nominate("p1"), nominate("p2")
    w.when(first)
    w.when(second)
    return w, first, second


def test_a_decision_draws_on_the_fund_and_the_next_one_overdraws_it_but_is_recorded() -> None:
    w, first, second = two_nominated(500_000)
    drawn = w.when(decide(first.nomination_id, number="250"))[FUND]
    assert [type(f) for f in drawn] == [FundDrawn]
    assert (drawn[0].amount_vnd, drawn[0].balance_vnd) == (417_000, 83_000)
    appended = w.when(decide(second.nomination_id, number="251"))
    assert type(appended[streams.nomination(second.nomination_id)][0]).__name__ == (
        "NominationApproved"
    )
    [flag] = appended[FUND]
    assert isinstance(flag, FundOverdrawn)
    assert (flag.available_vnd, flag.amount_vnd, flag.balance_vnd) == (83_000, 417_000, -334_000)
    assert w.folds.fold(w.streams[FUND], agg.FUND).balance_vnd == -334_000


def revoked(nomination_id: str, on: date = date(2019, 3, 1)) -> AwardRevoked:
    return AwardRevoked(
        nomination_id=nomination_id,
        department_code=DEPT,
        decision_number="31/QĐ-SCT",
        revoked_on=on,
        reason="Hồ sơ kê khai không đúng",
    )


def test_a_revoked_awards_cash_goes_back_to_the_fund_of_the_year_it_was_drawn() -> None:
    w, first, second = two_nominated(900_000)
    w.when(decide(first.nomination_id, second.nomination_id, number="250"))
    assert w.folds.fold(w.streams[FUND], agg.FUND).balance_vnd == 66_000
    appended = w.when(revoked(first.nomination_id))  # in 2019: the 2018 fund gets it back
    assert kinds(appended)[FUND] == ["FundRecovered"]
    [back] = appended[FUND]
    assert isinstance(back, FundRecovered)
    assert (back.department_code, back.year, back.decision_number) == (DEPT, 2018, "250/QĐ-SCT")
    assert (back.nomination_id, back.revoked_by, back.recovered_on) == (
        first.nomination_id,
        "31/QĐ-SCT",
        date(2019, 3, 1),
    )
    assert (back.amount_vnd, back.balance_vnd) == (417_000, 483_000)
    fund = w.folds.fold(w.streams[FUND], agg.FUND)
    assert (fund.spent_vnd, fund.recovered_vnd, fund.balance_vnd) == (834_000, 417_000, 483_000)
    # the recovered cash is there for the next decision: it fits (66.000 alone would not)
    third = nominate("p3")
    w.person("p3").when(third)
    assert [type(f) for f in w.when(decide(third.nomination_id, number="252"))[FUND]] == [FundDrawn]


def test_an_award_whose_decision_drew_on_no_tracked_fund_recovers_nothing() -> None:
    w = world()
    first = nominate("p1")
    w.when(first)
    w.when(decide(first.nomination_id))  # before the year's fund was allocated: not drawn
    w.when(allocated(500_000))
    appended = w.when(revoked(first.nomination_id))
    assert FUND not in appended
    assert streams.nomination(first.nomination_id) in appended  # the revocation is recorded
    assert w.folds.fold(w.streams[FUND], agg.FUND).balance_vnd == 500_000


def test_a_year_without_an_allocated_fund_is_not_tracked() -> None:
    w = world()
    first = nominate("p1")
    w.when(first)
    assert FUND not in w.when(decide(first.nomination_id))


def test_a_second_allocation_for_the_year_is_refused_adjust_instead() -> None:
    w = world()
    w.when(allocated())
    assert refusal_codes(w, allocated(900_000)) == ["awards.fund_already_allocated"]


def test_a_fund_owner_the_directory_does_not_know_is_refused() -> None:
    w = world()
    stranger = allocated(owner="sct-nowhere")
    codes = refusal_codes(w, stranger, department="sct-nowhere")
    assert codes == ["awards.unknown_fund_owner"]


def test_a_board_allocates_its_provinces_fund_on_its_own_ingress() -> None:
    w = world()
    appended = w.when(allocated(owner=BOARD), department=BOARD)
    assert list(appended) == [streams.fund(BOARD, 2018)]


def test_adjustments_follow_the_allocation_and_never_take_the_fund_below_zero() -> None:
    w = world()
    assert refusal_codes(w, adjusted(100_000)) == ["awards.fund_not_allocated"]
    w.when(allocated(500_000))
    assert refusal_codes(w, adjusted(-600_000)) == ["awards.fund_negative"]
    assert refusal_codes(w, adjusted(1, adjusted_on="2017-12-31")) == [
        "awards.fund_adjusted_before_allocated"
    ]
    w.when(adjusted(-100_000))
    assert w.folds.fold(w.streams[FUND], agg.FUND).total_vnd == 400_000


def test_the_ceiling_is_a_share_of_the_declared_regular_expenditure() -> None:
    w = world()
    lowland = {"regular_expenditure_vnd": 100_000_000}
    assert refusal_codes(w, allocated(1_000_001, **lowland)) == ["awards.fund_above_ceiling"]
    w.when(allocated(1_000_000, **lowland))
    assert refusal_codes(w, adjusted(1)) == ["awards.fund_above_ceiling"]
    upland = allocated(1_500_000, regular_expenditure_vnd=100_000_000, upland=True, year=2019)
    assert list(w.when(upland)) == [streams.fund(DEPT, 2019)]


def test_the_ceiling_is_data_of_the_rule_set() -> None:
    assert ceiling(None, False, Params()) is None
    assert ceiling(200, True, Params()) == 3
    assert ceiling(10**9, False, Params(fund_cap_percent_lowland=None)) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"amount_vnd": -1},
        {"legal_basis": {"issuer": "UBND tỉnh"}},
        {"year": 1900},
    ],
)
def test_malformed_allocations_are_refused_by_the_contract(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        allocated(**bad)


def test_an_adjustment_of_nothing_is_refused_by_the_contract() -> None:
    with pytest.raises(ValidationError):
        adjusted(0)
