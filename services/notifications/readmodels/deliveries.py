"""The deliveries the dispatcher sends: one row per planned delivery, kept from the
``DeliveryPlanned`` facts a batch appended, in the batch's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from contracts.envelope import CloudEvent
from contracts.notifications import DeliveryPlanned
from thidua.es.db import Conn

PLANNED = DeliveryPlanned.type_name()


async def keep_planned(conn: Conn, events: Sequence[CloudEvent]) -> None:
    """``read_decisions`` of the service: the batch's planned deliveries, in one statement."""
    await insert(
        conn, [DeliveryPlanned.model_validate(e.data) for e in events if e.type == PLANNED]
    )


async def insert(conn: Conn, planned: Sequence[DeliveryPlanned]) -> int:
    """Insert the deliveries that are not planned yet; returns how many were new."""
    if not planned:
        return 0
    rows = [
        (
            p.notification_id,
            p.cause_key,
            p.causation_event_id,
            p.correlation_id,
            p.department,
            p.recipient_kind,
            p.recipient_id,
            p.recipient_name,
            p.route,
            p.subscription_id,
            p.channel.value if p.channel else None,
            p.address,
            p.template,
            p.subject,
            p.body,
            json.dumps(p.data, ensure_ascii=False),
            p.planned_at,
        )
        for p in planned
    ]
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
