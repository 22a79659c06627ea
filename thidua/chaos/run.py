"""One chaos run, start to finish: its own stack (three brokers, PostgreSQL), two supervised
instances of every service, a province scenario published by the departments' systems while
``faults`` strike, then the system left to settle and ``checks`` counting what came out.

The faults follow a plan: service kills at random (``kills`` of them, at least), a broker's
``kill -9``, PostgreSQL's ``kill -9``, a relay leader stalled past its lease; one every ``gap``
seconds, and more service kills until the scenario is published and ``minutes`` have passed.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from scenarios import Scenario, build_scenario
from scenarios.publisher import Publisher
from scenarios.rollups import ministry_differences, until_rollup_matches
from thidua import runner
from thidua.chaos import checks
from thidua.chaos.faults import FaultFailed, Faults, Reporter
from thidua.es.kafka import client_options
from thidua.es.ops import group_lag
from thidua.settings import StackSettings
from thidua.stack.local import LocalStack
from thidua.supervision import control

EVENTS_PER_PERSON = 6.6
"""About how many events ``build_scenario`` makes per person of staff."""


@dataclass(frozen=True)
class Plan:
    """What a run does: its size, its faults, how long it waits."""

    events: int = 20_000
    """The scenario's size (at least)."""
    minutes: float = 0.0
    """Service kills go on at least this long (and until the scenario is published)."""
    kills: int = 10
    """Service instances SIGKILLed in the plan (more while the scenario is still loading)."""
    gap: float = 8.0
    """Seconds between two faults."""
    seed: int = 13
    settle_timeout: float = 600.0
    """Bound on publishing each phase, on the rollup matching, on everything settling."""
    ready_timeout: float = 300.0


def scenario_for(events: int) -> Scenario:
    """The smallest province scenario with at least ``events`` events."""
    people = max(60, int(events / EVENTS_PER_PERSON))
    built = build_scenario(people)
    while built.events < events:
        people = int(people * events / built.events) + 1
        built = build_scenario(people)
    return built


def fault_steps(faults: Faults, kills: int) -> list[Callable[[], Awaitable[None]]]:
    """``kills`` service kills, the broker kill, the PostgreSQL kill and the relay stall first
    among them (each after one service kill), so that they strike while the scenario loads."""
    steps: list[Callable[[], Awaitable[None]]] = [faults.kill_service] * kills
    for at, fault in (
        (3, faults.stall_relay_leader),
        (2, faults.kill_postgres),
        (1, faults.kill_broker),
    ):
        steps.insert(min(at, len(steps)), fault)
    return steps


async def _strike(faults: Faults, plan: Plan, published: asyncio.Event, report: Reporter) -> None:
    began = time.monotonic()
    for step in fault_steps(faults, plan.kills):
        await asyncio.sleep(plan.gap)
        try:
            await step()
        except FaultFailed as exc:  # counted short in the end: the run fails, but finishes
            report(f"fault not done: {exc}")
    while not published.is_set() or time.monotonic() - began < plan.minutes * 60:
        await asyncio.sleep(plan.gap)
        if not published.is_set() or time.monotonic() - began < plan.minutes * 60:
            await faults.kill_service()
    report("faults done; every instance left to settle")


async def _settled(settings: StackSettings) -> bool:
    """No consumer lag, no unpublished event, no delivery due."""
    try:
        lags = await group_lag(settings.kafka_bootstrap, await _groups(settings))
        if any(lags.values()):
            return False
        conn = await asyncpg.connect(settings.database_url, timeout=5)
        try:
            for service in checks.EVENT_SERVICES:
                behind = await conn.fetchval(
                    f"""SELECT coalesce((SELECT max(position) FROM "{service}".events), 0)
                        - coalesce((SELECT position FROM "{service}".outbox_checkpoint
                                    WHERE relay = $1), 0)""",
                    service,
                )
                if behind:
                    return False
            due = await conn.fetchval(
                """SELECT count(*) FROM notifications.deliveries
                   WHERE status IN ('pending', 'sending', 'confirming')"""
            )
            return not due
        finally:
            await conn.close()
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False


async def _groups(settings: StackSettings) -> list[str]:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**client_options(settings.kafka_bootstrap))
    await admin.start()
    try:
        return sorted(str(g[0]) for g in await admin.list_consumer_groups())
    finally:
        await admin.close()


async def _all_back(settings: StackSettings) -> bool:
    """Every program the run's supervisor keeps is ready (none waiting out a restart delay)."""
    status = control.status(settings)
    return status is not None and status.ready


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return True
        await asyncio.sleep(1.0)
    return False


async def chaos_run(settings: StackSettings, plan: Plan, report: Reporter) -> checks.Report:
    """The whole run on ``settings``' own stack (the caller has pointed the environment at
    it); stops the services but leaves the stack for the caller to stop."""
    result = checks.Report()
    scenario = scenario_for(plan.events)
    report(
        f"scenario {scenario.name}: {scenario.events:,} events, {scenario.people:,} people, "
        f"{len(scenario.departments)} departments"
    )
    stack = LocalStack(settings, report, zipkin=False)
    started = time.monotonic()
    await stack.up()
    report(f"stack up in {time.monotonic() - started:.0f}s: {settings.kafka_bootstrap}")
    await asyncio.to_thread(control.start, settings, report)
    try:
        await asyncio.to_thread(control.await_ready, settings, report, timeout=plan.ready_timeout)
        faults = Faults(settings, stack, random.Random(plan.seed), report)
        publisher = Publisher(
            settings.kafka_bootstrap, runner.metrics_urls(settings), None, plan.settle_timeout
        )
        await publisher.prepare(scenario)
        published = asyncio.Event()
        loading = time.monotonic()
        striking = asyncio.create_task(_strike(faults, plan, published, report))
        try:
            await publisher.load(scenario, prepared=True)
            published.set()
            result.counts["seconds_to_publish"] = round(time.monotonic() - loading)
            report(f"scenario published and absorbed in {time.monotonic() - loading:.0f}s")
            await striking
        finally:
            striking.cancel()
        result.counts["faults"] = faults.log.counts()
        result.counts["fault_log"] = faults.log.lines
        differences = await until_rollup_matches(
            runner.reporting_url(settings), scenario, timeout=plan.settle_timeout
        )
        if not await _until(lambda: _settled(settings), plan.settle_timeout):
            result.problems.append(f"not settled within {plan.settle_timeout:.0f}s")
        result.counts["seconds_to_settle"] = round(time.monotonic() - loading)
        result.counts["scenario_events"] = scenario.events
        result.expect_zero("province_rollup_differences", len(differences))
        result.problems += differences[:20]
        ministries = await ministry_differences(runner.reporting_url(settings), scenario)
        result.expect_zero("ministry_rollup_differences", len(ministries))
        result.problems += ministries[:20]
        # An instance killed late may still wait out its restart delay (it doubles with each
        # quick crash: 8 s after a fifth) when the rollup already matches, its partner having
        # taken its partitions: its restart is counted once it is back.
        if not await _until(lambda: _all_back(settings), plan.settle_timeout):
            result.problems.append(
                f"a killed instance was not running again within {plan.settle_timeout:.0f}s"
            )
        status = control.status(settings)
        result.counts["restarts"] = {
            p.name: p.restarts for p in (status.programs if status else []) if p.restarts
        }
        conn = await asyncpg.connect(settings.database_url, timeout=10)
        try:
            await checks.ingress_offsets(conn, settings.kafka_bootstrap, result)
            events = await checks.event_ids(conn, settings.kafka_bootstrap, result)
            await checks.dead_letters(settings.kafka_bootstrap, result)
            await checks.notifications(conn, events, settings.state_dir / "mail", result)
        finally:
            await conn.close()
    finally:
        await asyncio.to_thread(control.stop, settings, report)
    kills = result.counts["faults"]
    for name, least in (
        ("service_kills", plan.kills),
        ("broker_kills", 1),
        ("postgres_kills", 1),
        ("relay_leader_stalls", 1),
    ):
        if kills[name] < least:
            result.problems.append(f"{name}: {kills[name]} (planned {least})")
    return result


def summary(result: checks.Report) -> str:
    """The counts as one JSON line, prefixed for a reader (and a test) to find."""
    shown: dict[str, Any] = {k: v for k, v in result.counts.items() if k != "fault_log"}
    return "chaos counts " + json.dumps({**shown, "problems": result.problems}, ensure_ascii=False)


async def run_on_own_stack(
    state_dir: Path, plan: Plan, report: Reporter, *, keep: bool = False
) -> checks.Report:
    """``chaos_run`` on a fresh stack in ``state_dir``, stopped (and deleted unless ``keep``)
    afterwards, whatever happened."""
    settings = StackSettings()
    assert settings.state_dir == state_dir, "enter() the run's environment first"
    try:
        return await chaos_run(settings, plan, report)
    finally:
        await LocalStack(settings, report, zipkin=False).down(purge=not keep)
        if not keep:
            shutil.rmtree(state_dir, ignore_errors=True)
