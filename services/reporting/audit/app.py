"""The audit trail's runtime: its own schema (``<control>_audit``), consumer group and
checkpoint, beside the reporting model (docs/decisions.md, "Audit trail").

The trail is append-only and keyed by event id, so it is never switched over like the model:
it is kept live in one schema, and ``rebuild_audit`` replays it from the log (into the same
or another schema) when wanted.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.trace import TracerProvider

from contracts import topics as topic_map
from services.reporting.audit.projection import AuditProjection
from services.reporting.audit.queries import audit_schema
from thidua.es import migrations
from thidua.es.db import create_pool
from thidua.es.kafka import topics_matching
from thidua.es.projection import DeadLetter, Progress, ProjectionRunner
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "reporting"


def build_audit(
    database_url: str,
    bootstrap: str,
    *,
    control_schema: str = "reporting",
    event_topics: Sequence[str] | None = None,
    writes_to: ServiceTopics | None = None,
    group_id: str | None = None,
    tracer_provider: TracerProvider | None = None,
) -> ServiceRuntime:
    """The audit projection kept live from every service's events topic (``event_topics``)
    and every rejections topic under the stem of ``writes_to`` (by pattern, so a department's
    topic made later is read too)."""
    schema = audit_schema(control_schema)
    writes = writes_to or ServiceTopics.of(NAME)
    projection = AuditProjection(event_topics, writes.rejections)
    runtime = ServiceRuntime(
        NAME,
        database_url,
        bootstrap,
        schema=schema,
        writes_to=writes,
        tracer_provider=tracer_provider,
        relay_enabled=False,
    )
    # An officer reads the trail page by page, not within a second of each event: it gathers.
    runtime.project(
        projection,
        group_id=group_id or f"{NAME}.{schema}",
        pattern=projection.pattern,
        gathers=True,
    )
    return runtime


async def rebuild_audit(
    database_url: str,
    bootstrap: str,
    *,
    schema: str,
    event_topics: Sequence[str] | None = None,
    rejections_stem: str = topic_map.REJECTIONS,
    progress: Progress | None = None,
    dead_letter: DeadLetter | None = None,
) -> int:
    """Empty the trail in ``schema`` and replay every topic it reads from offset 0 up to the
    end found at the start; returns the records read."""
    projection = AuditProjection(event_topics, rejections_stem)
    projection.topics = sorted(await topics_matching(bootstrap, projection.pattern))
    pool = await create_pool(database_url, schema)
    try:
        await migrations.apply_migrations(pool, migrations.runtime_migrations())
        runner = ProjectionRunner(pool, projection)
        return await runner.rebuild(bootstrap, progress=progress, dead_letter=dead_letter)
    finally:
        await pool.close()
