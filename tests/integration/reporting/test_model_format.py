"""A model of an older format is refused (and rebuilt by the service), never written to."""

from __future__ import annotations

import pytest

from services.reporting import app as reporting
from services.reporting.readmodels import (
    MODEL_FORMAT,
    OutdatedModel,
    ReportingProjection,
    model_format,
)
from thidua.es.db import Pool
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
