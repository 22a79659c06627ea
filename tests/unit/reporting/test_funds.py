"""The commendation funds in reporting (issue 18, item 4), pure: each fund event is one row of
``reporting_funds``, a vote commits and a decision concludes, and the province's table shows
an unallocated fund as such and an overdrawn one with its decisions; a revoked award's cash
recovered is a row of its own, on the fund its decision drew on."""

from __future__ import annotations

from typing import Any

from contracts import awards as aw
from contracts.examples import EXAMPLES
from services.reporting.funds import FundLine, FundReport, page_body, table
from services.reporting.readmodels.fold import HANDLERS
from services.reporting.readmodels.state import ModelState


def example(kind: type[aw.AwardsEvent], **changes: Any) -> Any:
    return kind.model_validate({**EXAMPLES[kind][0], **changes})


def test_each_fund_event_is_one_row_and_a_vote_commits_its_expected_cash() -> None:
    s = ModelState()
    kinds = (aw.FundAllocated, aw.FundAdjusted, aw.FundDrawn, aw.FundOverdrawn, aw.FundRecovered)
    for n, kind in enumerate(kinds):
        HANDLERS[kind](s, f"e{n}", kind.type_name(), example(kind))
    voted = example(aw.NominationVoted, expected_cash_vnd=417_000)
    HANDLERS[aw.NominationVoted](s, "e9", aw.NominationVoted.type_name(), voted)
    rows = {r.event_id: (r.kind, r.owner, r.amount_vnd) for r in s.funds.changed_rows()}
    assert rows == {
        "e0": ("allocated", "sct-gialai", 250_000_000),
        "e1": ("adjusted", "sct-gialai", -20_000_000),
        "e2": ("drawn", "sct-gialai", 57_820_000),
        "e3": ("overdrawn", "gia-lai-board", 41_700_000),
        "e4": ("recovered", "sct-gialai", 1_390_000),
        "e9": ("committed", "gia-lai-board", 417_000),
    }


def line(owner: str, **changes: Any) -> FundLine:
    data: dict[str, Any] = {
        "owner": owner, "name": owner, "allocated_vnd": 0, "spent_vnd": 0, "committed_vnd": 0,
        "balance_vnd": 0, "available_vnd": 0, "allocated": False, "overdrawn": [],
    }  # fmt: skip
    return FundLine(**{**data, **changes})


def test_the_table_shows_an_unallocated_fund_and_flags_an_overdrawn_one() -> None:
    over = line("sct-gialai", allocated=True, allocated_vnd=500_000, spent_vnd=834_000,
                balance_vnd=-334_000, available_vnd=-334_000, overdrawn=["2/QĐ-SCT"])  # fmt: skip
    report = FundReport(
        province_id="gia-lai", province_name="Gia Lai", year=2018, as_of=None,
        lines=[line("gia-lai-board"), over], total=over,
    )  # fmt: skip
    rows = table(report).rows
    assert rows[0][-1] == "Chưa giao quỹ" and rows[0][1] is None
    assert rows[1][1:] == [500_000, 834_000, 0, 0, -334_000, -334_000, "2/QĐ-SCT"]
    html = page_body(report)
    assert 'id="fund-overdrawn"' in html and "-334.000" in html


def test_a_recovered_award_counts_from_the_day_of_its_revocation_on_its_decisions_fund() -> None:
    s = ModelState()
    back = example(aw.FundRecovered)
    HANDLERS[aw.FundRecovered](s, "e1", aw.FundRecovered.type_name(), back)
    [row] = s.funds.changed_rows()
    assert (row.kind, row.owner, row.year, row.effective_on, row.decision_number) == (
        "recovered", "sct-gialai", 2018, back.recovered_on, "250/QĐ-SCT"
    )  # fmt: skip
    assert (row.nomination_id, row.amount_vnd) == (back.nomination_id, 1_390_000)
