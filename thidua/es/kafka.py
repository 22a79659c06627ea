"""Small Kafka helpers shared by the relay, the consumers and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.partitioner import murmur2

# Local default; a deployment sets these (e.g. 6 partitions, replication 3 on three brokers).
DEFAULT_PARTITIONS = int(os.environ.get("THIDUA_TOPIC_PARTITIONS", "3"))


def default_replication() -> int:
    """``THIDUA_TOPIC_REPLICATION``; else 3 on a local cluster of three brokers
    (``THIDUA_KAFKA_BROKERS``), 1 on one."""
    given = os.environ.get("THIDUA_TOPIC_REPLICATION")
    if given:
        return int(given)
    return min(int(os.environ.get("THIDUA_KAFKA_BROKERS") or "1"), 3)


def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for ``key`` (Java-compatible murmur2)."""
    hashed: int = murmur2(key)
    return (hashed & 0x7FFFFFFF) % partitions


async def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    *,
    partitions: int = DEFAULT_PARTITIONS,
    replication: int | None = None,
) -> None:
    """Create the topics that do not exist yet (existing ones are left as they are), with
    ``replication`` replicas (default: :func:`default_replication`); their minimum in-sync
    replicas is the brokers' (2 on a cluster of three)."""
    replicas = default_replication() if replication is None else replication
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in dict.fromkeys(topics) if t not in existing]
        if not missing:
            return
        # Another instance may create one between our listing and our request.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(
                [
                    NewTopic(name=t, num_partitions=partitions, replication_factor=replicas)
                    for t in missing
                ]
            )
    finally:
        await admin.close()


async def topics_matching(bootstrap: str, pattern: str) -> list[str]:
    """The topics whose whole name matches the regex ``pattern``, sorted (the way a
    pattern subscription chooses them)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = await admin.list_topics()
    finally:
        await admin.close()
    chosen = re.compile(pattern)
    return sorted(t for t in names if chosen.fullmatch(t))


async def partitions_of(
    bootstrap: str, topics: Iterable[str], *, matching: str | None = None
) -> dict[str, list[int]]:
    """Partition numbers of each topic (an empty list for a topic that does not exist), and of
    every topic whose name matches the regex ``matching``, asked with one client."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = list(topics)
        if matching is not None:
            chosen = re.compile(matching)
            names += sorted(t for t in await admin.list_topics() if chosen.fullmatch(t))
        described = await admin.describe_topics(list(dict.fromkeys(names)))
    finally:
        await admin.close()
    return {
        entry["topic"]: sorted(p["partition"] for p in entry["partitions"]) for entry in described
    }


async def read_range(
    consumer: AIOKafkaConsumer,
    tp: TopicPartition,
    start: int,
    end: int,
    *,
    timeout: float = 30.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Records of ``tp`` with offsets in [start, end), read with a manually assigned consumer."""
    records: list[ConsumerRecord[bytes, bytes]] = []
    if start >= end:
        return records
    consumer.assign([tp])
    consumer.seek(tp, start)
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        batch = await consumer.getmany(tp, timeout_ms=1000)
        for record in batch.get(tp, []):
            if record.offset >= end:
                return records
            records.append(record)
            if record.offset == end - 1:
                return records
        if not batch and await consumer.position(tp) >= end:
            return records
    raise TimeoutError(f"could not read {tp} offsets {start}..{end} within {timeout} s")


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return bytes(value).decode()
    return None
