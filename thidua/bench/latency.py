"""Publish-to-rollup latency under open-loop load, with the four services running.

The facts phase of a fresh scenario is published at a fixed rate, whatever the system does;
for each event, the time from its publish until reporting has applied what registration
recorded because of it (the records on ``thidua.registration.events`` whose ``causationid`` is
the event's id, and the reporting model's checkpoint passing their offsets: the checkpoint
commits with the rollup, so past it the rollup shows the event). The checkpoints are read when
the model says it moved (reporting's ``pg_notify`` at each commit,
``services.reporting.reader``), not polled: the measuring loads PostgreSQL only as often as the
model moves, and a latency is late only by the notification's way to the bench and one read
(records the follower has not read yet are looked at every ``FOLLOW_EVERY`` seconds, against
the checkpoints last read).

Apart from ``thidua.bench.pipeline`` (throughput and burst, the services' start and stop):
this follows single events through the pipeline instead of waiting for whole phases.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field, replace
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import topics
from scenarios import build_scenario
from scenarios.lag import Lag
from scenarios.sending import Producers
from services.reporting.app import CONTROL_SCHEMA, current_model
from services.reporting.reader import CHANNEL as MODEL_CHANNEL
from thidua import runner
from thidua.bench.pipeline import BenchFailure, delete_departments, scenario_publisher
from thidua.bench.report import percentile
from thidua.es.kafka import client_options, end_offsets, ensure_topics, partitions_of
from thidua.es.waiting import pause
from thidua.settings import StackSettings

FOLLOW_EVERY = 0.01

PUBLISH_TIMEOUT = 300.0
"""Seconds the open loop's records may take to be acknowledged once the last is sent."""


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
    await scenario_publisher(settings).load(replace(scenario, phases=scenario.phases[:2]))
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


__all__ = ["FOLLOW_EVERY", "PUBLISH_TIMEOUT", "open_loop"]
