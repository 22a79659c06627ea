"""A small province scenario through the running services: the rollup equals its expectation."""

from __future__ import annotations

import pytest

from scenarios.publisher import rollup_differences
from tests.e2e.conftest import PEOPLE, Loaded, log_tails
from thidua import runner
from thidua.settings import StackSettings

pytestmark = pytest.mark.e2e


async def test_the_province_rollup_equals_what_the_scenario_expects(
    loaded: Loaded, services: StackSettings
) -> None:
    scenario = loaded.scenario
    figures = scenario.expectation.figures()
    # The comparison is not vacuous: staff, registrations, initiatives recognised and rejected,
    # dossiers returned, titles granted and refused, cash.
    assert figures["staff"]["staff"] == PEOPLE
    assert figures["registrations"]["individuals"] > 0
    assert figures["initiatives"]["recognized"] and figures["initiatives"]["rejected"]
    assert figures["dossiers"]["returned"] > 0
    assert any("rejected" in outcomes for outcomes in figures["nominations"].values())
    assert figures["awards"] and figures["cash_vnd"] > 0

    assert loaded.published, f"{scenario.province_id} was in the rollup before it was published"
    assert loaded.remaining == [], (
        f"after {loaded.seconds:.0f} s the rollup of {scenario.province_id} still differs:\n"
        + "\n".join(loaded.remaining[:30])
        + "\n"
        + log_tails(services)
    )
    # Read again: the rollup stays equal (nothing arrives late or twice).
    assert await rollup_differences(runner.reporting_url(services), scenario) == []
