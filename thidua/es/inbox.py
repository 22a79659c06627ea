"""The inbox: which incoming events already took effect, recorded in the effect's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from contracts import topics
from contracts.envelope import CloudEvent
from thidua.es.db import Conn


class Seen(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"  # the same event again: no second effect
    CONFLICT = "conflict"  # the same id with other content: the producer reused an id


BY_ID = "published"
"""The digest recorded for an event read from a topic only the services' relays write (their
events and rejections topics; ACLs keep everyone else out): each relay publishes its store,
where an event id is unique, so the id alone recognises a second copy and no fingerprint of
the content is made (sorting and hashing every event's data was a tenth of a follower's
time). Records from departments (``thidua.ingress.*``) are fingerprinted: a sender may reuse
an id for other content, and that is refused."""


def fingerprint(event: CloudEvent, topic: str) -> str:
    """What the inbox records of ``event`` read from ``topic`` (see :data:`BY_ID`)."""
    return digest(event) if topic.startswith(topics.INGRESS_PREFIX) else BY_ID


def same(known: str, fingerprint: str) -> bool:
    """Whether an event recorded with ``known`` is the one now fingerprinted so: a copy."""
    return known == fingerprint or fingerprint == BY_ID


def digest(event: CloudEvent) -> str:
    """A fingerprint of what the event says (type, subject and data), not of how it travelled."""
    body = json.dumps(
        {"type": event.type, "subject": event.subject, "data": event.data},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


async def record(
    conn: Conn,
    event: CloudEvent,
    *,
    topic: str,
    partition: int,
    offset: int,
    outcome: str,
) -> Seen:
    """Record ``event`` as handled; must run in the transaction that carries its effect."""
    fingerprint = digest(event)
    inserted = await conn.fetchval(
        """INSERT INTO inbox (event_id, event_type, source, digest, topic, kafka_partition,
                              kafka_offset, outcome)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (event_id) DO NOTHING RETURNING true""",
        event.id,
        event.type,
        event.source,
        fingerprint,
        topic,
        partition,
        offset,
        outcome,
    )
    if inserted:
        return Seen.NEW
    known = await conn.fetchval("SELECT digest FROM inbox WHERE event_id = $1", event.id)
    return Seen.DUPLICATE if known == fingerprint else Seen.CONFLICT


async def seen(conn: Conn, event: CloudEvent) -> Seen:
    """Whether ``event`` was handled already, without recording it."""
    known = await conn.fetchval("SELECT digest FROM inbox WHERE event_id = $1", event.id)
    if known is None:
        return Seen.NEW
    return Seen.DUPLICATE if known == digest(event) else Seen.CONFLICT


async def set_outcome(conn: Conn, event: CloudEvent, outcome: str) -> None:
    await conn.execute("UPDATE inbox SET outcome = $2 WHERE event_id = $1", event.id, outcome)


async def known_digests(conn: Conn, event_ids: list[str]) -> dict[str, str]:
    """The fingerprints of those of ``event_ids`` already handled, in one query."""
    rows = await conn.fetch(
        "SELECT event_id, digest FROM inbox WHERE event_id = ANY($1::text[])", event_ids
    )
    return {r["event_id"]: r["digest"] for r in rows}


Entry = tuple[CloudEvent, str, str, int, int, str]
"""A handled record's inbox entry: (event, digest, topic, partition, offset, outcome)."""


def columns(entries: Sequence[Entry]) -> list[list[Any]]:
    """``entries`` as the inbox's columns, one array each (for ``unnest``)."""
    return [
        [e.id for e, *_ in entries],
        [e.type for e, *_ in entries],
        [e.source for e, *_ in entries],
        [d for _, d, *_ in entries],
        [t for _, _, t, *_ in entries],
        [p for *_, p, _, _ in entries],
        [o for *_, o, _ in entries],
        [outcome for *_, outcome in entries],
    ]
