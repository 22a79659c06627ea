"""The commendation fund (issue 18, item 4) on the real Kafka and PostgreSQL: the Gia Lai
department's fund of 2018 is allocated (500.000 đồng); a first decision (an LĐTT, 417.000
đồng) draws on it, a second overdraws it: the second is still recorded (its award approved)
and flagged (``FundOverdrawn`` with the amounts). Bad fund inputs are refused and change
nothing: a second allocation of the year, an adjustment of a fund never allocated, a negative
amount, an allocation above the rule set's ceiling of the declared budget. Then, in 2019, the
first award is revoked: its cash goes back to the 2018 fund its decision drew on
(``FundRecovered``), once, however often the revocation is sent."""

from __future__ import annotations

import json
from typing import Any

from contracts.awards import AwardRevoked, FundAdjusted, FundAllocated
from contracts.envelope import CloudEvent
from tests.integration.awards.conftest import (
    Year2018,
    awards_facts,
    department,
    named,
    refusals,
    send,
)
from tests.integration.awards.gia_lai_2018 import director_decision, known_to_awards, nomination
from tests.support import eventually, produce

BASIS = {"number": "1024/QĐ-UBND", "issuer": "UBND tỉnh Gia Lai", "issued_on": "2017-12-20"}


def allocation(y: Year2018, amount: int = 500_000, **changes: Any) -> FundAllocated:
    data = {
        "department_code": y.dept,
        "year": 2018,
        "amount_vnd": amount,
        "legal_basis": BASIS,
        "allocated_on": "2018-01-05",
    }
    return FundAllocated.model_validate({**data, **changes})


async def test_a_decision_that_overdraws_the_fund_is_recorded_and_flagged(
    awards: Year2018, bootstrap: str
) -> None:
    y = awards
    await known_to_awards(y, bootstrap)
    first, second = nomination(y, "p3", "LDTT"), nomination(y, "q2", "LDTT")
    adjustment = FundAdjusted.model_validate(
        {"department_code": y.dept, "year": 2019, "delta_vnd": 1000, "reason": "Bổ sung",
         "legal_basis": BASIS, "adjusted_on": "2019-03-01"}
    )  # fmt: skip
    inputs = [
        allocation(y),
        allocation(y, 900_000),  # refused: allocated already, adjust instead
        adjustment,  # refused: the fund of 2019 was never allocated
        # refused: above 1.0% of the declared regular expenditure (NĐ 91/2017)
        allocation(y, 2_000_000, year=2017, regular_expenditure_vnd=100_000_000),
        first,
        second,
        director_decision(y, "1", first.nomination_id),
        director_decision(y, "2", second.nomination_id),
    ]
    sent = await send(bootstrap, y.ingress, y.dept, inputs, department(y))
    negative = CloudEvent.new(allocation(y, year=2020), source=department(y), department=y.dept)
    envelope = json.loads(negative.to_json())
    envelope["data"]["amount_vnd"] = -1  # what no contract admits, written by hand
    raw = json.dumps(envelope).encode()
    await produce(bootstrap, y.ingress, [raw], key=y.dept.encode())

    refused = await refusals(bootstrap, y, [sent[1], sent[2], sent[3], negative])
    assert refused == {
        sent[1].id: {"awards.fund_already_allocated"},
        sent[2].id: {"awards.fund_not_allocated"},
        sent[3].id: {"awards.fund_above_ceiling"},
        negative.id: {"data.invalid"},
    }
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: bool(named(f, "FundOverdrawn")),
        what="the overdrawn fund flagged",
    )
    assert len(named(facts, "NominationApproved", second.nomination_id)) == 1  # recorded
    [allocated] = named(facts, "FundAllocated")
    assert allocated.data["amount_vnd"] == 500_000
    [drawn] = named(facts, "FundDrawn")
    assert (drawn.data["decision_number"], drawn.data["amount_vnd"]) == ("1/QĐ-SCT", 417_000)
    assert drawn.data["balance_vnd"] == 83_000
    [flag] = named(facts, "FundOverdrawn")
    assert (flag.data["department_code"], flag.data["year"]) == (y.dept, 2018)
    assert {
        k: flag.data[k] for k in ("decision_number", "available_vnd", "amount_vnd", "balance_vnd")
    } == {
        "decision_number": "2/QĐ-SCT",
        "available_vnd": 83_000,
        "amount_vnd": 417_000,
        "balance_vnd": -334_000,
    }
    assert not named(facts, "FundAdjusted")  # nothing refused was kept

    revocation = AwardRevoked.model_validate(
        {"nomination_id": first.nomination_id, "department_code": y.dept,
         "decision_number": "7/QĐ-SCT", "revoked_on": "2019-03-01",
         "reason": "Hồ sơ kê khai không đúng"}
    )  # fmt: skip
    again = await send(bootstrap, y.ingress, y.dept, [revocation, revocation], department(y))
    assert (await refusals(bootstrap, y, [again[1]])) == {again[1].id: {"awards.not_awarded"}}
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: bool(named(f, "FundRecovered")),
        what="the revoked award's cash back to the fund",
    )
    [back] = named(facts, "FundRecovered")
    assert {
        k: back.data[k]
        for k in ("department_code", "year", "decision_number", "nomination_id", "revoked_by",
                  "recovered_on", "amount_vnd", "balance_vnd")
    } == {
        "department_code": y.dept, "year": 2018, "decision_number": "1/QĐ-SCT",
        "nomination_id": first.nomination_id, "revoked_by": "7/QĐ-SCT",
        "recovered_on": "2019-03-01", "amount_vnd": 417_000, "balance_vnd": 83_000,
    }  # fmt: skip
