"""The PostgreSQL event store of one service (its schema is the pool's search path)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Protocol

import asyncpg

from contracts.base import EventData
from contracts.envelope import CloudEvent
from thidua.es import inbox
from thidua.es.db import Conn
from thidua.telemetry import current_trace_context

# Advisory lock key shared by every append in a schema: positions are then drawn in commit order.
_APPEND_LOCK = (
    "SELECT pg_advisory_xact_lock(hashtext('append:' || current_schema())),"
    " pg_notify('appended:' || current_schema(), '')"
)
"""Positions are drawn in commit order (one appender at a time per schema); the notification,
delivered at commit, wakes the schema's outbox relay at once instead of at its next poll."""


def appended_channel(schema: str) -> str:
    """The channel on which a schema's commits of new events are announced."""
    return f"appended:{schema}"


class ConcurrencyError(Exception):
    """Another writer appended to the stream first; reload the aggregate and decide again."""

    def __init__(self, stream_id: str, expected_version: int) -> None:
        super().__init__(f"stream {stream_id!r} is past version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


@dataclass(frozen=True)
class StoredEvent:
    """One event of a stream, as a decision reads it (its payload parsed once)."""

    stream_id: str
    version: int
    event: CloudEvent

    @cached_property
    def payload(self) -> EventData:
        return self.event.payload()


@dataclass(frozen=True)
class Stream:
    """A stream as far as it is known: its version (0 when it has no event) and its events."""

    stream_id: str
    version: int = 0
    events: tuple[StoredEvent, ...] = ()

    def payloads(self) -> list[EventData]:
        return [e.payload for e in self.events]

    def extended(
        self, events: Sequence[CloudEvent], payloads: Sequence[EventData | None] = ()
    ) -> Stream:
        """This stream with ``events`` appended after its last version; ``payloads``, where
        given, are the facts they were made from (their parsed payloads: not parsed again)."""
        added = tuple(
            StoredEvent(self.stream_id, self.version + i, e) for i, e in enumerate(events, 1)
        )
        for stored, payload in zip(added, payloads, strict=False):
            if payload is not None:
                stored.__dict__["payload"] = payload  # what ``cached_property`` would keep
        return Stream(self.stream_id, self.version + len(added), self.events + added)


@dataclass(frozen=True)
class Append:
    """One event to write at ``version`` of ``stream_id`` (the version it must take)."""

    stream_id: str
    version: int
    event: CloudEvent
    payload: EventData | None = field(default=None, compare=False, repr=False)
    """The fact ``event`` was made from, if at hand (read back from it otherwise)."""


@dataclass(frozen=True)
class RecordedEvent:
    position: int
    stream_id: str
    version: int
    event: CloudEvent
    recorded_at: datetime


def _recorded(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        position=row["position"],
        stream_id=row["stream_id"],
        version=row["version"],
        event=CloudEvent.model_validate(json.loads(row["envelope"])),
        recorded_at=row["recorded_at"],
    )


async def stream_version(conn: Conn, stream_id: str) -> int:
    """The version of the stream's last event, 0 for a stream that does not exist yet."""
    version = await conn.fetchval(
        "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1", stream_id
    )
    return int(version)


async def stream_versions(conn: Conn, stream_ids: Iterable[str]) -> dict[str, int]:
    """The version of each stream that exists (streams without events are left out)."""
    rows = await conn.fetch(
        """SELECT stream_id, max(version) AS version FROM events
           WHERE stream_id = ANY($1::text[]) GROUP BY stream_id""",
        list(stream_ids),
    )
    return {r["stream_id"]: r["version"] for r in rows}


async def append(
    conn: Conn,
    stream_id: str,
    expected_version: int,
    events: Sequence[CloudEvent],
) -> list[RecordedEvent]:
    """Append ``events`` after ``expected_version``; must run inside the caller's transaction.

    The current trace context is stored with each event, so that the outbox relay publishes it
    as part of the trace that caused it.
    """
    if not conn.is_in_transaction():
        raise RuntimeError("append must run inside a transaction")
    if not events:
        return []
    trace = current_trace_context()
    stamped = [e.model_copy(update=trace) if trace else e for e in events]
    await conn.execute(_APPEND_LOCK)
    if await stream_version(conn, stream_id) != expected_version:
        raise ConcurrencyError(stream_id, expected_version)
    try:
        rows = await conn.fetch(
            """INSERT INTO events (stream_id, version, event_id, event_type, envelope)
               SELECT $1, $2 + ord, id, type, env::jsonb
               FROM unnest($3::text[], $4::text[], $5::text[])
                    WITH ORDINALITY AS t(id, type, env, ord)
               RETURNING position, stream_id, version, envelope, recorded_at""",
            stream_id,
            expected_version,
            [e.id for e in stamped],
            [e.type for e in stamped],
            [e.to_json().decode() for e in stamped],
        )
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == "events_pkey":
            raise ConcurrencyError(stream_id, expected_version) from exc
        raise
    return [_recorded(r) for r in sorted(rows, key=lambda r: r["position"])]


async def read_stream(conn: Conn, stream_id: str) -> list[RecordedEvent]:
    rows = await conn.fetch(
        """SELECT position, stream_id, version, envelope, recorded_at FROM events
           WHERE stream_id = $1 ORDER BY version""",
        stream_id,
    )
    return [_recorded(r) for r in rows]


async def read_all(conn: Conn, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
    """Events in commit order, after ``after_position``."""
    rows = await conn.fetch(
        """SELECT position, stream_id, version, envelope, recorded_at FROM events
           WHERE position > $1 ORDER BY position LIMIT $2""",
        after_position,
        limit,
    )
    return [_recorded(r) for r in rows]


async def load_streams(conn: Conn, stream_ids: Iterable[str]) -> dict[str, Stream]:
    """Every stream of ``stream_ids`` in one query; a stream with no event has version 0."""
    wanted = sorted(set(stream_ids))
    rows = await conn.fetch(
        """SELECT stream_id, version, envelope FROM events
           WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, version""",
        wanted,
    )
    found: dict[str, list[StoredEvent]] = {s: [] for s in wanted}
    for row in rows:
        found[row["stream_id"]].append(
            StoredEvent(
                row["stream_id"],
                row["version"],
                CloudEvent.model_validate_json(row["envelope"]),
            )
        )
    return {
        s: Stream(s, events[-1].version if events else 0, tuple(events))
        for s, events in found.items()
    }


async def append_many(
    conn: Conn,
    appends: Sequence[Append],
    expected: Mapping[str, int],
    handled: Sequence[inbox.Entry] = (),
) -> None:
    """Append events of many streams in one statement, under the schema's append lock, with
    the inbox entries of the records ``handled`` (one round trip: ``es_commit_batch``).

    ``expected`` holds the version each stream had when the decisions read it (streams that
    were only read included): if any moved since, the statement fails, writing nothing (inbox
    entries included), and :class:`ConcurrencyError` names the first. In the caller's
    transaction if there is one (the caller rolls it back then); else the statement is its own
    transaction, atomic as well: a batch whose only write is this one needs no ``BEGIN`` and
    ``COMMIT``.
    """
    if not appends and not expected and not handled:
        return
    try:
        await conn.fetchval(
            """SELECT es_stream_moved(es_commit_batch($1::text[], $2::text[], $3::text[],
                   $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[], $9::text[],
                   $10::int[], $11::text[], $12::int[], $13::text[], $14::text[],
                   $15::jsonb[]))""",
            *inbox.columns(handled),
            list(expected),
            list(expected.values()),
            [a.stream_id for a in appends],
            [a.version for a in appends],
            [a.event.id for a in appends],
            [a.event.type for a in appends],
            [a.event.to_json().decode() for a in appends],
        )
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == "events_pkey":
            raise ConcurrencyError(appends[0].stream_id, appends[0].version) from exc
        raise
    except asyncpg.PostgresError as exc:
        moved = getattr(exc, "detail", None)
        if exc.sqlstate == STREAM_MOVED and isinstance(moved, str) and moved in expected:
            raise ConcurrencyError(moved, expected[moved]) from exc
        raise


STREAM_MOVED = "TD001"
"""The SQLSTATE ``es_stream_moved`` raises for the stream ``es_commit_batch`` found moved (the
stream id in the error's detail)."""


Appends = Sequence[Append]
Versions = Mapping[str, int]
"""Each stream's version as the decisions read it (the optimistic check of an append)."""
Handled = Sequence[inbox.Entry]
"""The inbox entries of a batch's handled records, recorded with its append."""


class EventStore(Protocol):
    """What deciding a batch needs of a store: PostgreSQL's (``PostgresStore``) or the one in
    memory (``thidua.es.memory.MemoryStore``) for unit tests; both keep the same contract."""

    async def load(self, stream_ids: Iterable[str]) -> dict[str, Stream]: ...

    async def append(self, appends: Appends, expected: Versions, handled: Handled = ()) -> None:
        """Append, checking ``expected``; with the inbox entries of ``handled``, where the
        store keeps an inbox (PostgreSQL's does, in the same statement)."""


class PostgresStore:
    """The event store of the connection's schema, inside the caller's transaction."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def load(self, stream_ids: Iterable[str]) -> dict[str, Stream]:
        return await load_streams(self.conn, stream_ids)

    async def append(self, appends: Appends, expected: Versions, handled: Handled = ()) -> None:
        await append_many(self.conn, appends, expected, handled)
