"""What a replay writes its own way gives the rows the live way gives: the counters it spreads
in Python (``counters.counted_rows``, copied by ``replay.write_counters``) are those the live
batches' upserts spread in SQL (``counters.add_to_counters``), and emptying a model before a
replay empties what it held."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from services.reporting.readmodels import ReportingProjection, counters
from services.reporting.readmodels.lines import Deltas, LinesRow
from services.reporting.readmodels.replay import write_counters
from thidua.es.db import Conn, Pool
from thidua.es.projection import ProjectionRunner

TABLES = (counters.COUNTERS, counters.DATED_COUNTERS, counters.DAY_COUNTERS)


def random_deltas(rng: random.Random, lines: int) -> Deltas:
    """Lines of few departments, years, campaigns, phases and days, so that many share a
    counter; some taken back (negative counts), so that some counters sum to zero."""
    deltas = Deltas()
    for n in range(lines):
        on = date(2024, 1, 1) + timedelta(days=rng.randrange(540))
        campaign = rng.choice(["", "c-1", "c-2"])
        figures = rng.sample(["awards", "nominations", "dossiers.received", "cash"], k=2)
        sign = rng.choice([1, 1, 1, -1])
        deltas.add_all(
            [
                LinesRow(
                    f"e{n}",
                    str(on.year),
                    f"{on.year}-H{1 if on.month <= 6 else 2}",
                    campaign,
                    rng.choice(["", "1", "2"]) if campaign else "",
                    on,
                    None,
                    rng.choice(["so-a", "so-b", None]),
                    None,
                    None,
                    tuple(figures),
                    tuple(rng.choice(["LDTT", "CSTDCS"]) for _ in figures),
                    tuple(sign * rng.randint(1, 2) for _ in figures),
                    tuple(sign * rng.choice([0, 0, 500_000]) for _ in figures),
                )
            ]
        )
    # Taken back in another month: the months' sums are not zero, the year's and half's are.
    for n, (on, sign) in enumerate(((date(2024, 3, 1), 1), (date(2024, 4, 2), -1))):
        deltas.add_all(
            [LinesRow(f"z{n}", "2024", "2024-H1", "c-zero", "", on, None, "so-a", None, None,
                      ("awards",), ("LDTT",), (sign,), (sign * 900_000,))],
        )  # fmt: skip
    return deltas


async def counter_rows(conn: Conn) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(tuple(r) for r in await conn.fetch(f"SELECT * FROM {table}"))
        for table in TABLES
    }


async def test_a_replays_counters_are_the_live_upserts_counters(pool: Pool) -> None:
    await ProjectionRunner(pool, ReportingProjection()).setup()
    deltas = random_deltas(random.Random(27), 3000)
    async with pool.acquire() as conn:
        await counters.add_to_counters(conn, deltas)
        live = await counter_rows(conn)
        await conn.execute(f"TRUNCATE {', '.join(TABLES)}")
    await write_counters(pool, deltas)
    async with pool.acquire() as conn:
        replayed = await counter_rows(conn)
    assert all(live[table] for table in TABLES)
    assert replayed == live
    # Sums back at zero are left out either way, and there are such sums.
    zeroed = [r for r in live[counters.COUNTERS] + live[counters.DATED_COUNTERS] if "c-zero" in r]
    months = [r for r in live[counters.DATED_COUNTERS] if r[6] == "awards" and r[7] == "LDTT"]
    assert not zeroed
    assert {date(2024, 3, 1), date(2024, 4, 1)} <= {r[4] for r in months}
    # The replay's counters lie in key order (a department's periods together).
    async with pool.acquire() as conn:
        stored = [tuple(r) for r in await conn.fetch(f"SELECT * FROM {counters.COUNTERS}")]
    assert stored == sorted(stored)


async def test_emptying_a_model_empties_what_it_held_and_leaves_the_rest(pool: Pool) -> None:
    projection = ProjectionRunner(pool, ReportingProjection())
    await projection.setup()
    await write_counters(pool, random_deltas(random.Random(3), 200))
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO reporting_provinces (province_id, name) VALUES ('tinh-a', 'Tỉnh A')"
        )
        held = {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}
        assert all(held.values())
        before = await filenodes(conn)
        async with conn.transaction():
            await projection.projection.reset(conn)
        for table in (*TABLES, "reporting_provinces", "reporting_facts"):
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table
        # The tables that held rows were truncated (each a new file); an empty one was not.
        after = await filenodes(conn)
    assert after["reporting_facts"] == before["reporting_facts"]
    assert after["reporting_counters"] != before["reporting_counters"]
    assert after["reporting_provinces"] != before["reporting_provinces"]


async def filenodes(conn: Conn) -> dict[str, int]:
    return {
        t: await conn.fetchval("SELECT pg_relation_filenode($1::regclass)", t)
        for t in ("reporting_facts", "reporting_counters", "reporting_provinces")
    }
