"""``python -m thidua.bench``: baselines and store throughput on the local stack."""

from __future__ import annotations

import argparse
import asyncio
import uuid

import asyncpg

from thidua.bench import raw
from thidua.bench import store as store_bench
from thidua.bench.report import Figure, Report
from thidua.settings import StackSettings
from thidua.stack import LocalStack


async def run(count: int, size: int, per_tx: int) -> Report:
    settings = StackSettings()
    await LocalStack(settings).up()
    report = Report()
    tag = uuid.uuid4().hex[:8]
    dsn = settings.database_url
    common: dict[str, object] = {"events": count, "bytes": size, "events_per_tx": per_tx}
    schemas = [f"bench_{tag}_raw", f"bench_{tag}_store", f"bench_{tag}_store4", f"bench_{tag}_es"]
    try:
        print(f"benchmark: {count} events of ~{size} B, {per_tx} per transaction")
        topic = f"bench.{tag}.raw"
        report.add(
            Figure(
                "kafka produce (acks=all, idempotent)",
                await raw.kafka_produce(settings.kafka_bootstrap, topic, count, size),
                "msg/s",
                settings=common,
            )
        )
        report.add(
            Figure(
                "kafka consume",
                await raw.kafka_consume(settings.kafka_bootstrap, topic, count),
                "msg/s",
                settings=common,
            )
        )
        report.add(
            Figure(
                "postgres insert (asyncpg, event-store shape)",
                await raw.pg_insert(dsn, schemas[0], count, size, per_tx),
                "rows/s",
                settings=common,
            )
        )
        report.add(
            Figure(
                "thidua event store append, 1 writer",
                await store_bench.thidua_append(dsn, schemas[1], count, size, per_tx, 1),
                "events/s",
                baseline="postgres insert (asyncpg, event-store shape)",
                settings=common,
            )
        )
        report.add(
            Figure(
                "thidua event store append, 4 writers",
                await store_bench.thidua_append(dsn, schemas[2], count, size, per_tx, 4),
                "events/s",
                baseline="postgres insert (asyncpg, event-store shape)",
                settings=common,
            )
        )
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'CREATE SCHEMA "{schemas[3]}"')
        await conn.close()
        peer = await asyncio.to_thread(
            store_bench.eventsourcing_append, settings, schemas[3], count, size, per_tx
        )
        report.add(
            Figure(
                "eventsourcing PostgresApplicationRecorder",
                peer,
                "events/s",
                baseline="postgres insert (asyncpg, event-store shape)",
                settings=common,
            )
        )
        report.add(
            Figure(
                "thidua append / eventsourcing append",
                report.value("thidua event store append, 1 writer") / peer,
                "ratio",
            )
        )
    finally:
        conn = await asyncpg.connect(dsn)
        for schema in schemas:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--size", type=int, default=600, help="approximate event size in bytes")
    parser.add_argument("--per-tx", type=int, default=10, help="events per transaction")
    args = parser.parse_args()
    report = asyncio.run(run(args.events, args.size, args.per_tx))
    print()
    print(report.table())
    path = StackSettings().state_dir / "bench" / "store.json"
    report.write(path)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
