"""The projection runner: live read model with its checkpoint, and a rebuild from offset 0."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from contracts.envelope import CloudEvent
from tests.integration.test_consumer_policy import unit_of
from tests.support import eventually, produce, read_topic
from thidua.es import migrations
from thidua.es.consumer import ConsumerPolicy, Incoming
from thidua.es.db import Conn, Pool, create_pool
from thidua.es.kafka import ensure_topics
from thidua.es.projection import ProjectionRunner
from thidua.es.service import ServiceRuntime, ServiceTopics


class UnitsByDepartment:
    """Counts established units per department, and remembers the last one."""

    name = "units_by_department"

    def __init__(self, topics: Sequence[str]) -> None:
        self.topics = topics

    async def setup(self, conn: Conn) -> None:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS units_by_department (
                   department text PRIMARY KEY, units integer NOT NULL, last_unit text NOT NULL)"""
        )

    async def reset(self, conn: Conn) -> None:
        await conn.execute("TRUNCATE units_by_department")

    async def apply(self, conn: Conn, event: CloudEvent, incoming: Incoming) -> None:
        await conn.execute(
            """INSERT INTO units_by_department VALUES ($1, 1, $2)
               ON CONFLICT (department) DO UPDATE
               SET units = units_by_department.units + 1, last_unit = excluded.last_unit""",
            event.data["department_code"],
            event.data["unit_id"],
        )


def beta(database_url: str, bootstrap: str, uid: str, topic: str) -> ServiceRuntime:
    """A read-model-only service keeping UnitsByDepartment from ``topic``."""
    runtime = ServiceRuntime(
        "beta",
        database_url,
        bootstrap,
        schema=f"test_{uid}",
        relay_enabled=False,
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.01),
        writes_to=ServiceTopics(
            events=f"test.{uid}.beta.events",
            dlq=f"test.{uid}.beta.dlq",
            rejections=f"test.{uid}.rejections",
        ),
    )
    runtime.project(UnitsByDepartment([topic]), group_id=f"beta-{uid}")
    return runtime


async def table(pool: Pool) -> list[tuple[str, int, str]]:
    rows = await pool.fetch("SELECT * FROM units_by_department ORDER BY department")
    return [tuple(r) for r in rows]


async def test_a_projection_rebuilt_from_zero_equals_the_live_one(
    database_url: str, bootstrap: str, uid: str, pool: Pool
) -> None:
    topic = f"test.{uid}.facts"
    await ensure_topics(bootstrap, [topic])
    departments = [f"{uid}-d{n}" for n in range(5)]
    events = [unit_of(departments[n % 5], n) for n in range(400)]
    for dept in departments:
        await produce(
            bootstrap,
            topic,
            [e.to_json() for e in events if e.department == dept],
            key=dept.encode(),
        )

    live = beta(database_url, bootstrap, uid, topic)
    await live.start()
    try:
        runner = live.projection_runners()[0]
        await eventually(
            runner.checkpoints,
            lambda c: sum(c.values()) == 400,
            what="the live projection at the end of the topic",
        )
    finally:
        await live.stop()
    expected = Counter(e.department for e in events)
    live_rows = await table(pool)
    assert {d: n for d, n, _ in live_rows} == expected

    rebuilt_schema = f"test_{uid}_rebuilt"
    rebuilt_pool = await create_pool(database_url, rebuilt_schema)
    try:
        await migrations.apply_migrations(rebuilt_pool, migrations.runtime_migrations())
        progress: list[tuple[int, int]] = []
        rebuilt = ProjectionRunner(rebuilt_pool, UnitsByDepartment([topic]))
        count = await rebuilt.rebuild(bootstrap, progress=lambda d, t: progress.append((d, t)))
        assert count == 400
        assert progress[-1] == (400, 400)
        assert await table(rebuilt_pool) == live_rows
        # Records delivered again change nothing: the checkpoint already covers them.
        checkpoints = await rebuilt.checkpoints()
        replay = [
            Incoming(topic, partition, offset, None, events[0].to_json())
            for (_, partition), end in checkpoints.items()
            for offset in (0, end - 1)
        ]
        assert await rebuilt.apply_batch(replay) == 0
        assert await table(rebuilt_pool) == live_rows
    finally:
        await rebuilt_pool.close()


async def test_a_poison_record_in_a_live_batch_goes_to_the_dlq_and_the_rest_is_applied(
    database_url: str, bootstrap: str, uid: str, pool: Pool
) -> None:
    topic = f"test.{uid}.facts"
    dlq = f"test.{uid}.beta.dlq"
    await ensure_topics(bootstrap, [topic], partitions=1)
    department = f"{uid}-d"
    good = [unit_of(department, n) for n in range(20)]
    values = [e.to_json() for e in good[:10]] + [b"not a cloudevent"]
    values += [e.to_json() for e in good[10:]]
    await produce(bootstrap, topic, values)

    live = beta(database_url, bootstrap, uid, topic)
    await live.start()
    try:
        runner = live.projection_runners()[0]
        await eventually(
            runner.checkpoints, lambda c: sum(c.values()) == 21, what="the end of the topic"
        )
        dead = await eventually(
            lambda: read_topic(bootstrap, dlq), lambda r: len(r) == 1, what="the poison record"
        )
    finally:
        await live.stop()
    assert dead[0].value == b"not a cloudevent"
    assert await table(pool) == [(department, 20, f"{department}:u19")]


async def test_a_rebuild_puts_what_it_cannot_apply_on_the_dlq_and_moves_past_it(
    database_url: str, bootstrap: str, uid: str, pool: Pool
) -> None:
    """Catch-up (the path of projections that do not replay in memory): the batch fails, its
    records are applied one by one, the bad one goes to the dead-letter callback, and the
    checkpoint covers it even as the partition's last record."""
    topic = f"test.{uid}.facts"
    await ensure_topics(bootstrap, [topic], partitions=1)
    department = f"{uid}-d"
    good = [unit_of(department, n) for n in range(5)]
    await produce(bootstrap, topic, [e.to_json() for e in good] + [b"\xff junk"])
    dead: list[tuple[Incoming, BaseException, int]] = []

    async def dead_letter(record: Incoming, error: BaseException, attempts: int) -> None:
        dead.append((record, error, attempts))

    runner = ProjectionRunner(pool, UnitsByDepartment([topic]))
    assert await runner.rebuild(bootstrap, dead_letter=dead_letter) == 6
    assert [(r.position, r.value) for r, _, _ in dead] == [(f"{topic}/0/5", b"\xff junk")]
    assert dead[0][2] == ConsumerPolicy().max_attempts
    assert await runner.checkpoints() == {(topic, 0): 6}
    assert await table(pool) == [(department, 5, f"{department}:u4")]
    # Without a DLQ to put it on, the same record stops the rebuild.
    with pytest.raises(ValueError, match="CloudEvent"):
        await runner.rebuild(bootstrap)
