"""Two processes of awards in its consumer groups; one is SIGKILLed while the scenario is being
absorbed. The survivor takes its partitions over and the rollup still equals the expectation:
nothing lost (uncommitted work is read again), nothing counted twice (the inbox)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from scenarios import Scenario
from scenarios.publisher import Progress
from scenarios.rollups import rollup_differences
from tests.auth import service_auth
from tests.e2e.conftest import LOAD_TIMEOUT, SECOND_INSTANCE_PORT, another_instance, log_tails
from tests.support import eventually
from thidua import loading, runner
from thidua.settings import StackSettings

pytestmark = pytest.mark.e2e

SERVICE = "awards"
FACTS_PHASE = 3
"""The scenario's facts phase (after the boards' two): registration's facts, which awards
consumes as they come."""
PEOPLE = 800
"""Large enough that the facts phase lasts seconds: the kill must land while it is absorbed."""


async def handled(metrics_url: str) -> float:
    """Records this instance has handled (``thidua_events_handled_total``, every group and
    outcome); -1 while its metrics do not answer."""
    try:
        async with httpx.AsyncClient(timeout=10, auth=service_auth()) as client:
            text = (await client.get(metrics_url)).text
    except (httpx.HTTPError, PermissionError):
        return -1
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("thidua_events_handled_total{")
    )


@dataclass(frozen=True)
class Moment:
    phase: int
    handled_by_second: float
    loading: bool
    rollup_behind: bool


async def test_killing_one_of_two_instances_mid_scenario_loses_and_doubles_nothing(
    services: StackSettings,
    new_scenario: Callable[..., Scenario],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = new_scenario(PEOPLE)
    reporting = runner.reporting_url(services)
    async with another_instance(services, SERVICE, SECOND_INSTANCE_PORT) as second:
        # This scenario's departments do not sample (the services follow their decision): its
        # traces would only cost CPU and Zipkin's memory.
        monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0")
        progress: list[Progress] = []
        started = time.monotonic()
        # The publisher waits on the first instance's outbox metrics, which stays up.
        load = asyncio.create_task(
            loading.load_scenario(services, scenario, progress.append, timeout=LOAD_TIMEOUT)
        )
        try:

            async def now() -> Moment:
                return Moment(
                    phase=progress[-1].number if progress else 0,
                    handled_by_second=await handled(second.metrics_url),
                    loading=not load.done(),
                    rollup_behind=bool(await rollup_differences(reporting, scenario)),
                )

            mid = await eventually(
                now,
                lambda m: (
                    not m.loading
                    or (m.phase >= FACTS_PHASE and m.handled_by_second > 0 and m.rollup_behind)
                ),
                timeout=LOAD_TIMEOUT,
                interval=0.2,
                what="the second awards instance at work in the middle of the scenario",
            )
            assert mid.loading, (
                f"the scenario was absorbed before the second instance was seen at work: {mid}"
            )
            await second.kill()
            assert second.process.returncode == -signal.SIGKILL
            killed_at = time.monotonic() - started
            published, remaining = await load
            print(
                f"SIGKILLed the second {SERVICE} instance {killed_at:.1f} s into the load, at "
                f"{mid}; the rollup matched {time.monotonic() - started:.1f} s into it"
            )
        finally:
            if not load.done():
                load.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await load

    assert published
    assert remaining == [], (
        f"killed at {mid}; the rollup of {scenario.province_id} still differs:\n"
        + "\n".join(remaining[:30])
        + "\n"
        + log_tails(services)
    )
    assert await rollup_differences(reporting, scenario) == []
