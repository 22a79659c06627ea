"""One fuzz run against the stack's service processes, as a department's system meets them:
registration and awards run under the state directory's supervisor (started here, and stopped
afterwards, unless they already run). Two departments of a province and a ministry of the run's
own (names with a unique id) get their reference data, then hostile and valid records go to
their ingress topics; the run waits until the services' consumer groups have no lag and both
relays have published everything, and accounts for every offset (``accounting``). The
supervisor's counts before and after show that no service process was restarted."""

from __future__ import annotations

import asyncio
import random
import shutil
import subprocess
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import RecordMetadata

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.topics import dlq, events
from thidua import runner
from thidua.cleanup import delete_topics
from thidua.es.db import Pool
from thidua.es.dlq import read_dead_letters
from thidua.es.kafka import (
    client_options,
    end_offsets,
    ensure_topics,
    partitions_of,
    read_range,
    topics_matching,
)
from thidua.es.ops import group_lag
from thidua.es.records import key_bytes, undecodable_key
from thidua.fuzz import generate
from thidua.fuzz.accounting import InboxRow, Tally, account
from thidua.fuzz.cases import ACCEPTED, Case, Expect, Valid, World, envelope
from thidua.fuzz.spoil import spoiled
from thidua.security.kcat import kcat_arguments, kcat_environment
from thidua.settings import StackSettings
from thidua.supervision import control
from thidua.supervision.state import READY

SERVICES = ("registration", "awards")
"""The services that read departments' records (by their production names, topics, schemas)."""
GROUPS = ("registration", "awards.ingress", "awards.registration-facts")


@dataclass(frozen=True)
class Options:
    records: int = 10_000
    valid_share: float = 0.3
    """About this share of the records is valid traffic; the rest is hostile."""
    seed: int = 13
    timeout: float = 900.0
    """Seconds to wait for the services to account for every record."""


@dataclass
class Report:
    sent: int = 0
    hostile: int = 0
    valid: int = 0
    tally: Tally = field(default_factory=Tally)
    lag: int = -1
    not_ready: int = 0
    """Polls during the wait that found a service process not ready."""
    processes: int = 0
    """Service processes of registration and awards under the supervisor."""
    restarts: int = -1
    """Their restarts (and changes of pid) between the start of the run and its end."""
    dead_letters: int = -1
    misrouted: int = 0
    """Refusals on another rejections topic than their own department's."""
    seconds: float = 0.0

    @property
    def differences(self) -> list[str]:
        problems = list(self.tally.differences)
        if self.lag != 0:
            problems.append(f"consumer lag {self.lag}")
        if self.dead_letters != 0:
            problems.append(f"{self.dead_letters} records in the DLQs")
        if self.misrouted:
            problems.append(f"{self.misrouted} refusals on another department's topic")
        if self.not_ready:
            problems.append(f"services not ready {self.not_ready} times")
        if self.restarts != 0:
            problems.append(f"{self.restarts} service restarts")
        if self.processes < len(SERVICES):
            problems.append(f"{self.processes} service processes, not {len(SERVICES)}")
        return problems

    def lines(self) -> list[str]:
        out = self.tally.outcomes
        lines = [
            f"sent {self.sent:,}: hostile {self.hostile:,}, valid {self.valid:,}"
            f" ({self.seconds:.0f} s)",
            f"rejected {out['rejected']:,}, accepted {out['accepted']:,},"
            f" ignored {out['ignored']:,}, duplicates {out['duplicate']:,}",
            "rejected by reason: "
            + ", ".join(f"{code} {n:,}" for code, n in self.tally.reasons.most_common()),
            f"consumer lag {self.lag}, dead letters {self.dead_letters},"
            f" restarts {self.restarts} ({self.processes} service processes,"
            f" not ready {self.not_ready} times)",
            "by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(self.tally.kinds.items())),
            f"differences {len(self.differences)}",
        ]
        return lines + [f"  {d}" for d in self.differences[:30]]


def build_cases(world: World, options: Options) -> list[Case]:
    """The records to send, in order: valid traffic and hostile records interleaved."""
    rng = random.Random(options.seed)
    schemas = generate.committed_schemas()
    hostile_target = int(options.records * (1 - options.valid_share))
    drawn = generate.draw(schemas, max(hostile_target // 2, 1), options.seed)
    a, b = world.departments
    valid = {d: Valid(world, d, rng) for d in world.departments}
    mutators = {
        a: generate.Mutator(schemas, a, b, rng),
        b: generate.Mutator(schemas, b, a, rng),
    }
    cases: list[Case] = []
    while len(cases) < options.records:
        department = rng.choice(world.departments)
        traffic = valid[department]
        roll = rng.random()
        if roll < options.valid_share:
            cases += traffic.next()
        elif roll < options.valid_share + 0.03:
            cases += traffic.out_of_order()
        elif roll < options.valid_share + 0.06:
            replay = traffic.replay_changed()
            cases += [replay] if replay else traffic.next()
        elif drawn and roll < options.valid_share + 0.06 + (1 - options.valid_share) / 2:
            name, instance = drawn.pop()
            cases.append(mutators[department].case(name, instance))
        else:
            payload = traffic.person()
            cases.append(spoiled(department, envelope(department, payload), rng))
    return cases[: options.records]


async def fuzz(
    settings: StackSettings, options: Options, say: Callable[[str], None] = print
) -> Report:
    uid = f"fz{uuid.uuid4().hex[:10]}"
    world = World(uid)
    bootstrap = settings.kafka_bootstrap
    loop = asyncio.get_running_loop()
    report = Report()
    cases = build_cases(world, options)
    say(f"{len(cases):,} records built ({uid}); the services' processes:")
    started_here = await asyncio.to_thread(runner.start_services, settings, say)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        # Topics are provisioned, never created by a write (no automatic creation): the run's
        # board's and departments' ingress and rejections topics, as `departments add` makes.
        codes = [world.board, *world.departments]
        await ensure_topics(bootstrap, [t for c in codes for t in topics.department_topics(c)])
        before = _processes(settings)
        started = loop.time()
        producer = AIOKafkaProducer(
            **client_options(bootstrap), acks="all", linger_ms=20, max_request_size=2 << 20
        )
        await producer.start()
        try:
            for round_ in world.setup():
                setup = [
                    Case("setup", d, e.to_json(), Expect(ACCEPTED), event_id=e.id)
                    for d, e in round_
                ]
                await send(producer, setup, bootstrap)
                await _wait_inbox(pool, [c.event_id or "" for c in setup])
            await send(producer, cases, bootstrap)
        finally:
            await producer.stop()
        report.sent = len(cases)
        report.hostile = sum(c.hostile for c in cases)
        report.valid = report.sent - report.hostile
        say(f"sent {report.sent:,} records; waiting until both services account for them")
        report.not_ready = await _settle(settings, pool, options.timeout, say)
        report.lag = sum((await group_lag(bootstrap, GROUPS)).values())
        after = _processes(settings)
        report.processes = len(after)
        report.restarts = sum(
            after[n][1] - before[n][1] + (after[n][0] != before[n][0]) if n in before else 1
            for n in after
        )
        letters = [d for s in SERVICES for d in await read_dead_letters(bootstrap, dlq(s))]
        report.dead_letters = sum(d.original_topic in world.ingress for d in letters)
        refusals = []
        for topic in await topics_matching(bootstrap, topics.rejections_pattern()):
            for event in await _events(bootstrap, topic):
                if event.data.get("topic") not in world.ingress:
                    continue  # another run's, or the system's own traffic
                refusals.append(event.data)
                report.misrouted += topics.rejections_of(str(event.data["topic"])) != topic
        facts: Counter[str] = Counter()
        for service in SERVICES:
            facts.update(e.causationid or "" for e in await _events(bootstrap, events(service)))
        rows = [r for s in SERVICES for r in await _inbox(pool, s, world.ingress)]
        report.tally = account(cases, refusals, rows, facts)
        report.seconds = loop.time() - started
    finally:
        await pool.close()
        if started_here:
            await asyncio.to_thread(runner.stop_services, settings, say)
        await delete_topics(bootstrap, lambda name: uid in name)
    return report


def _processes(settings: StackSettings) -> dict[str, tuple[int | None, int]]:
    """Registration's and awards' processes under the supervisor: name → (pid, restarts)."""
    status = control.status(settings)
    programs = status.programs if status is not None else []
    return {
        p.name: (p.pid, p.restarts)
        for p in programs
        if p.name.split("-")[0] in SERVICES and p.state == READY
    }


async def send(producer: AIOKafkaProducer, cases: Sequence[Case], bootstrap: str) -> None:
    """Send in order, keyed by department (one partition each), noting each position. A case
    whose header key is not UTF-8 goes through kcat (no Python client can write one) once the
    records before it are written, so that it keeps its place in the department's order."""
    pending: list[tuple[Case, asyncio.Future[RecordMetadata]]] = []
    for case in cases:
        if any(undecodable_key(k) for k, _ in case.headers):
            await _noted(pending)
            case.position = await _kcat(producer, bootstrap, case)
            continue
        future = await producer.send(
            _topic(case), case.value, key=case.department.encode(), headers=case.headers or None
        )
        pending.append((case, future))
    await _noted(pending)


async def _noted(pending: list[tuple[Case, asyncio.Future[RecordMetadata]]]) -> None:
    for case, future in pending:
        meta = await future
        case.position = f"{meta.topic}/{meta.partition}/{meta.offset}"
    pending.clear()


async def _kcat(producer: AIOKafkaProducer, bootstrap: str, case: Case) -> str:
    """Write ``case`` with kcat to the partition aiokafka would pick; returns its position
    (the partition's last offset once kcat has its acknowledgement: nothing else writes
    there meanwhile)."""
    if shutil.which("kcat") is None:
        raise RuntimeError(
            "kcat is needed to write a header key that is not UTF-8: `make system-deps`"
        )
    topic = _topic(case)
    key = case.department.encode()
    partitions = sorted(await producer.partitions_for(topic))
    partition = DefaultPartitioner()(key, partitions, partitions)
    command: list[str | bytes] = ["kcat", *kcat_arguments(bootstrap), "-P", "-t", topic]
    command += ["-p", str(partition), "-k", key]
    for name, value in case.headers:
        command += ["-H", key_bytes(name) + b"=" + value]
    with tempfile.NamedTemporaryFile(prefix="thidua-fuzz-") as file:
        file.write(case.value)
        file.flush()
        command.append(file.name)  # a file is sent as one record, whatever bytes it holds
        await asyncio.to_thread(
            subprocess.run,
            command,
            check=True,
            timeout=60,
            capture_output=True,
            env=kcat_environment(),
        )
    consumer = AIOKafkaConsumer(**client_options(bootstrap))
    await consumer.start()
    try:
        tp = TopicPartition(topic, partition)
        end = (await end_offsets(consumer, [tp]))[tp]
    finally:
        await consumer.stop()
    return f"{topic}/{partition}/{end - 1}"


def _topic(case: Case) -> str:
    return topics.ingress(case.department)


async def _wait_inbox(pool: Pool, ids: list[str], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        accepted = await pool.fetchval(
            """SELECT count(*) FROM registration.inbox
               WHERE event_id = ANY($1) AND outcome = 'accepted'""",
            ids,
        )
        if accepted == len(ids):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"reference data: {accepted} of {len(ids)} accepted")
        await asyncio.sleep(0.1)


async def _settle(
    settings: StackSettings, pool: Pool, timeout: float, say: Callable[[str], None]
) -> int:
    """Wait until no group of the services lags on any partition and both relays have
    published their stores; returns how many polls found a service process not ready."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    not_ready, last = 0, -1
    while True:
        ready = _processes(settings)
        not_ready += len(ready) < len(SERVICES)
        lag = sum((await group_lag(settings.kafka_bootstrap, GROUPS)).values())
        behind = sum([await _outbox_behind(pool, s) for s in SERVICES])
        if lag == 0 and behind == 0:
            return not_ready
        if lag != last:
            say(f"  lag {lag}, unpublished {behind}")
            last = lag
        if loop.time() > deadline:
            raise TimeoutError(f"still lagging after {timeout} s: lag {lag}, unpublished {behind}")
        await asyncio.sleep(0.5)


async def _outbox_behind(pool: Pool, service: str) -> int:
    behind: int = await pool.fetchval(
        f"""SELECT coalesce((SELECT max(position) FROM {service}.events), 0)
                - coalesce((SELECT position FROM {service}.outbox_checkpoint
                            WHERE relay = $1), 0)""",
        service,
    )
    return behind


async def _inbox(pool: Pool, service: str, ingress: list[str]) -> list[InboxRow]:
    rows = await pool.fetch(
        f"""SELECT event_id, topic, kafka_partition, kafka_offset, outcome FROM {service}.inbox
            WHERE topic = ANY($1)""",
        ingress,
    )
    return [
        InboxRow(
            r["event_id"], f"{r['topic']}/{r['kafka_partition']}/{r['kafka_offset']}", r["outcome"]
        )
        for r in rows
    ]


async def _records(bootstrap: str, topic: str) -> list[bytes]:
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = (await partitions_of(bootstrap, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in parts]
        starts = await consumer.beginning_offsets(tps)
        ends = await end_offsets(consumer, tps)
        values: list[bytes] = []
        for tp in tps:
            for record in await read_range(consumer, tp, starts[tp], ends[tp], timeout=120):
                values.append(record.value or b"")
        return values
    finally:
        await consumer.stop()


async def _events(bootstrap: str, topic: str) -> list[CloudEvent]:
    return [CloudEvent.from_json(v) for v in await _records(bootstrap, topic)]
