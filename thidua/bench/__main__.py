"""``thidua bench`` (or ``python -m thidua.bench``): the pipeline's speed on this machine, each
figure beside what Kafka or PostgreSQL alone do here in the same run.

1. Raw baselines: aiokafka produce, consume and send-to-receipt latency; asyncpg inserts into
   a table shaped like the event store.
2. Peer: this project's event store against the ``eventsourcing`` library's PostgreSQL
   recorder, same events, same sizes, same transactions.
3. End to end, with the four services running: a scenario's throughput until its rollup is
   exact, its dossier-deadline burst, and publish-to-rollup latency under open-loop load. A
   smaller scenario (``--warmup-people``) runs first, its figure reported apart.
   Burst: a scenario large enough that its dossier deadline brings ``--burst-dossiers``
   (50,000) dossiers at once, timed from their first publish until the rollup is exact.
4. Reporting: a live projection of a history produced at once, a rebuild of it, and rollup
   query latency over it and over a history ``--copies`` + 1 times longer.
5. Search: the search's queries of each kind, the person's and the unit's page, over the
   model of that longer history (``thidua.bench.search``), beside a primary-key lookup.
6. HTTP: Debian's ``wrk`` (-t2 -c20) against the reporting API on loopback: the province rollup
   and the province dashboard page, beside ``/health`` (the framework alone).
7. Door: events/s posted to the HTTP door in batch mode until Kafka acknowledged them, beside
   the Kafka produce path (acks=all, idempotent) of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from thidua.bench import door as door_bench
from thidua.bench import history, latency, pipeline, raw, scratch
from thidua.bench import http as http_bench
from thidua.bench import search as search_bench
from thidua.bench import store as store_bench
from thidua.bench.quiet import settle
from thidua.bench.report import Figure, Report
from thidua.cleanup import delete_topics as cleanup_topics
from thidua.settings import StackSettings
from thidua.stack import LocalStack

KAFKA_PRODUCE = "kafka produce (acks=all, idempotent)"
KAFKA_CONSUME = "kafka consume"
PG_INSERT = "postgres insert (asyncpg, event-store shape)"
PG_BULK = "postgres bulk insert (unnest, 1,000 rows a statement)"
BATCH_APPEND = "thidua batch append (1,000 events of 100 streams a statement)"


@dataclass(frozen=True)
class Options:
    events: int = 20_000
    size: int = 600
    per_tx: int = 10
    people: int = 1200
    warmup_people: int = 1000
    rates: tuple[float, ...] = (10.0, 100.0, 500.0)
    load_seconds: float = 15.0
    history_people: int = 130
    copies: int = 19
    queries: int = 400
    live_seconds: float = 240.0
    http_seconds: int = 15
    door_events: int = 20_000
    door_batch: int = 500
    door_concurrency: int = 4
    burst_dossiers: int = 50_000
    sections: tuple[str, ...] = (
        "raw",
        "peer",
        "pipeline",
        "burst",
        "reporting",
        "search",
        "http",
        "door",
    )


def _section(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


async def run(opts: Options) -> Report:
    settings = StackSettings()
    await LocalStack(settings).up()
    report = Report()
    tag = uuid.uuid4().hex[:8]
    sections: list[tuple[set[str], Callable[[], Awaitable[None]]]] = [
        ({"raw", "peer"}, lambda: _raw_and_peer(settings, opts, report, tag)),
        ({"pipeline"}, lambda: _pipeline(settings, opts, report, tag)),
        ({"burst"}, lambda: _burst(settings, opts, report)),
        ({"reporting", "search"}, lambda: _reporting(opts, report)),
        ({"http"}, lambda: _http(opts, report)),
        ({"door"}, lambda: _door(settings, opts, report, tag)),
    ]
    ran = False
    for wanted, section in sections:
        chosen = wanted & set(opts.sections)
        if chosen:
            if ran:  # each section after the first starts on a quiet machine
                await settle("/".join(sorted(chosen)))
            await section()
            ran = True
    return report


async def _raw_and_peer(settings: StackSettings, opts: Options, report: Report, tag: str) -> None:
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
        _section(f"raw baselines: {opts.events} messages of ~{opts.size} B")
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
        _section("peer: event store append against eventsourcing's PostgreSQL recorder")
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


@asynccontextmanager
async def _services(settings: StackSettings, tag: str) -> AsyncIterator[None]:
    """The four services running for a scenario of namespace ``tag``: department topics that
    earlier runs' scenarios left behind deleted first, the services started if they were not,
    and stopped again afterwards if this started them."""
    stale = await cleanup_topics(
        settings.kafka_bootstrap, lambda t: pipeline.leftover_topics(t, tag)
    )
    if stale:
        print(f"  deleted {stale} department topics that earlier runs left behind", flush=True)
    started = await pipeline.start_services(settings)
    try:
        yield
    finally:
        pipeline.stop_started(settings, started)


BURST = "end to end: dossiers at once until rollup exact"
BURST_SECONDS = 60.0
"""Issue 12: 50,000 dossiers at once, exact in the rollup within a minute."""


async def _burst(settings: StackSettings, opts: Options, report: Report) -> None:
    _section(f"burst: {opts.burst_dossiers:,} dossiers at once, until the rollup is exact")
    # A namespace of its own (b<8 hex>-…), apart from the pipeline section's scenario.
    tag = uuid.uuid4().hex[:8]
    began = time.perf_counter()
    scenario = await asyncio.to_thread(pipeline.burst_scenario, opts.burst_dossiers, tag)
    print(
        f"  scenario of {scenario.people:,} people, {scenario.events:,} events, built in"
        f" {time.perf_counter() - began:.0f} s: {pipeline.dossiers_of(scenario):,} dossiers"
        f" ({len(scenario.phases[-1].submissions):,} events) at the deadline",
        flush=True,
    )
    async with _services(settings, tag):
        t = await pipeline.throughput_and_burst(settings, scenario.people, tag, scenario)
        seconds = t["burst_seconds"]
        print(
            f"  {t['burst_dossiers']:,} dossiers ({t['burst_events']:,} events) exact in the"
            f" rollup {seconds:.1f} s after their first publish"
            f" ({t['burst_events_per_s']:,.0f} events/s; target {BURST_SECONDS:.0f} s:"
            f" {'met' if seconds <= BURST_SECONDS else 'not met'})",
            flush=True,
        )
        behind = await pipeline.background_caught_up(settings)
        print(
            f"  notifications and the audit trail caught up {behind:.1f} s after the rollup"
            " was exact",
            flush=True,
        )
    report.add(
        Figure(
            BURST,
            seconds,
            "s",
            settings={
                "dossiers": t["burst_dossiers"],
                "events": t["burst_events"],
                "events_per_s": round(t["burst_events_per_s"], 1),
                "people": t["people"],
                "scenario_events": t["events"],
                "cpu_seconds": t["cpu_seconds"],
                "background_after_s": round(behind, 1),
            },
        )
    )


WARM_UP = "end to end: warm-up scenario until rollup exact"


async def _warm_up(settings: StackSettings, people: int, report: Report) -> None:
    """A smaller scenario of its own namespace first, its figure apart (no target): measured,
    the first scenario after Kafka starts pays for its compilers (6.7 s of the broker's CPU
    against 0.6-0.8 s on a broker up for half an hour), and services just started pay for their
    first batches, neither of which a system in service pays per scenario."""
    tag = uuid.uuid4().hex[:8]
    print(f"  warm-up: a scenario of {people:,} people first (its figure is not a target)")
    t = await pipeline.throughput_and_burst(settings, people, tag)
    report.add(
        Figure(
            WARM_UP,
            t["events_per_s"],
            "events/s",
            settings={"people": people, "events": t["events"], "seconds": round(t["seconds"], 1)},
        )
    )
    await pipeline.delete_departments(settings.kafka_bootstrap, f"b{tag}")
    await settle("the scenario")


async def _pipeline(settings: StackSettings, opts: Options, report: Report, tag: str) -> None:
    _section("end to end: departments -> registration, awards -> reporting rollup")
    async with _services(settings, tag):
        if opts.warmup_people:
            await _warm_up(settings, opts.warmup_people, report)
        t = await pipeline.throughput_and_burst(settings, opts.people, tag)
        scenario = {"people": t["people"], "events": t["events"]}
        print(
            f"  scenario: {t['events']} events, rollup exact {t['seconds']:.1f} s after the"
            f" first publish (set-up of its departments before that:"
            f" {t['setup_seconds']:.1f} s)",
            flush=True,
        )
        if t["cpu_seconds"]:
            spent = ", ".join(f"{n} {c:.1f}" for n, c in t["cpu_seconds"].items())
            print(f"  the services' CPU meanwhile, seconds: {spent}", flush=True)
        have_raw = "raw" in opts.sections
        report.add(
            Figure(
                "end to end: scenario until rollup exact",
                t["events_per_s"],
                "events/s",
                baseline=KAFKA_PRODUCE if have_raw else None,
                settings={**scenario, "seconds": round(t["seconds"], 1)},
            )
        )
        report.add(
            Figure(
                "end to end: dossier-deadline burst until rollup exact",
                t["burst_events_per_s"],
                "events/s",
                baseline=KAFKA_PRODUCE if have_raw else None,
                settings={"events": t["burst_events"], "seconds": round(t["burst_seconds"], 1)},
            )
        )
        if t["cpu_ms_per_event"] is not None:
            report.add(
                Figure(
                    "end to end: the services' CPU per scenario event",
                    t["cpu_ms_per_event"],
                    "ms",
                    settings={**scenario, "cpu_seconds": t["cpu_seconds"]},
                )
            )
        for rate in opts.rates:
            # The scenario's after-effects (notifications catching up for 7-20 s, autovacuum)
            # and the previous rate's are over before a latency is measured.
            await settle(f"the open loop at {rate:g} events/s")
            r = await latency.open_loop(settings, rate, opts.load_seconds, f"{tag}")
            load = {
                "rate": rate,
                "seconds": opts.load_seconds,
                "events": r["published"],
                "measured": r["measured"],
                "max_ms": round(r["max_ms"], 1),
                "registration_share_p50_ms": round(r["recorded_p50_ms"], 1),
            }
            for p in ("p50", "p99"):
                report.add(
                    Figure(
                        f"publish to rollup {p} at {rate:g}/s",
                        r[f"{p}_ms"],
                        "ms",
                        baseline=f"kafka latency {p} at {rate:g}/s" if have_raw else None,
                        settings=load,
                    )
                )
        # The scenarios' department topics (ingress and rejections): left behind, every later
        # metadata refresh and fetch of every service subscribed by pattern would carry them
        # (a dev stack had 354 rejections topics of past runs, and the audit trail's consumer
        # spent a third of its time fetching them).
        await pipeline.delete_departments(settings.kafka_bootstrap, f"b{tag}")


async def _reporting(opts: Options, report: Report) -> None:
    """The reporting section and the search's (one history serves both)."""
    measured = " and ".join(s for s in ("reporting", "search") if s in opts.sections)
    _section(
        f"{measured}: history of {opts.history_people} staff x 50 departments,"
        f" then x{opts.copies + 1}"
    )
    args = argparse.Namespace(
        people=opts.history_people,
        queries=opts.queries,
        live_seconds=opts.live_seconds if "reporting" in opts.sections else 0,
        copies=opts.copies,
        rebuilds=history.REBUILDS,
        search="search" in opts.sections,
        keep=False,
        argv=[],
    )
    r = await history.main(args)
    if "search" in r:
        _search_figures(report, r["search"], r.get("long_history", {}).get("events", r["events"]))
    if "reporting" not in opts.sections:
        return
    events = r["events"]
    have_raw = any(f.name == KAFKA_CONSUME for f in report.figures)
    if "live" in r:
        report.add(
            Figure(
                "reporting live projection, history produced at once",
                r["live"]["events_per_s"],
                "events/s",
                baseline=KAFKA_CONSUME if have_raw else None,
                settings={"events": r["live"]["applied"], "seconds": round(r["live"]["seconds"])},
            )
        )
    report.add(
        Figure(
            "reporting rebuild",
            r["rebuild"]["events_per_s"],
            "events/s",
            baseline=KAFKA_CONSUME if have_raw else None,
            settings={
                "events": events,
                "seconds": round(r["rebuild"]["seconds"], 2),
                "median of": len(r["rebuild"]["trials"]),
                "each, events/s": [round(t["events_per_s"]) for t in r["rebuild"]["trials"]],
            },
        )
    )
    short = f"{events // 1000}k events"
    _query_figures(report, short, r["queries"]["all"], None)
    if "queries_long_history" in r:
        long = r["long_history"]
        label = f"{long['events'] / 1e6:.2f}M events"
        _query_figures(report, label, r["queries_long_history"]["all"], short)


async def _http(opts: Options, report: Report) -> None:
    _section(
        f"queries under load: wrk -t{http_bench.THREADS} -c{http_bench.CONNECTIONS}"
        f" -d{opts.http_seconds}s, history of {opts.history_people} staff x 50 departments"
    )
    wrk = http_bench.find_wrk()
    if wrk is None:
        print("  wrk is not installed and could not be (apt-get install -y wrk): skipped")
        return
    r = await http_bench.measure(opts.history_people, opts.http_seconds, wrk)
    names = {
        "health": "http /health (framework alone)",
        "rollup": "http province rollup API",
        "page": "http province dashboard page",
    }
    for target, name in names.items():
        result = r[target]
        settings = {"path": result["path"], "requests": result["requests"]}
        base = None if target == "health" else names["health"]
        report.add(Figure(name, result["requests_per_s"], "requests/s", base, settings))
        for p in ("50%", "99%"):
            report.add(
                Figure(
                    f"{name} p{p[:-1]}",
                    result["latency_ms"][p],
                    "ms",
                    None if base is None else f"{base} p{p[:-1]}",
                    settings,
                )
            )


DOOR = "http door, batch mode"


async def _door(settings: StackSettings, opts: Options, report: Report, tag: str) -> None:
    _section(
        f"HTTP door: {opts.door_events} events in batches of {opts.door_batch},"
        f" {opts.door_concurrency} clients, beside Kafka produce"
    )
    if not any(f.name == KAFKA_PRODUCE for f in report.figures):  # its baseline, this run
        try:
            produced = await raw.kafka_produce(
                settings.kafka_bootstrap, f"bench.{tag}.door-raw", opts.door_events, opts.size
            )
        finally:
            await scratch.delete_topics(settings.kafka_bootstrap, f"bench.{tag}.")
        base: dict[str, object] = {"events": opts.door_events, "bytes": opts.size}
        report.add(Figure(KAFKA_PRODUCE, produced, "msg/s", settings=base))
    r = await door_bench.measure(opts.door_events, opts.door_batch, opts.door_concurrency)
    settings_of = {k: r[k] for k in ("events", "batch", "concurrency", "requests", "seconds")}
    report.add(Figure(DOOR, r["events_per_s"], "events/s", KAFKA_PRODUCE, settings_of))


def _search_figures(report: Report, r: dict[str, Any], events: int) -> None:
    settings = {"events": events, "people": r["people"], "facts": r["facts"]}
    for label, stats in r["queries"].items():
        for p in ("p50", "p99"):
            base = None if label == search_bench.BASELINE else search_bench.BASELINE
            report.add(
                Figure(
                    f"search: {label} {p}",
                    stats[f"{p}_ms"],
                    "ms",
                    baseline=f"search: {base} {p}" if base else None,
                    settings={**settings, "queries": stats["n"]},
                )
            )


def _query_figures(
    report: Report, history_label: str, stats: dict[str, float], baseline: str | None
) -> None:
    for p, key in (("p50", "median_ms"), ("p99", "p99_ms")):
        report.add(
            Figure(
                f"rollup query {p}, history {history_label}",
                stats[key],
                "ms",
                baseline=f"rollup query {p}, history {baseline}" if baseline else None,
                settings={"queries": stats["n"]},
            )
        )


def parse(argv: list[str] | None = None) -> Options:
    d = Options()
    parser = argparse.ArgumentParser(
        prog="thidua bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--events", type=int, default=d.events, help="raw and peer messages")
    parser.add_argument("--size", type=int, default=d.size, help="approximate event bytes")
    parser.add_argument("--per-tx", type=int, default=d.per_tx, help="events per transaction")
    parser.add_argument("--people", type=int, default=d.people, help="scenario staff")
    parser.add_argument(
        "--warmup-people",
        type=int,
        default=d.warmup_people,
        help="staff of a scenario run first, its figure apart (0: none)",
    )
    parser.add_argument(
        "--rates",
        default=",".join(f"{r:g}" for r in d.rates),
        help="open-loop rates, events/s, comma-separated",
    )
    parser.add_argument("--load-seconds", type=float, default=d.load_seconds)
    parser.add_argument(
        "--history-people", type=int, default=d.history_people, help="staff per department"
    )
    parser.add_argument("--copies", type=int, default=d.copies, help="history copies to query")
    parser.add_argument("--queries", type=int, default=d.queries)
    parser.add_argument(
        "--live-seconds", type=float, default=d.live_seconds, help="0: no live projection"
    )
    parser.add_argument(
        "--http-seconds", type=int, default=d.http_seconds, help="wrk duration per URL"
    )
    parser.add_argument(
        "--only",
        default=",".join(d.sections),
        help="sections to run: raw, peer, pipeline, burst, reporting, search, http, door",
    )
    parser.add_argument(
        "--burst-dossiers",
        type=int,
        default=d.burst_dossiers,
        help="dossiers at once in the burst section",
    )
    parser.add_argument("--door-events", type=int, default=d.door_events)
    parser.add_argument("--door-batch", type=int, default=d.door_batch, help="events a post")
    parser.add_argument("--door-concurrency", type=int, default=d.door_concurrency)
    a = parser.parse_args(argv)
    return Options(
        events=a.events,
        size=a.size,
        per_tx=a.per_tx,
        people=a.people,
        warmup_people=a.warmup_people,
        rates=tuple(float(r) for r in a.rates.split(",") if r),
        load_seconds=a.load_seconds,
        history_people=a.history_people,
        copies=a.copies,
        queries=a.queries,
        live_seconds=a.live_seconds,
        http_seconds=a.http_seconds,
        door_events=a.door_events,
        door_batch=a.door_batch,
        door_concurrency=a.door_concurrency,
        burst_dossiers=a.burst_dossiers,
        sections=tuple(s.strip() for s in a.only.split(",") if s.strip()),
    )


async def _stoppable(work: Coroutine[Any, Any, Report]) -> Report:
    """``work``, cancelled on SIGTERM (``timeout``, ``kill``) as on Ctrl-C, so each section's
    clean-up (its topics, schemas and services) still runs."""
    task = asyncio.ensure_future(work)
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await task


def main(argv: list[str] | None = None) -> None:
    opts = parse(argv)
    began = time.monotonic()
    try:
        report = asyncio.run(_stoppable(run(opts)))
    except asyncio.CancelledError:
        print("\nbench stopped (SIGTERM); what it made on the stack was removed", flush=True)
        raise SystemExit(143) from None
    print()
    print(report.table())
    print(f"\n{time.monotonic() - began:.0f} s in all; settings: {opts}")
    path = StackSettings().state_dir / "bench" / "bench.json"
    report.write(path, settings=opts.__dict__)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
