"""The real local stack: health reporting, idempotent `up`, and a round trip through each server."""

from __future__ import annotations

import secrets
import time
import uuid

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from thidua.es.kafka import client_options, ensure_topics
from thidua.settings import StackSettings
from thidua.stack import LocalStack, StackStatus
from thidua.stack.process import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack_settings() -> StackSettings:
    return StackSettings()


@pytest.fixture(scope="module")
async def stack_up(stack_settings: StackSettings) -> StackStatus:
    # Idempotent: a no-op when the suite's session fixture (or a developer) already started it.
    return await LocalStack(stack_settings).up()


async def test_status_reports_every_component_healthy_with_its_address(
    stack_up: StackStatus, stack_settings: StackSettings
) -> None:
    status = await LocalStack(stack_settings).status()

    assert status.healthy
    assert [c.name for c in status.components] == ["kafka", "postgres", "zipkin", "keycloak"]
    assert status["kafka"].address == stack_settings.kafka_bootstrap
    assert (
        status["postgres"].address
        == f"{stack_settings.postgres_host}:{stack_settings.postgres_port}"
    )
    # Shown by `thidua stack status`: the address and the admin, never the password.
    assert status["postgres"].url == stack_settings.postgres_url(stack_settings.postgres_user, None)
    admin_password = stack_settings.local_pg_password(stack_settings.postgres_user)
    assert admin_password and admin_password not in (status["postgres"].url or "")
    assert status["zipkin"].address == f"127.0.0.1:{stack_settings.zipkin_port}"
    assert status["zipkin"].url == stack_settings.zipkin_url
    assert status["keycloak"].url == stack_settings.keycloak_url
    for component in status.components:
        assert component.running, component
        assert component.pid is not None, component


async def test_up_again_is_fast_and_leaves_running_servers_alone(
    stack_up: StackStatus, stack_settings: StackSettings
) -> None:
    before = await LocalStack(stack_settings).status()
    started = time.monotonic()

    again = await LocalStack(stack_settings).up()

    assert time.monotonic() - started < 10
    assert again.healthy
    assert {c.action for c in again.components} == {"already running"}
    assert [c.pid for c in again.components] == [c.pid for c in before.components]


async def test_kafka_produce_consume_roundtrip(
    stack_up: StackStatus, stack_settings: StackSettings
) -> None:
    topic = f"stack-test-{uuid.uuid4().hex[:12]}"
    payload = secrets.token_bytes(16)
    # No topic is created by a client's first write (auto.create.topics.enable=false).
    await ensure_topics(stack_settings.kafka_bootstrap, [topic])
    producer = AIOKafkaProducer(**client_options(stack_settings.kafka_bootstrap), acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(topic, payload, key=b"k")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        **client_options(stack_settings.kafka_bootstrap),
        group_id=f"stack-test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        received = await consumer.getone()
    finally:
        await consumer.stop()

    assert received.value == payload
    assert (received.partition, received.offset) == (sent.partition, sent.offset)


async def test_postgres_answers_queries_in_the_project_database(
    stack_up: StackStatus, stack_settings: StackSettings
) -> None:
    conn = await asyncpg.connect(stack_settings.database_url)
    try:
        database = await conn.fetchval("SELECT current_database()")
        version = await conn.fetchval("SHOW server_version_num")
        encoding = await conn.fetchval("SHOW server_encoding")
        assert await conn.fetchval("SELECT lower($1::text)", "ĐUA") == "đua"
    finally:
        await conn.close()

    assert database == stack_settings.postgres_db
    assert int(version) >= 150000
    assert encoding == "UTF8"


async def test_zipkin_accepts_and_serves_a_span(
    stack_up: StackStatus, stack_settings: StackSettings
) -> None:
    trace_id = secrets.token_hex(16)
    span = {
        "traceId": trace_id,
        "id": secrets.token_hex(8),
        "name": "stack-test",
        "timestamp": int(time.time() * 1_000_000),
        "duration": 1000,
        "localEndpoint": {"serviceName": "thidua-stack-test"},
    }
    async with httpx.AsyncClient(base_url=stack_settings.zipkin_url, timeout=5) as client:
        posted = await client.post("/api/v2/spans", json=[span])
        assert posted.status_code == 202

        async def stored() -> bool:
            response = await client.get(f"/api/v2/trace/{trace_id}")
            return response.status_code == 200 and len(response.json()) == 1

        assert await wait_until(stored, timeout=10)
