"""The reporting projection: a batch of events folded in memory and written once.

Live (``apply_events``, in the runner's transaction with the checkpoint): load the rows the
batch touches (one query per table), fold the events in order, recompute the lines of the
facts that name a dimension the batch changed, then write every table once and the counter
deltas summed over the batch. A replay from offset 0 (``replayer``) folds the whole log in
memory, where every row is known, computes each fact's lines once with the final dimensions
(nothing to recompute), and copies the result into the empty model.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pydantic_core

from contracts import registration as rg
from contracts import topics as topic_map
from contracts.envelope import CloudEvent
from services.reporting.facts import Fact
from services.reporting.reader import notify_model_moved
from services.reporting.readmodels import counters, load, write
from services.reporting.readmodels.envelope import Reader
from services.reporting.readmodels.fold import HANDLERS, fold
from services.reporting.readmodels.lines import Deltas, DimsOf, LinesRow, attribute, lines_of
from services.reporting.readmodels.staff import StaffChanges, staff_of, staff_rows
from services.reporting.readmodels.state import ModelState, NewFact
from thidua.es.consumer import Incoming
from thidua.es.db import Conn, Pool, overlapped
from thidua.es.migrations import Migration, load_migrations

MODEL_FORMAT = 10
"""The shape of the model's tables; a model of another format is rebuilt, not migrated.
6 (issue 17): a conference's facts carry its exemplary and guest delegates and its report's due
date, and its report is counted (on time or late); economic results (table reporting_economy);
the provincial board's votes, processing days, and blocs with their rankings.
7 (issue 18): the search over people's and units' names (``search_fold``, trigram indexes).
8 (issue 18): the commendation fund's movements.
9 (issue 18): the search's word arrays and their vocabulary (``search_words``,
``reporting_search_words``).
10 (issue 18): an initiative's title and authors."""

MIGRATIONS_DIR = Path(__file__).parent / "sql"
REPLAY_WORK_MEM = "256MB"
DEFAULT_TOPICS = (topic_map.events("registration"), topic_map.events("awards"))


class OutdatedModel(RuntimeError):
    """The schema holds a model of another format; it must be rebuilt from the log."""


async def model_format(conn: Conn) -> int | None:
    """The format of the model in the current schema: None if there is none yet; 1 for a model
    made before formats were recorded."""
    if await conn.fetchval("SELECT to_regclass('reporting_model')") is not None:
        return int(await conn.fetchval("SELECT format FROM reporting_model"))
    if await conn.fetchval("SELECT to_regclass('reporting_counters')") is not None:
        return 1
    return None


READER = Reader(HANDLERS)


def _fact_row(new: NewFact) -> tuple[object, ...]:
    f: Fact = new.fact
    return (
        f.event_id,
        new.type,
        f.kind,
        f.effective_on,
        f.department_code,
        f.unit_id,
        f.person_id,
        f.campaign_id,
        f.year,
        f.sign,
        # jsonb keeps no key order: pydantic's encoder, 1.2 µs a fact against json.dumps' 6.2
        pydantic_core.to_json(f.attrs).decode(),
    )


class ReportingProjection:
    """Read models of the provincial board and the ministry (báo cáo tổng hợp)."""

    name = "reporting"

    def __init__(self, topics: Sequence[str] | None = None) -> None:
        self.topics: Sequence[str] = tuple(topics or DEFAULT_TOPICS)
        self.migrations: Sequence[Migration] = load_migrations(self.name, MIGRATIONS_DIR)

    async def setup(self, conn: Conn) -> None:
        """Refuse a model of another format before anything is migrated into its schema."""
        found = await model_format(conn)
        if found not in (None, MODEL_FORMAT):
            raise OutdatedModel(
                f"the reporting model in this schema has format {found}, this code needs"
                f" {MODEL_FORMAT}: rebuild it (thidua reporting rebuild)"
            )

    async def reset(self, conn: Conn) -> None:
        await conn.execute(f"TRUNCATE {', '.join(write.MODEL_TABLES)}")

    async def apply(self, conn: Conn, event: CloudEvent, incoming: Incoming) -> None:
        await self.apply_records(conn, [incoming])

    async def apply_records(self, conn: Conn, records: Sequence[Incoming]) -> None:
        batch = [e for r in records if (e := READER.read(r.value)) is not None]
        if not batch:
            return
        state = ModelState()
        await load.load_for_events(conn, state, [e.payload for e in batch])
        people = {e.payload.person_id for e in batch if isinstance(e.payload, rg.PersonEvent)}
        staff: StaffChanges = defaultdict(lambda: [0, 0, 0])
        staff_of(state, people, -1, staff)
        for e in batch:
            fold(state, e.id, e.type, e.payload)
        staff_of(state, people, 1, staff)
        recomputed = await load.facts_naming(conn, state)
        # The dimensions of every new fact (a redelivered one among them: it is dropped
        # below), so that the new facts' lines are made while PostgreSQL inserts the facts.
        await load.load_dims(
            conn, state, [*(n.fact for n in state.new_facts), *(f for f, _ in recomputed)]
        )
        dims = DimsOf(state)
        inserted, lines = await overlapped(
            write.insert_facts(conn, [_fact_row(n) for n in state.new_facts], bulk=False),
            lambda: [lines_of(n.fact, dims(n.fact)) for n in state.new_facts],
        )
        rows = [
            row
            for n, row in zip(state.new_facts, lines, strict=True)
            if row is not None and n.fact.event_id in inserted
        ]
        again = [f for f, _ in recomputed if f.event_id not in inserted]

        def summed() -> tuple[Deltas, list[LinesRow]]:
            """The counters' deltas, and the lines of the facts named again."""
            deltas = Deltas()
            for _, old in recomputed:
                if old is not None:
                    deltas.add(old, -1)
            for row in rows:
                deltas.add(row, 1)
            return deltas, attribute(again, dims, deltas)

        # The counters' deltas are summed while the first changed dimension is written.
        _, (deltas, renamed) = await overlapped(
            write.write_dimensions(conn, state, bulk=False), summed
        )
        rows += renamed
        await write.replace_lines(conn, [f.event_id for f, old in recomputed if old], rows)
        await counters.add_to_counters(conn, deltas)
        await counters.add_to_staff(conn, staff_rows(staff))
        await notify_model_moved(conn)

    def replayer(self) -> Replayer:
        return Replayer()


class Replayer:
    """A replay of the log from offset 0 into an empty model: events folded in memory
    (``feed``), the model written once (``write``)."""

    def __init__(self) -> None:
        self.state = ModelState(complete=True)

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
        return unreadable

    async def write(self, conn: Conn, pool: Pool) -> None:
        """Four parts of the model need nothing of each other, and each is written on a
        connection of its own: the dimensions and staff on ``conn``, the facts, the lines, and
        the counters summed from the lines (four database processes at work instead of one).
        The dimensions and facts are sent first, and PostgreSQL copies and indexes them while
        the lines are made here, a slice at a time; each slice of lines is sent as it is made,
        and PostgreSQL stores it while the next is made."""
        state = self.state
        apart = [
            asyncio.create_task(_write_dimensions(conn, state)),
            asyncio.create_task(_write_facts(pool, state)),
        ]
        try:
            deltas = Deltas()
            dims = DimsOf(state)
            facts = [n.fact for n in state.new_facts]
            made = asyncio.Event()

            def lines() -> Iterator[list[LinesRow]]:
                for at in range(0, len(facts), REPLAY_LINES_SLICE):
                    yield attribute(facts[at : at + REPLAY_LINES_SLICE], dims, deltas)
                made.set()

            copying = asyncio.create_task(_write_lines(pool, lines()))
            apart.append(copying)
            # The deltas are summed once every line is made (or the copy failed).
            waiting = asyncio.create_task(made.wait())
            await asyncio.wait([waiting, copying], return_when=asyncio.FIRST_COMPLETED)
            if not made.is_set():
                waiting.cancel()
                copying.result()  # its error
            apart.append(asyncio.create_task(_write_counters(pool, deltas)))
            await asyncio.gather(*apart)
        except BaseException:
            for task in apart:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.gather(*apart)
            raise


REPLAY_LINES_SLICE = 2000
"""Facts whose lines are made, and sent, between two turns of the event loop."""


async def _write_dimensions(conn: Conn, state: ModelState) -> None:
    await _bulk_settings(conn)
    # Secondary indexes (the people's and units' search words among them, GIN) are built once
    # after the copy, not row by row.
    async with write.indexes_deferred(conn, write.DIMENSION_TABLES):
        await write.write_dimensions(conn, state, bulk=True)
    staff: StaffChanges = defaultdict(lambda: [0, 0, 0])
    staff_of(state, state.people.rows, 1, staff)
    await counters.add_to_staff(conn, staff_rows(staff))


async def _bulk_settings(conn: Conn) -> None:
    # Sorts and hashes of a whole model's rows (index builds) fit in memory (the default
    # 4 MB sends them to disk).
    await conn.execute(f"SET LOCAL work_mem = '{REPLAY_WORK_MEM}'")


async def _write_facts(pool: Pool, state: ModelState) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await _bulk_settings(conn)
        async with write.indexes_deferred(conn, [write.FACTS.table], keys=True):
            await write.insert_facts(conn, [_fact_row(n) for n in state.new_facts], bulk=True)


async def _write_lines(pool: Pool, pieces: Iterable[Sequence[LinesRow]]) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await _bulk_settings(conn)
        async with write.indexes_deferred(conn, [write.LINES], keys=True):
            await write.copy_lines_made(conn, pieces)


async def _write_counters(pool: Pool, deltas: Deltas) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await _bulk_settings(conn)
        async with write.indexes_deferred(
            conn, [counters.COUNTERS, counters.DATED_COUNTERS, counters.DAY_COUNTERS], keys=True
        ):
            await counters.count_deltas(conn, deltas)
