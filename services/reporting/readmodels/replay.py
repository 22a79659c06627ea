"""A replay of the log from offset 0 into an empty reporting model.

The events are folded in memory (``Replayer.feed``), where every row is known, and each fact's
lines are made once, with the final dimensions. A fact is final once recorded (a correction or
a revocation records a fact of its own), so the facts are copied into their table while the
log is still being folded (``Replayer.streaming``): PostgreSQL stores them on the core the fold
leaves idle. The rest of the model is written once the whole log is folded (``Replayer.write``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Iterable, Iterator, Sequence
from typing import Any

from services.reporting.readmodels import counters, tables, write
from services.reporting.readmodels.fold import READER, fold
from services.reporting.readmodels.lines import Deltas, DimsOf, LinesRow, attribute
from services.reporting.readmodels.staff import StaffChanges, staff_of, staff_rows
from services.reporting.readmodels.state import ModelState
from thidua.es.consumer import Incoming
from thidua.es.db import Conn, Pool

REPLAY_WORK_MEM = "256MB"
REPLAY_LINES_SLICE = 2000
"""Facts whose lines are made, and sent, between two turns of the event loop."""
REPLAY_LINES_SLICE_SHORT = 250
"""The same while the dimensions are being written (a dozen tables, one copy after the
other): with 2,000 facts a turn, each table waited for one or more turns, and the dimensions
were the last part of the model written, 0.2-0.45 s after the last line was made."""


class Replayer:
    """Folds the log (``feed``) and writes the model once (``write``); the facts are copied
    as they are recorded while inside ``streaming``."""

    def __init__(self) -> None:
        self.state = ModelState(complete=True)
        self._facts: _FactsCopy | None = None

    def feed(self, records: Sequence[Incoming]) -> list[tuple[Incoming, Exception]]:
        """Fold ``records``; returns those that are not valid events (live, each went to the
        DLQ and counts nowhere; the rebuild puts them there too)."""
        state = self.state
        unreadable: list[tuple[Incoming, Exception]] = []
        for record in records:
            try:
                e = READER.read(record.value)
            except ValueError as exc:
                unreadable.append((record, exc))
                continue
            if e is not None:
                fold(state, e.id, e.type, e.payload)
        if self._facts is not None:
            self._facts.more.set()
        return unreadable

    @contextlib.asynccontextmanager
    async def streaming(self, pool: Pool, ready: Awaitable[None]) -> AsyncIterator[None]:
        """Copy the facts into their table as ``feed`` records them, once ``ready`` (the
        model's tables made and emptied), on a connection of ``pool`` in a transaction of its
        own, which ``write`` ends and commits (before the model's checkpoints). Leaving the
        context with an error cancels the copy: its transaction is rolled back."""
        facts = _FactsCopy(self.state)
        facts.task = task = asyncio.create_task(facts.copy(pool, ready))
        self._facts = facts
        try:
            yield
        except BaseException:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            raise
        finally:
            self._facts = None
        # ``write`` ended it; a replay that did not write leaves nothing half-written.
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def write(self, conn: Conn, pool: Pool) -> None:
        """Four parts of the model need nothing of each other, and each is written on a
        connection of its own: the dimensions and staff on ``conn``, the facts, the lines, and
        the counters summed from the lines (four database processes at work instead of one).
        The facts are copied already (``streaming``), or else now, and the dimensions are sent
        first; PostgreSQL copies and indexes them while the lines are made here, a slice at a
        time; each slice of lines is sent as it is made, and PostgreSQL stores it while the
        next is made."""
        state = self.state
        dimensions = asyncio.create_task(_write_dimensions(conn, state))
        apart = [dimensions]
        if self._facts is not None:
            self._facts.end()
            apart.append(self._facts.task)
        else:
            apart.append(
                asyncio.create_task(_copy_facts(pool, [write.fact_row(n) for n in state.new_facts]))
            )
        try:
            deltas = Deltas()
            dims = DimsOf(state)
            facts = [n.fact for n in state.new_facts]
            made = asyncio.Event()

            def lines() -> Iterator[list[LinesRow]]:
                at = 0
                while at < len(facts):
                    # The dimensions go to the database one table after the other, each
                    # copy waiting for a turn of the event loop: short turns until they are
                    # all sent.
                    size = REPLAY_LINES_SLICE if dimensions.done() else REPLAY_LINES_SLICE_SHORT
                    yield attribute(facts[at : at + size], dims, deltas)
                    at += size
                made.set()

            copying = asyncio.create_task(_write_lines(pool, lines()))
            apart.append(copying)
            # The deltas are summed once every line is made (or the copy failed).
            waiting = asyncio.create_task(made.wait())
            await asyncio.wait([waiting, copying], return_when=asyncio.FIRST_COMPLETED)
            if not made.is_set():
                waiting.cancel()
                copying.result()  # its error
            apart.append(asyncio.create_task(write_counters(pool, deltas)))
            await asyncio.gather(*apart)
        except BaseException:
            for task in apart:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.gather(*apart)
            raise


class _FactsCopy:
    """One ``COPY`` of the facts, fed with those recorded since the last turn of the event
    loop, and ended by ``end`` (the whole log folded)."""

    def __init__(self, state: ModelState) -> None:
        self.state = state
        self.more = asyncio.Event()
        self.ended = False
        self.task: asyncio.Task[None]

    def end(self) -> None:
        self.ended = True
        self.more.set()

    async def copy(self, pool: Pool, ready: Awaitable[None]) -> None:
        await ready
        await _copy_facts(pool, self._rows(), indexed=True)

    async def _rows(self) -> AsyncIterator[tuple[object, ...]]:
        sent = 0
        while True:
            await self.more.wait()
            self.more.clear()
            ended = self.ended  # before the slice: nothing is recorded after the end
            recorded = self.state.new_facts[sent:]
            sent += len(recorded)
            for new in recorded:
                yield write.fact_row(new)
            if ended:
                return


async def _write_dimensions(conn: Conn, state: ModelState) -> None:
    await _bulk_settings(conn)
    # Secondary indexes (the people's and units' search words among them, GIN) are built once
    # after the copy, not row by row.
    async with write.indexes_deferred(conn, tables.DIMENSION_TABLES):
        await write.write_dimensions(conn, state, bulk=True)
    staff: StaffChanges = defaultdict(lambda: [0, 0, 0])
    staff_of(state, state.people.rows, 1, staff)
    await counters.add_to_staff(conn, staff_rows(staff))


async def _bulk_settings(conn: Conn) -> None:
    # Sorts and hashes of a whole model's rows (index builds) fit in memory (the default
    # 4 MB sends them to disk).
    # The model's commits do not wait for their WAL to reach the disk: nothing reads the new
    # model before the switch, whose commit does wait, and a flush reaches every record before
    # it (the log is written in order), so the switch is durable only with the whole model.
    # After a crash before the switch the old model stays in use, and the next rebuild starts
    # over. (51,065 events: the writing's median 1.04 s instead of 1.08, nine rebuilds each.)
    await conn.execute(
        f"SET LOCAL work_mem = '{REPLAY_WORK_MEM}'; SET LOCAL synchronous_commit = off"
    )


async def _copy_facts(
    pool: Pool,
    rows: Iterable[tuple[object, ...]] | AsyncIterable[tuple[object, ...]],
    *,
    indexed: bool = False,
) -> None:
    """The facts' rows, copied into their empty table: its indexes built after the copy, or
    (``indexed``, the rows streamed while the log is folded) kept and added to row by row,
    on the core the fold leaves idle, instead of built once the log is folded, when both
    cores are busy writing the rest of the model (51,000 events: the copy ended 0.05-0.07 s
    after the fold instead of 0.3-0.45 s)."""
    async with pool.acquire() as conn, conn.transaction():
        await _bulk_settings(conn)
        async with (
            contextlib.nullcontext()
            if indexed
            else write.indexes_deferred(conn, [tables.FACTS.table], keys=True)
        ):
            await conn.copy_records_to_table(
                tables.FACTS.table, records=rows, columns=tables.FACTS.names
            )


async def _write_lines(pool: Pool, pieces: Iterable[Sequence[LinesRow]]) -> None:
    # The lines' indexes are kept during the copy, unlike the other tables': PostgreSQL adds
    # each line to them while the next lines are made here (its core is half idle then), where
    # building them after the copy took 0.3-0.5 s after the last line was made, with both
    # cores busy (a replay of 51,000 events, 44,300 lines: write 1.22-1.35 s instead of
    # 1.41-1.68 s).
    async with pool.acquire() as conn, conn.transaction():
        await _bulk_settings(conn)
        await write.copy_lines_made(conn, pieces)


async def write_counters(pool: Pool, deltas: Deltas) -> None:
    """The counters, dated and day counters, each table copied on a connection of its own
    (then its keys built): this is the replay's last step, and both cores are the database's
    by then (51,065 events: the step took 0.2-0.25 s on one connection)."""

    async def copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await _bulk_settings(conn)
            async with write.indexes_deferred(conn, [table], keys=True):
                await conn.copy_records_to_table(table, records=rows, columns=columns)

    await asyncio.gather(*(copy(*table) for table in counters.counted_rows(deltas)))
