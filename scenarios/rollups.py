"""Whether the live rollups show a scenario, asked of the reporting API: the province's, each
of its other checked rollups and each ministry's, against what the scenario expects.

Apart from the publisher: what a scenario must yield is checked whoever published it
(``thidua up`` once its load ends, the bench, the chaos run, the end-to-end suites).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx

from scenarios.expectation import Expectation, differences, observed
from scenarios.generator import Scenario
from scenarios.lag import service_client


async def rollup_differences(
    reporting_url: str, scenario: Scenario, client: httpx.AsyncClient | None = None
) -> list[str]:
    """How the live province rollup, and each of the scenario's other checked rollups (other
    years and provinces, with or without predecessors), differ from its expectation (empty:
    all equal); asked through ``client`` if given (one kept for many polls: a new client
    builds its TLS context, 35 ms on an idle machine and 0.2 s on a busy one)."""
    if client is None:
        async with service_client(reporting_url) as made:
            return await rollup_differences(reporting_url, scenario, made)
    found = await _differences(
        client, f"province/{scenario.province_id}", scenario.year, scenario.expectation
    )
    for check in scenario.checks:
        found += await _differences(
            client, check.scope, check.year, check.expectation, check.with_predecessors
        )
    return found


async def ministry_differences(reporting_url: str, scenario: Scenario) -> list[str]:
    """How each ministry's live rollup differs from the scenario's expectation of it (its
    departments in every province). Ministries are shared by every scenario on a stack: this
    holds on a stack where ``scenario`` is the only one (the chaos run's)."""
    found: list[str] = []
    async with service_client(reporting_url) as client:
        for ministry in scenario.ministries:
            expected = scenario.ministry_expectation(ministry)
            found += await _differences(client, f"ministry/{ministry}", scenario.year, expected)
    return found


async def _differences(
    client: httpx.AsyncClient,
    scope: str,
    year: int,
    expected: Expectation,
    with_predecessors: bool = False,
) -> list[str]:
    params: dict[str, str | int] = {"year": year}
    if with_predecessors:
        params["with_predecessors"] = "true"
    response = await client.get(f"/rollups/{scope}", params=params)
    label = f"{scope} {year}" + (" with predecessors" if with_predecessors else "")
    if response.status_code != 200:
        return [f"{label}: HTTP {response.status_code} from the reporting API"]
    return [f"{label}: {d}" for d in differences(expected.figures(), observed(response.json()))]


async def until_rollup_matches(
    reporting_url: str,
    scenario: Scenario,
    *,
    timeout: float = 300.0,
    interval: float = 0.5,
    progress: Callable[[list[str], float], None] | None = None,
    every: float = 10.0,
) -> list[str]:
    """Poll the rollup until it equals the expectation; the last differences on timeout.
    ``progress`` hears the differences left and the seconds waited, every ``every`` s."""
    began = time.monotonic()
    deadline, told = began + timeout, began
    async with service_client(reporting_url) as client:
        while True:
            try:
                found = await rollup_differences(reporting_url, scenario, client)
            except (httpx.TransportError, PermissionError) as exc:
                found = [f"reporting API unreachable: {exc}"]
            now = time.monotonic()
            if not found or now > deadline:
                return found
            if progress is not None and now - told >= every:
                told = now
                progress(found, now - began)
            await asyncio.sleep(interval)
