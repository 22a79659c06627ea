"""The pure parts of a person's and a unit's record (issue 18): chains by the awards rules,
open discipline, an initiative's state, the search's reader scope and LIKE patterns."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.reporting.search.queries import Args, like_pattern, readable_departments
from services.reporting.search.records import (
    chains,
    initiative_status,
    open_discipline,
    titles_by_year,
)
from thidua.auth import Principal


def award(year: int, title: str, count: int = 1, method: str = "regular") -> dict[str, Any]:
    return {
        "year": year,
        "title": title,
        "nominee_kind": "individual",
        "method": method,
        "count": count,
        "cash": 1000 * count,
        "revoked": 1 if count <= 0 else 0,
    }


def test_the_cstdcs_chain_counts_consecutive_merit_years_up_to_the_last() -> None:
    (chain,) = chains([award(2016, "CSTDCS"), award(2017, "CSTDCS"), award(2018, "CSTDCS")])
    assert (chain.title, chain.towards, chain.years, chain.needed, chain.up_to) == (
        "CSTDCS", "CSTD_BO_TINH", 3, 3, 2018,
    )  # fmt: skip
    assert "3/3" in chain.text and "đủ số lần liên tục" in chain.text
    # a gap, a revoked year or a sudden award breaks it, as in the awards rules
    assert (
        chains([award(2015, "CSTDCS"), award(2017, "CSTDCS"), award(2018, "CSTDCS")])[0].years == 2
    )
    assert chains([award(2017, "CSTDCS"), award(2018, "CSTDCS", 0)])[0].years == 1
    broken = [award(2017, "CSTDCS", method="sudden"), award(2018, "CSTDCS")]
    assert chains(broken)[0].text.endswith("(còn 2 lần nữa)")
    assert chains([award(2018, "LDTT"), award(2018, "BANG_KHEN")]) == []


def test_the_provincial_cstd_chain_takes_two_consecutive_periods() -> None:
    found = {
        c.title: c.years for c in chains([award(2015, "CSTD_BO_TINH"), award(2018, "CSTD_BO_TINH")])
    }
    assert found == {"CSTD_BO_TINH": 2}


def test_titles_by_year_count_net_of_revocations_as_the_rollups_do() -> None:
    rows = [award(2018, "LDTT"), award(2018, "BANG_KHEN", 0), award(2017, "LDTT")]
    rows.append({**award(2018, "LDTT"), "nominee_kind": "collective"})
    found = {
        (t.year, t.title): (t.count, t.individuals, t.collectives, t.revoked)
        for t in titles_by_year(rows)
    }
    assert found == {
        (2018, "LDTT"): (2, 1, 1, 0),
        (2018, "BANG_KHEN"): (0, 0, 0, 1),
        (2017, "LDTT"): (1, 1, 0, 0),
    }


def row(kind: str, sign: int, on: str, level: str = "warning", person: str = "p") -> dict[str, Any]:
    return {
        "person_id": person,
        "kind": kind,
        "sign": sign,
        "effective_on": date.fromisoformat(on),
        "level": level,
    }


def test_open_discipline_is_what_was_imposed_and_neither_lifted_nor_annulled() -> None:
    imposed = [row("discipline", 1, "2017-03-01"), row("discipline", 1, "2018-05-01")]
    assert [d.imposed_on for d in open_discipline(imposed)] == [date(2017, 3, 1), date(2018, 5, 1)]
    lifted = [*imposed, row("tally", 1, "2018-03-01")]
    assert [d.imposed_on for d in open_discipline(lifted)] == [date(2018, 5, 1)]
    annulled = [*imposed, row("discipline", -1, "2018-06-01"), row("tally", 1, "2018-06-01")]
    assert [d.label for d in open_discipline(annulled)] == ["Cảnh cáo"]
    assert open_discipline([*lifted, row("tally", 1, "2019-05-01")]) == []


def test_an_initiatives_state() -> None:
    assert initiative_status(True, "") == "Đã rút"
    assert initiative_status(False, "initiative_submitted:") == "Đã nộp"
    recognized = "initiative_submitted:,initiative_recognized:ministry_province"
    assert initiative_status(False, recognized) == "Được công nhận cấp bộ, tỉnh"
    assert initiative_status(False, "initiative_rejected:") == "Không được công nhận"


def test_a_reader_searches_only_within_their_roles() -> None:
    args = Args()
    board = Principal(
        "s", "u", frozenset({"board", "department"}), province="gia-lai", department="sct-gialai"
    )
    assert readable_departments(args, board) == "(d.province_id = $1 OR d.department_code = $2)"
    assert args.values == ["gia-lai", "sct-gialai"]
    central = Principal("s", "u", frozenset({"ministry"}), ministry="*")
    assert readable_departments(Args(), central) == "(TRUE)"
    assert readable_departments(Args(), Principal("s", "u", frozenset({"operator"}))) == "FALSE"


def test_like_patterns_match_the_words_literally() -> None:
    assert like_pattern("hoa") == "%hoa%"
    assert like_pattern("50%_x\\") == "%50\\%\\_x\\\\%"
