"""The deliveries: one row per planned delivery, kept from the ``DeliveryPlanned`` facts a
batch appended, in the batch's transaction. A delivery to the in-app inbox is stored there at
once, with its ``NotificationSent`` (decided with the plan); the dispatcher sends the rest."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from contracts.envelope import CloudEvent
from contracts.notifications import DeliveryPlanned, NotificationSent
from thidua.es.db import Conn

PLANNED = DeliveryPlanned.type_name()
SENT = NotificationSent.type_name()


async def keep_planned(conn: Conn, events: Sequence[CloudEvent]) -> None:
    """``read_decisions`` of the service: the batch's planned deliveries, in one statement,
    and the inbox messages stored with their plan in another. The facts were made by this
    batch's decisions: their data is read as it is."""
    stored = {e.data["notification_id"]: e.data["sent_at"] for e in events if e.type == SENT}
    planned = [e.data for e in events if e.type == PLANNED]
    await _insert(conn, [_row(d) for d in planned], stored)
    await store_inbox(
        conn,
        [
            _message(d, datetime.fromisoformat(stored[d["notification_id"]]))
            for d in planned
            if d["notification_id"] in stored
        ],
    )


async def store_inbox(conn: Conn, messages: Sequence[tuple[Any, ...]]) -> None:
    """Messages of the in-app inbox (rows of :func:`inbox_message`), once each, in one
    statement."""
    if messages:
        await conn.execute(
            """INSERT INTO inbox_messages (message_id, recipient_kind, recipient_id,
                   template, subject, body, data, delivered_at)
               SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
                   $6::text[], $7::jsonb[], $8::timestamptz[])
               ON CONFLICT DO NOTHING""",
            *[list(column) for column in zip(*messages, strict=True)],
        )


def inbox_message(
    delivery_id: Any,
    recipient_kind: str,
    address: str,
    template: str,
    subject: str,
    body: str,
    data: str,
    at: datetime,
) -> tuple[Any, ...]:
    return (delivery_id, recipient_kind, address, template, subject, body, data, at)


def _message(d: Mapping[str, Any], at: datetime) -> tuple[Any, ...]:
    return inbox_message(
        d["notification_id"],
        d["recipient_kind"],
        d.get("address") or d["recipient_id"],
        d["template"],
        d["subject"],
        d["body"],
        json.dumps(d["data"], ensure_ascii=False),
        at,
    )


async def insert(conn: Conn, planned: Sequence[DeliveryPlanned]) -> int:
    """Insert the deliveries that are not planned yet; returns how many were new."""
    return await _insert(conn, [_row(p.model_dump(mode="json")) for p in planned])


def _row(d: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        d["notification_id"],
        d["cause_key"],
        d["causation_event_id"],
        d.get("correlation_id"),
        d.get("department"),
        d["recipient_kind"],
        d["recipient_id"],
        d["recipient_name"],
        d["route"],
        d.get("subscription_id"),
        d.get("channel"),
        d.get("address"),
        d["template"],
        d["subject"],
        d["body"],
        json.dumps(d["data"], ensure_ascii=False),
        datetime.fromisoformat(d["planned_at"]),
    )


async def _insert(conn: Conn, rows: Sequence[tuple[Any, ...]], stored: Collection[str] = ()) -> int:
    """Rows of :func:`_row`; those whose id is in ``stored`` were delivered to the inbox."""
    if not rows:
        return 0
    result = await conn.fetch(
        """INSERT INTO deliveries (delivery_id, cause_key, causation_event_id, correlation_id,
               department, recipient_kind, recipient_id, recipient_name, route, subscription_id,
               channel, address, template, subject, body, data, next_attempt_at, planned_at,
               status, attempts, sent_at)
           SELECT d.*, d.t AS planned_at,
               CASE WHEN d.a::text = ANY($18::text[]) THEN 'sent' ELSE 'pending' END,
               CASE WHEN d.a::text = ANY($18::text[]) THEN 1 ELSE 0 END,
               CASE WHEN d.a::text = ANY($18::text[]) THEN d.t END
           FROM unnest($1::uuid[], $2::text[], $3::text[],
               $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
               $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::jsonb[],
               $17::timestamptz[]) AS d(a, b, c, e, f, g, h, i, j, k, l, m, n, o, p, q, t)
           ON CONFLICT DO NOTHING RETURNING delivery_id""",
        *[list(column) for column in zip(*rows, strict=True)],
        list(stored),
    )
    return len(result)
