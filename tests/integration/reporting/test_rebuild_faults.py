"""A rebuild of the reporting model meeting bad records and another rebuild: a record that is
not a valid event goes to reporting's DLQ and is counted in the summary, never dropped unseen;
two rebuilds of one model never run at once."""

from __future__ import annotations

import asyncio
import os

import asyncpg
import pytest

from services.reporting import app as reporting
from services.reporting.rebuild import RebuildRunning, Rebuilt, exclusive, rebuild
from tests.integration.reporting.conftest import publish
from tests.integration.reporting.scenario import build_feed
from tests.integration.reporting.test_rollups import model_rows
from tests.support import eventually, produce
from thidua.es.db import create_pool
from thidua.es.dlq import read_dead_letters
from thidua.es.projection import Progress


class Model:
    """The scenario's facts on topics of this test, and rebuilds of a model of its own."""

    def __init__(self, database_url: str, bootstrap: str, uid: str) -> None:
        self.database_url = database_url
        self.bootstrap = bootstrap
        self.uid = uid
        self.control = f"test_{uid}_ctl"
        self.dlq = f"test.{uid}.reporting.dlq"
        self.source: tuple[str, str] = ("", "")

    async def publish(self) -> None:
        self.source = await publish(self.bootstrap, self.uid, build_feed(f"{self.uid}-"))
        await reporting.ensure_control(self.database_url, self.control)

    async def rebuild(self, progress: Progress | None = None) -> Rebuilt:
        return await rebuild(
            self.database_url,
            self.bootstrap,
            progress,
            control_schema=self.control,
            source_topics=self.source,
            dlq_topic=self.dlq,
        )

    async def rows(self, schema: str) -> dict[str, list[tuple[object, ...]]]:
        pool = await create_pool(self.database_url, schema)
        try:
            return await model_rows(pool)
        finally:
            await pool.close()

    async def schemas(self) -> set[str]:
        conn = await asyncpg.connect(self.database_url)
        try:
            rows = await conn.fetch(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", f"{self.control}\\_%"
            )
            return {r[0] for r in rows}
        finally:
            await conn.close()


@pytest.fixture
async def model(database_url: str, bootstrap: str, uid: str) -> Model:
    built = Model(database_url, bootstrap, uid)
    await built.publish()
    return built


async def test_junk_on_the_registration_topic_goes_to_the_dlq_once_and_is_counted(
    model: Model, bootstrap: str
) -> None:
    clean = await model.rebuild()
    assert clean.skipped == 0
    assert clean.summary() == f"readers now use {clean.schema}; no record skipped"
    before = await model.rows(clean.schema)

    feed = build_feed(f"{model.uid}-")
    _, some_event = feed.registration[0]
    wrong_payload = some_event.model_copy(update={"id": "junk-1", "data": {"unit_id": 7}})
    junk = [b"not json at all", b"\xff\xfe\x00 not UTF-8", wrong_payload.to_json()]
    registration = model.source[0]
    await produce(bootstrap, registration, junk, key=b"junk")

    first = await model.rebuild()
    assert (first.dead_lettered, first.already_dead_lettered) == (3, 0)
    assert f"skipped 3 to DLQ {model.dlq} (3 sent now, 0 there already)" in first.summary()
    assert await model.rows(first.schema) == before  # the junk counts nowhere

    dead = await read_dead_letters(bootstrap, model.dlq)
    assert [d.value for d in dead] == junk  # byte for byte, in their order
    assert {d.original_topic for d in dead} == {registration}
    assert len({d.original_partition for d in dead}) == 1
    offsets = [d.original_offset or 0 for d in dead]
    assert offsets == list(range(offsets[0], offsets[0] + 3))
    assert {d.error_type for d in dead} == {"ValidationError"}
    assert all(d.key == b"junk" and d.replayable for d in dead)
    assert dead[2].event_id == "junk-1"

    # Rebuilt again, the same records are skipped and counted, but not sent twice.
    again = await model.rebuild()
    assert (again.dead_lettered, again.already_dead_lettered) == (0, 3)
    assert "skipped 3 to DLQ" in again.summary()
    assert len(await read_dead_letters(bootstrap, model.dlq)) == 3
    assert await model.rows(again.schema) == before


async def test_a_second_rebuild_of_the_same_model_is_refused_while_the_first_runs(
    model: Model,
) -> None:
    replaying = asyncio.Event()
    first = asyncio.create_task(model.rebuild(lambda done, total: replaying.set()))
    await asyncio.wait_for(replaying.wait(), timeout=60)
    with pytest.raises(RebuildRunning) as refused:
        await model.rebuild()
    message = str(refused.value)
    assert f"another rebuild of the reporting model ({model.control}) is running" in message
    assert f"thidua reporting rebuild, pid {os.getpid()}" in message
    done = await first
    assert done.schema == f"{model.control}_2"
    assert f"{model.control}_3" not in await model.schemas()  # the refused one made nothing
    conn = await asyncpg.connect(model.database_url)
    try:
        assert await reporting.current_model(conn, model.control) == done.schema
    finally:
        await conn.close()
    # Once the first has finished, the next one runs.
    assert (await model.rebuild()).schema == f"{model.control}_3"


async def test_a_rebuild_that_dies_leaves_no_lock_behind(model: Model, database_url: str) -> None:
    admin = await asyncpg.connect(database_url)
    try:
        async with exclusive(database_url, model.control) as held:
            backend = await held.fetchval("SELECT pg_backend_pid()")
            with pytest.raises(RebuildRunning):
                await model.rebuild()
            # Its process killed, its connection ends, and the lock with it.
            await admin.execute("SELECT pg_terminate_backend($1)", backend)
            await eventually(
                lambda: admin.fetchval("SELECT count(*) FROM pg_locks WHERE pid = $1", backend),
                lambda n: n == 0,
                what="the killed rebuild's lock released",
            )
            assert (await model.rebuild()).schema == f"{model.control}_2"
    finally:
        await admin.close()
