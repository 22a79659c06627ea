"""Rebuild: replay the log into a fresh model schema, catch up, then switch the pointer.

0. One rebuild per control schema at a time: the rebuild holds a PostgreSQL session advisory
   lock (``exclusive``) from before it picks its schema to after the switch; a second one is
   refused at once (:class:`RebuildRunning`) with who holds it and since when.
1. A new schema ``<control>_<n+1>`` gets the runtime tables and an empty model;
   ``ProjectionRunner.rebuild`` replays every partition from offset 0 to the end offsets taken
   at its start (with progress).
2. Catch-up: from the new model's checkpoints to the then-current end offsets, repeated until
   the new model is at or past the live model on every partition.
3. Switch, in one transaction: lock the pointer row, lock the live model's checkpoint rows
   (``FOR SHARE``: the live projection cannot commit meanwhile), check again that the new model
   is at or past them, and update the pointer. Readers take the pointer inside their own
   snapshot, so they see the old complete model or the new complete model, never a half-built
   one, and never one behind what they saw before.
4. The running service notices the pointer (``app.run``) and moves its projection to the new
   model. The previous model is kept (the service may still be leaving it); those older than
   it were dropped while the log was read (the next rebuild drops this previous one).

A record that is not a valid event is not folded: it goes to reporting's DLQ, in the format
the live projection writes (``thidua.es.dlq``), unless a copy of it (same original position)
is there already, and the summary counts it (:class:`Rebuilt`).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from contracts import topics
from services.reporting.control import CONTROL_SCHEMA, current_model, ensure_control_on
from services.reporting.reader import notify_model_moved
from services.reporting.readmodels import ReportingProjection
from thidua.es.db import checked_schema, create_pool
from thidua.es.dlq import DeadLetterWriter, read_dead_letters
from thidua.es.intake import Incoming
from thidua.es.kafka import ensure_topics
from thidua.es.projection import Progress, ProjectionRunner

MAX_CATCH_UPS = 20
REBUILD_LOCK = 7301
"""The first key of the rebuild's advisory lock (the second is the control schema's hash)."""


class RebuildRunning(RuntimeError):
    """Another rebuild of the same model holds the rebuild lock."""


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did: the model readers now use, and what it could not fold."""

    schema: str
    dlq_topic: str
    dead_lettered: int
    """Records that are not valid events, sent to the DLQ by this rebuild."""
    already_dead_lettered: int
    """Such records whose copy (same original position) was in the DLQ already."""

    @property
    def skipped(self) -> int:
        return self.dead_lettered + self.already_dead_lettered

    def summary(self) -> str:
        if not self.skipped:
            return f"readers now use {self.schema}; no record skipped"
        return (
            f"readers now use {self.schema}; skipped {self.skipped} to DLQ {self.dlq_topic}"
            f" ({self.dead_lettered} sent now, {self.already_dead_lettered} there already):"
            f" see thidua dlq list --topic {self.dlq_topic}"
        )


class _DeadLetters:
    """The rebuild's DLQ: each bad record once, whoever (live or an earlier rebuild) put it.
    Opened at the first bad record: most rebuilds have none, and opening (the topic, what it
    holds, a producer) costs a few hundred milliseconds."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.writer: DeadLetterWriter | None = None
        self.there: set[str] = set()
        self.already = 0

    @property
    def written(self) -> int:
        return self.writer.written if self.writer else 0

    async def _open(self) -> DeadLetterWriter:
        await ensure_topics(self.bootstrap, [self.topic])
        found = await read_dead_letters(self.bootstrap, self.topic)
        self.there = {d.original for d in found if d.original is not None}
        writer = DeadLetterWriter(self.bootstrap, self.topic, client_id="reporting-rebuild")
        await writer.start()
        self.writer = writer
        return writer

    async def close(self) -> None:
        if self.writer is not None:
            await self.writer.stop()

    async def put(self, record: Incoming, error: BaseException, attempts: int) -> None:
        writer = self.writer or await self._open()
        if record.position in self.there:
            self.already += 1
            return
        await writer.put(record, error, attempts)
        self.there.add(record.position)


@asynccontextmanager
async def exclusive(database_url: str, control: str) -> AsyncIterator[asyncpg.Connection]:
    """Hold the rebuild lock of ``control`` on a connection of its own, or raise
    :class:`RebuildRunning`. A session advisory lock rather than a lease: it needs no renewal
    while a replay keeps the event loop busy folding, and it is released the moment the
    rebuild's connection ends (a crash, a kill), so it is never left behind. The pointer is
    switched on this connection, so a rebuild that lost its lock cannot switch."""
    who = f"thidua reporting rebuild, pid {os.getpid()} on {socket.gethostname()}"
    conn = await asyncpg.connect(database_url, server_settings={"application_name": who[:63]})
    try:
        if not await conn.fetchval(
            "SELECT pg_try_advisory_lock($1, hashtext($2))", REBUILD_LOCK, control
        ):
            holder = await conn.fetchrow(
                """SELECT a.application_name, a.backend_start FROM pg_locks l
                   JOIN pg_stat_activity a ON a.pid = l.pid
                   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                     AND l.classid = $1 AND l.objid = (hashtext($2)::bigint & 4294967295)::oid""",
                REBUILD_LOCK,
                control,
            )
            by = (
                f" ({holder['application_name']}, since"
                f" {holder['backend_start'].astimezone():%d/%m/%Y %H:%M:%S})"
                if holder
                else ""
            )
            raise RebuildRunning(
                f"another rebuild of the reporting model ({control}) is running{by};"
                " wait for it to finish"
            )
        yield conn
    finally:
        await conn.close()


async def rebuild_finished(database_url: str, control: str) -> None:
    """Wait until no rebuild of ``control`` holds the rebuild lock."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("SELECT pg_advisory_lock($1, hashtext($2))", REBUILD_LOCK, control)
        await conn.execute("SELECT pg_advisory_unlock($1, hashtext($2))", REBUILD_LOCK, control)
    finally:
        await conn.close()


async def rebuild(
    database_url: str,
    bootstrap: str,
    progress: Progress | None = None,
    *,
    control_schema: str = CONTROL_SCHEMA,
    source_topics: Sequence[str] | None = None,
    dlq_topic: str | None = None,
) -> Rebuilt:
    """Rebuild the reporting model from the log and switch readers to it. Raises
    :class:`RebuildRunning` if another rebuild of the same model is under way."""
    control = checked_schema(control_schema)
    dead_letters = _DeadLetters(bootstrap, dlq_topic or topics.dlq("reporting"))
    async with exclusive(database_url, control) as lock:
        live = await ensure_control_on(lock, control)
        new = await _next_schema(lock, control)
        # Models older than the live one go while the log is read (the database's core is
        # nearly idle then), not after the switch: none of them is read any more.
        dropping = asyncio.create_task(_drop_older(lock, control, keep={live, new}))
        pool = None
        try:
            # The runner makes the new model's tables (the runtime's among them) while its
            # consumer connects.
            pool = await create_pool(database_url, new, custom_plans=True)
            projection = ReportingProjection(source_topics)
            runner = ProjectionRunner(pool, projection)
            await runner.rebuild(bootstrap, progress=progress, dead_letter=dead_letters.put)
            await dropping
            # Switch at once if the live model has not moved past the replay's ends (nothing
            # to catch up); else catch up and try again.
            for catch_ups in range(MAX_CATCH_UPS + 1):
                if await _switch(lock, control, live, new, projection.name):
                    break
                if catch_ups == MAX_CATCH_UPS:
                    raise RuntimeError(
                        f"{new} could not catch up with {live}; pointer left on {live}"
                    )
                await runner.catch_up(bootstrap, dead_letter=dead_letters.put)
        finally:
            if not dropping.done():
                dropping.cancel()
            # Retrieved before the lock's connection closes (its error, if the replay did not
            # fail first, was raised above).
            await asyncio.gather(dropping, return_exceptions=True)
            await dead_letters.close()
            if pool is not None:
                await pool.close()
    return Rebuilt(new, dead_letters.topic, dead_letters.written, dead_letters.already)


async def _switch(
    conn: asyncpg.Connection, control: str, live: str, new: str, projection: str
) -> bool:
    async with conn.transaction():
        current = await conn.fetchval(
            f'SELECT schema_name FROM "{control}".current_model FOR UPDATE'
        )
        if current != live:
            raise RuntimeError(f"another rebuild switched to {current} meanwhile")
        live_offsets = {}
        if await conn.fetchval("SELECT to_regclass($1)", f'"{live}".projection_checkpoints'):
            rows = await conn.fetch(
                f"""SELECT topic, kafka_partition, next_offset
                    FROM "{live}".projection_checkpoints WHERE projection = $1 FOR SHARE""",
                projection,
            )
            live_offsets = {(r[0], r[1]): r[2] for r in rows}
        rows = await conn.fetch(
            f"""SELECT topic, kafka_partition, next_offset
                FROM "{new}".projection_checkpoints WHERE projection = $1""",
            projection,
        )
        new_offsets = {(r[0], r[1]): r[2] for r in rows}
        if any(new_offsets.get(k, 0) < v for k, v in live_offsets.items()):
            return False
        await conn.execute(
            f"""UPDATE "{control}".current_model
                SET schema_name = $1, switched_at = now()""",
            new,
        )
        await notify_model_moved(conn)
        return True


def _model_number(control: str, schema: str) -> int | None:
    found = re.fullmatch(rf"{re.escape(control)}_(\d+)", schema)
    return int(found.group(1)) if found else None


async def _models(conn: asyncpg.Connection, control: str) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)", control
    )
    return {r[0]: n for r in rows if (n := _model_number(control, r[0])) is not None}


async def _next_schema(conn: asyncpg.Connection, control: str) -> str:
    taken = await _models(conn, control)
    current = await current_model(conn, control)
    highest = max([*taken.values(), _model_number(control, current) or 0])
    return checked_schema(f"{control}_{highest + 1}")


async def _drop_older(conn: asyncpg.Connection, control: str, keep: set[str]) -> None:
    """Drop every model but ``keep``: the live one (which the service leaves after the switch)
    and the new one."""
    for schema in await _models(conn, control):
        if schema not in keep:
            await conn.execute(f'DROP SCHEMA "{checked_schema(schema)}" CASCADE')
