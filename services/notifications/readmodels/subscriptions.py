"""Explicit subscriptions, indexed by the event types they want: a batch asks once for the
subscriptions of the types it carries, instead of every event scanning them all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.notifications import Channel
from services.notifications import rules
from thidua.es.db import Conn
from thidua.es.decider import Lookup

BY_TYPE = "subscriptions"
"""Event type → the active subscriptions whose type filter it passes."""


async def by_type(conn: Conn, event_types: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT t.type AS wanted, s.* FROM unnest($1::text[]) AS t(type)
           JOIN subscriptions s ON s.active AND s.event_types @> ARRAY[t.type]
           UNION
           SELECT t.type, s.* FROM unnest($1::text[]) AS t(type)
           JOIN subscriptions s ON s.active AND wants_broadly(s.event_types)
               AND (cardinality(s.event_types) = 0 OR EXISTS (
                   SELECT 1 FROM unnest(s.event_types) AS p(pattern)
                   WHERE p.pattern LIKE '%*' AND starts_with(t.type, rtrim(p.pattern, '*'))))""",
        event_types,
    )
    found: dict[str, list[rules.Subscription]] = {t: [] for t in event_types}
    for r in rows:
        found[r["wanted"]].append(
            rules.Subscription(
                r["subscription_id"],
                r["recipient_kind"],
                r["recipient_id"],
                Channel(r["channel"]),
                r["address"],
                tuple(r["event_types"]),
                r["department_code"],
            )
        )
    return {t: tuple(subs) for t, subs in found.items()}


LOOKUPS = (Lookup(BY_TYPE, by_type),)
