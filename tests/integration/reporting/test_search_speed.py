"""How fast the search answers over a large model (issue 18: p99 ≤ 20 ms): a model schema
made by the reporting migrations on the real test stack, filled directly through its tables
(``THIDUA_SEARCH_BENCH_PEOPLE`` people, 200,000 by default, with Vietnamese names drawn by
their real frequencies, in 5,000 units of 250 departments of 25 provinces), then the API's
queries timed per kind, as ``thidua bench --only search`` times them (``thidua.bench.search``).

A benchmark, not part of ``make test``: it runs only with ``THIDUA_SEARCH_BENCH=1`` and prints
the p50/p99 of each kind (``THIDUA_SEARCH_BENCH_OUT=file.json`` keeps them)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.reporting.readmodels.projection import MIGRATIONS_DIR
from thidua.bench.names import person_name, unit_name
from thidua.bench.search import Person, measure, table
from thidua.es.db import create_pool
from thidua.es.migrations import apply_migrations, load_migrations

pytestmark = pytest.mark.skipif(
    not os.environ.get("THIDUA_SEARCH_BENCH"), reason="a benchmark: THIDUA_SEARCH_BENCH=1"
)

PEOPLE = int(os.environ.get("THIDUA_SEARCH_BENCH_PEOPLE", "200000"))
PROVINCES, DEPARTMENTS_EACH, UNITS_EACH = 25, 10, 20
ROUNDS = 200


async def fill(conn: Any, rng: random.Random) -> list[Person]:
    """The dimensions; returns every person."""
    departments = [
        (f"so-{p:02d}-{d:02d}", f"Sở số {d} tỉnh {p}", f"tinh-{p:02d}", f"bo-{d:02d}")
        for p in range(PROVINCES)
        for d in range(DEPARTMENTS_EACH)
    ]
    await conn.copy_records_to_table(
        "reporting_provinces",
        records=[(f"tinh-{p:02d}", f"Tỉnh {p}") for p in range(PROVINCES)],
        columns=["province_id", "name"],
    )
    await conn.copy_records_to_table(
        "reporting_departments",
        records=departments,
        columns=["department_code", "name", "province_id", "ministry_id"],
    )
    units = [
        (f"{code}/u{u:02d}", code, unit_name(u), "section", date(2010, 1, 1))
        for code, *_ in departments
        for u in range(UNITS_EACH)
    ]
    await conn.copy_records_to_table(
        "reporting_units",
        records=units,
        columns=["unit_id", "department_code", "name", "kind", "established_on"],
    )
    people = []
    for n in range(PEOPLE):
        unit_id, code = rng.choice(units)[:2]
        pid = f"{code}/p-{n:06d}"
        people.append(Person(pid, person_name(rng), code, f"tinh-{code[3:5]}", unit_id))
    await conn.copy_records_to_table(
        "reporting_people",
        records=[
            (p.person_id, p.department, p.name, rng.choice(("male", "female")), date(2012, 1, 2))
            for p in people
        ],
        columns=["person_id", "department_code", "full_name", "sex", "joined_on"],
    )
    await conn.copy_records_to_table(
        "reporting_person_history",
        records=[(p.person_id, 0, date(2012, 1, 2), p.unit, False) for p in people],
        columns=["person_id", "seq", "effective_on", "unit_id", "is_leader"],
    )
    await conn.execute("ANALYZE")
    return people


async def test_search_times_over_a_large_model(database_url: str, uid: str) -> None:
    schema = f"test_{uid}_search_bench"
    pool = await create_pool(database_url, schema, max_size=2)
    rng = random.Random(18)
    try:
        await apply_migrations(pool, load_migrations("reporting", MIGRATIONS_DIR))
        async with pool.acquire() as conn:
            started = time.perf_counter()
            people = await fill(conn, rng)
            filled = time.perf_counter() - started
        figures = await measure(pool, people, ROUNDS)
        print(table(figures))
        units = PROVINCES * DEPARTMENTS_EACH * UNITS_EACH
        report = {"people": PEOPLE, "units": units, "fill_s": round(filled, 1), "queries": figures}
        print(json.dumps(report, ensure_ascii=False, indent=2))
        out = os.environ.get("THIDUA_SEARCH_BENCH_OUT")
        if out:
            text = json.dumps(report, ensure_ascii=False, indent=2)
            await asyncio.to_thread(Path(out).write_text, text)
    finally:
        async with pool.acquire() as conn:
            await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await pool.close()
