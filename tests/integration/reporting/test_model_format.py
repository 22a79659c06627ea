"""A model of an older format is refused (and rebuilt by the service), never written to."""

from __future__ import annotations

from datetime import date

import pytest

from services.reporting import app as reporting
from services.reporting.readmodels import (
    MODEL_FORMAT,
    OutdatedModel,
    ReportingProjection,
    model_format,
)
from thidua.es.db import Pool
from thidua.es.migrations import apply_migrations
from thidua.es.projection import ProjectionRunner


async def test_a_new_schema_gets_the_current_format(pool: Pool, database_url: str) -> None:
    async with pool.acquire() as conn:
        assert await model_format(conn) is None
    await ProjectionRunner(pool, ReportingProjection()).setup()
    await ProjectionRunner(pool, ReportingProjection()).setup()  # idempotent
    async with pool.acquire() as conn:
        assert await model_format(conn) == MODEL_FORMAT
        assert await conn.fetchval("SELECT count(*) FROM reporting_model") == 1
    schema = await pool.fetchval("SELECT current_schema()")
    assert not await reporting.model_outdated(database_url, schema)


async def test_a_model_made_before_formats_is_refused_untouched(
    pool: Pool, database_url: str
) -> None:
    async with pool.acquire() as conn:
        # The first release's counters, without a format table.
        await conn.execute(
            """CREATE TABLE reporting_counters (scope_kind text, count bigint);
               INSERT INTO reporting_counters VALUES ('province', 7)"""
        )
        assert await model_format(conn) == 1
    with pytest.raises(OutdatedModel, match="thidua reporting rebuild"):
        await ProjectionRunner(pool, ReportingProjection()).setup()
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT to_regclass('reporting_facts')") is None
        assert await conn.fetchval("SELECT count FROM reporting_counters") == 7
    schema = await pool.fetchval("SELECT current_schema()")
    assert await reporting.model_outdated(database_url, schema)


async def test_a_model_made_before_the_day_counters_gets_them_from_its_lines(pool: Pool) -> None:
    """Migration 11 adds the day counters to a model of this format and fills them from its
    lines, as the projection keeps them: per department, day and reporting year, all
    campaigns; sums back at zero and lines without a department left out."""
    projection = ReportingProjection()
    await apply_migrations(pool, [m for m in projection.migrations if m.version < 11])
    day, other_day = date(2024, 12, 3), date(2024, 12, 4)
    lines = [
        # event, year, campaign, effective_on, department, figures, keys, counts, amounts
        (
            "e1",
            "2024",
            "c1",
            day,
            "so-a",
            ["awards", "nominations"],
            ["LDTT", "LDTT"],
            [1, 2],
            [5, 0],
        ),
        ("e2", "2024", "c2", day, "so-a", ["awards"], ["LDTT"], [3], [7]),
        ("e3", "2023", "c1", day, "so-a", ["awards"], ["LDTT"], [1], [0]),
        ("e4", "2024", "c1", other_day, "so-b", ["dossiers.received"], ["x"], [1], [0]),
        ("e5", "2024", "c1", other_day, "so-b", ["dossiers.received"], ["x"], [-1], [0]),
        ("e6", "2024", "c1", day, None, ["awards"], ["LDTT"], [9], [9]),
    ]
    async with pool.acquire() as conn:
        await conn.executemany(
            """INSERT INTO reporting_fact_lines (event_id, year, half, campaign_id, phase,
                   effective_on, department_code, figures, keys, counts, amounts)
               VALUES ($1, $2, '2024-H2', $3, '', $4, $5, $6, $7, $8, $9)""",
            lines,
        )
    await ProjectionRunner(pool, ReportingProjection()).setup()
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM reporting_day_counters ORDER BY department_code, year, figure"
        )
        assert await model_format(conn) == MODEL_FORMAT
    assert [tuple(r) for r in rows] == [
        ("so-a", day, "2023", "awards", "LDTT", 1, 0),
        ("so-a", day, "2024", "awards", "LDTT", 4, 12),
        ("so-a", day, "2024", "nominations", "LDTT", 2, 0),
    ]
