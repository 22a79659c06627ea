"""Issue 17, economic results: Sở Công Thương Gia Lai reports the actual values of its 2018
plan's four economic targets (industrial output, retail, exports, imports) for the whole year,
one first as an estimate (ước thực hiện) then corrected with the official figure, and its
system sends one report in the wrong unit, which registration refuses
(``registration.economic_unit_mismatch``) and which counts nowhere.

The figures are fixed, illustrative numbers (not the province's published statistics), chosen
around the targets: three met, imports below plan. No random draw is made, so every other
event of the scenario keeps its id and content. Their expectation is the sum of what was
reported (``Expectation.economy``), checked in the Gia Lai province rollup.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts import examples
from scenarios import seeds
from scenarios.builder import Builder, registration_fact
from scenarios.directory import GIA_LAI_DEPARTMENTS

YEAR = 2018
REPORTED_ON = date(2019, 1, 15)
ESTIMATED_ON = date(2018, 12, 14)
ACTUALS = {
    "Giá trị sản xuất công nghiệp": Decimal("20112.6"),
    "Tổng mức bán lẻ hàng hoá và doanh thu dịch vụ": Decimal("58326"),
    "Tổng kim ngạch xuất khẩu": Decimal("488.5"),
    "Tổng kim ngạch nhập khẩu": Decimal("79.3"),
}
"""What Sở Công Thương Gia Lai reports for 2018 (tỷ đồng, triệu USD as its plan's targets)."""
ESTIMATE = ("Giá trị sản xuất công nghiệp", Decimal("20050"))
"""Reported first as an estimate in December, corrected in January with ``ACTUALS``."""
WRONG_UNIT = "tỷ đồng"
"""The unit the refused report of exports is sent in (the plan counts them in triệu USD)."""
REPORTER = next(d for d in GIA_LAI_DEPARTMENTS if d.code == seeds.GIA_LAI)


def report_results(b: Builder) -> None:
    """Sở Công Thương Gia Lai's reports of 2018 (and its refused one); its expectation gets the
    targets and actuals it reported."""
    code = b.code(REPORTER.code)
    campaign = code + str(examples.GIA_LAI_2018_PLAN["campaign_id"]).removeprefix(REPORTER.code)
    targets = {t["indicator"]: t for t in examples.GIA_LAI_2018_PLAN["economic_targets"]}
    period = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    expect = b.expect(code)
    for n, (indicator, actual) in enumerate(ACTUALS.items()):
        target = targets[indicator]
        common = {
            "campaign_id": campaign,
            "department_code": code,
            "indicator": indicator,
            "period": period,
            "unit_of_measure": target["unit_of_measure"],
        }
        subject = f"economic:{campaign}:{n}"
        if indicator == ESTIMATE[0]:
            estimate = registration_fact(
                "EconomicResultReported", **common, value=ESTIMATE[1],
                reported_on=ESTIMATED_ON, note="Ước thực hiện năm 2018",
            )  # fmt: skip
            b.emit(code, estimate, subject, ESTIMATED_ON)
            corrected = registration_fact(
                "EconomicResultCorrected", **common, value=actual, corrected_on=REPORTED_ON,
                reason="Số liệu chính thức thay số ước thực hiện",
            )  # fmt: skip
            b.emit(code, corrected, subject, REPORTED_ON)
        else:
            reported = registration_fact(
                "EconomicResultReported", **common, value=actual, reported_on=REPORTED_ON
            )
            b.emit(code, reported, subject, REPORTED_ON)
        expect.economic(indicator, str(target["unit_of_measure"]), Decimal(str(target["value"])),
                        actual)  # fmt: skip
    wrong = registration_fact(
        "EconomicResultReported", campaign_id=campaign, department_code=code,
        indicator="Tổng kim ngạch xuất khẩu", period={"start": f"{YEAR}-01-01",
        "end": f"{YEAR}-06-30"}, value=Decimal("5400"), unit_of_measure=WRONG_UNIT,
        reported_on=date(YEAR, 7, 10),
    )  # fmt: skip
    b.emit(code, wrong, f"economic:{campaign}:wrong-unit", date(YEAR, 7, 10))
