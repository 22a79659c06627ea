"""Wiring of the reporting service: the projection runtime, the API and the model pointer.

The read model lives in a schema ``reporting_<n>``; the control schema ``reporting`` holds the
pointer ``current_model`` to the one readers use (see ``rebuild.py``). ``run`` serves both the
projection and the API, and moves the projection to a new model when a rebuild switches the
pointer. A model of an older format (tables of an earlier release) is rebuilt from the log
before anything is served: read models are derived, so they are replaced, not migrated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

import asyncpg
import uvicorn
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from services.reporting.api import create_api
from services.reporting.projections import MODEL_FORMAT, ReportingProjection, model_format
from thidua.es.db import Pool, checked_schema, create_pool
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "reporting"
CONTROL_SCHEMA = "reporting"
FIRST_MODEL = f"{CONTROL_SCHEMA}_1"
log = logging.getLogger(__name__)

__all__ = ["build", "create_api", "current_model", "ensure_control", "run"]


def build(
    database_url: str,
    bootstrap: str,
    *,
    schema: str | None = None,
    source_topics: Sequence[str] | None = None,
    group_id: str | None = None,
    tracer_provider: TracerProvider | None = None,
    writes_to: ServiceTopics | None = None,
) -> ServiceRuntime:
    """The reporting projection kept live in ``schema`` (default: the first model). The
    consumer group is per model schema, so a model started after a switch-over reads from its
    own checkpoint, never from offsets another model committed."""
    schema = schema or FIRST_MODEL
    runtime = ServiceRuntime(
        NAME,
        database_url,
        bootstrap,
        schema=schema,
        writes_to=writes_to,
        tracer_provider=tracer_provider,
        relay_enabled=False,
    )
    runtime.project(ReportingProjection(source_topics), group_id=group_id or f"{NAME}.{schema}")
    return runtime


async def ensure_control(database_url: str, control_schema: str = CONTROL_SCHEMA) -> str:
    """Create the pointer (to the first model) if missing; return the current model schema."""
    control = checked_schema(control_schema)
    conn = await asyncpg.connect(database_url)
    try:
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
    finally:
        await conn.close()


async def current_model(conn: asyncpg.Connection | Pool, control_schema: str) -> str:
    schema = await conn.fetchval(
        f'SELECT schema_name FROM "{checked_schema(control_schema)}".current_model'
    )
    return checked_schema(str(schema))


async def run(
    database_url: str,
    bootstrap: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8085,
    stop: asyncio.Event | None = None,
    tracer_provider: TracerProvider | None = None,
    poll_seconds: float = 2.0,
) -> None:
    """Serve the projection and the API until ``stop`` is set (what ``thidua run reporting``
    calls). When a rebuild switches the pointer, the projection restarts on the new model."""
    stop = stop or asyncio.Event()
    schema = await ensure_control(database_url)
    if await model_outdated(database_url, schema):
        from services.reporting.rebuild import rebuild

        log.warning("reporting model %s has an older format; rebuilding it from the log", schema)
        schema = await rebuild(database_url, bootstrap, _log_progress())
        log.info("reporting model rebuilt into %s", schema)
    api_pool = await create_pool(database_url, CONTROL_SCHEMA)
    server = uvicorn.Server(uvicorn.Config(_api(api_pool), host=host, port=port, log_level="info"))
    serving = asyncio.create_task(server.serve())
    try:
        while not stop.is_set():
            runtime = build(database_url, bootstrap, schema=schema, tracer_provider=tracer_provider)
            await runtime.start()
            try:
                while not stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), poll_seconds)
                    now = await current_model(api_pool, CONTROL_SCHEMA)
                    if now != schema:
                        log.info("reporting model switched from %s to %s", schema, now)
                        schema = now
                        break
            finally:
                await runtime.stop()
    finally:
        server.should_exit = True
        await serving
        await api_pool.close()


async def model_outdated(database_url: str, schema: str) -> bool:
    pool = await create_pool(database_url, schema)
    try:
        async with pool.acquire() as conn:
            return await model_format(conn) not in (None, MODEL_FORMAT)
    finally:
        await pool.close()


def _log_progress() -> Callable[[int, int], None]:
    """Log a rebuild's progress at most every 10% of the history."""
    reported = [-1]

    def progress(done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if tenth > reported[0]:
            reported[0] = tenth
            log.info("rebuilding reporting: %d/%d events", done, total)

    return progress


def _api(pool: Pool) -> FastAPI:
    return create_api(pool, control_schema=CONTROL_SCHEMA)
