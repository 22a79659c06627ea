"""Append throughput: this project's event store against the eventsourcing library's recorder."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date
from urllib.parse import unquote, urlsplit

from contracts.common import UnitKind
from contracts.envelope import CloudEvent
from contracts.registration import UnitEstablished
from thidua.es import migrations, store
from thidua.es.db import create_pool
from thidua.settings import StackSettings


def sized_event(n: int, size: int) -> CloudEvent:
    """A real contract event whose JSON is about ``size`` bytes."""
    base = CloudEvent.new(
        UnitEstablished(
            unit_id=f"bench:u{n}",
            department_code="bench",
            name="Phòng",
            kind=UnitKind.SECTION,
            established_on=date(2018, 1, 1),
        ),
        source="urn:bench",
    )
    padding = max(size - len(base.to_json()), 1)
    data = {**base.data, "name": "P" + "h" * min(padding, 290)}
    return base.model_copy(update={"data": data})


async def thidua_append(
    dsn: str, schema: str, count: int, size: int, per_tx: int, writers: int
) -> float:
    """Events/s appended with optimistic concurrency, ``writers`` concurrent transactions."""
    pool = await create_pool(dsn, schema, max_size=writers + 1)
    try:
        await migrations.apply_migrations(pool, migrations.runtime_migrations())
        events = [sized_event(n, size) for n in range(count)]
        batches = [events[i : i + per_tx] for i in range(0, count, per_tx)]
        queue: asyncio.Queue[tuple[int, list[CloudEvent]]] = asyncio.Queue()
        for index, batch in enumerate(batches):
            queue.put_nowait((index, batch))

        async def writer() -> None:
            while not queue.empty():
                index, batch = queue.get_nowait()
                async with pool.acquire() as conn, conn.transaction():
                    await store.append(conn, f"stream-{index}", 0, batch)

        started = time.perf_counter()
        await asyncio.gather(*(writer() for _ in range(writers)))
        return count / (time.perf_counter() - started)
    finally:
        await pool.close()


async def thidua_batch_append(
    dsn: str, schema: str, count: int, size: int, per_stream: int, per_batch: int
) -> float:
    """Events/s appended as the kernel appends a decided batch: ``per_batch`` events of many
    streams (``per_stream`` each) in one statement (``store.append_many``), with the versions
    every stream had checked first, one transaction per batch."""
    pool = await create_pool(dsn, schema, max_size=2)
    try:
        await migrations.apply_migrations(pool, migrations.runtime_migrations())
        events = [sized_event(n, size) for n in range(count)]
        started = time.perf_counter()
        for start in range(0, count, per_batch):
            chunk = events[start : start + per_batch]
            appends = [
                store.Append(f"stream-{(start + i) // per_stream}", (start + i) % per_stream + 1, e)
                for i, e in enumerate(chunk)
            ]
            expected = {a.stream_id: a.version - 1 for a in appends if a.version == 1}
            async with pool.acquire() as conn, conn.transaction():
                await store.append_many(conn, appends, expected)
        return count / (time.perf_counter() - started)
    finally:
        await pool.close()


def eventsourcing_append(
    settings: StackSettings, schema: str, count: int, size: int, per_tx: int
) -> float:
    """Events/s through ``PostgresApplicationRecorder.insert_events`` (same sizes and batches)."""
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    datastore = PostgresDatastore(
        dbname=settings.postgres_db,
        host=settings.postgres_host,
        port=settings.postgres_port,
        user=settings.postgres_user,
        password=unquote(urlsplit(settings.database_url).password or ""),
        schema=schema,
        pool_size=2,
    )
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    state = sized_event(0, size).to_json()
    batches = []
    for start in range(0, count, per_tx):
        originator = uuid.uuid4()
        batches.append(
            [
                StoredEvent(originator, n + 1, "bench:UnitEstablished", state)
                for n in range(min(per_tx, count - start))
            ]
        )
    started = time.perf_counter()
    for batch in batches:
        recorder.insert_events(batch)
    elapsed = time.perf_counter() - started
    datastore.close()
    return count / elapsed
