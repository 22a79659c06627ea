"""Scenarios of different sizes on one stack, as ``thidua up --people N`` after a default
``make up`` loads them: neither is given a prefix, each gets the namespace of its parameters,
both reach their rollup, and no event of the second is refused for reusing an id of the first
(before namespaces, awards refused 1,139 of them as ``envelope.duplicate_id_conflict`` and the
second scenario never became ready)."""

from __future__ import annotations

import pytest

from contracts.rejections import GenericReason
from scenarios import Scenario, build_scenario
from scenarios.rollups import rollup_differences
from tests.e2e.conftest import LOAD_TIMEOUT, log_tails, refusals
from thidua import loading, runner
from thidua.settings import StackSettings

pytestmark = pytest.mark.e2e

SIZES = (60, 90)


async def test_a_scenario_of_another_size_loads_beside_the_first(
    services: StackSettings, scenarios: list[Scenario]
) -> None:
    built = [build_scenario(people) for people in SIZES]
    scenarios.extend(built)  # their ingress topics are deleted after the package
    assert [s.prefix for s in built] == ["p60s2018-", "p90s2018-"]
    for scenario in built:
        _, remaining = await loading.load_scenario(services, scenario, timeout=LOAD_TIMEOUT)
        assert remaining == [], (
            f"the rollup of {scenario.province_id} still differs:\n"
            + "\n".join(remaining[:30])
            + "\n"
            + log_tails(services)
        )
    reporting = runner.reporting_url(services)
    for scenario in built:  # the second did not change the first
        assert await rollup_differences(reporting, scenario) == []
    for scenario in built:
        refused = await refusals(services.kafka_bootstrap, scenario)
        print(f"{scenario.name} ({scenario.events} events): refusals by reason {dict(refused)}")
        assert refused[GenericReason.DUPLICATE_ID_CONFLICT] == 0
