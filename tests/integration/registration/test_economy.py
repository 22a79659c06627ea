"""Economic results (issue 17) on the real stack: Sở Công Thương Gia Lai reports an indicator of
its 2018 plan, corrects it; the facts are published on registration's events topic under the
same subject, and a second different report, an unknown indicator or another unit are refused
with their codes on the department's refusals topic."""

from __future__ import annotations

from typing import Any

from contracts.registration import EconomicResultCorrected, EconomicResultReported
from scenarios.seeds import BAC_LIEU, GIA_LAI
from tests.integration.registration.conftest import Registration


def _report(registration: Registration, **changes: Any) -> EconomicResultReported:
    code = registration.code(GIA_LAI)
    return EconomicResultReported.model_validate(
        {
            "campaign_id": registration.scenario.plans[code].campaign_id,
            "department_code": code,
            "indicator": "Tổng kim ngạch xuất khẩu",
            "period": {"start": "2018-01-01", "end": "2018-12-31"},
            "value": 488.5,
            "unit_of_measure": "triệu USD",
            "reported_on": "2019-01-15",
            **changes,
        }
    )


async def test_a_result_is_published_then_corrected_and_bad_ones_refused(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    fact = _report(registration)
    fix = EconomicResultCorrected.model_validate(
        {
            **fact.model_dump(mode="json", exclude={"reported_on"}),
            "value": 490.1,
            "corrected_on": "2019-02-01",
            "reason": "Số liệu chính thức của Cục Thống kê",
        }
    )
    events = [registration.envelope(gl, p) for p in (fact, fix)]
    await registration.send(gl, events)
    reported, corrected = await registration.settle(events)
    assert reported.types() == ["EconomicResultReported"], reported
    assert corrected.types() == ["EconomicResultCorrected"], corrected
    assert reported.facts[0].subject == corrected.facts[0].subject
    assert EconomicResultCorrected.model_validate(corrected.facts[0].data) == fix

    outcomes = await registration.submit(
        gl,
        _report(registration, value=500),
        _report(registration, indicator="Sản lượng điện thương phẩm"),
        _report(registration, unit_of_measure="tỷ đồng"),
        _report(registration, period={"start": "2018-01-01", "end": "2019-06-30"}),
    )
    assert all(not o.facts for o in outcomes), outcomes
    assert [c for o in outcomes for c in o.codes] == [
        "registration.economic_conflicting_duplicate",
        "registration.economic_unknown_indicator",
        "registration.economic_unit_mismatch",
        "registration.economic_period_outside_plan",
    ]
    assert "EconomicResultCorrected" in outcomes[0].messages[0]
    assert "triệu USD" in outcomes[2].messages[0]

    # Another department cannot report on Gia Lai's plan (DOMAIN rule 29).
    other = registration.code(BAC_LIEU)
    foreign = _report(registration, department_code=other)
    (outcome,) = await registration.submit(other, foreign)
    assert outcome.codes == ["campaign.of_other_department"]
