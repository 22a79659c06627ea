"""Wiring of the awards service: its two consumers, its migrations, its topics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider

from contracts import topics
from services.awards import handlers
from thidua.es.consumer import ConsumerPolicy, Ownership
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "awards"
MIGRATIONS = Path(__file__).parent / "sql"


def build(
    database_url: str,
    bootstrap: str,
    *,
    schema: str | None = None,
    writes_to: ServiceTopics | None = None,
    ingress_topics: Sequence[str] | None = None,
    registration_topic: str | None = None,
    group_id: str | None = None,
    tracer_provider: TracerProvider | None = None,
    policy: ConsumerPolicy | None = None,
) -> ServiceRuntime:
    """The awards service. Production reads every ingress topic (by pattern) and
    thidua.registration.events; tests pass their own topics, schema and group id. Both
    consumers gather (``thidua.es.subscribe.GATHER_MS``): nominations, votes and decisions are
    paperwork of days, and its read copies of registration's facts wait alike, so a nomination
    is no likelier to arrive before the campaign it names than when both answer at once."""
    runtime = ServiceRuntime(
        NAME,
        database_url,
        bootstrap,
        schema=schema,
        writes_to=writes_to,
        migrations_dir=MIGRATIONS,
        tracer_provider=tracer_provider,
        policy=policy or ConsumerPolicy(),
    )
    group = group_id or NAME
    runtime.handle_ingress(
        handlers.ingress(),
        topics=ingress_topics,
        group_id=f"{group}.ingress",
        ownership=Ownership.service(NAME),
        gathers=True,
    )
    runtime.handle(
        handlers.registration_facts(),
        topics=[registration_topic or topics.events("registration")],
        group_id=f"{group}.registration-facts",
        ownership=Ownership.service("registration"),
        gathers=True,
    )
    return runtime
