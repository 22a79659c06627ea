"""Departments' systems: publish a scenario on their ingress topics, phase by phase.

Each department (and each province's board) publishes on ``thidua.ingress.<code>`` keyed by
its code (one partition per
department, so its facts are decided in the order it sent them), one PRODUCER span per event
with the W3C context in the record headers, so each business event starts its own trace.
A phase is published only when the service that decides the previous one has absorbed it (its
consumer group has committed up to the end of the topics, a group with no commit yet counting
from offset 0, and its outbox has published everything, ``thidua_outbox_lag_events``) and the
service that decides the next one has read the facts it judges by (:func:`gate`).

How far behind the services are is read by ``scenarios.lag``; whether the rollups show a
scenario, by ``scenarios.rollups``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind

from contracts import topics
from scenarios.generator import Phase, Scenario
from scenarios.lag import Lag, outbox_lag
from scenarios.sending import Producers
from thidua.es.kafka import KafkaPrincipal, ensure_topics

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
