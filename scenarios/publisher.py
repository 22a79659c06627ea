"""Departments' systems: publish a scenario on their ingress topics, phase by phase.

Each department (and each province's board) publishes on ``thidua.ingress.<code>`` keyed by
its code (one partition per
department, so its facts are decided in the order it sent them), one PRODUCER span per event
with the W3C context in the record headers, so each business event starts its own trace.
A phase is published only when the service that decides the previous one has absorbed it (its
consumer group has committed up to the end of the topics, a group with no commit yet counting
from offset 0, and its outbox has published everything, ``thidua_outbox_lag_events``) and the
service that decides the next one has read the facts it judges by (:func:`gate`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from aiokafka.errors import KafkaError
from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind

from contracts import topics
from scenarios.expectation import Expectation, differences, observed
from scenarios.generator import Phase, Scenario
from scenarios.sending import Producers
from thidua.auth.client import service_auth
from thidua.es.kafka import (
    KafkaPrincipal,
    client_options,
    end_offsets,
    ensure_topics,
    partitions_of,
)

OUTAGE_PATIENCE = 120.0
"""Seconds the lag is asked again while Kafka does not answer (a broker restarting)."""

LONGEST_PAUSE = 0.25
"""The longest wait between two looks at a phase's progress (:class:`_Looks`)."""


@dataclass
class _Looks:
    """When to look again at a gate's consumer group: each look asks the broker twice (the
    group's offsets, the topics' ends), over TLS. Looking every 20 ms for a whole phase cost
    the broker about a fifth of a core (measured: 436 looks in 10 s at 2.3 s of its CPU, 98
    looks at 0.9 s), on the machine whose speed the phase measures. From the rate the group
    has committed at since its first look, the next look comes when about half of what is
    left should be done: a few looks while the bulk goes through, then ``interval`` apart
    near the end, as before."""

    interval: float
    first: dict[str, tuple[float, int]] = field(default_factory=dict)

    def pause(self, group: str, done: int, end: int, now: float) -> float:
        began, done_then = self.first.setdefault(group, (now, done))
        if done <= done_then or now <= began:
            return self.interval
        rate = (done - done_then) / (now - began)
        return min(LONGEST_PAUSE, max(self.interval, (end - done) / rate / 2))


Gate = tuple[tuple[str, str], ...]
"""(consumer group, what it reads: ``"ingress"`` or the service whose facts), the first the
group that decides the phase's events."""

_DECIDED: dict[str, Gate] = {
    "registration": (("registration", "ingress"),),
    "awards": (("awards.ingress", "ingress"),),
}
"""Each service's group that decides a phase's events: a phase is absorbed once it has read
them all and its outbox has published what it recorded."""

_READ_FIRST: dict[str, Gate] = {
    "awards": (("awards.registration-facts", "registration"),),
}
"""What a service must have read of other services' facts before a phase it decides is
published: awards judges nominations against its copies of registration's facts."""


def gate(phase: Phase, following: Phase | None) -> Gate:
    """What the publisher waits for after ``phase``, before ``following`` (None: not known,
    the last phase of a load, which another load may follow). Awards' copies of registration's
    facts are waited for before a phase awards decides, or may decide: between two of
    registration's phases, registration alone decides, from its own records (waiting for
    awards' copies too made each small phase of the directory take the copies' 200 ms of
    gathering, ``thidua.es.subscribe.GATHER_MS``)."""
    decided = _DECIDED[phase.absorbed_by[0]]
    read_first = (
        [g for gates in _READ_FIRST.values() for g in gates]
        if following is None
        else _READ_FIRST.get(following.absorbed_by[0], ())
    )
    return decided + tuple(g for g in read_first if g not in decided)


@dataclass(frozen=True)
class Progress:
    phase: str
    number: int
    phases: int
    published: int
    absorbed: int
    total: int


ProgressReport = Callable[[Progress], None]


class Lag:
    """Consumer lag of groups on topics, counting partitions a group never committed. Its
    clients are opened once and kept (``async with``, or :meth:`close`): a phase is polled
    many times a second."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._http: httpx.AsyncClient | None = None
        self._coordinators: dict[str, int] = {}
        """Each group's coordinator, asked once (aiokafka asks before every offset fetch
        unless told): a gate polled fifty times a second sent a third of its requests for it."""
        self._partitions: dict[tuple[str, ...], list[TopicPartition]] = {}

    async def __aenter__(self) -> Lag:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        self._coordinators.clear()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
        if self._admin is not None:
            await self._admin.close()
            self._admin = None

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(**client_options(self.bootstrap))
            await admin.start()
            self._admin = admin
        if self._consumer is None:
            consumer = AIOKafkaConsumer(**client_options(self.bootstrap), enable_auto_commit=False)
            await consumer.start()
            self._consumer = consumer
        return self._admin, self._consumer

    async def committed(self, group: str, topic_names: Sequence[str]) -> tuple[int, int]:
        """(sum of committed offsets, sum of end offsets) of ``group`` over ``topic_names``."""
        key = tuple(topic_names)
        if key not in self._partitions:  # a topic's partitions do not change during a load
            parts = await partitions_of(self.bootstrap, list(topic_names))
            self._partitions[key] = [TopicPartition(t, p) for t, ps in parts.items() for p in ps]
        tps = self._partitions[key]
        if not tps:
            return 0, 0
        # A broker may be away (killed, restarting): ask again, through the others, for a while.
        deadline = time.monotonic() + OUTAGE_PATIENCE
        while True:
            try:
                admin, consumer = await self._clients()
                if group not in self._coordinators:
                    self._coordinators[group] = await admin.find_coordinator(group)
                done = await admin.list_consumer_group_offsets(
                    group, self._coordinators[group], partitions=tps
                )
                ends = await end_offsets(consumer, tps)
                break
            except KafkaError:
                await self.close()
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
        committed = sum(max(done[tp].offset, 0) if tp in done else 0 for tp in tps)
        return committed, sum(ends.values())

    async def outbox_lag(self, metrics_url: str) -> float:
        """:func:`outbox_lag` through an HTTP client kept with the Kafka ones (a new client
        builds its TLS context each time: 35 ms on an idle machine, 0.2 s on a busy one)."""
        if self._http is None:
            self._http = _service_client(timeout=60)
        return await outbox_lag(metrics_url, self._http)

    async def assigned(self, group: str) -> set[str]:
        """Topics the members of a stable ``group`` consume (empty while it rebalances)."""
        admin, _ = await self._clients()
        [response] = await admin.describe_consumer_groups([group])
        names: set[str] = set()
        for _, _, state, _, _, members in response.groups:
            if state != "Stable":
                return set()
            for *_, assignment in members:
                decoded = ConsumerProtocolMemberAssignment.decode(assignment)
                names.update(topic for topic, _ in decoded.assignment)
        return names


async def outbox_lag(metrics_url: str, client: httpx.AsyncClient | None = None) -> float:
    """``thidua_outbox_lag_events`` of the service behind ``metrics_url``, asked through
    ``client`` if given (:meth:`Lag.outbox_lag` keeps one). Infinite whenever it is not known:
    the endpoint does not answer (a scrape measures every group's lag and may be slow), answers
    with an error (the service could not measure: its database or Kafka away), or has no such
    gauge. Read as zero, such an answer let a chaos run's publisher send the dossiers while
    registration's outbox still held the facts they name, and awards refused them."""
    try:
        if client is None:
            async with _service_client(timeout=60) as made:
                response = await made.get(metrics_url)
        else:
            response = await client.get(metrics_url)
    except (httpx.HTTPError, PermissionError):
        return float("inf")
    if response.status_code != httpx.codes.OK:
        return float("inf")
    for line in response.text.splitlines():
        if line.startswith("thidua_outbox_lag_events{"):
            return float(line.rsplit(" ", 1)[1])
    return float("inf")


def department_directory(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """department code → (province, ministry) as the scenario registers its departments."""
    found: dict[str, tuple[str, str]] = {}
    for submission in scenario.submissions():
        if submission.event.type.endswith(".DepartmentRegistered.v1"):
            data = submission.event.data
            if isinstance(data, dict):
                code = str(data["department_code"])
                found[code] = (str(data["province_id"]), str(data["ministry_id"]))
    return found


@dataclass
class Publisher:
    """Publishes a scenario as the departments' systems would, and waits for it to land."""

    bootstrap: str
    metrics_urls: Mapping[str, str]
    """service → its /metrics URL (outbox lag); services missing here are not asked."""
    tracer_provider_for: Callable[[str], TracerProvider] | None = None
    timeout: float = 600.0
    interval: float = 0.1
    principal_for: Callable[[str], KafkaPrincipal | None] | None = None
    """department code → the principal its system writes as (None: this process's own,
    the admin on a local stack)."""
    first_publish_at: float | None = None
    """``time.perf_counter()`` just before the last load published its first phase."""

    async def prepare(self, scenario: Scenario) -> None:
        """What a department's (or a board's) provisioning does before its system publishes:
        its ingress topic and its rejections topic exist, and the services consume the first
        (found by their pattern subscriptions within their metadata refresh, then their groups
        rebalance)."""
        ingress = [topics.ingress(code) for code in scenario.publishers]
        await ensure_topics(
            self.bootstrap,
            [t for code in scenario.publishers for t in topics.department_topics(code)],
        )
        async with Lag(self.bootstrap) as lag:
            await self._until_consumed(lag, ingress)
        # The gate between phases reads each service's metrics: the first read logs in (a
        # token) and has the service verify it; done here, it is not charged to a phase.
        for url in self.metrics_urls.values():
            await outbox_lag(url)

    async def load(
        self, scenario: Scenario, progress: ProgressReport | None = None, *, prepared: bool = False
    ) -> None:
        """Publish ``scenario`` phase by phase, each once the previous one is absorbed."""
        if not prepared:
            await self.prepare(scenario)
        ingress = [topics.ingress(code) for code in scenario.publishers]
        total = scenario.events
        published = 0
        # The departments' systems hold their events ready to send, as stored records.
        encoded = [[s.event.to_json() for s in phase.submissions] for phase in scenario.phases]
        producers = Producers(self.bootstrap, self.principal_for)
        await producers.connect(scenario.publishers, topics.ingress)
        try:
            async with Lag(self.bootstrap) as lag:
                phases = scenario.phases
                for number, phase in enumerate(phases, start=1):
                    after = gate(phase, phases[number] if number < len(phases) else None)
                    base, _ = await lag.committed(after[0][0], ingress)
                    if number == 1:
                        self.first_publish_at = time.perf_counter()
                    await self._publish(producers, phase, encoded[number - 1])
                    published += len(phase.submissions)
                    await self._until_absorbed(
                        phase,
                        after,
                        lag,
                        ingress,
                        base,
                        progress,
                        (number, len(phases), published, total),
                    )
        finally:
            producers.close()

    async def _until_consumed(self, lag: Lag, ingress: list[str]) -> None:
        """Wait until the services' groups consume every department's ingress topic: a new
        department's topic is found by the services' pattern subscriptions within their metadata
        refresh, then their groups rebalance; publishing before that only queues the events."""
        deadline = time.monotonic() + self.timeout
        for group in ("registration", "awards.ingress"):
            while not set(ingress) <= await lag.assigned(group):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"group {group} not consuming {len(ingress)} ingress topics")
                await asyncio.sleep(self.interval / 5)

    async def _publish(self, producers: Producers, phase: Phase, values: list[bytes]) -> None:
        """Send ``phase`` (its events encoded as ``values``) and wait until Kafka has them."""
        for submission, value in zip(phase.submissions, values, strict=True):
            department = submission.department
            topic = topics.ingress(department)
            if self.tracer_provider_for is None:
                producers.send(department, topic, value, key=department.encode())
                continue
            tracer = self.tracer_provider_for(department).get_tracer("scenarios")
            with tracer.start_as_current_span(
                f"publish {topic}",
                kind=SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.operation.type": "publish",
                    "messaging.operation.name": "publish",
                    "messaging.destination.name": topic,
                    "messaging.message.id": submission.event.id,
                    "messaging.kafka.message.key": department,
                    "messaging.client.id": f"department-{department}",
                    "cloudevents.event_type": submission.event.type,
                    "cloudevents.event_subject": submission.event.subject or "",
                },
            ):
                carrier: dict[str, str] = {}
                propagate.inject(carrier)
                producers.send(
                    department,
                    topic,
                    value,
                    key=department.encode(),
                    headers=[(k, v.encode()) for k, v in carrier.items()],
                )
        await producers.flush(self.timeout)

    async def _until_absorbed(
        self,
        phase: Phase,
        after: Gate,
        lag: Lag,
        ingress: list[str],
        base: int,
        progress: ProgressReport | None,
        where: tuple[int, int, int, int],
    ) -> None:
        number, phases, published, total = where
        deadline = time.monotonic() + self.timeout
        looks = _Looks(self.interval)
        while True:
            absorbed_all = True
            absorbed = len(phase.submissions)
            pause = self.interval
            for i, (group, source) in enumerate(after):
                names = ingress if source == "ingress" else [topics.events(source)]
                done, end = await lag.committed(group, names)
                pause = looks.pause(group, done, end, time.monotonic())
                if i == 0:
                    absorbed = min(max(done - base, 0), len(phase.submissions))
                    if done >= end:
                        service = phase.absorbed_by[0]
                        url = self.metrics_urls.get(service)
                        if url is not None and await lag.outbox_lag(url) > 0:
                            absorbed_all = False
                            break
                if done < end:
                    absorbed_all = False
                    break
            if progress is not None:
                before = published - len(phase.submissions)
                progress(Progress(phase.name, number, phases, published, before + absorbed, total))
            if absorbed_all:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"phase '{phase.name}' not absorbed within {self.timeout:.0f} s")
            await asyncio.sleep(pause)


async def rollup_differences(
    reporting_url: str, scenario: Scenario, client: httpx.AsyncClient | None = None
) -> list[str]:
    """How the live province rollup, and each of the scenario's other checked rollups (other
    years and provinces, with or without predecessors), differ from its expectation (empty:
    all equal); asked through ``client`` if given (one kept for many polls: a new client
    builds its TLS context, 35 ms on an idle machine and 0.2 s on a busy one)."""
    if client is None:
        async with _service_client(reporting_url) as made:
            return await rollup_differences(reporting_url, scenario, made)
    found = await _differences(
        client, f"province/{scenario.province_id}", scenario.year, scenario.expectation
    )
    for check in scenario.checks:
        found += await _differences(
            client, check.scope, check.year, check.expectation, check.with_predecessors
        )
    return found


def _service_client(base_url: str = "", timeout: float = 30) -> httpx.AsyncClient:
    """A client logged in as the bench's service account (its token shared in the process)."""
    return httpx.AsyncClient(base_url=base_url, timeout=timeout, auth=service_auth())


async def ministry_differences(reporting_url: str, scenario: Scenario) -> list[str]:
    """How each ministry's live rollup differs from the scenario's expectation of it (its
    departments in every province). Ministries are shared by every scenario on a stack: this
    holds on a stack where ``scenario`` is the only one (the chaos run's)."""
    found: list[str] = []
    async with _service_client(reporting_url) as client:
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
    async with _service_client(reporting_url) as client:
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


class DepartmentSystems:
    """One tracer provider per department's system (its own service name in the trace UI),
    exporting to Zipkin at ``endpoint``."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.providers: dict[str, TracerProvider] = {}

    def __call__(self, department: str) -> TracerProvider:
        if department not in self.providers:
            from opentelemetry.exporter.zipkin.json import ZipkinExporter
            from opentelemetry.sdk.resources import SERVICE_NAME, Resource
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            provider = TracerProvider(
                resource=Resource.create({SERVICE_NAME: f"department-{department}"})
            )
            provider.add_span_processor(BatchSpanProcessor(ZipkinExporter(endpoint=self.endpoint)))
            self.providers[department] = provider
        return self.providers[department]

    def shutdown(self) -> None:
        for provider in self.providers.values():
            provider.shutdown()
