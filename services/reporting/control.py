"""The control schema: which model schema readers use (``current_model``), and its format.

The read model lives in a schema ``reporting_<n>``; the control schema ``reporting`` holds the
pointer ``current_model`` to the one readers use. ``rebuild.py`` fills a new model and moves
the pointer; ``app.run`` follows it.
"""

from __future__ import annotations

import asyncpg

from services.reporting.readmodels import MODEL_FORMAT, model_format
from thidua.es.db import Pool, checked_schema, create_pool

CONTROL_SCHEMA = "reporting"
FIRST_MODEL = f"{CONTROL_SCHEMA}_1"


async def ensure_control(database_url: str, control_schema: str = CONTROL_SCHEMA) -> str:
    """Create the pointer (to the first model) if missing; return the current model schema."""
    conn = await asyncpg.connect(database_url)
    try:
        return await ensure_control_on(conn, control_schema)
    finally:
        await conn.close()


async def ensure_control_on(conn: asyncpg.Connection, control_schema: str) -> str:
    """``ensure_control`` on a connection already open."""
    control = checked_schema(control_schema)
    await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{control}"')
    await conn.execute(
        f"""CREATE TABLE IF NOT EXISTS "{control}".current_model (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                schema_name text NOT NULL,
                switched_at timestamptz NOT NULL DEFAULT now())"""
    )
    await conn.execute(
        f"""INSERT INTO "{control}".current_model (schema_name) VALUES ($1)
            ON CONFLICT DO NOTHING""",
        f"{control}_1",
    )
    return await current_model(conn, control)


async def current_model(conn: asyncpg.Connection | Pool, control_schema: str) -> str:
    schema = await conn.fetchval(
        f'SELECT schema_name FROM "{checked_schema(control_schema)}".current_model'
    )
    return checked_schema(str(schema))


async def model_outdated(database_url: str, schema: str) -> bool:
    pool = await create_pool(database_url, schema)
    try:
        async with pool.acquire() as conn:
            return await model_format(conn) not in (None, MODEL_FORMAT)
    finally:
        await pool.close()
