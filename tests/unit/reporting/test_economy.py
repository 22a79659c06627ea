"""Economic targets against results (issue 17): attainment, growth from the reported previous
value, the reported growth or the plan's base, and a province's sums of like indicators."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.reporting.economy import Result, Target, latest, line, totals

YEAR = (date(2018, 1, 1), date(2018, 12, 31))
INDUSTRY = Target("Giá trị sản xuất công nghiệp", "tỷ đồng", Decimal(19663), Decimal("8.76"))
IMPORTS = Target("Tổng kim ngạch nhập khẩu", "triệu USD", Decimal(86), Decimal("-31.2"))


def test_a_whole_year_figure_grows_on_the_base_the_plan_was_set_on() -> None:
    got = line("sct", "c", INDUSTRY, Result(*YEAR, Decimal("20112.6")), *YEAR)
    assert got.attained_percent == Decimal("102.29")
    # base = 19,663 / 1.0876 = 18,079.26; 20,112.6 / 18,079.25 - 1 = 11.25 %
    assert got.base is not None and got.base.quantize(Decimal("0.01")) == Decimal("18079.26")
    assert got.growth_percent == Decimal("11.25")
    # A decrease planned (-31.2 %): 79.3 against a base of 86 / 0.688 = 125 is -36.56 %.
    imports = line("sct", "c", IMPORTS, Result(*YEAR, Decimal("79.3")), *YEAR)
    assert (imports.attained_percent, imports.growth_percent) == (
        Decimal("92.21"),
        Decimal("-36.56"),
    )


def test_the_departments_own_previous_value_or_growth_comes_first() -> None:
    stated = Result(*YEAR, Decimal(110), previous_value=Decimal(100))
    assert line("sct", "c", INDUSTRY, stated, *YEAR).growth_percent == Decimal("10.00")
    grown = Result(*YEAR, Decimal(110), growth_percent=Decimal("4.5"))
    assert line("sct", "c", INDUSTRY, grown, *YEAR).growth_percent == Decimal("4.50")
    # A half-year figure with nothing stated: no base from the year's plan.
    half = Result(date(2018, 1, 1), date(2018, 6, 30), Decimal(9800))
    got = line("sct", "c", INDUSTRY, half, *YEAR)
    assert (got.attained_percent, got.growth_percent) == (Decimal("49.84"), None)
    assert latest([half, Result(*YEAR, Decimal(1))]) == Result(*YEAR, Decimal(1))


def test_a_province_sums_like_indicators_in_like_units_over_who_reported() -> None:
    lines = [
        line("a", "ca", INDUSTRY, Result(*YEAR, Decimal(20000), previous_value=Decimal(18000)),
             *YEAR),
        line("b", "cb", INDUSTRY,
             Result(*YEAR, Decimal(21000), previous_value=Decimal(19000)), *YEAR),
        line("c", "cc", INDUSTRY, None, *YEAR),
        line("a", "ca", Target("Giá trị sản xuất công nghiệp", "triệu USD", Decimal(800)),
             Result(*YEAR, Decimal(900)), *YEAR),
    ]  # fmt: skip
    by_unit = {t.unit_of_measure: t for t in totals(lines)}
    vnd = by_unit["tỷ đồng"]
    assert (vnd.planned, vnd.reported) == (3, 2)
    assert (vnd.planned_target, vnd.target, vnd.actual) == (
        Decimal(58989),
        Decimal(39326),
        Decimal(41000),
    )
    assert vnd.attained_percent == Decimal("104.26")
    assert vnd.growth_percent == Decimal("10.81")  # 41,000 / 37,000 - 1
    usd = by_unit["triệu USD"]
    assert (usd.target, usd.actual, usd.growth_percent) == (Decimal(800), Decimal(900), None)
