"""End-to-end figures, with the four services running as ``thidua up`` runs them.

- **Throughput**: a scenario (``scenarios``, its own department prefix) published by the
  simulated departments phase by phase, timed until the province rollup equals its
  independently computed expectation.
- **Burst**: its last phase (the dossier deadline: every nomination at once), timed from its
  first publish until the rollup is exact again.
- **Latency**: open-loop load, event by event (``thidua.bench.latency``).

This module also starts and stops the services, and deletes the department topics a scenario
leaves, for both.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from contracts import topics
from scenarios import build_scenario
from scenarios.generator import Scenario
from scenarios.lag import Lag
from scenarios.publisher import Progress, Publisher
from scenarios.rollups import until_rollup_matches
from services.reporting.audit.projection import AUDITED_SERVICES
from thidua import runner
from thidua.cleanup import delete_topics
from thidua.settings import StackSettings
from thidua.supervision.control import status_file
from thidua.supervision.state import SupervisorStatus


class BenchFailure(RuntimeError):
    """The system did not reach the expected state; the figure would be meaningless."""


async def start_services(settings: StackSettings) -> bool:
    """Run the services under their supervisor, started unless it runs; True if started here."""
    return await asyncio.to_thread(
        runner.start_services, settings, lambda line: print(f"  {line}", flush=True)
    )


def stop_started(settings: StackSettings, started: bool) -> None:
    """Stop the services if this run started them."""
    if started:
        runner.stop_services(settings, lambda line: print(f"  {line}", flush=True))


def scenario_publisher(settings: StackSettings) -> Publisher:
    """The simulated departments' publisher, as the bench runs it against the services."""
    return Publisher(
        settings.kafka_bootstrap, runner.metrics_urls(settings), None, timeout=900, interval=0.02
    )


def bench_scenario(people: int, tag: str) -> Scenario:
    """The Gia Lai year alone (without the 2025 restructuring's phases): its last phase is the
    dossier deadline, the burst, and the figures stay comparable with the earlier runs'."""
    return build_scenario(people=people, prefix=f"b{tag}-").main_year()


def dossiers_of(scenario: Scenario) -> int:
    """The dossiers (``NominationSubmitted``) of the scenario's last phase, the burst."""
    return sum(
        1
        for s in scenario.phases[-1].submissions
        if s.event.type.endswith(".NominationSubmitted.v1")
    )


BURST_DOSSIERS_PER_PERSON = 1.04
"""About how many dossiers the scenario makes per person of staff (1.055 at 3,000 people,
1.045 at 47,900): a first guess a little low, so that the first scenario built is enough."""


def burst_scenario(dossiers: int, tag: str) -> Scenario:
    """The smallest bench scenario (near enough: people found in one or two tries, each
    scenario of 50,000 dossiers takes about 16 s to build) with ``dossiers`` dossiers at its
    deadline."""
    people = int(dossiers / BURST_DOSSIERS_PER_PERSON) + 1
    while True:
        scenario = bench_scenario(people, tag)
        made = dossiers_of(scenario)
        if made >= dossiers:
            return scenario
        people = int(people * dossiers / made) + 1


async def throughput_and_burst(
    settings: StackSettings, people: int, tag: str, scenario: Scenario | None = None
) -> dict[str, Any]:
    """The whole scenario (``bench_scenario(people, tag)`` unless given), phase by phase; its
    last phase is the burst."""
    if scenario is None:
        scenario = bench_scenario(people, tag)
    # The scenario (about 200,000 events for the burst) is kept out of the collector's walks
    # while it is published: measured, the bench's own full collections took 1.7-2.7 s of a
    # core each during a burst's phases, on the machine it measures.
    with runner.heap_settled():
        return await _throughput_and_burst(settings, people, scenario)


async def _throughput_and_burst(
    settings: StackSettings, people: int, scenario: Scenario
) -> dict[str, Any]:
    publisher = scenario_publisher(settings)
    url = runner.reporting_url(settings)
    # The departments' provisioning (their topics, the services subscribing to them) is
    # set-up, timed apart: the figure runs from the first publish.
    setup = time.perf_counter()
    await publisher.prepare(scenario)
    cpu_before = services_cpu(settings)
    phases = _PhaseClock(time.perf_counter())
    await publisher.load(replace(scenario, phases=scenario.phases[:-1]), phases, prepared=True)
    # From the first publish (the publisher's own clients connect before it), as documented.
    began = phases.began = publisher.first_publish_at or phases.began
    burst_began = time.perf_counter()
    await publisher.load(replace(scenario, phases=scenario.phases[-1:]), phases, prepared=True)
    left = await until_rollup_matches(
        url, scenario, timeout=900, interval=0.1, progress=_waiting(time.perf_counter() - began)
    )
    ended = time.perf_counter()
    cpu = {n: round(c - cpu_before.get(n, 0.0), 1) for n, c in services_cpu(settings).items()}
    if left:
        raise BenchFailure(f"the rollup never matched the expectation: {left[:5]}")
    burst = len(scenario.phases[-1].submissions)
    for name, events, seconds in phases.absorbed(scenario, ended):
        print(
            f"  phase {name[:48]:<48} {events:>6} events absorbed in {seconds:6.1f} s"
            f" ({events / max(seconds, 1e-9):,.0f} events/s)",
            flush=True,
        )
    return {
        "people": people,
        "events": scenario.events,
        "burst_dossiers": dossiers_of(scenario),
        "setup_seconds": began - setup,
        "seconds": ended - began,
        "events_per_s": scenario.events / (ended - began),
        "burst_events": burst,
        "burst_seconds": ended - burst_began,
        "burst_events_per_s": burst / (ended - burst_began),
        "cpu_seconds": cpu,
        "cpu_ms_per_event": 1000 * sum(cpu.values()) / scenario.events if cpu else None,
    }


BACKGROUND_GROUPS = {
    "notifications.registration": [topics.events("registration")],
    "notifications.awards": [topics.events("awards")],
    # The audit trail (``runner.AUDIT``): its group in the local stack's reporting schema.
    "reporting.reporting_audit": [topics.events(s) for s in AUDITED_SERVICES],
}
"""The consumer groups of the programs off the path to the rollup (``runner.BACKGROUND``), and
the topics of facts each reads."""


async def background_caught_up(settings: StackSettings, timeout: float = 900.0) -> float:
    """Seconds until notifications and the audit trail have read every fact on their topics
    (:data:`BACKGROUND_GROUPS`), and notifications relayed what it recorded: they run at a
    lower priority than the path to the rollup and may finish after it."""
    began = time.perf_counter()
    metrics = runner.metrics_url(settings, "notifications")
    async with Lag(settings.kafka_bootstrap) as lag:
        while True:
            behind = False
            for group, names in BACKGROUND_GROUPS.items():
                done, end = await lag.committed(group, names)
                behind = behind or done < end
            if not behind and await lag.outbox_lag(metrics) == 0:
                return time.perf_counter() - began
            if time.perf_counter() - began > timeout:
                raise BenchFailure(
                    f"notifications or the audit trail still behind {timeout:.0f} s after the"
                    " rollup"
                )
            await asyncio.sleep(0.5)


def services_cpu(settings: StackSettings) -> dict[str, float]:
    """CPU seconds (user and system) each supervised service has used since it started, read
    from ``/proc`` (empty where there is none): a figure the machine's other load barely moves,
    unlike the wall clock."""
    status = SupervisorStatus.read(status_file(settings))
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used: dict[str, float] = {}
    for program in status.programs if status else []:
        try:
            fields = Path(f"/proc/{program.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        used[program.name] = (int(fields[11]) + int(fields[12])) / ticks
    return used


class _PhaseClock:
    """When each phase of a load was last seen not yet absorbed: where the time went."""

    def __init__(self, began: float) -> None:
        self.began = began
        self.last: dict[str, float] = {}

    def __call__(self, progress: Progress) -> None:
        self.last[progress.phase] = time.perf_counter()

    def absorbed(self, scenario: Scenario, ended: float) -> list[tuple[str, int, float]]:
        """(phase, events, seconds from the end of the one before until it was absorbed);
        the last phase runs until the rollup was exact."""
        rows, start = [], self.began
        for number, phase in enumerate(scenario.phases, start=1):
            done = ended if number == len(scenario.phases) else self.last.get(phase.name, start)
            rows.append((phase.name, len(phase.submissions), done - start))
            start = done
        return rows


def _waiting(published_after: float) -> Callable[[list[str], float], None]:
    """A line every few seconds while the rollup is not yet exact: what still differs."""

    def tell(left: list[str], waited: float) -> None:
        print(
            f"  ... published in {published_after:.1f} s; rollup not yet exact after"
            f" {waited:.0f} s more ({len(left)} figures differ: {left[0][:120]})",
            flush=True,
        )

    return tell


def leftover_topics(name: str, tag: str) -> bool:
    """A department topic of an earlier run's scenario (``b<8 hex>-…``, ``b<8 hex>r<rate>-…``)
    that it left behind (a run stopped before its clean-up): every service subscribed by
    pattern would fetch it and refresh its metadata for the rest of the stack's life."""
    for stem in (topics.INGRESS_PREFIX, topics.REJECTIONS_PREFIX):
        if name.startswith(stem):
            found = _BENCH_NAMESPACE.match(name.removeprefix(stem))
            return found is not None and found[1] != tag
    return False


def of_departments(name: str, prefix: str) -> bool:
    """A department topic (ingress or rejections) of the departments under ``prefix``."""
    return name.startswith(
        (f"{topics.INGRESS_PREFIX}{prefix}", f"{topics.REJECTIONS_PREFIX}{prefix}")
    )


async def delete_departments(bootstrap: str, prefix: str) -> None:
    """Delete the department topics (ingress and rejections) of the departments under
    ``prefix`` (a scenario's, once it is measured)."""
    await delete_topics(bootstrap, lambda name: of_departments(name, prefix))


_BENCH_NAMESPACE = re.compile(r"b([0-9a-f]{8})(?:r\d+)?-")

__all__ = [
    "BenchFailure",
    "background_caught_up",
    "delete_departments",
    "of_departments",
    "scenario_publisher",
    "start_services",
    "stop_started",
    "throughput_and_burst",
]
