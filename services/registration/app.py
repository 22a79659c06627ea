"""Wiring of the registration service: the ingress gatekeeper for the directory, campaigns,
registrations and initiatives."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider

from services.registration.handlers import Settings, decider
from thidua.es.consumer import ConsumerPolicy, Ownership
from thidua.es.service import ServiceRuntime, ServiceTopics

NAME = "registration"
MIGRATIONS = Path(__file__).parent / "sql"


def build(
    database_url: str,
    bootstrap: str,
    *,
    schema: str | None = None,
    writes_to: ServiceTopics | None = None,
    ingress_topics: Sequence[str] | None = None,
    group_id: str | None = None,
    tracer_provider: TracerProvider | None = None,
    settings: Settings | None = None,
    policy: ConsumerPolicy | None = None,
) -> ServiceRuntime:
    """The service; ``ingress_topics`` replaces the production pattern (tests)."""
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
    ownership = Ownership.service(NAME, gatekeeper=True)
    runtime.handle_ingress(
        decider(settings), topics=ingress_topics, group_id=group_id, ownership=ownership
    )
    return runtime
