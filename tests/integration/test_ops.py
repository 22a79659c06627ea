"""Operations endpoints: liveness, readiness and Prometheus metrics of a running service."""

from __future__ import annotations

import logging
import socket
import time

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts import topics
from tests.apifuzz import schemathesis
from tests.auth import service_auth, service_token
from tests.integration.test_consumer_policy import establish_unit, unit_of
from tests.support import eventually, produce
from thidua.es.consumer import ConsumerPolicy
from thidua.es.kafka import client_options, end_offsets, ensure_topics
from thidua.es.ops import LagProbe
from thidua.es.service import ServiceRuntime, ServiceTopics


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def metric(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in a Prometheus exposition, or None when absent."""
    wanted = [f'{k}="{v}"' for k, v in labels.items()]
    for line in text.splitlines():
        if line.startswith(name + "{") and all(w in line for w in wanted):
            return float(line.rsplit(" ", 1)[1])
    return None


async def ops_service(database_url: str, bootstrap: str, uid: str, port: int) -> ServiceRuntime:
    """A started service ``ops`` on the test's schema and topics, its endpoints on ``port``."""
    runtime = ServiceRuntime(
        "ops",
        database_url,
        bootstrap,
        schema=f"test_{uid}",
        http_port=port,
        writes_to=ServiceTopics(
            f"test.{uid}.ops.events", f"test.{uid}.ops.dlq", f"test.{uid}.rejections"
        ),
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.01),
    )
    runtime.handle(establish_unit, topics=[topics.ingress(uid)], group_id=f"ops-{uid}")
    await runtime.start()
    return runtime


async def test_health_and_metrics_show_what_the_service_did(
    database_url: str, bootstrap: str, uid: str
) -> None:
    port = free_port()
    group = f"ops-{uid}"
    runtime = await ops_service(database_url, bootstrap, uid, port)
    try:
        await produce(
            bootstrap,
            topics.ingress(uid),
            [
                unit_of(uid, 1).to_json(),
                unit_of(uid, 2, name="POISON").to_json(),
                unit_of(uid, 3).to_json(),
            ],
        )
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", auth=service_auth()
        ) as client:
            live = await eventually(
                lambda: client.get("/health/live"), lambda r: r.status_code == 200, what="liveness"
            )
            assert live.json()["service"] == "ops"
            ready = await client.get("/health/ready")
            assert ready.status_code == 200
            assert ready.json()["checks"] == {"database": True, "kafka": True, "processing": True}

            async def scrape() -> str:
                return (await client.get("/metrics")).text

            text = await eventually(
                scrape,
                lambda t: (
                    metric(t, "thidua_events_handled_total", group=group, outcome="accepted") == 2.0
                    and metric(t, "thidua_consumer_lag", group=group) is not None
                    and sum(
                        float(line.rsplit(" ", 1)[1])
                        for line in t.splitlines()
                        if line.startswith("thidua_consumer_lag{")
                    )
                    == 0
                ),
                what="metrics after the three records",
            )
    finally:
        await runtime.stop()
    assert metric(text, "thidua_events_handled_total", group=group, outcome="dead-lettered") == 1.0
    assert metric(text, "thidua_dlq_messages_total", service="ops") == 1.0
    assert metric(text, "thidua_processing_seconds_count", group=group) == 3.0
    assert metric(text, "thidua_outbox_lag_events", service="ops") is not None


async def test_readiness_answers_in_time_when_no_database_connection_is_free(
    database_url: str, bootstrap: str, uid: str
) -> None:
    """A probe is answered within seconds even when every connection of the service's pool is
    held (as by work waiting out a database outage): 503 with the database check false, not a
    request that hangs until the prober gives up; ready again once connections are free."""
    port = free_port()
    runtime = await ops_service(database_url, bootstrap, uid, port)
    held: list[asyncpg.pool.PoolConnectionProxy] = []
    pool = runtime.pool
    assert pool is not None

    async def release() -> None:
        while held:
            await pool.release(held.pop())

    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            await eventually(
                lambda: client.get("/health/ready"),
                lambda r: r.status_code == 200,
                what="ready before the pool is taken",
            )
            # Every connection the service itself does not hold (its relay keeps one).
            while True:
                try:
                    held.append(await pool.acquire(timeout=1.0))
                except TimeoutError:
                    break
            assert held
            started = time.monotonic()
            answer = await client.get("/health/ready")
            took = time.monotonic() - started
            assert answer.status_code == 503, answer.text
            assert answer.json()["checks"]["database"] is False, answer.json()
            assert took < 4.0, took
            await release()
            await eventually(
                lambda: client.get("/health/ready"),
                lambda r: r.status_code == 200,
                what="ready once the connections are free",
            )
    finally:
        await release()
        await runtime.stop()


@pytest.mark.timeout(180)
async def test_the_operations_endpoints_pass_every_schemathesis_check(
    database_url: str, bootstrap: str, uid: str
) -> None:
    """``st run <ops>/openapi.json --checks all`` against a running instance's /health/live,
    /health/ready and /metrics: each answers as documented, whatever is sent."""
    port = free_port()
    runtime = await ops_service(database_url, bootstrap, uid, port)
    try:
        url = f"http://127.0.0.1:{port}"
        fuzzed = await schemathesis(url, max_examples=10, token=await service_token())
        print(fuzzed.summary())
        assert fuzzed.exit_code == 0 and not fuzzed.failures and not fuzzed.errors, (
            f"{fuzzed.summary()}\n{fuzzed.output[-8000:]}"
        )
        for operation in ("GET /health/live", "GET /health/ready", "GET /metrics"):
            assert fuzzed.answered(operation, 200) > 0, (operation, fuzzed.statuses)
    finally:
        await runtime.stop()


async def test_the_lag_probe_keeps_its_clients_and_follows_the_group(
    bootstrap: str, uid: str
) -> None:
    """Consumer lag as a scrape measures it: the probe's clients stay open between
    measurements (no new login per scrape), and a measurement that follows new records sees
    them; after ``close`` the next measurement opens new clients."""
    topic = f"test.{uid}.lag"
    group = f"lag-{uid}"
    await ensure_topics(bootstrap, [topic], partitions=1)
    await produce(bootstrap, topic, [b"a", b"b", b"c"])
    reader = AIOKafkaConsumer(**client_options(bootstrap), group_id=group, enable_auto_commit=False)
    await reader.start()
    try:
        reader.assign([TopicPartition(topic, 0)])
        await reader.commit({TopicPartition(topic, 0): 1})
    finally:
        await reader.stop()
    probe = LagProbe(bootstrap)
    try:
        assert await probe.measure([group]) == {(group, topic, 0): 2}
        opened = probe._clients
        await produce(bootstrap, topic, [b"d"])
        assert await probe.measure([group]) == {(group, topic, 0): 3}
        assert probe._clients is opened  # the same clients, not a new login
        await probe.close()
        assert probe._clients is None
        assert await probe.measure([group, f"none-{uid}"]) == {(group, topic, 0): 3}
    finally:
        await probe.close()


async def test_end_offsets_of_topics_a_consumer_never_saw_ask_their_metadata_once(
    bootstrap: str, uid: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A consumer that has not seen twelve new topics (a new department's, as the lag probe
    and the scenario publisher's gate meet them) learns all of them before asking their end
    offsets: aiokafka's ``end_offsets`` alone stops at each unknown partition, asks that one
    topic's metadata and sleeps 100 ms before retrying (1.2 s here, 1.8 s for a province)."""
    names = [f"test.{uid}.new.{n}" for n in range(12)]
    await ensure_topics(bootstrap, names, partitions=2)
    for n, name in enumerate(names):
        await produce(bootstrap, name, [b"x"] * (n % 3))
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(name, p) for name in names for p in (0, 1)]
        with caplog.at_level(logging.DEBUG, logger="aiokafka.consumer.fetcher"):
            ends = await end_offsets(consumer, tps)
    finally:
        await consumer.stop()
    assert {name: sum(ends[TopicPartition(name, p)] for p in (0, 1)) for name in names} == {
        name: n % 3 for n, name in enumerate(names)
    }
    unknown = [r for r in caplog.records if "is unknown for fetching offset" in r.getMessage()]
    assert unknown == []
