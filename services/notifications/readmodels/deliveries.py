"""The deliveries the dispatcher sends: one row per planned delivery, kept from the
``DeliveryPlanned`` facts a batch appended, in the batch's transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from contracts.envelope import CloudEvent
from contracts.notifications import DeliveryPlanned
from thidua.es.db import Conn

PLANNED = DeliveryPlanned.type_name()


async def keep_planned(conn: Conn, events: Sequence[CloudEvent]) -> None:
    """``read_decisions`` of the service: the batch's planned deliveries, in one statement.
    The facts were made by this batch's decisions: their data is read as it is."""
    await _insert(conn, [_row(e.data) for e in events if e.type == PLANNED])


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


async def _insert(conn: Conn, rows: Sequence[tuple[Any, ...]]) -> int:
    if not rows:
        return 0
    result = await conn.fetch(
        """INSERT INTO deliveries (delivery_id, cause_key, causation_event_id, correlation_id,
               department, recipient_kind, recipient_id, recipient_name, route, subscription_id,
               channel, address, template, subject, body, data, next_attempt_at, planned_at)
           SELECT d.*, d.t AS planned_at FROM unnest($1::uuid[], $2::text[], $3::text[],
               $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
               $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::jsonb[],
               $17::timestamptz[]) AS d(a, b, c, e, f, g, h, i, j, k, l, m, n, o, p, q, t)
           ON CONFLICT DO NOTHING RETURNING delivery_id""",
        *[list(column) for column in zip(*rows, strict=True)],
    )
    return len(result)
