"""How the API and the dashboard read the model: one consistent snapshot per request, and
answers kept while the model they were computed from has not moved.

Every transaction that moves a model (a projection batch, a rebuild's switch-over) notifies
``reporting_model`` when it commits (``notify_model_moved``). A reader that listens counts
those notifications; an answer is kept under the count it was computed at, and served while
no later notification has arrived, so a request on an unchanged model costs no query at all.
The answer may lag a commit by the time its notification takes to arrive (a few
milliseconds on loopback), never more: the figures served are always those of a state the
model was in.

A reader that does not listen (no ``start``, or its connection lost) reads the model's
version for each request instead: its schema and the sum of its projection checkpoints,
which move in the transaction that changes the model and only forward; requests arriving
while that read is on its way share it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar, cast

from thidua.es.db import Conn, Pool, checked_schema

log = logging.getLogger(__name__)

CHANNEL = "reporting_model"
PROJECTION = "reporting"
Version = tuple[Any, ...]
T = TypeVar("T")


async def notify_model_moved(conn: Conn) -> None:
    """Tell the readers, when this transaction commits, that the model moved."""
    await conn.execute("SELECT pg_notify($1, current_schema())", CHANNEL)


class ModelReader:
    """Snapshots of the model ``control_schema`` points to (or of the pool's own schema), and a
    bounded cache of answers per model version."""

    def __init__(self, pool: Pool, control_schema: str | None, *, max_entries: int = 512) -> None:
        self.pool = pool
        self.control = checked_schema(control_schema) if control_schema else None
        self.max_entries = max_entries
        self.computed = 0
        self._answers: OrderedDict[tuple[Version, Hashable], object] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}
        self._listener: Any = None
        self._generation = 0
        self._moves = 0

    # --- listening ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen for the model's moves (from now on, hits cost no query)."""
        conn = await self.pool.acquire()
        try:
            await conn.add_listener(CHANNEL, self._moved)
        except BaseException:
            await self.pool.release(conn)
            raise
        conn.add_termination_listener(self._lost)
        self._generation += 1
        self._listener = conn

    async def stop(self) -> None:
        conn, self._listener = self._listener, None
        if conn is not None:
            with suppress(Exception):
                await conn.remove_listener(CHANNEL, self._moved)
            await self.pool.release(conn)

    def _moved(self, *_: object) -> None:
        self._moves += 1

    def _lost(self, *_: object) -> None:
        log.warning("reporting reader lost its notifications; reading versions per request")
        self._listener = None

    # --- versions ----------------------------------------------------------------------------

    async def version(self) -> Version:
        """The current model's version: the notifications counted, or read now."""
        if self._listener is not None:
            return ("moves", self._generation, self._moves)
        return await shared(self._pending, "version", self._read_current_version)

    async def _read_current_version(self) -> Version:
        async with self.pool.acquire() as conn:
            return await self._read_version(conn)

    async def _schema(self, conn: Conn) -> str:
        if self.control is None:
            return str(await conn.fetchval("SELECT current_schema()"))
        schema = await conn.fetchval(f'SELECT schema_name FROM "{self.control}".current_model')
        return checked_schema(str(schema))

    async def _read_version(self, conn: Conn) -> Version:
        schema = await self._schema(conn)
        applied = await conn.fetchval(
            f"""SELECT coalesce(sum(next_offset), 0) FROM "{schema}".projection_checkpoints
                WHERE projection = $1""",
            PROJECTION,
        )
        return ("checkpoints", schema, int(applied))

    # --- reading -----------------------------------------------------------------------------

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Conn]:
        """A read-only repeatable-read transaction on the current model."""
        async with (
            self.pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            if self.control is not None:
                schema = await self._schema(conn)
                await conn.execute(f'SET LOCAL search_path TO "{schema}", public')
            yield conn

    async def cached(self, key: Hashable, compute: Callable[[Conn], Awaitable[T]]) -> T:
        """The answer ``compute`` gives on the current model, computed once per version (an
        answer of None is not kept: it is computed again when asked)."""
        version = await self.version()
        found = self._answers.get((version, key))
        if found is not None:
            self._answers.move_to_end((version, key))
            return cast(T, found)

        async def answer() -> T:
            async with self.snapshot() as conn:
                seen = version
                if version[0] == "checkpoints":  # the version this snapshot sees
                    seen = await self._read_version(conn)
                body = await compute(conn)
            self.computed += 1
            self._answers[(seen, key)] = body
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)
            return body

        # The same answer asked again while it is computed: wait for it.
        return await shared(self._pending, (version, key), answer)


async def shared(
    pending: dict[Hashable, asyncio.Future[Any]], key: Hashable, work: Callable[[], Awaitable[T]]
) -> T:
    """``work()``'s result, computed once for the callers that ask while it runs."""
    running = pending.get(key)
    if running is not None:
        return cast(T, await asyncio.shield(running))
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    pending[key] = future
    try:
        result = await work()
        future.set_result(result)
        return result
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved: waiters, if any, get it
        raise
    finally:
        del pending[key]
