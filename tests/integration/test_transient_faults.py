"""Failures by kind: a database outage is waited out, not blamed on the records.

The service reaches PostgreSQL through a proxy that the test cuts: its connections drop and new
ones are refused, as in a restart of the database. Records that arrive meanwhile are neither
dead-lettered nor committed; readiness says 503 until the database answers again, and then
every record takes effect exactly once.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx

from contracts import topics
from tests.faults import CuttableProxy
from tests.integration.test_consumer_policy import establish_unit, unit_of
from tests.integration.test_ops import free_port
from tests.support import count_topic, eventually, produce
from thidua.es.consumer import ConsumerPolicy
from thidua.es.db import Pool
from thidua.es.service import ServiceRuntime, ServiceTopics


def through(proxy: CuttableProxy, database_url: str) -> str:
    parts = urlsplit(database_url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


async def test_a_database_outage_is_waited_out_without_dead_letters(
    database_url: str, bootstrap: str, uid: str, pool: Pool
) -> None:
    target = urlsplit(database_url)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    port = free_port()
    out = ServiceTopics(
        f"test.{uid}.alpha.events", f"test.{uid}.alpha.dlq", f"test.{uid}.rejections"
    )
    runtime = ServiceRuntime(
        "alpha",
        through(proxy, database_url),
        bootstrap,
        schema=f"test_{uid}",
        writes_to=out,
        http_port=port,
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.05, max_backoff_seconds=0.5),
    )
    ingress = topics.ingress(uid)
    runtime.handle(establish_unit, topics=[ingress], group_id=f"alpha-{uid}")
    await runtime.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            await produce(bootstrap, ingress, [unit_of(uid, 1).to_json()])
            await eventually(
                lambda: pool.fetchval("SELECT count(*) FROM inbox"), lambda n: n == 1, what="1st"
            )
            proxy.sever()
            await produce(bootstrap, ingress, [unit_of(uid, n).to_json() for n in range(2, 7)])
            down = await eventually(
                lambda: client.get("/health/ready"),
                lambda r: r.status_code == 503 and not r.json()["checks"]["processing"],
                what="readiness 503 while the database is away",
            )
            assert down.json()["checks"]["database"] is False
            assert await pool.fetchval("SELECT count(*) FROM inbox") == 1
            proxy.restore()
            await eventually(
                lambda: pool.fetchval("SELECT count(*) FROM inbox"), lambda n: n == 6, what="all 6"
            )
            await eventually(
                lambda: client.get("/health/ready"),
                lambda r: r.status_code == 200,
                what="ready again",
            )
        assert await pool.fetchval("SELECT count(*) FROM events") == 6
        consumer = runtime.command_consumers()[0]
        assert consumer.counts.get("dead-lettered", 0) == 0
        assert await count_topic(bootstrap, out.dlq) == 0
    finally:
        await runtime.stop()
        await proxy.stop()
