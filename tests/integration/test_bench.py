"""The benchmark's own machinery on the real stack: the raw latency probe, and the history
copies that stand in for a ten times longer history without changing the year measured."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.reporting import app as reporting
from services.reporting import queries
from services.reporting.rebuild import rebuild
from thidua.bench import raw, scratch, synthetic
from thidua.bench.rollups import replicate
from thidua.es.db import create_pool
from thidua.es.kafka import ensure_topics


async def test_kafka_latency_probe_reads_back_every_message(bootstrap: str, uid: str) -> None:
    p50, p99 = await raw.kafka_latency(bootstrap, f"test.{uid}.latency", 200, 1.0, 100)
    assert 0 < p50 <= p99 < 5000


async def _province_rollups(dsn: str, model: str, h: synthetic.History, year: int) -> list[str]:
    pool = await create_pool(dsn, model)
    try:
        async with pool.acquire() as conn:
            return [
                (await queries.rollup(conn, "province", p, year)).model_dump_json()
                for p in h.provinces
            ]
    finally:
        await pool.close()


async def test_history_copies_go_to_earlier_years_and_leave_the_measured_year_alone(
    database_url: str, bootstrap: str, uid: str
) -> None:
    h = synthetic.generate(people=3)
    topics = (f"test.{uid}.registration.events", f"test.{uid}.awards.events")
    await ensure_topics(bootstrap, topics)
    await scratch.produce(bootstrap, topics[0], h.registration)
    await scratch.produce(bootstrap, topics[1], h.awards)
    control = f"test_{uid}_ctl"
    await reporting.ensure_control(database_url, control)
    rebuilt = await rebuild(
        database_url,
        bootstrap,
        None,
        control_schema=control,
        source_topics=topics,
        dlq_topic=f"test.{uid}.reporting.dlq",
    )
    model = rebuilt.schema
    latest, first = synthetic.YEARS[-1], synthetic.YEARS[0]
    before = await _province_rollups(database_url, model, h, latest)
    conn = await asyncpg.connect(database_url)
    indexes = "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname"
    try:
        facts = await conn.fetchval(f'SELECT count(*) FROM "{model}".reporting_facts')
        indexed = await conn.fetch(indexes, model)
        copied: list[str] = []
        assert await replicate(database_url, model, 2, copied.append) == 3 * facts
        assert copied == ["facts", "lines", "counters", "day counters", "indexes"]
        assert await conn.fetch(indexes, model) == indexed  # dropped for the copy, rebuilt
        assert len(indexed) > 10
    finally:
        await conn.close()
    assert await _province_rollups(database_url, model, h, latest) == before
    # Copy 2 moved the first year back by 2 x len(YEARS) years with its figures (its staff,
    # who joined in 2020, are not there then: shares differ, counts do not).
    shifted = first - 2 * len(synthetic.YEARS)
    pool = await create_pool(database_url, model)
    try:
        async with pool.acquire() as c:
            a = await queries.rollup(c, "province", h.provinces[0], first)
            b = await queries.rollup(c, "province", h.provinces[0], shifted)
            # As of a day (dated counters of the months before, day counters of its month).
            on = date(first, 12, 20)
            a_on = await queries.rollup(c, "province", h.provinces[0], first, as_of=on)
            b_on = await queries.rollup(
                c, "province", h.provinces[0], shifted, as_of=on.replace(year=shifted)
            )
    finally:
        await pool.close()

    def counts(r: queries.Rollup) -> list[tuple[str, int, int, int]]:
        return [(t.title, t.count, t.women, t.cash_vnd) for t in r.awards]

    assert counts(a) == counts(b)
    assert counts(a_on) == counts(b_on)
    assert a_on.dossiers.received == b_on.dossiers.received
    assert counts(a_on) or a_on.dossiers.received  # figures were there to compare
    assert any(count for _, count, _, _ in counts(a))
    assert a.registrations.individuals == b.registrations.individuals > 0


async def test_the_door_section_posts_every_event_beside_the_kafka_produce_path(uid: str) -> None:
    """``thidua bench --only door`` at a small size: the HTTP door (reporting's API in a process
    of its own, a machine login from the suites' Keycloak) takes every event in batch mode, and
    the figure stands beside Kafka produce measured in the same run."""
    from thidua.bench.api import DOOR, run_door
    from thidua.bench.baselines import KAFKA_PRODUCE
    from thidua.bench.options import Options
    from thidua.bench.report import Report
    from thidua.settings import StackSettings

    report = Report()
    opts = Options(door_events=600, door_batch=100, door_concurrency=2, sections=("door",))
    await run_door(StackSettings(), opts, report, uid)
    door = next(f for f in report.figures if f.name == DOOR)
    assert door.baseline == KAFKA_PRODUCE and report.value(KAFKA_PRODUCE) > 0
    assert door.unit == "events/s" and door.value > 0
    assert door.settings["requests"] == 6 and door.settings["events"] == 600
    assert f"{DOOR:<44}" in report.table() and "x kafka produce" in report.table()
