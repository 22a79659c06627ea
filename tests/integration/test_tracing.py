"""One business event is one trace: producer → consumer → database → outbox → next consumer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry import propagate, trace
from opentelemetry.exporter.zipkin.json import ZipkinExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.registration import UnitEstablished
from tests.integration.test_consumer_policy import establish_unit, unit_of
from tests.integration.test_projection import UnitsByDepartment
from tests.support import eventually, produce
from thidua.es.consumer import UnitOfWork
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings
from thidua.telemetry import instrument_asyncpg


def provider_for(service: str, settings: StackSettings) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    exporter = ZipkinExporter(endpoint=settings.zipkin_spans_endpoint)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


async def record_unit(uow: UnitOfWork, event: CloudEvent, payload: object) -> None:
    """The next service: keeps its own copy of every unit the first one accepted."""
    assert isinstance(payload, UnitEstablished)
    stream = f"copy:{payload.unit_id}"
    await uow.append(stream, len(await uow.load(stream)), payload)


@pytest.fixture
async def two_services(
    database_url: str, bootstrap: str, uid: str, settings: StackSettings
) -> AsyncIterator[tuple[ServiceRuntime, ServiceRuntime]]:
    first_out = ServiceTopics(
        f"test.{uid}.first.events", f"test.{uid}.first.dlq", f"test.{uid}.rejections"
    )
    second_out = ServiceTopics(
        f"test.{uid}.second.events", f"test.{uid}.second.dlq", f"test.{uid}.rejections"
    )
    first_provider = provider_for(f"first-{uid}", settings)
    instrument_asyncpg(first_provider)
    first = ServiceRuntime(
        "first",
        database_url,
        bootstrap,
        schema=f"test_{uid}",
        writes_to=first_out,
        tracer_provider=first_provider,
    )
    first.handle(establish_unit, topics=[topics.ingress(uid)], group_id=f"first-{uid}")
    second = ServiceRuntime(
        "second",
        database_url,
        bootstrap,
        schema=f"test_{uid}_second",
        writes_to=second_out,
        tracer_provider=provider_for(f"second-{uid}", settings),
    )
    second.handle(record_unit, topics=[first_out.events], group_id=f"second-{uid}")
    second.project(UnitsByDepartment([first_out.events]), group_id=f"second-view-{uid}")
    await first.start()
    await second.start()
    yield first, second
    await first.stop()
    await second.stop()


async def test_one_trace_follows_an_event_across_two_services(
    two_services: tuple[ServiceRuntime, ServiceRuntime],
    bootstrap: str,
    uid: str,
    settings: StackSettings,
) -> None:
    _, second = two_services
    department_provider = provider_for(f"department-{uid}", settings)
    tracer = department_provider.get_tracer("department-system")
    event = unit_of(uid, 1)
    with tracer.start_as_current_span(f"{topics.ingress(uid)} publish", kind=SpanKind.PRODUCER):
        trace_id = format(trace.get_current_span().get_span_context().trace_id, "032x")
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        await produce(
            bootstrap,
            topics.ingress(uid),
            [event.to_json()],
            headers=[(k, v.encode()) for k, v in carrier.items()],
        )

    second_pool = second.pool
    assert second_pool is not None
    await eventually(
        lambda: second_pool.fetchval("SELECT count(*) FROM events"),
        lambda n: n == 1,
        what="the second service to record the unit",
    )

    async def spans() -> list[dict[str, object]]:
        async with httpx.AsyncClient(base_url=settings.zipkin_url) as client:
            response = await client.get(f"/api/v2/trace/{trace_id}")
            return response.json() if response.status_code == 200 else []

    def complete(found: list[dict[str, object]]) -> bool:
        names = {str(s.get("localEndpoint", {}).get("serviceName")) for s in found}  # type: ignore[union-attr]
        return (
            {f"department-{uid}", f"first-{uid}", f"second-{uid}"} <= names
            and any(
                s.get("kind") == "CONSUMER" and s["localEndpoint"]["serviceName"] == f"second-{uid}"  # type: ignore[index]
                for s in found
            )
            and any("messaging.batch.message_count" in s.get("tags", {}) for s in found)
        )  # type: ignore[operator]

    department_provider.force_flush()  # the department's span leaves at once
    # Zipkin (a JVM) indexes a trace within seconds on a quiet machine; a loaded one takes longer.
    found = await eventually(spans, complete, timeout=90, what="the whole trace in Zipkin")
    by_id = {s["id"]: s for s in found}
    assert {s["traceId"] for s in found} == {trace_id}
    # Walk up from the second service's consumer span to the department's producer span.
    consumer = next(
        s
        for s in found
        if s.get("kind") == "CONSUMER" and s["localEndpoint"]["serviceName"] == f"second-{uid}"
    )
    chain = []
    node: dict[str, object] | None = consumer
    while node is not None:
        chain.append((node["localEndpoint"]["serviceName"], node.get("kind"), node.get("name")))
        node = by_id.get(node.get("parentId"))
    services_in_chain = [service for service, _, _ in chain]
    assert services_in_chain[0] == f"second-{uid}"
    assert services_in_chain[-1] == f"department-{uid}"
    assert f"first-{uid}" in services_in_chain
    kinds = [kind for _, kind, _ in chain]
    assert kinds.count("PRODUCER") >= 2  # the department's publish and the outbox relay's
    assert "CONSUMER" in kinds[1:]  # the first service consumed before relaying
    batched = [s for s in found if "messaging.batch.message_count" in s.get("tags", {})]
    assert batched, "the projection's batch is in the event's trace"
    assert by_id[batched[0]["parentId"]]["kind"] == "PRODUCER"  # under the relay's publish
    assert any(
        s.get("kind") == "CLIENT" and s["localEndpoint"]["serviceName"] == f"first-{uid}"
        for s in found
    ), "the first service's database work is in the trace"
