"""The reporting scenario on fresh topics, projected live into a model of its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Protocol

import httpx
import pytest

from contracts.envelope import CloudEvent
from services.reporting import app as reporting
from services.reporting.audit.app import build_audit
from tests.apifuzz import served
from tests.auth import service_auth
from tests.integration.reporting.browser import Chromium, chromium_path
from tests.integration.reporting.scenario import Feed, build_feed
from tests.support import eventually, produce
from thidua import dbroles
from thidua.es.db import Pool, create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings

Live = tuple[Feed, ServiceRuntime, Pool, tuple[str, str]]


class Published(Protocol):
    """What is published on the test's registration and awards events topics."""

    @property
    def registration(self) -> list[tuple[bytes, CloudEvent]]: ...

    @property
    def awards(self) -> list[tuple[bytes, CloudEvent]]: ...


async def publish(bootstrap: str, uid: str, feed: Published) -> tuple[str, str]:
    reg_topic, awards_topic = f"test.{uid}.registration.events", f"test.{uid}.awards.events"
    await ensure_topics(bootstrap, [reg_topic, awards_topic])
    for topic, records in ((reg_topic, feed.registration), (awards_topic, feed.awards)):
        await produce_keyed(bootstrap, topic, records)
    return reg_topic, awards_topic


async def produce_keyed(
    bootstrap: str, topic: str, records: list[tuple[bytes, CloudEvent]]
) -> None:
    """``records`` on ``topic``, each key's in order (as a service's relay publishes them)."""
    by_key: dict[bytes, list[bytes]] = defaultdict(list)
    for key, event in records:
        by_key[key].append(event.to_json())
    for key, values in by_key.items():
        await produce(bootstrap, topic, values, key=key)


@asynccontextmanager
async def projected(
    database_url: str, bootstrap: str, uid: str, feed: Published, *, audit: bool = False
) -> AsyncIterator[tuple[ServiceRuntime, Pool, tuple[str, str]]]:
    """``feed`` published on the test's own topics and projected live into a model of its own
    (control schema ``test_<uid>_ctl``), until the projection is at the end of both topics.
    As in production, the projection runs as the role ``reporting`` (which creates the model's
    schemas) and the pool the tests query (and serve the API from) is the read-only role's.
    With ``audit``, the audit trail of the same topics is kept too (``<control>_audit``)."""
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
    trail = (
        build_audit(
            owner,
            bootstrap,
            control_schema=control,
            event_topics=source,
            writes_to=ServiceTopics.isolated(f"test.{uid}", "reporting"),
            group_id=f"reporting-audit-{uid}",
        )
        if audit
        else None
    )
    await runtime.start()
    if trail is not None:
        await trail.start()
    runners = [r for rt in (runtime, trail) if rt is not None for r in rt.projection_runners()]
    total = len(feed.registration) + len(feed.awards)
    try:
        for runner in runners:
            await eventually(
                runner.checkpoints,
                lambda c: sum(c.values()) == total,
                what=f"the {runner.projection.name} projection at the end of both topics",
            )
        pool = await create_pool(dbroles.local_role_url(settings, dbroles.READER_ROLE), model)
        try:
            yield runtime, pool, source
        finally:
            await pool.close()
    finally:
        if trail is not None:
            await trail.stop()
        await runtime.stop()


@asynccontextmanager
async def client_of(pool: Pool, control_schema: str | None) -> AsyncIterator[httpx.AsyncClient]:
    """The API (and dashboard) over ``pool`` (the model ``control_schema`` points to, or the
    pool's own schema), called in process as a central service account."""
    api = reporting.create_api(pool, control_schema=control_schema)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://reporting", auth=service_auth()
    ) as client:
        yield client


@asynccontextmanager
async def api_client(database_url: str, uid: str) -> AsyncIterator[httpx.AsyncClient]:
    """The API over the test's model (its control schema's pointer)."""
    pool = await create_pool(database_url, f"test_{uid}_ctl")
    try:
        async with client_of(pool, f"test_{uid}_ctl") as client:
            yield client
    finally:
        await pool.close()


@pytest.fixture
async def live(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Live]:
    feed = build_feed(f"{uid}-")
    async with projected(database_url, bootstrap, uid, feed) as (runtime, pool, source):
        yield feed, runtime, pool, source


@pytest.fixture
async def gia_lai_url(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[str]:
    """The API and dashboard over the feed with its real ids (``gia-lai``, ``sct-gialai``: the
    sample users' scopes), in a model of the test's own, served on a free loopback port."""
    async with projected(database_url, bootstrap, uid, build_feed(""), audit=True):
        pool = await create_pool(database_url, f"test_{uid}_ctl")
        try:
            async with served(reporting.create_api(pool, control_schema=f"test_{uid}_ctl")) as url:
                yield url
        finally:
            await pool.close()


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Chromium]:
    """A headless chromium of the test's own (its profile in the test's directory)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium; or THIDUA_CHROMIUM)")
    chromium = await Chromium.launch(executable, tmp_path / "profile")
    try:
        yield chromium
    finally:
        await chromium.close()
