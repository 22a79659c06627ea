"""The raw and peer sections: what Kafka and PostgreSQL alone do on this machine, and this
project's event store beside the ``eventsourcing`` library's PostgreSQL recorder.

A module of its own because these are the baselines: the other sections' figures are compared
with the figures named here (``KAFKA_PRODUCE``, ``KAFKA_CONSUME``).
"""

from __future__ import annotations

import asyncio

import asyncpg

from thidua.bench import raw, scratch
from thidua.bench import store as store_bench
from thidua.bench.options import Options, heading
from thidua.bench.report import Figure, Report
from thidua.settings import StackSettings

KAFKA_PRODUCE = "kafka produce (acks=all, idempotent)"
KAFKA_CONSUME = "kafka consume"
PG_INSERT = "postgres insert (asyncpg, event-store shape)"
PG_BULK = "postgres bulk insert (unnest, 1,000 rows a statement)"
BATCH_APPEND = "thidua batch append (1,000 events of 100 streams a statement)"


async def run_raw_and_peer(
    settings: StackSettings, opts: Options, report: Report, tag: str
) -> None:
    """The raw and peer sections (``--only raw,peer``): Kafka's and PostgreSQL's own speed, then
    the event store's beside ``eventsourcing``'s recorder."""
    dsn, bootstrap = settings.database_url, settings.kafka_bootstrap
    common: dict[str, object] = {
        "events": opts.events,
        "bytes": opts.size,
        "events_per_tx": opts.per_tx,
    }
    schemas = [
        f"bench_{tag}_raw",
        f"bench_{tag}_store",
        f"bench_{tag}_store4",
        f"bench_{tag}_es",
        f"bench_{tag}_batch",
    ]
    try:
        heading(f"raw baselines: {opts.events} messages of ~{opts.size} B")
        topic = f"bench.{tag}.raw"
        report.add(
            Figure(
                KAFKA_PRODUCE,
                await raw.kafka_produce(bootstrap, topic, opts.events, opts.size),
                "msg/s",
                settings=common,
            )
        )
        report.add(
            Figure(
                KAFKA_CONSUME,
                await raw.kafka_consume(bootstrap, topic, opts.events),
                "msg/s",
                settings=common,
            )
        )
        report.add(
            Figure(
                PG_INSERT,
                await raw.pg_insert(dsn, schemas[0], opts.events, opts.size, opts.per_tx),
                "rows/s",
                settings=common,
            )
        )
        report.add(
            Figure(
                PG_BULK,
                await raw.pg_bulk_insert(dsn, schemas[0], opts.events, opts.size, 1000),
                "rows/s",
                settings=common,
            )
        )
        if "pipeline" in opts.sections:
            for rate in opts.rates:
                p50, p99 = await raw.kafka_latency(
                    bootstrap, f"bench.{tag}.latency", rate, opts.load_seconds, opts.size
                )
                load: dict[str, object] = {
                    "rate": rate,
                    "seconds": opts.load_seconds,
                    "bytes": opts.size,
                }
                report.add(Figure(f"kafka latency p50 at {rate:g}/s", p50, "ms", settings=load))
                report.add(Figure(f"kafka latency p99 at {rate:g}/s", p99, "ms", settings=load))
        if "peer" not in opts.sections:
            return
        heading("peer: event store append against eventsourcing's PostgreSQL recorder")
        for writers, schema in ((1, schemas[1]), (4, schemas[2])):
            report.add(
                Figure(
                    f"thidua event store append, {writers} writer{'s' if writers > 1 else ''}",
                    await store_bench.thidua_append(
                        dsn, schema, opts.events, opts.size, opts.per_tx, writers
                    ),
                    "events/s",
                    baseline=PG_INSERT,
                    settings=common,
                )
            )
        report.add(
            Figure(
                BATCH_APPEND,
                await store_bench.thidua_batch_append(
                    dsn, schemas[4], opts.events, opts.size, opts.per_tx, 1000
                ),
                "events/s",
                baseline=PG_BULK,
                settings=common,
            )
        )
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'CREATE SCHEMA "{schemas[3]}"')
        await conn.close()
        peer = await asyncio.to_thread(
            store_bench.eventsourcing_append,
            settings,
            schemas[3],
            opts.events,
            opts.size,
            opts.per_tx,
        )
        report.add(
            Figure(
                "eventsourcing PostgresApplicationRecorder",
                peer,
                "events/s",
                baseline=PG_INSERT,
                settings=common,
            )
        )
        report.add(
            Figure(
                "thidua batch append vs eventsourcing",
                report.value(BATCH_APPEND),
                "events/s",
                baseline="eventsourcing PostgresApplicationRecorder",
            )
        )
        report.add(
            Figure(
                "thidua event store append, 1 writer, vs eventsourcing",
                report.value("thidua event store append, 1 writer"),
                "events/s",
                baseline="eventsourcing PostgresApplicationRecorder",
            )
        )
    finally:
        conn = await asyncpg.connect(dsn)
        for schema in schemas:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()
        await scratch.delete_topics(bootstrap, f"bench.{tag}.")
