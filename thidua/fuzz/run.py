"""One fuzz run: registration and awards in this process on topics, consumer groups and
database schemas of their own (on the local stack, removed afterwards), reference data
loaded, then hostile and valid records sent to two departments' ingress topics, a wait until
both consumer groups have no lag and both relays have published everything, and the account
of every offset (``accounting``)."""

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

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.structs import RecordMetadata

from contracts import topics
from contracts.envelope import CloudEvent
from services.awards.app import build as build_awards
from services.registration.app import build as build_registration
from thidua.cleanup import remove_run
from thidua.es.consumer import ConsumerPolicy
from thidua.es.db import Pool
from thidua.es.kafka import client_options, partitions_of, read_range
from thidua.es.ops import group_lag
from thidua.es.records import key_bytes, undecodable_key
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.fuzz import generate
from thidua.fuzz.accounting import InboxRow, Tally, account
from thidua.fuzz.cases import ACCEPTED, Case, Expect, Valid, World, envelope
from thidua.fuzz.spoil import spoiled
from thidua.security.kcat import kcat_arguments, kcat_environment
from thidua.settings import StackSettings

AWARDS_GROUPS = ("ingress", "registration-facts")


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
    services: int = 0
    alive: int = 0
    """Of ``services``, how many still ran every task at the end (none was restarted)."""
    dead_letters: int = -1
    seconds: float = 0.0

    @property
    def differences(self) -> list[str]:
        problems = list(self.tally.differences)
        if self.lag != 0:
            problems.append(f"consumer lag {self.lag}")
        if self.dead_letters != 0:
            problems.append(f"{self.dead_letters} records in the DLQs")
        if self.not_ready:
            problems.append(f"services not ready {self.not_ready} times")
        if self.alive != self.services:
            problems.append(f"{self.services - self.alive} services lost a task")
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
            f"consumer lag {self.lag}, dead letters {self.dead_letters}, restarts 0"
            f" ({self.alive} of {self.services} services up throughout,"
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
    bootstrap, database = settings.kafka_bootstrap, settings.database_url
    rejections = f"fuzz.{uid}.rejections"
    reg_out = ServiceTopics(
        f"fuzz.{uid}.registration.events", f"fuzz.{uid}.registration.dlq", rejections
    )
    awards_out = ServiceTopics(f"fuzz.{uid}.awards.events", f"fuzz.{uid}.awards.dlq", rejections)
    policy = ConsumerPolicy()
    registration = build_registration(
        database,
        bootstrap,
        schema=f"fuzz_{uid}_registration",
        writes_to=reg_out,
        ingress_topics=world.ingress,
        group_id=f"fuzz-{uid}-registration",
        policy=policy,
    )
    awards = build_awards(
        database,
        bootstrap,
        schema=f"fuzz_{uid}_awards",
        writes_to=awards_out,
        ingress_topics=world.ingress,
        registration_topic=reg_out.events,
        group_id=f"fuzz-{uid}-awards",
        policy=policy,
    )
    groups = [f"fuzz-{uid}-registration", *(f"fuzz-{uid}-awards.{g}" for g in AWARDS_GROUPS)]
    runtimes = [registration, awards]
    loop = asyncio.get_running_loop()
    report = Report()
    cases = build_cases(world, options)
    say(f"{len(cases):,} records built; starting registration and awards ({uid})")
    try:
        for runtime in runtimes:
            await runtime.start()
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
                await _wait_inbox(_pool(registration), [c.event_id or "" for c in setup])
            await send(producer, cases, bootstrap)
        finally:
            await producer.stop()
        report.sent = len(cases)
        report.hostile = sum(c.hostile for c in cases)
        report.valid = report.sent - report.hostile
        say(f"sent {report.sent:,} records; waiting until both services account for them")
        report.not_ready = await _settle(runtimes, bootstrap, groups, options.timeout, say)
        report.lag = sum((await group_lag(bootstrap, groups)).values())
        report.services = len(runtimes)
        report.alive = sum(r.alive() for r in runtimes)
        report.dead_letters = sum([await _count(bootstrap, t.dlq) for t in (reg_out, awards_out)])
        refusals = [e.data for e in await _events(bootstrap, rejections)]
        facts: Counter[str] = Counter(
            e.causationid or "" for e in await _events(bootstrap, reg_out.events)
        )
        facts.update(e.causationid or "" for e in await _events(bootstrap, awards_out.events))
        rows = [*await _inbox(_pool(registration)), *await _inbox(_pool(awards))]
        report.tally = account(cases, refusals, rows, facts)
        report.seconds = loop.time() - started
    finally:
        for runtime in runtimes:
            await runtime.stop()
        await remove(database, bootstrap, uid)
    return report


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
        end = (await consumer.end_offsets([tp]))[tp]
    finally:
        await consumer.stop()
    return f"{topic}/{partition}/{end - 1}"


def _topic(case: Case) -> str:
    return topics.ingress(case.department)


def _pool(runtime: ServiceRuntime) -> Pool:
    assert runtime.pool is not None
    return runtime.pool


async def _wait_inbox(pool: Pool, ids: list[str], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        accepted = await pool.fetchval(
            "SELECT count(*) FROM inbox WHERE event_id = ANY($1) AND outcome = 'accepted'", ids
        )
        if accepted == len(ids):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"reference data: {accepted} of {len(ids)} accepted")
        await asyncio.sleep(0.1)


async def _settle(
    runtimes: list[ServiceRuntime],
    bootstrap: str,
    groups: list[str],
    timeout: float,
    say: Callable[[str], None],
) -> int:
    """Wait until no group lags on any partition that holds records and every relay has
    published its store; returns how many polls found a service not ready (or a task of it
    ended)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    not_ready, last = 0, -1
    while True:
        ready = [r.alive() and all((await r.readiness()).values()) for r in runtimes]
        not_ready += ready.count(False)
        lag = sum((await group_lag(bootstrap, groups)).values())
        committed = all([await _every_partition_committed(bootstrap, g) for g in groups])
        behind = sum([await _outbox_behind(r) for r in runtimes])
        if lag == 0 and committed and behind == 0:
            return not_ready
        if lag != last:
            say(f"  lag {lag}, unpublished {behind}")
            last = lag
        if loop.time() > deadline:
            raise TimeoutError(f"still lagging after {timeout} s: lag {lag}, unpublished {behind}")
        await asyncio.sleep(0.5)


async def _every_partition_committed(bootstrap: str, group: str) -> bool:
    """Every ingress partition that holds records has a committed offset of the group."""
    admin = AIOKafkaAdminClient(**client_options(bootstrap))
    await admin.start()
    consumer = AIOKafkaConsumer(**client_options(bootstrap))
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        topics = sorted({tp.topic for tp in committed})
        if not topics:
            return False
        parts = await partitions_of(bootstrap, topics)
        tps = [TopicPartition(t, p) for t in topics for p in parts[t]]
        ends = await consumer.end_offsets(tps)
        return all(ends[tp] == 0 or tp in committed for tp in tps)
    finally:
        await consumer.stop()
        await admin.close()


async def _outbox_behind(runtime: ServiceRuntime) -> int:
    behind: int = await _pool(runtime).fetchval(
        """SELECT coalesce((SELECT max(position) FROM events), 0)
                - coalesce((SELECT position FROM outbox_checkpoint WHERE relay = $1), 0)""",
        runtime.name,
    )
    return behind


async def _inbox(pool: Pool) -> list[InboxRow]:
    rows = await pool.fetch(
        "SELECT event_id, topic, kafka_partition, kafka_offset, outcome FROM inbox"
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
        ends = await consumer.end_offsets(tps)
        values: list[bytes] = []
        for tp in tps:
            for record in await read_range(consumer, tp, starts[tp], ends[tp], timeout=120):
                values.append(record.value or b"")
        return values
    finally:
        await consumer.stop()


async def _events(bootstrap: str, topic: str) -> list[CloudEvent]:
    return [CloudEvent.from_json(v) for v in await _records(bootstrap, topic)]


async def _count(bootstrap: str, topic: str) -> int:
    return len(await _records(bootstrap, topic))


async def remove(database: str, bootstrap: str, uid: str) -> None:
    """Delete the run's topics and drop its schemas."""
    await remove_run(database, bootstrap, uid, "fuzz")
