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
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar, cast

import uvicorn
from opentelemetry.sdk.trace import TracerProvider

from services.reporting.api import create_api
from services.reporting.audit.app import build_audit
from services.reporting.control import (
    CONTROL_SCHEMA,
    FIRST_MODEL,
    current_model,
    ensure_control,
    model_outdated,
)
from services.reporting.door import DoorPublisher
from services.reporting.readmodels import ReportingProjection
from services.reporting.rebuild import RebuildRunning, rebuild, rebuild_finished
from thidua.es.consumer import ConsumerPolicy, Health, Stopping, is_transient, until_healthy
from thidua.es.db import Conn, Pool, create_pool
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "reporting"
log = logging.getLogger(__name__)
T = TypeVar("T")

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
    policy: ConsumerPolicy | None = None,
    control_schema: str = CONTROL_SCHEMA,
    source_topics: Sequence[str] | None = None,
    writes_to: ServiceTopics | None = None,
    api_database_url: str | None = None,
    audit: bool = True,
) -> None:
    """Serve the projection and the API until ``stop`` is set (what ``thidua run reporting``
    calls); with ``audit``, keep the audit trail live in this process too (``thidua up``
    runs it as a program of its own, ``thidua run reporting-audit``, below the path to the
    rollup). When a rebuild switches the pointer, the projection restarts on the new model.
    The API's queries connect through ``api_database_url`` (a read-only role), the projection
    and rebuilds through ``database_url`` (the role owning the models); one URL serves both
    when no other is given.

    Losing PostgreSQL or Kafka stops nothing: the projection waits the fault out, the API and
    ``/health`` answer 503 meanwhile, and both resume when the dependency answers again.
    ``control_schema``, ``source_topics`` and ``writes_to`` give a test a model, a group and
    topics of its own."""
    stop = stop or asyncio.Event()
    policy = policy or ConsumerPolicy()
    health = Health()

    async def until_answers(step: Callable[[], Awaitable[T]]) -> T:
        return cast(T, await until_healthy(step, policy, health, stop))

    async def current() -> str:
        return await until_answers(lambda: ensure_control(database_url, control_schema))

    async def outdated(schema: str) -> bool:
        return await until_answers(lambda: model_outdated(database_url, schema))

    schema = await current()
    while await outdated(schema):
        log.warning("reporting model %s has an older format; rebuilding it from the log", schema)
        try:
            rebuilt = await rebuild(
                database_url, bootstrap, _log_progress(), control_schema=control_schema
            )
        except RebuildRunning as other:  # another replica rebuilds it: wait, then look again
            log.warning("%s", other)
            await until_answers(lambda: rebuild_finished(database_url, control_schema))
            schema = await current()
            continue
        schema = rebuilt.schema
        log.info("reporting model rebuilt: %s", rebuilt.summary())
    api_url = api_database_url or database_url
    api_pool = await until_answers(lambda: create_api_pool(api_url, control_schema))
    running: list[ServiceRuntime] = []
    trails: list[ServiceRuntime] = []  # the audit trail's runtime, once started

    async def readiness() -> dict[str, bool]:
        checks = await running[0].readiness() if running else {"processing": False}
        trail_ok = not audit or (bool(trails) and trails[0].health.ok)
        checks["processing"] = checks.get("processing", False) and health.ok and trail_ok
        return checks

    door = DoorPublisher(bootstrap)  # its own principal, found at the first post
    server = uvicorn.Server(
        uvicorn.Config(
            create_api(api_pool, control_schema=control_schema, readiness=readiness, door=door),
            host=host,
            port=port,
            log_level="info",
        )
    )
    serving = asyncio.create_task(server.serve())
    try:
        if audit:
            trails.append(
                await until_answers(
                    functools.partial(
                        _audit_started,
                        database_url,
                        bootstrap,
                        control_schema,
                        source_topics,
                        writes_to,
                        policy,
                    )
                )
            )
        while not stop.is_set():
            start = functools.partial(
                _started, database_url, bootstrap, schema, source_topics, writes_to, policy
            )
            runtime = await until_answers(functools.partial(start, tracer_provider))
            running[:] = [runtime]
            try:
                while not stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), poll_seconds)
                    now = await _pointer(api_pool, control_schema, health)
                    if now is not None and now != schema:
                        log.info("reporting model switched from %s to %s", schema, now)
                        schema = now
                        break
            finally:
                running.clear()
                await runtime.stop()
    except Stopping:
        log.info("stopped while a dependency was unavailable")
    finally:
        server.should_exit = True
        await serving
        await door.close()
        for trail in trails:
            await trail.stop()
        await api_pool.close()


async def create_api_pool(database_url: str, schema: str) -> Pool:
    """The pool the API reads through: short reads, so no parallel workers (``create_pool``),
    and no session reset on release (``_session_kept``)."""
    return await create_pool(database_url, schema, parallel=False, reset=_session_kept)


async def _session_kept(conn: Conn) -> None:
    """What a release does to an API connection instead of asyncpg's reset, which costs every
    request one more round trip: nothing. The API keeps no session state (its settings are
    ``SET LOCAL``; it takes no advisory lock, declares no cursor outside a transaction, and
    the reader's listening connection unlistens before its release); asyncpg itself still
    rolls back a transaction left open before calling this."""


async def _started(
    database_url: str,
    bootstrap: str,
    schema: str,
    source_topics: Sequence[str] | None,
    writes_to: ServiceTopics | None,
    policy: ConsumerPolicy,
    tracer_provider: TracerProvider | None = None,
) -> ServiceRuntime:
    """The projection runtime of ``schema``, started; one that fails to start is stopped."""
    runtime = build(
        database_url,
        bootstrap,
        schema=schema,
        source_topics=source_topics,
        writes_to=writes_to,
        tracer_provider=tracer_provider,
    )
    return await _start(runtime, policy)


async def _audit_started(
    database_url: str,
    bootstrap: str,
    control_schema: str,
    source_topics: Sequence[str] | None,
    writes_to: ServiceTopics | None,
    policy: ConsumerPolicy,
) -> ServiceRuntime:
    """The audit trail's runtime (its own schema and group, beside the model), started."""
    runtime = build_audit(
        database_url,
        bootstrap,
        control_schema=control_schema,
        event_topics=source_topics,
        writes_to=writes_to,
    )
    return await _start(runtime, policy)


async def _start(runtime: ServiceRuntime, policy: ConsumerPolicy) -> ServiceRuntime:
    """``runtime`` started under ``policy``; one that fails to start is stopped."""
    runtime.policy = policy
    try:
        await runtime.start()
    except BaseException:
        with contextlib.suppress(Exception):
            await runtime.stop()
        raise
    return runtime


async def _pointer(pool: Pool, control_schema: str, health: Health) -> str | None:
    """The model readers use now; None while the database does not answer."""
    try:
        now = await current_model(pool, control_schema)
    except Exception as exc:
        if not is_transient(exc):
            raise
        health.failing(exc)
        return None
    health.recovered()
    return now


def _log_progress() -> Callable[[int, int], None]:
    """Log a rebuild's progress at most every 10% of the history."""
    reported = [-1]

    def progress(done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if tenth > reported[0]:
            reported[0] = tenth
            log.info("rebuilding reporting: %d/%d events", done, total)

    return progress
