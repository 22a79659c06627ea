"""Helpers for tests against the real stack: bounded polls, reading topics, unique names."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from thidua import dbroles
from thidua.cleanup import remove_run
from thidua.es.kafka import client_options, end_offsets, partitions_of
from thidua.settings import StackSettings

T = TypeVar("T")


def unique(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


async def eventually(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool],
    *,
    timeout: float = 60.0,
    interval: float = 0.1,
    what: str = "condition",
) -> T:
    """Poll ``probe`` until ``accept`` holds for its result; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await probe()
        if accept(value):
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; last: {value!r}")
        await asyncio.sleep(interval)


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record currently in ``topic`` (all partitions), read without a consumer group."""
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = (await partitions_of(bootstrap, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in parts]
        if not tps:
            return []
        ends = await end_offsets(consumer, tps)
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        records: list[ConsumerRecord[bytes, bytes]] = []
        pending = {tp for tp in tps if ends[tp] > 0}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while pending and loop.time() < deadline:
            fetched = await consumer.getmany(*pending, timeout_ms=500)
            for tp, batch in fetched.items():
                records.extend(r for r in batch if r.offset < ends[tp])
            for tp in list(pending):
                if await consumer.position(tp) >= ends[tp]:
                    pending.discard(tp)
        return records
    finally:
        await consumer.stop()


async def count_topic(bootstrap: str, topic: str) -> int:
    return len(await read_topic(bootstrap, topic))


async def produce(
    bootstrap: str,
    topic: str,
    values: list[bytes],
    *,
    key: bytes | None = None,
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    producer = AIOKafkaProducer(**client_options(bootstrap), acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


async def remove_leftovers(database_url: str, bootstrap: str, uid: str) -> None:
    """Drop the schemas (``test_<uid>…``) and delete the topics (named with ``<uid>``) a test
    made, so that a system later started on the same stack does not consume test data."""
    await remove_run(database_url, bootstrap, uid, "test")


async def as_service_role(database_url: str, role: str, schema: str) -> str:
    """``schema`` made for ``role`` by the admin (as provisioning makes each service's own
    schema), and the URL that connects as ``role``: a service's tests run with its privileges,
    so they prove the role can migrate and run its own schema."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(
            f"CREATE SCHEMA IF NOT EXISTS {dbroles.ident(schema)} "
            f"AUTHORIZATION {dbroles.ident(role)}"
        )
    finally:
        await conn.close()
    return dbroles.local_role_url(StackSettings(), role)
