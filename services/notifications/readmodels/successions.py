"""The restructuring in notifications' read copies (issue 16): departments' mergers, and the
units (with their people) and campaigns transferred to a successor, so that the successor's
campaigns reach the units it took over and what concerns a merged-away department's dossiers
is told to its successor (``thidua.es.succession`` answers who that is on a day).

Written after the other read copies of the batch (a unit, or a campaign, established and
transferred in one batch is moved after it is inserted)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts import registration as rg
from contracts.base import EventData
from services.notifications.readmodels.fold import write
from thidua.es.db import Conn
from thidua.es.decider import Lookup
from thidua.es.succession import Merger, Successions

SUCCESSIONS = "successions"
"""``ALL`` → the departments' mergers (:class:`Successions`)."""
ALL = "all"


class SuccessionChanges:
    """One batch's mergers and transfers, folded per key."""

    KEPT: tuple[type[EventData], ...] = (
        rg.DepartmentMerged,
        rg.UnitTransferred,
        rg.CampaignTransferred,
    )

    def __init__(self) -> None:
        self.mergers: dict[str, rg.DepartmentMerged] = {}
        self.units: dict[str, str] = {}
        self.campaigns: dict[str, str] = {}

    def add(self, p: EventData) -> None:
        match p:
            case rg.DepartmentMerged():
                self.mergers.setdefault(p.department_code, p)
            case rg.UnitTransferred():
                self.units[p.unit_id] = p.to_department_code
            case rg.CampaignTransferred():
                self.campaigns[p.campaign_id] = p.to_department_code

    async def write(self, conn: Conn) -> None:
        await write(
            conn,
            """INSERT INTO department_mergers
               SELECT * FROM unnest($1::text[], $2::text[], $3::date[])
               ON CONFLICT DO NOTHING""",
            [
                (m.department_code, m.into_department_code, m.effective_on)
                for m in self.mergers.values()
            ],
        )
        units = sorted(self.units.items())
        await write(
            conn,
            """UPDATE units u SET department_code = c.department_code
               FROM unnest($1::text[], $2::text[]) AS c(unit_id, department_code)
               WHERE u.unit_id = c.unit_id""",
            units,
        )
        await write(
            conn,
            """UPDATE people p SET department_code = c.department_code
               FROM unnest($1::text[], $2::text[]) AS c(unit_id, department_code)
               WHERE p.unit_id = c.unit_id""",
            units,
        )
        await write(
            conn,
            """UPDATE campaigns k SET department_code = c.department_code
               FROM unnest($1::text[], $2::text[]) AS c(campaign_id, department_code)
               WHERE k.campaign_id = c.campaign_id""",
            sorted(self.campaigns.items()),
        )


async def successions(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        "SELECT * FROM department_mergers ORDER BY effective_on, department_code"
    )
    found = Successions(
        [Merger(r["department_code"], r["into_department_code"], r["effective_on"]) for r in rows]
    )
    return {key: found for key in keys}


LOOKUPS = (Lookup(SUCCESSIONS, successions),)
