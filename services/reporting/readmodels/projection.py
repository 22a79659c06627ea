"""The reporting projection: a batch of events folded in memory and written once.

Live (``apply_events``, in the runner's transaction with the checkpoint): load the rows the
batch touches (one query per table), fold the events in order, recompute the lines of the
facts that name a dimension the batch changed, then write every table once and the counter
deltas summed over the batch. A replay from offset 0 (``replayer``, module ``replay``) folds
the whole log in memory, where every row is known, computes each fact's lines once with the
final dimensions (nothing to recompute), and copies the result into the empty model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from contracts import registration as rg
from contracts import topics as topic_map
from contracts.envelope import CloudEvent
from services.reporting.reader import notify_model_moved
from services.reporting.readmodels import counters, load, tables, write
from services.reporting.readmodels.fold import READER, fold
from services.reporting.readmodels.lines import Deltas, DimsOf, LinesRow, attribute, lines_of
from services.reporting.readmodels.replay import Replayer
from services.reporting.readmodels.staff import StaffChanges, staff_of, staff_rows
from services.reporting.readmodels.state import ModelState
from thidua.es.consumer import Incoming
from thidua.es.db import Conn, overlapped
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
        """Empty the model's tables, those that hold rows: a rebuild's are new and empty, and a
        ``TRUNCATE`` gives each table and index a new file (35 ms for twenty empty tables).
        One simple query, the tables locked before they are looked at."""
        await conn.execute(
            f"""LOCK TABLE {", ".join(tables.MODEL_TABLES)} IN ACCESS EXCLUSIVE MODE;
                DO $$
                DECLARE
                    held text[] := '{{}}';
                    found boolean;
                    t text;
                BEGIN
                    FOREACH t IN ARRAY ARRAY['{"', '".join(tables.MODEL_TABLES)}'] LOOP
                        EXECUTE format('SELECT EXISTS (SELECT FROM %I)', t) INTO found;
                        IF found THEN
                            held := held || t;
                        END IF;
                    END LOOP;
                    IF held <> '{{}}' THEN
                        EXECUTE 'TRUNCATE ' || (
                            SELECT string_agg(format('%I', h), ', ') FROM unnest(held) AS h);
                    END IF;
                END
                $$"""
        )

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
            write.insert_facts(conn, [write.fact_row(n) for n in state.new_facts]),
            lambda: [lines_of(n.fact, dims(n.fact), dims.placements) for n in state.new_facts],
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
            deltas.add_all((old for _, old in recomputed if old is not None), -1)
            deltas.add_all(rows)
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
