"""End-to-end figures, with the four services running as ``thidua up`` runs them.

- **Throughput**: a scenario (``scenarios``, its own department prefix) published by the
  simulated departments phase by phase, timed until the province rollup equals its
  independently computed expectation.
- **Burst**: its last phase (the dossier deadline: every nomination at once), timed from its
  first publish until the rollup is exact again.
- **Latency**: open-loop load. The facts phase of a fresh scenario is published at a fixed
  rate, whatever the system does; for each event, the time from its publish until reporting
  has applied what registration recorded because of it (the records on
  ``thidua.registration.events`` whose ``causationid`` is the event's id, and the reporting
  model's checkpoint passing their offsets: the checkpoint commits with the rollup, so past
  it the rollup shows the event). The checkpoints are read when the model says it moved
  (reporting's ``pg_notify`` at each commit, ``services.reporting.reader``), not polled: the
  measuring loads PostgreSQL only as often as the model moves, and a latency is late only by
  the notification's way to the bench and one read (records the follower has not read yet
  are looked at every ``FOLLOW_EVERY`` seconds, against the checkpoints last read).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import topics
from scenarios import build_scenario
from scenarios.generator import Scenario
from scenarios.lag import Lag
from scenarios.publisher import Progress, Publisher
from scenarios.rollups import until_rollup_matches
from scenarios.sending import Producers
from services.reporting.app import CONTROL_SCHEMA, current_model
from services.reporting.audit.projection import AUDITED_SERVICES
from services.reporting.reader import CHANNEL as MODEL_CHANNEL
from thidua import runner
from thidua.bench.report import percentile
from thidua.cleanup import delete_topics
from thidua.es.kafka import client_options, end_offsets, ensure_topics, partitions_of
from thidua.es.waiting import pause
from thidua.settings import StackSettings
from thidua.supervision.control import status_file
from thidua.supervision.state import SupervisorStatus

FOLLOW_EVERY = 0.01

PUBLISH_TIMEOUT = 300.0
"""Seconds the open loop's records may take to be acknowledged once the last is sent."""


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


def _publisher(settings: StackSettings) -> Publisher:
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
    publisher = _publisher(settings)
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


@dataclass
class _Follow:
    """Registration's output records caused by the published events, and when reporting
    applied each of them."""

    causes: set[str]
    outputs: dict[str, dict[int, int]] = field(default_factory=dict)
    """cause id -> partition -> highest offset of its outputs."""
    seen_at: dict[str, float] = field(default_factory=dict)
    recorded_at: dict[str, float] = field(default_factory=dict)
    """cause id -> when its first output was read from the topic (registration's share)."""

    waiting: set[str] = field(default_factory=set)
    """Causes with outputs that reporting has not passed yet (what ``check`` looks at)."""

    fresh: set[str] = field(default_factory=set)
    """Causes given an output since the last ``check``."""

    checked: dict[int, int] | None = None
    """The checkpoints the last ``check`` was given."""

    def add(self, partition: int, offset: int, value: bytes | None, now: float = 0.0) -> None:
        if not value:
            return
        cause = json.loads(value).get("causationid")
        if cause in self.causes:
            self.recorded_at.setdefault(cause, now)
            parts = self.outputs.setdefault(cause, {})
            parts[partition] = max(parts.get(partition, -1), offset)
            if cause not in self.seen_at:
                self.waiting.add(cause)
                self.fresh.add(cause)

    def check(self, checkpoints: dict[int, int], now: float) -> None:
        """Causes whose every output ``checkpoints`` passed are seen ``now``. Checkpoints
        unchanged since the last call can only have passed the causes added since (the loop
        calls this a hundred times a second: looking at every cause waiting each time took
        13% of the bench's own CPU at 500 events/s, on the machine it measures)."""
        unchanged = checkpoints == self.checked
        candidates = self.fresh & self.waiting if unchanged else self.waiting
        self.checked, self.fresh = dict(checkpoints), set()
        passed = [
            cause
            for cause in candidates
            if all(checkpoints.get(p, 0) > offset for p, offset in self.outputs[cause].items())
        ]
        for cause in passed:
            self.seen_at[cause] = now
        self.waiting.difference_update(passed)


async def _checkpoints(conn: asyncpg.Connection, model: str, topic: str) -> dict[int, int]:
    rows = await conn.fetch(
        f"""SELECT kafka_partition, next_offset FROM "{model}".projection_checkpoints
            WHERE projection = 'reporting' AND topic = $1""",
        topic,
    )
    return {r["kafka_partition"]: r["next_offset"] for r in rows}


async def open_loop(
    settings: StackSettings, rate: float, seconds: float, tag: str, *, drain: float = 300.0
) -> dict[str, Any]:
    """Publish ``rate`` x ``seconds`` events at a fixed rate; publish-to-rollup latencies."""
    count = int(rate * seconds)
    prefix = f"b{tag}r{int(rate)}-"
    # The facts phase holds about 3.5 events per person.
    scenario = build_scenario(people=max(60, int(count / 3) + 30), prefix=prefix)
    # The directory first (the boards' two phases), then the facts phase at the rate.
    await _publisher(settings).load(replace(scenario, phases=scenario.phases[:2]))
    events = scenario.phases[2].submissions[:count]
    if len(events) < count:
        raise BenchFailure(f"the scenario has {len(events)} events for {count} wanted")
    bootstrap = settings.kafka_bootstrap
    departments = sorted({s.department for s in events})
    ingress = [topics.ingress(d) for d in departments]
    await ensure_topics(bootstrap, [t for d in departments for t in topics.department_topics(d)])
    output_topic = topics.events("registration")
    follow = _Follow({s.event.id for s in events})
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    # The departments' systems, as the scenario publisher runs them (``scenarios.sending``).
    producers = Producers(bootstrap, linger_ms=0)
    await producers.connect(departments, topics.ingress)
    conn = await asyncpg.connect(settings.database_url)
    lag = Lag(bootstrap)
    await consumer.start()
    sent_at: dict[str, float] = {}
    try:
        parts = await partitions_of(bootstrap, [output_topic])
        tps = [TopicPartition(output_topic, p) for p in parts[output_topic]]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)
        for tp in tps:
            await consumer.position(tp)
        # The model is read once: the measuring should load PostgreSQL as little as it can
        # (no rebuild runs meanwhile).
        model = await current_model(conn, CONTROL_SCHEMA)
        moved = asyncio.Event()
        await conn.add_listener(MODEL_CHANNEL, lambda *_: moved.set())
        checkpoints = await _checkpoints(conn, model, output_topic)
        publishing = asyncio.create_task(_publish_at_rate(producers, events, rate, sent_at))
        metrics = runner.metrics_urls(settings)["registration"]
        deadline = time.monotonic() + seconds + drain
        while True:
            await pause(moved, FOLLOW_EVERY)  # a move, or time to read the follower's records
            for records in (await consumer.getmany(timeout_ms=0)).values():
                now = time.monotonic()
                for r in records:
                    follow.add(r.partition, r.offset, r.value, now)
            if moved.is_set():
                moved.clear()
                checkpoints = await _checkpoints(conn, model, output_topic)
            follow.check(checkpoints, time.monotonic())
            if publishing.done():
                publishing.result()
                if len(follow.seen_at) == len(follow.outputs) and await _drained(
                    lag, ingress, metrics, consumer, tps
                ):
                    break
            if time.monotonic() > deadline:
                raise BenchFailure(
                    f"{len(follow.outputs) - len(follow.seen_at)} events not in the rollup"
                    f" {drain:.0f} s after the load ended"
                )
    finally:
        producers.close()
        await consumer.stop()
        await lag.close()
        await conn.close()
        # Its departments' topics go with it: each rate is measured in a province of the
        # scenario's departments and its own, not of every earlier rate's as well. Every
        # consumer of a department topic fetches each of them in every fetch (aiokafka has no
        # incremental fetch sessions), and the p50 at 100 events/s grew with them (README).
        await delete_departments(bootstrap, prefix)
    latencies = [(follow.seen_at[c] - sent_at[c]) * 1000 for c in follow.seen_at]
    recorded = [(follow.recorded_at[c] - sent_at[c]) * 1000 for c in follow.seen_at]
    if not latencies:
        raise BenchFailure("no published event reached the rollup")
    return {
        "rate": rate,
        "seconds": seconds,
        "published": len(events),
        "measured": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
        "recorded_p50_ms": statistics.median(recorded),
        "recorded_p99_ms": percentile(recorded, 99),
    }


async def _publish_at_rate(
    producers: Producers, events: Any, rate: float, sent_at: dict[str, float]
) -> None:
    """Open loop: event i goes out at start + i / rate, however far behind the system is."""
    values = [s.event.to_json() for s in events]
    start = time.monotonic()
    for i, submission in enumerate(events):
        due = start + i / rate
        if due > time.monotonic():
            await asyncio.sleep(due - time.monotonic())
        sent_at[submission.event.id] = time.monotonic()
        department = submission.department
        producers.send(department, topics.ingress(department), values[i], key=department.encode())
    await producers.flush(PUBLISH_TIMEOUT)


async def _drained(
    lag: Lag,
    ingress: list[str],
    metrics_url: str,
    consumer: AIOKafkaConsumer,
    tps: list[TopicPartition],
) -> bool:
    """Registration has decided every published event and relayed what it recorded, and the
    follower has read every output record."""
    done, end = await lag.committed("registration", ingress)
    if done < end or await lag.outbox_lag(metrics_url) > 0:
        return False
    ends = await end_offsets(consumer, tps)
    return all([await consumer.position(tp) >= ends[tp] for tp in tps])


__all__ = [
    "BenchFailure",
    "background_caught_up",
    "delete_departments",
    "of_departments",
    "open_loop",
    "start_services",
    "stop_started",
    "throughput_and_burst",
]
