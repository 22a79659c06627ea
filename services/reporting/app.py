"""Wiring of the reporting service: the projection runtime, the API and the model pointer.

The read model lives in a schema ``reporting_<n>``; the control schema ``reporting`` holds the
pointer ``current_model`` to the one readers use (``control.py``, ``rebuild.py``). ``run``
serves both the projection and the API, and moves the projection to a new model when a rebuild
switches the pointer. A model of an older format (tables of an earlier release) is rebuilt
from the log before anything is served: read models are derived, so they are replaced, not migrated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

import uvicorn
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from services.reporting.api import create_api
from services.reporting.control import (
    CONTROL_SCHEMA,
    FIRST_MODEL,
    current_model,
    ensure_control,
    model_outdated,
)
from services.reporting.readmodels import ReportingProjection
from services.reporting.rebuild import RebuildRunning, rebuild, rebuild_finished
from thidua.es.db import Pool, create_pool
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "reporting"
log = logging.getLogger(__name__)

__all__ = [
    "CONTROL_SCHEMA",
    "build",
    "create_api",
    "current_model",
    "ensure_control",
    "model_outdated",
    "run",
]


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
    while await model_outdated(database_url, schema):
        log.warning("reporting model %s has an older format; rebuilding it from the log", schema)
        try:
            rebuilt = await rebuild(database_url, bootstrap, _log_progress())
        except RebuildRunning as running:  # another replica rebuilds it: wait, then look again
            log.warning("%s", running)
            await rebuild_finished(database_url, CONTROL_SCHEMA)
            schema = await ensure_control(database_url)
            continue
        schema = rebuilt.schema
        log.info("reporting model rebuilt: %s", rebuilt.summary())
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
