"""Reporting under a long history: live projection throughput, rollup latency, rebuild rate.

    .venv/bin/python -m thidua.bench.history [--people 260] [--queries 500] [--copies 9]

1. Generates registration and awards facts (>= 100k events by default: 50 departments in 10
   provinces x 5 ministries, 260 staff each, two campaign years; each person joins, registers
   each year and gets an LĐTT nomination and decision each year, one in five a CSTĐCS too) and
   produces them onto fresh topics of the local stack (batched, idempotent producer).
2. Live: the reporting projection as the service runs it (one transaction per record) for up to
   ``--live-seconds``; throughput = records applied / time.
3. Rebuild (``services.reporting.rebuild.rebuild``): the whole history into a new model, with
   catch-up and the pointer switch; events/s, the median of ``--rebuilds`` (each one printed).
4. Latency of province and ministry rollups (live and as of a date) over the rebuilt model, each
   in a read-only repeatable-read snapshot as the API reads: median and p99.
5. The same queries over a ``--copies``-fold longer history: the rebuilt model's facts, lines
   and counters copied into earlier years (``replicate``), e.g. 100k events x 10 = 1M events of
   history, to show that reads do not grow with history.
6. With ``--search``: the search's queries and the person's and unit's pages over that model
   (``thidua.bench.search``; people have Vietnamese names, ``thidua.bench.names``).

Prints a table and writes ``.stack/bench/reporting.json``. Loopback only; the bench topics and
schemas are deleted at the end (``--keep`` keeps them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from services.reporting import app as reporting
from services.reporting.rebuild import rebuild
from thidua.bench import search as search_bench
from thidua.bench.quiet import settle
from thidua.bench.rollups import measure_queries, replicate
from thidua.bench.scratch import cleanup, produce
from thidua.bench.synthetic import History, generate
from thidua.es.db import create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceTopics
from thidua.settings import StackSettings
from thidua.stack import LocalStack

REBUILDS = 3
"""Rebuilds timed, each of the whole history into a new model; the median is the figure. One
rebuild lasts 2.5-3 s, and on this machine the same code's rebuilds spread over 2.3-3.1 s
within an hour (a collection, autovacuum or a service's batch falling in one of them)."""


async def measure_search(dsn: str, model: str, h: History, count: int) -> dict[str, Any]:
    """The search's query times over the model (``thidua.bench.search``)."""
    pool = await create_pool(dsn, model)
    try:
        async with pool.acquire() as conn:
            people = await conn.fetchval("SELECT count(*) FROM reporting_people")
            facts = await conn.fetchval("SELECT count(*) FROM reporting_facts")
        figures = await search_bench.measure(pool, h.people, count)
    finally:
        await pool.close()
    print(f"search over {people:,} people, {facts:,} facts:\n{search_bench.table(figures)}")
    return {"people": people, "facts": facts, "queries": figures}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    settings = StackSettings()
    await LocalStack(settings).up()
    dsn, bootstrap = settings.database_url, settings.kafka_bootstrap
    uid = uuid.uuid4().hex[:8]
    control = f"bench_{uid}"
    topics = (f"bench.{uid}.registration.events", f"bench.{uid}.awards.events")
    result: dict[str, Any] = {"command": "python -m thidua.bench.history " + " ".join(args.argv)}

    t = time.perf_counter()
    h = generate(args.people)
    result["events"] = h.total
    result["generate_s"] = time.perf_counter() - t
    print(f"generated {h.total} events in {result['generate_s']:.1f} s")
    await ensure_topics(bootstrap, topics)
    t = time.perf_counter()
    await produce(bootstrap, topics[0], h.registration)
    await produce(bootstrap, topics[1], h.awards)
    result["produce_events_per_s"] = h.total / (time.perf_counter() - t)
    print(f"produced at {result['produce_events_per_s']:.0f} events/s")

    try:
        # Live: the projection as the service runs it, for a bounded time.
        live = await reporting.ensure_control(dsn, control)
        if args.live_seconds > 0:
            await _live(args, dsn, bootstrap, uid, live, topics, h, result)

        # Rebuild the whole history, catch up and switch, ``rebuilds`` times: each on a quiet
        # machine, as each section starts, not in the live projection's wake (autovacuum of the
        # tables it just wrote) nor in the last rebuild's.
        trials: list[dict[str, float]] = []
        new = ""
        for trial in range(1, args.rebuilds + 1):
            if args.live_seconds > 0 or trial > 1:
                await settle("the rebuild" if args.rebuilds == 1 else f"rebuild {trial}")
            done = [0, 0]
            t = time.perf_counter()

            def progress(d: int, total: int, done: list[int] = done) -> None:
                done[:] = [d, total]

            new = (
                await rebuild(
                    dsn,
                    bootstrap,
                    progress,
                    control_schema=control,
                    source_topics=topics,
                    dlq_topic=f"bench.{uid}.reporting.dlq",
                )
            ).schema
            elapsed = time.perf_counter() - t
            trials.append(
                {"events": done[1], "seconds": elapsed, "events_per_s": done[1] / elapsed}
            )
            print(
                f"rebuild {trial}: {done[1]} events in {elapsed:.2f} s"
                f" = {done[1] / elapsed:.0f} events/s"
            )
        result["rebuild"] = {**median_trial(trials), "trials": trials}
        if len(trials) > 1:
            print(
                f"rebuild: median of {len(trials)}:"
                f" {result['rebuild']['events_per_s']:.0f} events/s"
            )

        conn = await asyncpg.connect(dsn)
        try:
            result["model_rows"] = {
                table: await conn.fetchval(f'SELECT count(*) FROM "{new}".{table}')
                for table in ("reporting_facts", "reporting_fact_lines", "reporting_counters")
            }
        finally:
            await conn.close()
        result["queries"] = await measure_queries(dsn, new, h, args.queries)
        if args.copies:
            t = time.perf_counter()
            facts = await replicate(
                dsn,
                new,
                args.copies,
                lambda step: print(f"history x{args.copies + 1}: {step} done", flush=True),
            )
            result["long_history"] = {
                "copies": args.copies,
                "events": h.total * (args.copies + 1),
                "facts": facts,
                "seconds": time.perf_counter() - t,
            }
            print(f"history x{args.copies + 1}: {facts:,} facts in the model")
            result["queries_long_history"] = await measure_queries(dsn, new, h, args.queries)
        if getattr(args, "search", False):
            result["search"] = await measure_search(dsn, new, h, args.queries)
    finally:
        if not args.keep:
            await cleanup(dsn, bootstrap, control, uid)
    return result


def median_trial(trials: list[dict[str, float]]) -> dict[str, float]:
    """The trial of median time (of an even number, the slower of the middle two): the figure
    a rebuild is reported by, each trial printed beside it."""
    ranked = sorted(trials, key=lambda t: t["seconds"])
    return dict(ranked[len(ranked) // 2])


async def _live(
    args: argparse.Namespace,
    dsn: str,
    bootstrap: str,
    uid: str,
    live: str,
    topics: tuple[str, str],
    h: History,
    result: dict[str, Any],
) -> None:
    """The live projection as the service runs it, for at most ``--live-seconds``."""
    runtime = reporting.build(
        dsn,
        bootstrap,
        schema=live,
        source_topics=topics,
        group_id=f"bench-{uid}",
        writes_to=ServiceTopics.isolated(f"bench.{uid}", "reporting"),
    )
    await runtime.start()
    runner = runtime.projection_runners()[0]
    t = time.perf_counter()
    applied = 0
    try:
        while time.perf_counter() - t < args.live_seconds:
            await asyncio.sleep(0.1)  # a 1 s poll made the figure up to 8% off at 12 s
            applied = sum((await runner.checkpoints()).values())
            if applied >= h.total:
                break
    finally:
        elapsed = time.perf_counter() - t
        await runtime.stop()
    result["live"] = {"applied": applied, "seconds": elapsed, "events_per_s": applied / elapsed}
    print(
        f"live projection: {applied} events in {elapsed:.1f} s = {applied / elapsed:.0f} events/s"
    )


def report(result: dict[str, Any]) -> str:
    lines = [
        f"history: {result['events']:,} events; model rows {result['model_rows']}",
        f"{'measure':<34}{'value':>16}",
        f"{'produce (events/s)':<34}{result['produce_events_per_s']:>16,.0f}",
    ]
    if "live" in result:
        lines.append(f"{'live projection (events/s)':<34}{result['live']['events_per_s']:>16,.0f}")
    lines.append(f"{'rebuild (events/s)':<34}{result['rebuild']['events_per_s']:>16,.0f}")
    for title, key in (("", "queries"), (" long history", "queries_long_history")):
        if key == "queries_long_history" and key in result:
            lines.append(
                f"history x{result['long_history']['copies'] + 1}: "
                f"{result['long_history']['events']:,} events"
            )
        for name, s in result.get(key, {}).items():
            lines.append(f"{'rollup ' + name + title + ' median (ms)':<44}{s['median_ms']:>6.2f}")
            lines.append(f"{'rollup ' + name + title + ' p99 (ms)':<44}{s['p99_ms']:>6.2f}")
    return "\n".join(lines)


def cli() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=260, help="staff per department")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--live-seconds", type=float, default=45.0, help="0: skip the live projection"
    )
    parser.add_argument(
        "--copies", type=int, default=0, help="also query a history this many times longer"
    )
    parser.add_argument("--search", action="store_true", help="also time the search's queries")
    parser.add_argument(
        "--rebuilds", type=int, default=REBUILDS, help="rebuilds timed; the median is reported"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench topics and schemas")
    parser.add_argument("--out", type=Path, default=Path(".stack/bench/reporting.json"))
    import sys

    args = parser.parse_args()
    args.argv = sys.argv[1:]
    result = asyncio.run(main(args))
    print(report(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))
    print(f"written to {args.out}")


if __name__ == "__main__":
    cli()
