"""What Kafka and PostgreSQL alone do here, with the same message sizes as the events."""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from thidua.bench.report import percentile
from thidua.es.kafka import client_options, ensure_topics, partitions_of


async def kafka_produce(bootstrap: str, topic: str, count: int, size: int) -> float:
    """Messages/s produced with acks=all and idempotence, as the outbox relay does."""
    await ensure_topics(bootstrap, [topic])
    payload = b"x" * size
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", enable_idempotence=True, linger_ms=2
    )
    await producer.start()
    try:
        started = time.perf_counter()
        futures = [
            await producer.send(topic, payload, key=str(n % 1000).encode()) for n in range(count)
        ]
        await asyncio.gather(*futures)
        return count / (time.perf_counter() - started)
    finally:
        await producer.stop()


async def kafka_consume(bootstrap: str, topic: str, count: int) -> float:
    """Messages/s read back from the beginning by one consumer."""
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = (await partitions_of(bootstrap, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in parts]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        started = time.perf_counter()
        seen = 0
        while seen < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            if not batch:
                raise RuntimeError(f"only {seen} of {count} messages came back")
            seen += sum(len(records) for records in batch.values())
        return seen / (time.perf_counter() - started)
    finally:
        await consumer.stop()


async def _event_table(conn: asyncpg.Connection, schema: str, table: str) -> None:
    """A table shaped like the event store (same keys and indexes)."""
    await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    await conn.execute(
        f"""CREATE TABLE "{schema}".{table} (
                position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                stream_id text NOT NULL, version integer NOT NULL,
                event_id text NOT NULL UNIQUE, event_type text NOT NULL,
                envelope jsonb NOT NULL, PRIMARY KEY (stream_id, version))"""
    )


def _body(size: int) -> str:
    return '{"data": "' + "x" * max(size - 12, 1) + '"}'


async def pg_insert(dsn: str, schema: str, count: int, size: int, per_tx: int) -> float:
    """Rows/s inserted into a table shaped like the event store, ``per_tx`` rows a transaction."""
    conn = await asyncpg.connect(dsn)
    try:
        await _event_table(conn, schema, "raw_events")
        body = _body(size)
        started = time.perf_counter()
        for start in range(0, count, per_tx):
            stream = f"s-{start}"
            rows = [
                (stream, n + 1, str(uuid.uuid4()), "bench", body)
                for n in range(min(per_tx, count - start))
            ]
            async with conn.transaction():
                await conn.executemany(
                    f"""INSERT INTO "{schema}".raw_events
                        (stream_id, version, event_id, event_type, envelope)
                        VALUES ($1, $2, $3, $4, $5::jsonb)""",
                    rows,
                )
        return count / (time.perf_counter() - started)
    finally:
        await conn.close()


async def pg_bulk_insert(dsn: str, schema: str, count: int, size: int, per_statement: int) -> float:
    """Rows/s inserted into the same table shape in bulk: ``per_statement`` rows in one
    ``INSERT … SELECT FROM unnest(…)`` and one transaction (the bulk path, as a batch append)."""
    conn = await asyncpg.connect(dsn)
    try:
        await _event_table(conn, schema, "bulk_events")
        body = _body(size)
        started = time.perf_counter()
        for start in range(0, count, per_statement):
            n = min(per_statement, count - start)
            async with conn.transaction():
                await conn.execute(
                    f"""INSERT INTO "{schema}".bulk_events
                        (stream_id, version, event_id, event_type, envelope)
                        SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[],
                                             $5::jsonb[])""",
                    [f"s-{start + i // 10}" for i in range(n)],
                    [i % 10 + 1 for i in range(n)],
                    [str(uuid.uuid4()) for _ in range(n)],
                    ["bench"] * n,
                    [body] * n,
                )
        return count / (time.perf_counter() - started)
    finally:
        await conn.close()


async def kafka_latency(
    bootstrap: str, topic: str, rate: float, seconds: float, size: int
) -> tuple[float, float]:
    """(p50, p99) ms from send to receipt by a consumer, open loop at ``rate`` messages/s."""
    await ensure_topics(bootstrap, [topic])
    count = int(rate * seconds)
    payload = b"x" * size
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", enable_idempotence=True, linger_ms=0
    )
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await producer.start()
    await consumer.start()
    sent: dict[bytes, float] = {}
    latencies: list[float] = []
    try:
        parts = (await partitions_of(bootstrap, [topic]))[topic]
        tps = [TopicPartition(topic, p) for p in parts]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)
        for tp in tps:
            await consumer.position(tp)

        async def publish() -> None:
            start = time.monotonic()
            for n in range(count):
                due = start + n / rate
                if due > time.monotonic():
                    await asyncio.sleep(due - time.monotonic())
                key = str(n).encode()
                sent[key] = time.monotonic()
                await producer.send(topic, payload, key=key)

        publishing = asyncio.create_task(publish())
        deadline = time.monotonic() + seconds + 60
        while len(latencies) < count:
            for records in (await consumer.getmany(timeout_ms=5)).values():
                now = time.monotonic()
                latencies += [(now - sent[r.key]) * 1000 for r in records if r.key in sent]
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(latencies)} of {count} messages came back")
        await publishing
    finally:
        await producer.stop()
        await consumer.stop()
    return percentile(latencies, 50), percentile(latencies, 99)
