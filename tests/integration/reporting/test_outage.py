"""Reporting stays up through a database outage: its API and ``/health`` answer 503 while
PostgreSQL is away, the events that arrive meanwhile wait, and everything resumes when the
database answers again (``thidua run reporting`` used to exit with ConnectionRefusedError).

Reporting reaches PostgreSQL through a proxy that the test cuts (``tests/faults.py``); its
model, consumer group and topics are the test's own, on the shared stack.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import asyncpg
import httpx

from services.reporting import app as reporting
from tests.auth import service_auth
from tests.faults import CuttableProxy
from tests.integration.reporting.conftest import publish
from tests.integration.reporting.scenario import build_feed
from tests.integration.test_ops import free_port
from tests.integration.test_transient_faults import through
from tests.support import eventually
from thidua.es.consumer import ConsumerPolicy
from thidua.es.kafka import ensure_topics
from thidua.es.service import ServiceTopics


async def test_reporting_answers_503_through_a_database_outage_and_resumes(
    database_url: str, bootstrap: str, uid: str
) -> None:
    target = urlsplit(database_url)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    source = (f"test.{uid}.registration.events", f"test.{uid}.awards.events")
    await ensure_topics(bootstrap, list(source))
    control = f"test_{uid}_ctl"
    port = free_port()
    stop = asyncio.Event()
    serving = asyncio.create_task(
        reporting.run(
            through(proxy, database_url),
            bootstrap,
            port=port,
            stop=stop,
            poll_seconds=0.2,
            policy=ConsumerPolicy(backoff_seconds=0.05, max_backoff_seconds=0.5),
            control_schema=control,
            source_topics=source,
            writes_to=ServiceTopics.isolated(f"test.{uid}", "reporting"),
        )
    )
    feed = build_feed(f"{uid}-")
    total = len(feed.registration) + len(feed.awards)

    async def applied(schema: str = f"{control}_1") -> int:
        conn = await asyncpg.connect(database_url)
        try:
            return int(
                await conn.fetchval(
                    f"""SELECT coalesce(sum(next_offset), 0)
                        FROM "{schema}".projection_checkpoints"""
                )
            )
        finally:
            await conn.close()

    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=10, auth=service_auth()
        ) as client:

            async def health() -> httpx.Response:
                try:
                    return await client.get("/health")
                except httpx.TransportError:
                    return httpx.Response(0)

            await eventually(health, lambda r: r.status_code == 200, what="reporting healthy")
            proxy.sever()
            down = await eventually(
                health, lambda r: r.status_code == 503, what="/health 503 without the database"
            )
            assert down.json()["checks"]["database"] is False
            rollup = await client.get("/rollups/province/gia-lai", params={"year": 2018})
            assert rollup.status_code == 503
            assert rollup.headers["content-type"] == "application/problem+json"

            await publish(bootstrap, uid, feed)  # arrives while the database is away
            for _ in range(10):  # the service stays up, and keeps saying it is not ready
                await asyncio.sleep(0.3)
                assert not serving.done()
                assert (await health()).status_code == 503
            assert await applied() == 0

            proxy.restore()
            await eventually(health, lambda r: r.status_code == 200, what="healthy again")
            await eventually(applied, lambda n: n == total, what=f"all {total} events applied")
            await eventually(  # the audit trail, kept beside the model, resumed too
                lambda: applied(f"{control}_audit"), lambda n: n == total, what="audit caught up"
            )
            rollup = await client.get("/rollups/province/gia-lai", params={"year": 2018})
            assert rollup.status_code == 200, rollup.text
            assert rollup.json()["staff"], rollup.text
    finally:
        stop.set()
        await asyncio.wait_for(serving, 60)
        await proxy.stop()
