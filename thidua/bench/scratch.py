"""The bench's scratch topics and schemas: records produced onto a topic fast, and everything a
run made removed at its end.

Apart from the benches themselves because each of them (history, http, awards, the sections of
``thidua bench``) feeds and removes its own topics the same way.
"""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaProducer

from thidua.cleanup import delete_topics as cleanup_topics
from thidua.cleanup import drop_schemas
from thidua.es.kafka import client_options


async def produce(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(
        **client_options(bootstrap),
        acks="all",
        enable_idempotence=True,
        linger_ms=20,
        max_batch_size=1024 * 1024,
        max_request_size=8 * 1024 * 1024,
    )
    await producer.start()
    try:
        for start in range(0, len(records), 5000):
            sent = [
                await producer.send(topic, value, key=key)
                for key, value in records[start : start + 5000]
            ]
            await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def cleanup(dsn: str, bootstrap: str, control: str, uid: str) -> None:
    await drop_schemas(dsn, control)
    await delete_topics(bootstrap, f"bench.{uid}.")


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Delete the topics whose names start with ``prefix``."""
    await cleanup_topics(bootstrap, lambda name: name.startswith(prefix))
