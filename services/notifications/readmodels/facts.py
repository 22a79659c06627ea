"""Read copies of the facts the rules need beside the directory (campaigns and their reminders,
registrations, initiatives, dossiers), kept from the batch's inputs, and their lookups."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.notifications import rules
from services.notifications.domain.copies import Campaign, Initiative, Nomination
from services.notifications.readmodels import directory
from services.notifications.readmodels.fold import write
from thidua.es.db import Conn
from thidua.es.decider import Lookup

INITIATIVE = "initiative"
"""Initiative id → :class:`Initiative` as submitted, or None."""
NOMINATION = "nomination"
"""Nomination id → :class:`Nomination` as submitted, or None."""
CAMPAIGN = "campaign"
"""Campaign id → :class:`Campaign`, or None."""
OPEN_CAMPAIGNS = "open-campaigns"
"""Department code → its campaigns not closed (:class:`Campaign`)."""


class FactChanges:
    """One batch's campaign, registration, initiative and dossier facts, in order per key."""

    KEPT: tuple[type[EventData], ...] = (
        rg.CampaignLaunched,
        rg.CampaignAmended,
        rg.CampaignClosed,
        rg.UnitRegistered,
        rg.IndividualRegistered,
        rg.RegistrationWithdrawn,
        rg.InitiativeSubmitted,
        aw.NominationSubmitted,
    )

    def __init__(self, policy: rules.ReminderPolicy) -> None:
        self.policy = policy
        self.launched: dict[str, tuple[CloudEvent, rg.CampaignLaunched]] = {}
        self.amended: dict[str, dict[str, Any]] = {}
        self.deadlines: dict[str, rg.Deadlines] = {}
        self.closed: list[str] = []
        self.registered: dict[tuple[str, str, str], str | None] = {}
        self.withdrawn: set[tuple[str, str, str]] = set()
        self.initiatives: dict[str, rg.InitiativeSubmitted] = {}
        self.nominations: dict[str, aw.NominationSubmitted] = {}

    def add(self, event: CloudEvent, p: EventData) -> None:
        match p:
            case rg.CampaignLaunched():
                self.launched.setdefault(p.campaign_id, (event, p))
            case rg.CampaignAmended():
                changes = p.model_dump(
                    mode="json", exclude_none=True, exclude={"campaign_id", "amended_on"}
                )
                changes.pop("document", None)
                self.amended.setdefault(p.campaign_id, {}).update(changes)
                if p.deadlines is not None:
                    self.deadlines[p.campaign_id] = p.deadlines
            case rg.CampaignClosed():
                self.closed.append(p.campaign_id)
            case rg.UnitRegistered() | rg.IndividualRegistered():
                kind = "unit" if isinstance(p, rg.UnitRegistered) else "person"
                registrant = p.unit_id if isinstance(p, rg.UnitRegistered) else p.person_id
                self.registered[(p.campaign_id, kind, registrant)] = p.unit_id
            case rg.RegistrationWithdrawn():
                kind = "person" if p.registrant_kind.value == "individual" else "unit"
                key = (p.campaign_id, kind, p.registrant_id)
                self.registered[key] = None
                self.withdrawn.add(key)
            case rg.InitiativeSubmitted():
                self.initiatives.setdefault(p.initiative_id, p)
            case aw.NominationSubmitted():
                self.nominations[p.nomination_id] = p

    async def write(self, conn: Conn) -> None:
        await self._campaigns(conn)
        await write(
            conn,
            """DELETE FROM registrations r USING unnest($1::text[], $2::text[], $3::text[])
                   AS w(campaign_id, registrant_kind, registrant_id)
               WHERE (r.campaign_id, r.registrant_kind, r.registrant_id)
                   = (w.campaign_id, w.registrant_kind, w.registrant_id)""",
            sorted(self.withdrawn),
        )
        await write(
            conn,
            """INSERT INTO registrations
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
               ON CONFLICT DO NOTHING""",
            [(*key, unit) for key, unit in self.registered.items() if unit is not None],
        )
        await write(
            conn,
            """INSERT INTO initiatives SELECT i.i, i.d, i.u, i.t, (
                   SELECT coalesce(array_agg(x.author), '{}')
                   FROM jsonb_array_elements_text(i.a) AS x(author))
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
                   AS i(i, d, u, t, a)
               ON CONFLICT DO NOTHING""",
            [
                (
                    p.initiative_id,
                    p.department_code,
                    p.unit_id,
                    p.title,
                    json.dumps([a.person_id for a in p.authors if a.person_id]),
                )
                for p in self.initiatives.values()
            ],
        )
        await write(
            conn,
            """INSERT INTO nominations SELECT * FROM unnest($1::text[], $2::text[], $3::text[],
                   $4::text[], $5::text[], $6::text[], $7::text[])
               ON CONFLICT (nomination_id) DO UPDATE SET unit_id = excluded.unit_id,
                   title = excluded.title""",
            [
                (
                    p.nomination_id,
                    p.department_code,
                    p.campaign_id,
                    p.nominee_kind.value,
                    p.nominee_id,
                    p.unit_id,
                    p.title.value,
                )
                for p in self.nominations.values()
            ],
        )

    async def _campaigns(self, conn: Conn) -> None:
        new: list[str] = []
        if self.launched:
            rows = [
                (p.campaign_id, p.department_code, e.id, json.dumps(e.data, ensure_ascii=False))
                for e, p in self.launched.values()
            ]
            new = [
                r["campaign_id"]
                for r in await conn.fetch(
                    """INSERT INTO campaigns SELECT * FROM unnest($1::text[], $2::text[],
                           $3::text[], $4::jsonb[])
                       ON CONFLICT DO NOTHING RETURNING campaign_id""",
                    *[list(c) for c in zip(*rows, strict=True)],
                )
            ]
            await self._unresolved(conn, [self.launched[c][1] for c in new])
        await write(
            conn,
            """UPDATE campaigns c SET plan = c.plan || a.changes
               FROM unnest($1::text[], $2::jsonb[]) AS a(campaign_id, changes)
               WHERE c.campaign_id = a.campaign_id""",
            [(c, json.dumps(ch, ensure_ascii=False)) for c, ch in self.amended.items()],
        )
        schedules = {c: self.launched[c][1].deadlines for c in new} | self.deadlines
        wanted = [
            r
            for campaign_id, deadlines in schedules.items()
            for r in rules.reminder_schedule(campaign_id, deadlines, self.policy)
        ]
        if schedules:
            await conn.execute(
                """UPDATE reminders SET status = 'cancelled'
                   WHERE campaign_id = ANY($1::text[]) AND status = 'pending'
                   AND NOT reminder_id = ANY($2::text[])""",
                list(schedules),
                [r.reminder_id for r in wanted],
            )
        await write(
            conn,
            """INSERT INTO reminders (reminder_id, campaign_id, kind, deadline, days_before, due_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[],
                   $6::timestamptz[])
               ON CONFLICT DO NOTHING""",
            [
                (r.reminder_id, r.campaign_id, r.kind, r.deadline, r.days_before, r.due_at)
                for r in wanted
            ],
        )
        if self.closed:
            await conn.execute(
                "UPDATE campaigns SET closed = true WHERE campaign_id = ANY($1::text[])",
                self.closed,
            )
            await conn.execute(
                """UPDATE reminders SET status = 'cancelled'
                   WHERE campaign_id = ANY($1::text[]) AND status = 'pending'""",
                self.closed,
            )

    async def _unresolved(self, conn: Conn, launches: Sequence[rg.CampaignLaunched]) -> None:
        """Lines of a new plan's "Nơi nhận" that name no organisation, for the operators."""
        if not launches:
            return
        departments = sorted({p.department_code for p in launches})
        issuers = await directory.issuers(conn, departments)
        known = await directory.known_orgs(conn, departments)
        await write(
            conn,
            """INSERT INTO unresolved_recipients SELECT * FROM unnest($1::text[], $2::text[])
               ON CONFLICT DO NOTHING""",
            [
                (p.campaign_id, name)
                for p in launches
                for name in rules.resolve_plan_recipients(
                    p.recipients, issuers[p.department_code], known[p.department_code]
                ).unresolved
            ],
        )


# --- lookups ---------------------------------------------------------------------------------


async def initiatives(conn: Conn, ids: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT initiative_id, unit_id, title, author_ids FROM initiatives
           WHERE initiative_id = ANY($1::text[])""",
        ids,
    )
    return {
        r["initiative_id"]: Initiative(
            r["initiative_id"], r["unit_id"], r["title"], tuple(r["author_ids"])
        )
        for r in rows
    }


async def nominations(conn: Conn, ids: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch("SELECT * FROM nominations WHERE nomination_id = ANY($1::text[])", ids)
    return {
        r["nomination_id"]: Nomination(
            r["nomination_id"],
            r["department_code"],
            r["nominee_kind"],
            r["nominee_id"],
            r["unit_id"],
            r["title"],
            r["campaign_id"],
        )
        for r in rows
    }


def _campaign(r: asyncpg.Record) -> Campaign:
    return Campaign(
        r["campaign_id"],
        r["department_code"],
        r["launch_event_id"],
        json.loads(r["plan"]),
        r["closed"],
    )


async def campaigns(conn: Conn, ids: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch("SELECT * FROM campaigns WHERE campaign_id = ANY($1::text[])", ids)
    return {r["campaign_id"]: _campaign(r) for r in rows}


async def open_campaigns(conn: Conn, departments: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT * FROM campaigns WHERE department_code = ANY($1::text[]) AND NOT closed
           ORDER BY campaign_id""",
        departments,
    )
    found: dict[str, list[Campaign]] = {d: [] for d in departments}
    for r in rows:
        found[r["department_code"]].append(_campaign(r))
    return {d: tuple(c) for d, c in found.items()}


LOOKUPS: Sequence[Lookup] = (
    Lookup(INITIATIVE, initiatives),
    Lookup(NOMINATION, nominations),
    Lookup(CAMPAIGN, campaigns),
    Lookup(OPEN_CAMPAIGNS, open_campaigns),
)
