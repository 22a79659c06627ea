"""A decision that overdraws a commendation fund (issue 18, item 4) is told to the fund's owner
and the provincial board, in Vietnamese, with the amounts."""

from __future__ import annotations

from typing import Any

from contracts import awards as aw
from contracts.examples import EXAMPLES
from tests.unit.notifications.planning import GL, Given, claimed, event_of, when


def overdrawn(**changes: Any) -> aw.FundOverdrawn:
    [example] = EXAMPLES[aw.FundOverdrawn]
    return aw.FundOverdrawn.model_validate({**example, **changes})


def test_a_departments_overdrawn_fund_tells_the_department_and_its_provinces_board() -> None:
    given = Given(names={("department", GL): "Sở Công Thương Gia Lai"})
    fact = overdrawn(department_code=GL, decision_id=f"{GL}/qd-251", decision_number="251/QĐ-SCT")
    notices = when(given, event_of(fact))
    assert claimed(notices) == [
        ("department", GL, "contact"),
        ("province", "gia-lai", "contact"),
    ]
    first = notices[0]
    assert first.subject == (
        "[Quỹ thi đua, khen thưởng] Bội chi quỹ năm 2018 của Sở Công Thương Gia Lai: "
        "Quyết định 251/QĐ-SCT ngày 28/12/2018"
    )
    assert "41.700.000 đồng" in first.body and "-1.700.000 đồng" in first.body
    assert "40.000.000 đồng" in first.body and "Kính gửi: Sở Công Thương Gia Lai." in first.body


def test_the_provinces_overdrawn_fund_tells_the_board() -> None:
    given = Given(names={("province", "gia-lai"): "Gia Lai"})
    notices = when(given, event_of(overdrawn()))
    assert claimed(notices) == [("province", "gia-lai", "contact")]
    assert "Bội chi quỹ năm 2018 của Gia Lai" in notices[0].subject
