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
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.reporting import app as reporting
from services.reporting import queries
from services.reporting.readmodels.write import indexes_deferred
from services.reporting.rebuild import rebuild
from thidua.bench import search as search_bench
from thidua.bench.names import person_name, unit_name
from thidua.bench.quiet import settle
from thidua.bench.report import percentile
from thidua.cleanup import delete_topics as cleanup_topics
from thidua.cleanup import drop_schemas
from thidua.es.db import create_pool
from thidua.es.kafka import client_options, ensure_topics
from thidua.es.service import ServiceTopics
from thidua.runner import heap_settled
from thidua.settings import StackSettings
from thidua.stack import LocalStack

PROVINCES = 10
MINISTRIES = 5
UNITS = 4
YEARS = (2023, 2024)
BASE_SALARY = 2_340_000
REBUILDS = 3
"""Rebuilds timed, each of the whole history into a new model; the median is the figure. One
rebuild lasts 2.5-3 s, and on this machine the same code's rebuilds spread over 2.3-3.1 s
within an hour (a collection, autovacuum or a service's batch falling in one of them)."""


@dataclass
class History:
    registration: list[tuple[bytes, bytes]] = field(default_factory=list)
    awards: list[tuple[bytes, bytes]] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    ministries: list[str] = field(default_factory=list)
    people: list[search_bench.Person] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.registration) + len(self.awards)


def generate(people: int, seed: int = 7) -> History:
    rnd = random.Random(seed)
    names = random.Random(seed + 1)  # its own draws: the other values stay as they were
    h = History()

    def reg(payload: EventData, key: str, department: str | None = None) -> None:
        event = CloudEvent.new(
            payload, source="urn:thidua:service:registration", department=department
        )
        h.registration.append((key.encode(), event.to_json()))

    def award(payload: EventData, key: str, department: str) -> None:
        event = CloudEvent.new(payload, source="urn:thidua:service:awards", department=department)
        h.awards.append((key.encode(), event.to_json()))

    h.ministries = [f"bo-{m}" for m in range(MINISTRIES)]
    h.provinces = [f"tinh-{p}" for p in range(PROVINCES)]
    for m in h.ministries:
        reg(rg.MinistryRegistered(ministry_id=m, name=f"Bộ {m}", sector_code=f"nganh-{m}"), "ref")
    for p in h.provinces:
        reg(rg.ProvinceRegistered(province_id=p, name=f"Tỉnh {p}"), "ref")
    departments = [(f"so-{p}-{m}", p, m) for p in h.provinces for m in h.ministries]
    for d, (code, p, m) in enumerate(departments):
        reg(
            rg.DepartmentRegistered(
                department_code=code, name=f"Sở {m} {p}", province_id=p, ministry_id=m
            ),
            "ref",
        )
        for u in range(UNITS):
            reg(
                rg.UnitEstablished.model_validate(
                    {
                        "unit_id": f"{code}/u{u}",
                        "department_code": code,
                        "name": unit_name(d * UNITS + u),
                        "kind": "section",
                        "established_on": "2020-01-01",
                    }
                ),
                f"{code}/u{u}",
                code,
            )
        for year in YEARS:
            reg(campaign(code, year), f"{code}/{year}", code)
    nomination = 0
    for code, province, _ in departments:
        for i in range(people):
            person, unit = f"{code}/p{i:04d}", f"{code}/u{i % UNITS}"
            name = person_name(names)
            h.people.append(search_bench.Person(person, name, code, province, unit))
            reg(
                rg.PersonJoined.model_validate(
                    {
                        "person_id": person,
                        "department_code": code,
                        "unit_id": unit,
                        "full_name": name,
                        "sex": "female" if rnd.random() < 0.5 else "male",
                        "is_leader": i % 25 == 0,
                        "joined_on": "2020-01-06",
                    }
                ),
                person,
                code,
            )
            for year in YEARS:
                reg(
                    rg.IndividualRegistered.model_validate(
                        {
                            "campaign_id": f"{code}/{year}",
                            "department_code": code,
                            "person_id": person,
                            "unit_id": unit,
                            "titles": ["LDTT"],
                            "registered_on": f"{year}-0{rnd.randint(1, 8)}-{rnd.randint(10, 28)}",
                        }
                    ),
                    f"reg:{person}",
                    code,
                )
                for title, coefficient in (("LDTT", 0.3), ("CSTDCS", 1.0)):
                    if title == "CSTDCS" and i % 5:
                        continue
                    nomination += 1
                    nid = f"{code}/{year}/{title}/{i}"
                    common = {
                        "nomination_id": nid,
                        "department_code": code,
                        "year": year,
                        "title": title,
                        "nominee_kind": "individual",
                        "nominee_id": person,
                        "unit_id": unit,
                    }
                    award(
                        aw.NominationSubmitted.model_validate(
                            {
                                **common,
                                "campaign_id": f"{code}/{year}",
                                "received_on": f"{year}-12-0{rnd.randint(1, 9)}",
                            }
                        ),
                        f"nomination:{nid}",
                        code,
                    )
                    award(
                        aw.NominationApproved.model_validate(
                            {
                                **common,
                                "method": "regular",
                                "decision_number": f"{nomination}/QĐ-SCT",
                                "decision_date": f"{year}-12-2{rnd.randint(0, 8)}",
                                "authority": "department_director",
                                "cash_vnd": round(coefficient * BASE_SALARY),
                                "base_salary_vnd": BASE_SALARY,
                                "coefficient": coefficient,
                            }
                        ),
                        f"nomination:{nid}",
                        code,
                    )
    return h


def campaign(code: str, year: int) -> rg.CampaignLaunched:
    return rg.CampaignLaunched.model_validate(
        {
            "campaign_id": f"{code}/{year}",
            "department_code": code,
            "number": f"{year % 100}/KH-SO",
            "issued_on": f"{year}-01-10",
            "issuer": {"org_id": code, "name": f"Sở {code}"},
            "title": f"Kế hoạch phát động phong trào thi đua năm {year}",
            "kind": "regular",
            "year": year,
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "phases": [
                {"number": 1, "start": f"{year}-01-01", "end": f"{year}-06-30"},
                {"number": 2, "start": f"{year}-07-01", "end": f"{year}-12-31"},
            ],
            "emulation_targets": [
                {
                    "title": "LDTT",
                    "measure": "percent",
                    "basis": "all_staff",
                    "comparator": "gte",
                    "value": 90,
                },
                {
                    "title": "CSTDCS",
                    "measure": "percent",
                    "basis": "staff_excluding_leaders",
                    "comparator": "gte",
                    "value": 15,
                },
            ],
            "deadlines": {"registration": f"{year}-08-30", "dossier": f"{year}-12-10"},
        }
    )


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


WARM_UP = 40
"""Rollups run before the timed ones (every kind, on every connection the pool opens)."""


async def measure_queries(dsn: str, model: str, h: History, count: int) -> dict[str, Any]:
    pool = await reporting.create_api_pool(dsn, model)  # as the API reads
    # As in the API's process (thidua.runner.settle_heap), what is alive before the first
    # request is out of the collector's reach; here that includes this bench's own history,
    # which a full collection would otherwise walk inside a timed rollup.
    rnd = random.Random(11)
    timings: dict[str, list[float]] = {
        "province": [],
        "ministry": [],
        "province_as_of": [],
        "ministry_as_of": [],
    }
    try:
        with heap_settled():
            # The first rollups of each pool connection prepare its statements: not timed, as a
            # running API has long prepared them.
            for n in range(-WARM_UP, count):
                kind = ("province", "ministry")[n % 2]
                as_of = date(YEARS[-1], rnd.randint(1, 12), 15) if n % 4 >= 2 else None
                scope = rnd.choice(h.provinces if kind == "province" else h.ministries)
                start = time.perf_counter()
                async with (
                    pool.acquire() as conn,
                    conn.transaction(isolation="repeatable_read", readonly=True),
                ):
                    r = await queries.rollup(conn, kind, scope, YEARS[-1], as_of=as_of)
                assert r.scope.id == scope
                if n >= 0:
                    timings[kind + ("_as_of" if as_of else "")].append(
                        (time.perf_counter() - start) * 1000
                    )
    finally:
        await pool.close()
    every = [t for ts in timings.values() for t in ts]
    out = {
        "all": {
            "n": len(every),
            "median_ms": statistics.median(every),
            "p99_ms": percentile(every, 99),
        }
    }
    for name, ts in timings.items():
        out[name] = {"n": len(ts), "median_ms": statistics.median(ts), "p99_ms": percentile(ts, 99)}
    return out


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


async def replicate(
    dsn: str, model: str, copies: int, progress: Callable[[str], None] | None = None
) -> int:
    """Copy the model's facts, lines and counters (plain, dated and day) ``copies`` times into
    earlier years (copy k shifted back by k x len(YEARS) years, event and campaign ids
    renamed), as if the same departments had that much more history. ``progress`` hears each
    step done. Returns the facts the model then holds."""
    span = len(YEARS)
    shift_campaign = """CASE WHEN campaign_id ~ '/[0-9]{4}$'
        THEN left(campaign_id, -4) || (right(campaign_id, 4)::int - years)::text
        ELSE campaign_id END"""
    shift_period = """CASE WHEN period_kind IN ('year', 'half')
        THEN (left(period_id, 4)::int - years)::text || substr(period_id, 5)
        ELSE period_id END"""
    conn = await asyncpg.connect(dsn, server_settings={"search_path": f'"{model}"'})
    try:
        shifted_date = "(effective_on - make_interval(years => years))::date"
        copied = {
            "facts": (
                "reporting_facts",
                f"""event_id || '#' || k, type, kind, {shifted_date}, department_code, unit_id,
                    person_id, {shift_campaign}, year - years, sign, attrs""",
            ),
            "lines": (
                "reporting_fact_lines",
                f"""event_id || '#' || k, (year::int - years)::text,
                    (left(half, 4)::int - years)::text || substr(half, 5), {shift_campaign},
                    phase, {shifted_date}, unit_id, department_code, province_id, ministry_id,
                    figures, keys, counts, amounts""",
            ),
            "counters": (
                "reporting_counters",
                f"""scope_kind, scope_id, period_kind, {shift_period}, {shift_campaign}, figure,
                    key, count, amount""",
            ),
            "dated counters": (
                "reporting_dated_counters",
                f"""scope_kind, scope_id, period_kind, {shift_period}, {shifted_date},
                    {shift_campaign}, figure, key, count, amount""",
            ),
            "day counters": (
                "reporting_day_counters",
                f"""department_code, {shifted_date}, (year::int - years)::text, figure, key,
                    count, amount""",
            ),
        }
        async with indexes_deferred(conn, [table for table, _ in copied.values()]):
            for step, (table, columns) in copied.items():
                await conn.execute(
                    f"""INSERT INTO {table} SELECT {columns}
                        FROM {table}, generate_series(1, $1) AS g(k),
                             LATERAL (SELECT k * $2 AS years) s""",
                    copies,
                    span,
                )
                if progress and step != "dated counters":  # reported with the counters
                    progress(step)
        if progress:
            progress("indexes")
        # Settled, as years of history would be: statistics, and the visibility map that
        # index-only scans read (else autovacuum would vacuum the copies during the timing).
        for table, _ in copied.values():
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        return int(await conn.fetchval("SELECT count(*) FROM reporting_facts"))
    finally:
        await conn.close()


async def cleanup(dsn: str, bootstrap: str, control: str, uid: str) -> None:
    await drop_schemas(dsn, control)
    await delete_topics(bootstrap, f"bench.{uid}.")


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Delete the topics whose names start with ``prefix``."""
    await cleanup_topics(bootstrap, lambda name: name.startswith(prefix))


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
