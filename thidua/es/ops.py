"""Operations endpoints of a service instance: liveness, readiness and Prometheus metrics.

Each runtime has its own metrics registry, so several runtimes in one process (tests) do not
collide. Consumer lag is measured when scraped: the end offset of each partition a group reads
minus the offset the group committed.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, Protocol

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import Depends, FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import BaseModel, Field

from thidua.auth import TokenVerifier
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.kafka import client_options, end_offsets


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.service = service
        self.handled = Counter(
            "thidua_events_handled",
            "Records handled, by consumer group and outcome",
            ["service", "group", "outcome"],
            registry=self.registry,
        )
        self.dead_lettered = Counter(
            "thidua_dlq_messages", "Records sent to the DLQ", ["service"], registry=self.registry
        )
        self.latency = Histogram(
            "thidua_processing_seconds",
            "Time to handle one record, commit included",
            ["service", "group"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "thidua_consumer_lag",
            "Records not yet consumed, by group and partition",
            ["service", "group", "topic", "partition"],
            registry=self.registry,
        )
        self.outbox_lag = Gauge(
            "thidua_outbox_lag_events",
            "Committed events the relay has not published yet",
            ["service"],
            registry=self.registry,
        )
        self.published = Gauge(
            "thidua_outbox_published",
            "Events published by this instance's relay since start",
            ["service"],
            registry=self.registry,
        )
        self.background_wait = Counter(
            "thidua_background_wait_seconds",
            "Seconds a background program's batches waited for the CPU to be spare",
            ["service", "group"],
            registry=self.registry,
        )

    @contextlib.contextmanager
    def timed(self, group: str, records: int = 1) -> Iterator[Callable[[str], None]]:
        """Time ``records`` handled together; the caller reports the outcome through the
        yielded function. The latency recorded is per record."""
        started = time.perf_counter()
        outcome = ["error"]
        yield lambda value: outcome.__setitem__(0, value)
        self.record(group, [outcome[0]] * records, time.perf_counter() - started)

    def yielded(self, group: str, seconds: float) -> None:
        """A batch of ``group`` waited ``seconds`` for a CPU to spare
        (:class:`thidua.es.pressure.SpareCpu`)."""
        if seconds > 0:
            self.background_wait.labels(self.service, group).inc(seconds)

    def record(self, group: str, outcomes: Sequence[str], seconds: float) -> None:
        """Records handled together in ``seconds``, each with its own outcome (counted by
        outcome: one labelled counter a kind, not one a record)."""
        if not outcomes:
            return
        observe = self.latency.labels(self.service, group).observe
        per_record = seconds / len(outcomes)
        for _ in outcomes:
            observe(per_record)
        for outcome, count in collections.Counter(outcomes).items():
            self.handled.labels(self.service, group, outcome).inc(count)


async def group_lag(bootstrap: str, groups: Sequence[str]) -> dict[tuple[str, str, int], int]:
    """(group, topic, partition) → end offset minus committed offset (clients of its own)."""
    probe = LagProbe(bootstrap)
    try:
        return await probe.measure(groups)
    finally:
        await probe.close()


class LagProbe:
    """Consumer lag measured by clients kept open between measurements: a new admin client
    and consumer each time cost a TLS handshake and a SCRAM login each, 2-4 s on a busy
    machine, and a metrics scrape (the scenario publisher's gate polls one between phases)
    waited that long every time. A measurement that fails closes the clients; the next one
    opens them again."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._clients: tuple[AIOKafkaAdminClient, AIOKafkaConsumer] | None = None
        self._lock = asyncio.Lock()

    async def measure(self, groups: Sequence[str]) -> dict[tuple[str, str, int], int]:
        """(group, topic, partition) → end offset minus committed offset; one measurement
        at a time (two scrapes at once share the clients)."""
        async with self._lock:
            return await self._measure(groups)

    async def _measure(self, groups: Sequence[str]) -> dict[tuple[str, str, int], int]:
        admin, consumer = await self._open()
        lag: dict[tuple[str, str, int], int] = {}
        try:
            for group in groups:
                committed = await admin.list_consumer_group_offsets(group)
                if not committed:
                    continue
                ends = await end_offsets(consumer, list(committed))
                for tp, meta in committed.items():
                    lag[(group, tp.topic, tp.partition)] = max(ends[tp] - max(meta.offset, 0), 0)
        except BaseException:
            await self.close()
            raise
        return lag

    async def warm(self) -> None:
        """Open the clients ahead of the first measurement (a failure is left to it)."""
        with contextlib.suppress(Exception):
            async with self._lock:
                await self._open()

    async def _open(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._clients is None:
            admin = AIOKafkaAdminClient(**client_options(self.bootstrap))
            consumer = AIOKafkaConsumer(**client_options(self.bootstrap), enable_auto_commit=False)
            try:
                await admin.start()
                await consumer.start()
            except BaseException:
                await consumer.stop()
                await admin.close()
                raise
            self._clients = (admin, consumer)
        return self._clients

    async def close(self) -> None:
        if self._clients is not None:
            admin, consumer = self._clients
            self._clients = None
            await consumer.stop()
            await admin.close()


class Observed(Protocol):
    """What the operations endpoints read of a running service."""

    name: str
    metrics: Metrics

    async def readiness(self) -> dict[str, bool]: ...

    async def refresh_gauges(self) -> None: ...


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"
    service: str


class Readiness(BaseModel):
    service: str
    checks: dict[str, bool] = Field(description="database, kafka, processing: each true or not.")


def ops_app(runtime: Observed, verifier: TokenVerifier | None = None) -> FastAPI:
    """/health/live, /health/ready and /metrics for one runtime (OpenAPI at /openapi.json).

    Liveness and readiness are open: the probes that ask (the supervisor, compose, a kubelet)
    carry no token, and they answer only booleans. Metrics need the operator role."""
    app = FastAPI(title=f"thidua {runtime.name}: operations", docs_url=None, redoc_url=None)
    webapi.install(app)
    auth.install(app, verifier)

    @app.get("/health/live", response_model=Liveness)
    async def live() -> Liveness:
        return Liveness(service=runtime.name)

    @app.get(
        "/health/ready",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Not ready: see the checks."}},
    )
    async def ready() -> Response:
        checks = await runtime.readiness()
        status = 200 if all(checks.values()) else 503
        body = Readiness(service=runtime.name, checks=checks)
        return JSONResponse(body.model_dump(), status_code=status)

    @app.get(
        "/metrics",
        response_class=PlainTextResponse,
        responses={
            200: {
                "description": "Prometheus text exposition.",
                "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
            }
        },
        dependencies=[Depends(auth.operator)],
    )
    async def metrics() -> Response:
        await runtime.refresh_gauges()
        return PlainTextResponse(
            generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST
        )

    return app


async def serve(app: FastAPI, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve ``app`` until ``stop`` is set."""
    server = webapi.HttpServer(app, host, port, lifespan="off")
    await server.start()
    try:
        await stop.wait()
    finally:
        await server.stop()
