"""Writing what a batch changed: one statement per table, whatever the batch's size.

Live, rows are upserted from arrays (``unnest``); a replay into an empty model copies them
(``COPY``). Lines go in with ``COPY`` either way (their arrays do not fit ``unnest``), after
the old lines of recomputed facts are deleted. Counter deltas, summed per placement, scopes,
figure and key, are spread over their scopes and upserted by one statement; a counter back at
zero is deleted, so the model's rows do not depend on the order facts and dimensions arrived.
The tables' columns, types and keys are declared apart, in ``tables.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pydantic_core

from services.reporting.readmodels.lines import LinesRow
from services.reporting.readmodels.state import ModelState, NewFact, Table
from services.reporting.readmodels.tables import (
    DIMENSIONS,
    FACTS,
    HISTORY,
    LINES,
    LINES_COLUMNS,
    LINES_KINDS,
    Spec,
)
from thidua.es import pgcopy
from thidua.es.db import Conn


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
