"""Writing what a batch changed: one statement per table, whatever the batch's size.

Live, rows are upserted from arrays (``unnest``); a replay into an empty model copies them
(``COPY``). Lines go in with ``COPY`` either way (their arrays do not fit ``unnest``), after
the old lines of recomputed facts are deleted. Counter deltas, summed per placement, scopes,
figure and key, are spread over their scopes and upserted by one statement; a counter back at
zero is deleted, so the model's rows do not depend on the order facts and dimensions arrived.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pydantic_core

from services.reporting.readmodels.lines import LinesRow
from services.reporting.readmodels.state import ModelState, NewFact, Table
from thidua.es import pgcopy
from thidua.es.db import Conn


@dataclass(frozen=True)
class Spec:
    """A model table: its columns with their types, in order, and its key."""

    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [c.split()[0] for c in self.columns]

    def unnest(self) -> str:
        return ", ".join(f"${n}::{c.split()[1]}[]" for n, c in enumerate(self.columns, start=1))


MINISTRIES = Spec(
    "reporting_ministries",
    ("ministry_id text", "name text", "sector_code text", "established_on date"),
    ("ministry_id",),
)
PROVINCES = Spec(
    "reporting_provinces",
    ("province_id text", "name text", "established_on date"),
    ("province_id",),
)
DEPARTMENTS = Spec(
    "reporting_departments",
    (
        "department_code text",
        "name text",
        "province_id text",
        "ministry_id text",
        "established_on date",
    ),
    ("department_code",),
)
LIFECYCLE = Spec(
    "reporting_lifecycle",
    (
        "event_id text",
        "kind text",
        "code text",
        "change text",
        "effective_on date",
        "into_code text",
        "from_code text",
        "name text",
        "basis text",
    ),
    ("event_id",),
)
ECONOMY = Spec(
    "reporting_economy",
    (
        "event_id text",
        "kind text",
        "campaign_id text",
        "effective_on date",
        "indicator text",
        "period_start date",
        "period_end date",
        "data jsonb",
    ),
    ("event_id",),
)
FUNDS = Spec(
    "reporting_funds",
    (
        "event_id text",
        "kind text",
        "owner text",
        "year integer",
        "effective_on date",
        "amount_vnd bigint",
        "nomination_id text",
        "decision_id text",
        "decision_number text",
    ),
    ("event_id",),
)
UNITS = Spec(
    "reporting_units",
    (
        "unit_id text",
        "department_code text",
        "name text",
        "kind text",
        "parent_unit_id text",
        "established_on date",
        "ended_on date",
        "headcount integer",
    ),
    ("unit_id",),
)
PEOPLE = Spec(
    "reporting_people",
    (
        "person_id text",
        "department_code text",
        "full_name text",
        "sex text",
        "joined_on date",
        "left_on date",
        "earlier jsonb",
    ),
    ("person_id",),
)
HISTORY = Spec(
    "reporting_person_history",
    (
        "person_id text",
        "seq integer",
        "effective_on date",
        "unit_id text",
        "is_leader boolean",
        "is_direct_worker boolean",
    ),
    ("person_id", "seq"),
)
CAMPAIGNS = Spec(
    "reporting_campaigns",
    (
        "campaign_id text",
        "department_code text",
        "number text",
        "title text",
        "kind text",
        "launching_level text",
        "year integer",
        "period_start date",
        "period_end date",
        "phases jsonb",
        "emulation_targets jsonb",
        "deadlines jsonb",
        "closed_on date",
        "cancelled boolean",
    ),
    ("campaign_id",),
)
REGISTRATIONS = Spec(
    "reporting_registrations",
    ("campaign_id text", "registrant_kind text", "registrant_id text", "event_id text"),
    ("campaign_id", "registrant_kind", "registrant_id"),
)
INITIATIVES = Spec(
    "reporting_initiatives",
    (
        "initiative_id text",
        "department_code text",
        "unit_id text",
        "kind text",
        "campaign_id text",
        "submitted_on date",
        "title text",
        "authors jsonb",
    ),
    ("initiative_id",),
)
NOMINATIONS = Spec(
    "reporting_nominations",
    (
        "nomination_id text",
        "department_code text",
        "campaign_id text",
        "year integer",
        "title text",
        "nominee_kind text",
        "nominee_id text",
        "unit_id text",
        "status text",
        "award_event_id text",
        "received_on date",
    ),
    ("nomination_id",),
)
BLOCS = Spec("reporting_blocs", ("bloc_id text", "name text", "members jsonb"), ("bloc_id",))
BLOC_RANKINGS = Spec(
    "reporting_bloc_rankings",
    ("bloc_id text", "year integer", "ranked_on date", "ranking jsonb", "leader_id text"),
    ("bloc_id", "year"),
)
COUNTED = Spec("reporting_counted", ("entity text", "event_ids jsonb"), ("entity",))
FACTS = Spec(
    "reporting_facts",
    (
        "event_id text",
        "type text",
        "kind text",
        "effective_on date",
        "department_code text",
        "unit_id text",
        "person_id text",
        "campaign_id text",
        "year integer",
        "sign smallint",
        "attrs jsonb",
    ),
    ("event_id",),
)
LINES = "reporting_fact_lines"
LINES_COLUMNS = list(LinesRow._fields)
MODEL_TABLES = (
    MINISTRIES.table,
    PROVINCES.table,
    DEPARTMENTS.table,
    UNITS.table,
    PEOPLE.table,
    HISTORY.table,
    CAMPAIGNS.table,
    REGISTRATIONS.table,
    INITIATIVES.table,
    NOMINATIONS.table,
    COUNTED.table,
    LIFECYCLE.table,
    ECONOMY.table,
    FUNDS.table,
    FACTS.table,
    LINES,
    "reporting_counters",
    "reporting_dated_counters",
    "reporting_day_counters",
    "reporting_staff_changes",
)


def columns_of(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)]


async def put_rows(conn: Conn, spec: Spec, rows: Sequence[Sequence[Any]], *, bulk: bool) -> None:
    """Insert or replace ``rows`` (by key); ``bulk``: into an empty table, by COPY."""
    if not rows:
        return
    if bulk:
        await conn.copy_records_to_table(spec.table, records=rows, columns=spec.names)
        return
    names = spec.names
    updates = ", ".join(f"{c} = excluded.{c}" for c in names if c not in spec.key)
    await conn.execute(
        f"""INSERT INTO {spec.table} ({", ".join(names)}) SELECT * FROM unnest({spec.unnest()})
            ON CONFLICT ({", ".join(spec.key)}) DO UPDATE SET {updates}""",
        *columns_of(rows),
    )


async def _delete_rows(conn: Conn, spec: Spec, keys: Sequence[Sequence[Any]]) -> None:
    if not keys:
        return
    types = {c.split()[0]: c.split()[1] for c in spec.columns}
    unnest = ", ".join(f"${n}::{types[k]}[]" for n, k in enumerate(spec.key, start=1))
    match = " AND ".join(f"t.{k} = d.{k}" for k in spec.key)
    await conn.execute(
        f"""DELETE FROM {spec.table} t USING unnest({unnest}) AS d({", ".join(spec.key)})
            WHERE {match}""",
        *columns_of(keys),
    )


async def _table(conn: Conn, spec: Spec, table: Table[Any, Any], *, bulk: bool) -> None:
    await put_rows(conn, spec, table.changed_rows(), bulk=bulk)
    deleted = table.deleted()
    if deleted and not bulk:
        await _delete_rows(conn, spec, [k if isinstance(k, tuple) else (k,) for k in deleted])


DIMENSIONS: tuple[tuple[Spec, str], ...] = (
    (MINISTRIES, "ministries"),
    (PROVINCES, "provinces"),
    (DEPARTMENTS, "departments"),
    (UNITS, "units"),
    (PEOPLE, "people"),
    (CAMPAIGNS, "campaigns"),
    (REGISTRATIONS, "registrations"),
    (INITIATIVES, "initiatives"),
    (NOMINATIONS, "nominations"),
    (COUNTED, "counted"),
    (BLOCS, "blocs"),
    (BLOC_RANKINGS, "bloc_rankings"),
    (LIFECYCLE, "lifecycle"),
    (ECONOMY, "economy"),
    (FUNDS, "funds"),
)
"""The dimension and follow-up tables, each with the state's table that holds its rows."""
DIMENSION_TABLES = (*(spec.table for spec, _ in DIMENSIONS), HISTORY.table)


async def write_dimensions(conn: Conn, state: ModelState, *, bulk: bool) -> None:
    """Every dimension and follow-up row the batch changed, and its people's new history."""
    for spec, name in DIMENSIONS:
        await _table(conn, spec, getattr(state, name), bulk=bulk)
    if state.new_history:
        if bulk:
            await put_rows(conn, HISTORY, state.new_history, bulk=True)
        else:
            await conn.execute(
                f"""INSERT INTO {HISTORY.table} SELECT * FROM unnest({HISTORY.unnest()})""",
                *columns_of(state.new_history),
            )


def fact_row(new: NewFact) -> tuple[object, ...]:
    """The row of ``FACTS`` of a fact the batch recorded."""
    f = new.fact
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
        # (it encodes dicts, not the read-only ``NO_ATTRS`` of a fact made without attrs)
        pydantic_core.to_json(f.attrs if isinstance(f.attrs, dict) else dict(f.attrs)).decode(),
    )


async def insert_facts(conn: Conn, rows: Sequence[Sequence[Any]]) -> set[str]:
    """Insert the facts not already recorded; returns the event ids inserted (a replay copies
    them into the empty table instead, ``replay``)."""
    if not rows:
        return set()
    inserted = await conn.fetch(
        f"""INSERT INTO {FACTS.table} SELECT * FROM unnest({FACTS.unnest()})
            ON CONFLICT (event_id) DO NOTHING RETURNING event_id""",
        *columns_of(rows),
    )
    return {r[0] for r in inserted}


async def replace_lines(conn: Conn, stale: Sequence[str], rows: Sequence[LinesRow]) -> None:
    """A live batch's lines: a few by one pipelined insert (one round trip; a ``COPY`` takes
    two, and live batches are mostly small), more by ``COPY``."""
    if stale:
        await conn.execute(f"DELETE FROM {LINES} WHERE event_id = ANY($1::text[])", list(stale))
    if len(rows) > FEW_LINES:
        await copy_lines(conn, rows)
    elif rows:
        await conn.executemany(_INSERT_LINES, rows)


FEW_LINES = 32
"""Up to this many lines a batch inserts them instead of copying them."""
_INSERT_LINES = f"""INSERT INTO {LINES} ({", ".join(LINES_COLUMNS)})
    VALUES ({", ".join(f"${n}" for n in range(1, len(LINES_COLUMNS) + 1))})"""


LINES_KINDS = (
    *[pgcopy.Kind.TEXT] * 5,
    pgcopy.Kind.DATE,
    *[pgcopy.Kind.TEXT] * 4,
    pgcopy.Kind.TEXT_ARRAY,
    pgcopy.Kind.TEXT_ARRAY,
    pgcopy.Kind.INT4_ARRAY,
    pgcopy.Kind.INT8_ARRAY,
)
"""The types of ``LINES_COLUMNS``, as the table declares them."""


def lines_encoder() -> pgcopy.Encoder:
    """An encoder of lines for one copy: the event's id, the placement (year, half, campaign,
    phase), the date, the scopes (unit, department, province, ministry) and the four arrays,
    each run looked up as one value (many lines share them); the id differs in each."""
    return pgcopy.Encoder(LINES_KINDS, runs=(1, 4, 1, 4, 4), unique=(0,))


async def copy_lines(conn: Conn, rows: Sequence[LinesRow]) -> None:
    """Add lines by binary ``COPY``, encoded by ``thidua.es.pgcopy`` (asyncpg's own encoding
    of their four arrays took 14 µs a row)."""
    await conn.copy_to_table(
        LINES, source=pgcopy.stream(rows, lines_encoder()), columns=LINES_COLUMNS, format="binary"
    )


async def copy_lines_made(conn: Conn, pieces: Iterable[Sequence[LinesRow]]) -> None:
    """``copy_lines`` of lines made a piece at a time (``pgcopy.stream_pieces``)."""
    await conn.copy_to_table(
        LINES,
        source=pgcopy.stream_pieces(pieces, lines_encoder()),
        columns=LINES_COLUMNS,
        format="binary",
    )


@asynccontextmanager
async def indexes_deferred(
    conn: Conn, tables: Sequence[str], *, keys: bool = False
) -> AsyncIterator[None]:
    """Secondary indexes of ``tables`` (in the current schema) dropped for a bulk load and
    built again after it, which is faster than maintaining them row by row. ``keys``: the
    primary keys too (added again after the load, they check every row then). The drops are
    sent as one simple query, and so are the builds: a replay's connections each wait for one
    answer, not one per index, while its event loop is busy making the model's lines."""
    found = await conn.fetch(
        """SELECT format('DROP INDEX %I', i.indexname) AS undo, i.indexdef AS redo, 2 AS o
           FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
             AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conname = i.indexname)
           UNION ALL
           SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
                  format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                         pg_get_constraintdef(c.oid)), 1
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
           WHERE $2 AND c.contype = 'p' AND t.relnamespace = current_schema()::regnamespace
             AND t.relname = ANY($1::text[])
           ORDER BY 3""",
        list(tables),
        keys,
    )
    if found:
        await conn.execute(";\n".join(row["undo"] for row in found))
    yield
    if found:
        await conn.execute(";\n".join(row["redo"] for row in found))
