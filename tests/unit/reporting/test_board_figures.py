"""The provincial board's figures (issue 17): processing days per dossier, vote results and
the share of direct workers among individual awards, from one fact to the rollup's summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

from services.reporting.facts import Dims, Fact, PersonDim, figures_of
from services.reporting.presentation import board_tables, key_label
from services.reporting.queries import Rollup
from services.reporting.queries.board import processing_days, summary, votes
from services.reporting.queries.models import BlocRank, BlocStanding

DEPT = "sct-gialai"


def award(days: int | None, *, sign: int = 1, direct: bool = False) -> tuple[Fact, Dims]:
    attrs: dict[str, object] = {
        "title": "CSTD_BO_TINH",
        "nominee_kind": "individual",
        "method": "regular",
        "authority": "provincial_chair",
        "cash_vnd": 4_170_000,
        "status_to": "approved",
        "status_from": "submitted",
    }
    if days is not None:
        attrs["processing_days"] = days
    fact = Fact("e", "award", date(2018, 12, 28), DEPT, person_id="p", year=2018, sign=sign,
                attrs=attrs)  # fmt: skip
    return fact, Dims(person=PersonDim("female", False, direct))


def test_a_decision_counts_the_days_since_the_dossier_was_received() -> None:
    fact, dims = award(21)
    assert ("dossiers.processing_days", "CSTD_BO_TINH|21", 1, 21) in figures_of(fact, dims)


def test_a_revocation_does_not_undo_the_processing() -> None:
    fact, dims = award(21, sign=-1)
    assert not [f for f in figures_of(fact, dims) if f[0] == "dossiers.processing_days"]


def test_an_award_to_a_direct_worker_is_counted_as_such() -> None:
    fact, dims = award(None, direct=True)
    assert ("awards.direct_workers", "CSTD_BO_TINH", 1, 0) in figures_of(fact, dims)
    fact, dims = award(None, direct=False)
    assert not [f for f in figures_of(fact, dims) if f[0] == "awards.direct_workers"]


def test_a_vote_counts_its_yes_share_and_whether_it_reached_the_threshold() -> None:
    attrs = {"title": "CSTDCS", "reached": False, "yes_permille": 777, "council_level": "x"}
    fact = Fact("v", "vote", date(2018, 12, 14), DEPT, year=2018, attrs=attrs)
    assert figures_of(fact, Dims()) == [("votes", "CSTDCS|below", 1, 777)]


def test_the_summary_gives_averages_the_longest_and_the_shares() -> None:
    f = {
        ("dossiers.processing_days", "LDTT|10"): (3, 30),
        ("dossiers.processing_days", "LDTT|25"): (1, 25),
        ("dossiers.processing_days", "LDTT|40"): (0, 0),  # taken back: not the longest
        ("votes", "CSTDCS|reached"): (2, 1778),
        ("votes", "CSTDCS|below"): (1, 667),
        ("awards.direct_workers", "LDTT"): (3, 0),
    }
    [ldtt] = processing_days(f)
    assert (ldtt.dossiers, ldtt.average_days, ldtt.max_days) == (4, Decimal("13.8"), 25)
    [cstdcs] = votes(f)
    assert (cstdcs.voted, cstdcs.reached, cstdcs.below) == (3, 2, 1)
    assert cstdcs.average_yes_percent == Decimal("81.5")
    found = summary(f, individual_awards=12)
    assert found["direct_worker_awards"] == 3
    assert found["direct_workers_percent_of_individual_awards"] == Decimal("25.00")
    assert key_label("votes", "CSTDCS|below") == "Chiến sĩ thi đua cơ sở: không đạt tỷ lệ phiếu"


def test_the_board_tables_show_the_blocs_leader_and_its_flag() -> None:
    ranks = [
        BlocRank(rank=1, member_kind="department", member_id="a", name="Sở A", score=Decimal(95)),
        BlocRank(rank=2, member_kind="department", member_id="b", name="Sở B", score=None),
    ]
    bloc = BlocStanding(
        bloc_id="k",
        name="Khối kinh tế",
        ranked_on=date(2018, 12, 15),
        ranked_on_label="15/12/2018",
        leader_id="a",
        leader_name="Sở A",
        flag_awarded=True,
        ranking=ranks,
    )
    rollup = cast(Rollup, SimpleNamespace(processing_days=[], votes=[], blocs=[bloc]))
    [table] = board_tables(rollup)
    assert table.rows[0][1:3] == [1, "Sở A (Trưởng khối)"] and table.rows[0][5] == "Được tặng"
    assert table.rows[1][2] == "Sở B" and table.rows[1][5] == ""
