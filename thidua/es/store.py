"""The PostgreSQL event store of one service (its schema is the pool's search path)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from contracts.envelope import CloudEvent
from thidua.es.db import Conn
from thidua.telemetry import current_trace_context

# Advisory lock key shared by every append in a schema: positions are then drawn in commit order.
_APPEND_LOCK = "SELECT pg_advisory_xact_lock(hashtext('append:' || current_schema()))"


class ConcurrencyError(Exception):
    """Another writer appended to the stream first; reload the aggregate and decide again."""

    def __init__(self, stream_id: str, expected_version: int) -> None:
        super().__init__(f"stream {stream_id!r} is past version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


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
