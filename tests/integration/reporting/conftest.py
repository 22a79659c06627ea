"""The reporting scenario on fresh topics, projected live into a model of its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from services.reporting import app as reporting
from tests.integration.reporting.scenario import Feed, build_feed
from tests.support import eventually, produce
from thidua import dbroles
from thidua.es.db import Pool, create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings

Live = tuple[Feed, ServiceRuntime, Pool, tuple[str, str]]


async def publish(bootstrap: str, uid: str, feed: Feed) -> tuple[str, str]:
    reg_topic, awards_topic = f"test.{uid}.registration.events", f"test.{uid}.awards.events"
    await ensure_topics(bootstrap, [reg_topic, awards_topic])
    for topic, records in ((reg_topic, feed.registration), (awards_topic, feed.awards)):
        by_key: dict[bytes, list[bytes]] = defaultdict(list)
        for key, event in records:
            by_key[key].append(event.to_json())
        for key, values in by_key.items():
            await produce(bootstrap, topic, values, key=key)
    return reg_topic, awards_topic


@asynccontextmanager
async def projected(
    database_url: str, bootstrap: str, uid: str, feed: Feed
) -> AsyncIterator[tuple[ServiceRuntime, Pool, tuple[str, str]]]:
    """``feed`` published on the test's own topics and projected live into a model of its own
    (control schema ``test_<uid>_ctl``), until the projection is at the end of both topics.
    As in production, the projection runs as the role ``reporting`` (which creates the model's
    schemas) and the pool the tests query (and serve the API from) is the read-only role's."""
    source = await publish(bootstrap, uid, feed)
    control = f"test_{uid}_ctl"
    settings = StackSettings()
    owner = dbroles.local_role_url(settings, dbroles.MODELS_OWNER)
    model = await reporting.ensure_control(owner, control)
    runtime = reporting.build(
        owner,
        bootstrap,
        schema=model,
        source_topics=source,
        group_id=f"reporting-{uid}",
        writes_to=ServiceTopics.isolated(f"test.{uid}", "reporting"),
    )
    await runtime.start()
    runner = runtime.projection_runners()[0]
    total = len(feed.registration) + len(feed.awards)
    try:
        await eventually(
            runner.checkpoints,
            lambda c: sum(c.values()) == total,
            what="the projection at the end of both topics",
        )
        pool = await create_pool(dbroles.local_role_url(settings, dbroles.READER_ROLE), model)
        try:
            yield runtime, pool, source
        finally:
            await pool.close()
    finally:
        await runtime.stop()


@pytest.fixture
async def live(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Live]:
    feed = build_feed(f"{uid}-")
    async with projected(database_url, bootstrap, uid, feed) as (runtime, pool, source):
        yield feed, runtime, pool, source
