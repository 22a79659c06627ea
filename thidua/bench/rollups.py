"""Rollup latency over a reporting model, and the longer history it is also measured over.

:func:`measure_queries` times province and ministry rollups (live and as of a date) as the
API reads them; :func:`replicate` copies the model's facts, lines and counters into earlier
years, so that the same queries run over a history many times longer. Apart from
``thidua.bench.history``, which generates, produces and rebuilds the history: these two work
on a model already rebuilt.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import asyncpg

from services.reporting import app as reporting
from services.reporting import queries
from services.reporting.readmodels.write import indexes_deferred
from thidua.bench.report import percentile
from thidua.bench.synthetic import YEARS, History
from thidua.runner import heap_settled

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
