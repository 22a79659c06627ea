"""Rebuild: replay the log into a fresh model schema, catch up, then switch the pointer.

1. A new schema ``<control>_<n+1>`` gets the runtime tables and an empty model;
   ``ProjectionRunner.rebuild`` replays every partition from offset 0 to the end offsets taken
   at its start (with progress).
2. Catch-up: from the new model's checkpoints to the then-current end offsets, repeated until
   the new model is at or past the live model on every partition.
3. Switch, in one transaction: lock the pointer row, lock the live model's checkpoint rows
   (``FOR SHARE``: the live projection cannot commit meanwhile), check again that the new model
   is at or past them, and update the pointer. Readers take the pointer inside their own
   snapshot, so they see the old complete model or the new complete model, never a half-built
   one, and never one behind what they saw before.
4. The running service notices the pointer (``app.run``) and moves its projection to the new
   model; models older than the previous one are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import asyncpg

from services.reporting.control import CONTROL_SCHEMA, current_model, ensure_control
from services.reporting.reader import notify_model_moved
from services.reporting.readmodels import ReportingProjection
from thidua.es import migrations
from thidua.es.db import checked_schema, create_pool
from thidua.es.projection import Progress, ProjectionRunner

MAX_CATCH_UPS = 20


async def rebuild(
    database_url: str,
    bootstrap: str,
    progress: Progress | None = None,
    *,
    control_schema: str = CONTROL_SCHEMA,
    source_topics: Sequence[str] | None = None,
) -> str:
    """Rebuild the reporting model from the log and switch readers to it; returns its schema."""
    control = checked_schema(control_schema)
    live = await ensure_control(database_url, control)
    new = await _next_schema(database_url, control)
    pool = await create_pool(database_url, new)
    projection = ReportingProjection(source_topics)
    try:
        await migrations.apply_migrations(pool, migrations.runtime_migrations())
        runner = ProjectionRunner(pool, projection)
        await runner.rebuild(bootstrap, progress=progress)
        for _ in range(MAX_CATCH_UPS):
            await runner.catch_up(bootstrap)
            if await _switch(database_url, control, live, new, projection.name):
                break
        else:
            raise RuntimeError(f"{new} could not catch up with {live}; pointer left on {live}")
    finally:
        await pool.close()
    await _drop_older(database_url, control, keep={live, new})
    return new


async def _switch(database_url: str, control: str, live: str, new: str, projection: str) -> bool:
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            current = await conn.fetchval(
                f'SELECT schema_name FROM "{control}".current_model FOR UPDATE'
            )
            if current != live:
                raise RuntimeError(f"another rebuild switched to {current} meanwhile")
            live_offsets = {}
            if await conn.fetchval("SELECT to_regclass($1)", f'"{live}".projection_checkpoints'):
                rows = await conn.fetch(
                    f"""SELECT topic, kafka_partition, next_offset
                        FROM "{live}".projection_checkpoints WHERE projection = $1 FOR SHARE""",
                    projection,
                )
                live_offsets = {(r[0], r[1]): r[2] for r in rows}
            rows = await conn.fetch(
                f"""SELECT topic, kafka_partition, next_offset
                    FROM "{new}".projection_checkpoints WHERE projection = $1""",
                projection,
            )
            new_offsets = {(r[0], r[1]): r[2] for r in rows}
            if any(new_offsets.get(k, 0) < v for k, v in live_offsets.items()):
                return False
            await conn.execute(
                f"""UPDATE "{control}".current_model
                    SET schema_name = $1, switched_at = now()""",
                new,
            )
            await notify_model_moved(conn)
            return True
    finally:
        await conn.close()


def _model_number(control: str, schema: str) -> int | None:
    found = re.fullmatch(rf"{re.escape(control)}_(\d+)", schema)
    return int(found.group(1)) if found else None


async def _models(conn: asyncpg.Connection, control: str) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", control
    )
    return {r[0]: n for r in rows if (n := _model_number(control, r[0])) is not None}


async def _next_schema(database_url: str, control: str) -> str:
    conn = await asyncpg.connect(database_url)
    try:
        taken = await _models(conn, control)
        current = await current_model(conn, control)
        highest = max([*taken.values(), _model_number(control, current) or 0])
        return checked_schema(f"{control}_{highest + 1}")
    finally:
        await conn.close()


async def _drop_older(database_url: str, control: str, keep: set[str]) -> None:
    """Drop models older than the previous one (which the service may still be leaving)."""
    conn = await asyncpg.connect(database_url)
    try:
        for schema in await _models(conn, control):
            if schema not in keep:
                await conn.execute(f'DROP SCHEMA "{checked_schema(schema)}" CASCADE')
    finally:
        await conn.close()
