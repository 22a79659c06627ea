"""The HTTP door's throughput: events/s posted in batch mode, until every event is on Kafka.

    .venv/bin/python -m thidua.bench.door [--events 20000] [--batch 500] [--concurrency 4]

Serves reporting's API with its door in a process of its own (one uvicorn worker, as ``thidua
run reporting`` does), gets a machine login for a department of the run's own (``thidua
departments http-client``'s client, deleted at the end), and posts ``--events`` valid events
(``PersonJoined``, ~600 B each, the size of the raw Kafka baseline) as
``application/cloudevents-batch+json`` bodies of ``--batch`` events from ``--concurrency``
clients at once. The figure runs from the first post to the last 202, each of which the door
answers only after Kafka acknowledged every event of its batch (acks=all); the topic is then
counted to check that every event is there once. The door publishes on a topic of the run's
own (``bench.<uid>.door.<code>``), not on an ingress topic, so no service decides (and
refuses) the bench's events meanwhile; what it measures is the door: reading, the kernel's
checks, publishing. Loopback only; the topic, schemas and client are deleted at the end."""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import date
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from thidua.auth.client import client_credentials
from thidua.auth.machines import MachineLogins
from thidua.bench import http as http_bench
from thidua.cleanup import remove_run
from thidua.es.kafka import client_options, end_offsets, ensure_topics, partitions_of
from thidua.settings import StackSettings

BATCH_CONTENT_TYPE = "application/cloudevents-batch+json"


def events_of(code: str, count: int) -> list[CloudEvent]:
    """``count`` valid, distinct submissions of ``code`` (people joining its office)."""
    return [
        CloudEvent.new(
            PersonJoined(
                person_id=f"{code}/cb-{n:06d}",
                department_code=code,
                unit_id=f"{code}/van-phong",
                full_name=f"Nguyễn Thị Thu Hương {n:06d} - Văn phòng Sở, phòng Tổng hợp",
                sex="female" if n % 2 else "male",
                joined_on=date(2015, 1, 5),
            ),
            source=f"urn:thidua:department:{code}",
            department=code,
        )
        for n in range(count)
    ]


def batch_body(events: list[CloudEvent]) -> bytes:
    return b"[" + b",".join(e.to_json() for e in events) + b"]"


async def post_all(
    base: str, code: str, token: str, bodies: list[bytes], concurrency: int
) -> float:
    """Seconds from the first post to the last 202, ``concurrency`` clients at once."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": BATCH_CONTENT_TYPE}

    async def poster() -> None:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
            while not queue.empty():
                body = queue.get_nowait()
                reply = await client.post(f"/v1/departments/{code}/events", content=body)
                if reply.status_code != 202:
                    raise RuntimeError(f"the door answered {reply.status_code}: {reply.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(poster() for _ in range(concurrency)))
    return time.perf_counter() - started


async def records_in(bootstrap: str, topic: str) -> int:
    """Records in ``topic`` (its partitions' end offsets: no transactions, so one each)."""
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        parts = (await partitions_of(bootstrap, [topic]))[topic]
        ends = await end_offsets(consumer, [TopicPartition(topic, p) for p in parts])
        return sum(ends.values())
    finally:
        await consumer.stop()


async def measure(events: int = 20_000, batch: int = 500, concurrency: int = 4) -> dict[str, Any]:
    """Post ``events`` in batches of ``batch`` through a door served in a process of its own;
    the events/s, and the events found on the topic afterwards."""
    from services.reporting.app import ensure_control

    settings = StackSettings()
    dsn, bootstrap = settings.database_url, settings.kafka_bootstrap
    uid = uuid.uuid4().hex[:8]
    code, control = f"bench-{uid}", f"bench_{uid}"
    prefix = f"bench.{uid}.door."
    topic = f"{prefix}{code}"
    logins = MachineLogins(settings)
    try:
        await ensure_topics(bootstrap, [topic])
        await ensure_control(dsn, control)
        login = await logins.ensure(code)
        token = await client_credentials(settings.oidc_issuer, login.client_id, login.client_secret)
        payload = events_of(code, events)
        bodies = [batch_body(payload[i : i + batch]) for i in range(0, events, batch)]
        server = http_bench.Server(dsn, control, door_prefix=prefix)
        try:
            await server.ready()
            # One post first: the door's producer connects on the first (not measured).
            warm = events_of(f"{code}", 1)[0].model_copy(update={"id": f"warm-{uid}"})
            await post_all(server.base, code, str(token["access_token"]), [batch_body([warm])], 1)
            seconds = await post_all(
                server.base, code, str(token["access_token"]), bodies, concurrency
            )
        finally:
            server.stop()
        found = await records_in(bootstrap, topic) - 1
        if found != events:
            raise RuntimeError(f"{found} events on {topic}, not the {events} the door took")
        return {
            "events": events,
            "batch": batch,
            "concurrency": concurrency,
            "requests": len(bodies),
            "seconds": seconds,
            "events_per_s": events / seconds,
            "on_kafka": found,
        }
    finally:
        await logins.remove(code)
        await remove_run(dsn, bootstrap, uid, "bench")


def cli(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500, help="events per request")
    parser.add_argument("--concurrency", type=int, default=4, help="clients posting at once")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.events, args.batch, args.concurrency))
    print(f"{result['events_per_s']:,.0f} events/s over HTTP ({result})")


if __name__ == "__main__":
    cli()
