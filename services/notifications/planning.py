"""Consumers: keep the read copies the rules need, and plan deliveries.

Handlers never send anything. In the consumer's transaction (the one that records the incoming
event in the inbox) they insert delivery rows, unique on (cause, recipient, route), so a
redelivered event plans nothing new. The dispatcher sends what is planned.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.common import TitleCode
from contracts.envelope import CloudEvent
from contracts.notifications import Channel
from contracts.rejections import InputRejected
from services.notifications import rules, templates
from services.notifications.clock import VIETNAM, Clock, SystemClock
from services.notifications.templates import Message
from thidua.es.consumer import UnitOfWork
from thidua.es.db import Conn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    """One recipient of one cause. ``channel``/``address`` are set for subscriptions and the
    in-app inbox; for an organisation's contact they are resolved when first sent."""

    recipient_kind: str
    recipient_id: str
    recipient_name: str
    route: str
    message: Message
    channel: Channel | None = None
    address: str | None = None
    subscription_id: str | None = None


@dataclass(frozen=True)
class Cause:
    key: str
    event_id: str
    correlation_id: str | None
    department: str | None
    data: dict[str, Any]

    @classmethod
    def of(cls, event: CloudEvent, department: str | None) -> Cause:
        return cls(
            key=event.id,
            event_id=event.id,
            correlation_id=event.correlationid or event.id,
            department=department,
            data={"type": event.type, "id": event.id, "subject": event.subject, "data": event.data},
        )


async def plan(conn: Conn, cause: Cause, items: Sequence[Planned], now: datetime) -> int:
    """Insert the deliveries that are not planned yet; returns how many were new."""
    if not items:
        return 0
    rows = [
        (
            rules.delivery_id(cause.key, p.recipient_kind, p.recipient_id, p.route),
            cause.key,
            cause.event_id,
            cause.correlation_id,
            cause.department,
            p.recipient_kind,
            p.recipient_id,
            p.recipient_name,
            p.route,
            p.subscription_id,
            p.channel.value if p.channel else None,
            p.address,
            p.message.template,
            p.message.subject,
            p.message.body,
            json.dumps(cause.data, ensure_ascii=False),
            now,
        )
        for p in items
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


def to_contact(
    kind: str, org_id: str, name: str, message: Message, *, system: bool = False
) -> Planned:
    return Planned(kind, org_id, name, "system" if system else "contact", message)


def to_inbox(kind: str, recipient_id: str, name: str, message: Message) -> Planned:
    return Planned(kind, recipient_id, name, "inbox", message, Channel.INBOX, recipient_id)


# --- lookups ---------------------------------------------------------------------------------


async def units_of(conn: Conn, department: str) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        "SELECT unit_id, name FROM units WHERE department_code = $1 AND active ORDER BY unit_id",
        department,
    )
    return [(r["unit_id"], r["name"]) for r in rows]


async def name_of(conn: Conn, kind: str, org_id: str) -> str:
    if kind == "unit":
        name = await conn.fetchval("SELECT name FROM units WHERE unit_id = $1", org_id)
    elif kind == "person":
        name = await conn.fetchval("SELECT full_name FROM people WHERE person_id = $1", org_id)
    else:
        name = await conn.fetchval(
            "SELECT name FROM organisations WHERE org_kind = $1 AND org_id = $2", kind, org_id
        )
    return str(name) if name else org_id


async def issuer_of(conn: Conn, department: str) -> rules.Issuer:
    row = await conn.fetchrow(
        """SELECT d.name, d.province_id, p.name AS province, d.ministry_id, m.name AS ministry
           FROM departments d
           LEFT JOIN organisations p ON p.org_kind = 'province' AND p.org_id = d.province_id
           LEFT JOIN organisations m ON m.org_kind = 'ministry' AND m.org_id = d.ministry_id
           WHERE d.department_code = $1""",
        department,
    )
    if row is None:
        return rules.Issuer(rules.Org("department", department, department))
    return rules.Issuer(
        rules.Org("department", department, row["name"]),
        rules.Org("province", row["province_id"], row["province"] or row["province_id"])
        if row["province_id"]
        else None,
        rules.Org("ministry", row["ministry_id"], row["ministry"] or row["ministry_id"])
        if row["ministry_id"]
        else None,
    )


async def known_orgs(conn: Conn, department: str) -> list[rules.Org]:
    rows = await conn.fetch(
        """SELECT org_kind, org_id, name FROM organisations
           UNION ALL SELECT 'unit', unit_id, name FROM units WHERE department_code = $1""",
        department,
    )
    return [rules.Org(r["org_kind"], r["org_id"], r["name"]) for r in rows]


async def scope_of(conn: Conn, event: CloudEvent, payload: EventData) -> rules.EventScope:
    department = getattr(payload, "department_code", None) or event.department
    if isinstance(payload, InputRejected):
        department = payload.department or department
    units = {u for u in (getattr(payload, "unit_id", None),) if isinstance(u, str)}
    nomination_id = getattr(payload, "nomination_id", None)
    if nomination_id is not None:
        row = await conn.fetchrow(
            "SELECT department_code, unit_id FROM nominations WHERE nomination_id = $1",
            nomination_id,
        )
        if row is not None:
            department = department or row["department_code"]
            if row["unit_id"]:
                units.add(row["unit_id"])
    if department is None:
        return rules.EventScope(None, units=frozenset(units))
    row = await conn.fetchrow(
        "SELECT province_id, ministry_id FROM departments WHERE department_code = $1", department
    )
    return rules.EventScope(
        department,
        row["province_id"] if row else None,
        row["ministry_id"] if row else None,
        frozenset(units),
    )


async def subscriptions(conn: Conn) -> list[rules.Subscription]:
    rows = await conn.fetch("SELECT * FROM subscriptions WHERE active")
    return [
        rules.Subscription(
            r["subscription_id"],
            r["recipient_kind"],
            r["recipient_id"],
            Channel(r["channel"]),
            r["address"],
            tuple(r["event_types"]),
            r["department_code"],
        )
        for r in rows
    ]


# --- the planner -----------------------------------------------------------------------------

Rule = Callable[["Planner", UnitOfWork, CloudEvent, Any], Awaitable[list[Planned]]]


@dataclass
class Planner:
    """The handler of every upstream topic: read copies, rules, subscriptions."""

    clock: Clock = field(default_factory=SystemClock)
    reminders: rules.ReminderPolicy = field(default_factory=rules.ReminderPolicy)

    async def __call__(self, uow: UnitOfWork, event: CloudEvent, payload: EventData) -> None:
        conn = uow.conn
        keep = _READ_COPIES.get(type(payload))
        if keep is not None:
            await keep(conn, payload)
        rule = _RULES.get(type(payload))
        items = await rule(self, uow, event, payload) if rule is not None else []
        scope = await scope_of(conn, event, payload)
        for sub in await subscriptions(conn):
            if rules.subscription_matches(sub, event.type, scope):
                name = await name_of(conn, sub.recipient_kind, sub.recipient_id)
                message = _message_for(event, payload, name, items)
                items.append(
                    Planned(
                        sub.recipient_kind,
                        sub.recipient_id,
                        name,
                        f"subscription:{sub.subscription_id}",
                        message,
                        sub.channel,
                        sub.address,
                        sub.subscription_id,
                    )
                )
        await plan(conn, Cause.of(event, scope.department), items, self.clock.now())

    async def launch_notices(
        self, conn: Conn, launch: rg.CampaignLaunched, unit_ids: Sequence[str] | None = None
    ) -> list[Planned]:
        units = await units_of(conn, launch.department_code)
        if unit_ids is not None:
            units = [u for u in units if u[0] in unit_ids]
        items = [
            to_contact("unit", uid, name, templates.campaign_launched(launch, name))
            for uid, name in units
        ]
        if unit_ids is None:
            issuer = await issuer_of(conn, launch.department_code)
            resolved = rules.resolve_plan_recipients(
                launch.recipients, issuer, await known_orgs(conn, launch.department_code)
            )
            items += [
                to_contact(o.kind, o.id, o.name, templates.campaign_launched(launch, o.name))
                for o in resolved.orgs
            ]
            if resolved.unresolved:
                await conn.executemany(
                    "INSERT INTO unresolved_recipients VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    [(launch.campaign_id, n) for n in resolved.unresolved],
                )
        return items

    async def schedule(self, conn: Conn, campaign_id: str, deadlines: rg.Deadlines) -> None:
        wanted = rules.reminder_schedule(campaign_id, deadlines, self.reminders)
        await conn.execute(
            """UPDATE reminders SET status = 'cancelled'
               WHERE campaign_id = $1 AND status = 'pending' AND NOT reminder_id = ANY($2)""",
            campaign_id,
            [r.reminder_id for r in wanted],
        )
        await conn.executemany(
            """INSERT INTO reminders (reminder_id, campaign_id, kind, deadline, days_before, due_at)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
            [
                (r.reminder_id, r.campaign_id, r.kind, r.deadline, r.days_before, r.due_at)
                for r in wanted
            ],
        )


def _message_for(
    event: CloudEvent, payload: EventData, recipient: str, planned: Sequence[Planned]
) -> Message:
    """A subscriber reads the rule's text for the event when there is one."""
    if isinstance(payload, InputRejected):
        return templates.input_rejected(payload, recipient)
    if isinstance(payload, rg.CampaignLaunched):
        return templates.campaign_launched(payload, recipient)
    if planned:
        first = planned[0].message
        body = first.body.replace(
            f"Kính gửi: {planned[0].recipient_name}.", f"Kính gửi: {recipient}.", 1
        )
        return Message(first.template, first.subject, body)
    return templates.event_notice(event.type, event.subject, recipient)


# --- read copies -----------------------------------------------------------------------------


async def _ministry(conn: Conn, p: rg.MinistryRegistered) -> None:
    await _org(conn, "ministry", p.ministry_id, p.name)


async def _province(conn: Conn, p: rg.ProvinceRegistered) -> None:
    await _org(conn, "province", p.province_id, p.name)


async def _org(conn: Conn, kind: str, org_id: str, name: str) -> None:
    await conn.execute(
        """INSERT INTO organisations VALUES ($1, $2, $3)
           ON CONFLICT (org_kind, org_id) DO UPDATE SET name = excluded.name""",
        kind,
        org_id,
        name,
    )


async def _department(conn: Conn, p: rg.DepartmentRegistered) -> None:
    await conn.execute(
        """INSERT INTO departments VALUES ($1, $2, $3, $4) ON CONFLICT (department_code)
           DO UPDATE SET name = excluded.name, province_id = excluded.province_id,
                         ministry_id = excluded.ministry_id""",
        p.department_code,
        p.name,
        p.province_id,
        p.ministry_id,
    )
    await _org(conn, "department", p.department_code, p.name)


async def _unit(conn: Conn, p: rg.UnitEstablished) -> None:
    await conn.execute(
        """INSERT INTO units VALUES ($1, $2, $3) ON CONFLICT (unit_id)
           DO UPDATE SET name = excluded.name, department_code = excluded.department_code""",
        p.unit_id,
        p.department_code,
        p.name,
    )


async def _renamed(conn: Conn, p: rg.UnitRenamed) -> None:
    await conn.execute("UPDATE units SET name = $2 WHERE unit_id = $1", p.unit_id, p.name)


async def _unit_gone(conn: Conn, p: rg.UnitMerged | rg.UnitDissolved) -> None:
    await conn.execute("UPDATE units SET active = false WHERE unit_id = $1", p.unit_id)


async def _person(conn: Conn, p: rg.PersonJoined) -> None:
    await conn.execute(
        """INSERT INTO people VALUES ($1, $2, $3, $4) ON CONFLICT (person_id) DO UPDATE SET
           department_code = excluded.department_code, unit_id = excluded.unit_id,
           full_name = excluded.full_name, active = true""",
        p.person_id,
        p.department_code,
        p.unit_id,
        p.full_name,
    )


async def _transferred(conn: Conn, p: rg.PersonTransferred) -> None:
    await conn.execute(
        "UPDATE people SET unit_id = $2 WHERE person_id = $1", p.person_id, p.to_unit_id
    )


async def _left(conn: Conn, p: rg.PersonLeft) -> None:
    await conn.execute("UPDATE people SET active = false WHERE person_id = $1", p.person_id)


async def _contact(conn: Conn, p: rg.OrganisationContactSet) -> None:
    await conn.execute(
        """INSERT INTO contacts VALUES ($1, $2, $3, $4) ON CONFLICT (org_kind, org_id)
           DO UPDATE SET email = excluded.email, webhook_url = excluded.webhook_url""",
        p.org_kind.value,
        p.org_id,
        p.email,
        str(p.webhook_url) if p.webhook_url else None,
    )


async def _registered(conn: Conn, p: rg.UnitRegistered | rg.IndividualRegistered) -> None:
    kind, registrant = (
        ("unit", p.unit_id) if isinstance(p, rg.UnitRegistered) else ("person", p.person_id)
    )
    await conn.execute(
        "INSERT INTO registrations VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        p.campaign_id,
        kind,
        registrant,
        p.unit_id,
    )


async def _withdrawn(conn: Conn, p: rg.RegistrationWithdrawn) -> None:
    kind = "person" if p.registrant_kind.value == "individual" else "unit"
    await conn.execute(
        """DELETE FROM registrations
           WHERE campaign_id = $1 AND registrant_kind = $2 AND registrant_id = $3""",
        p.campaign_id,
        kind,
        p.registrant_id,
    )


async def _initiative(conn: Conn, p: rg.InitiativeSubmitted) -> None:
    await conn.execute(
        "INSERT INTO initiatives VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        p.initiative_id,
        p.department_code,
        p.unit_id,
        p.title,
        [a.person_id for a in p.authors if a.person_id],
    )


async def _nomination(conn: Conn, p: aw.NominationSubmitted) -> None:
    await conn.execute(
        """INSERT INTO nominations VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (nomination_id) DO UPDATE SET unit_id = excluded.unit_id,
               title = excluded.title""",
        p.nomination_id,
        p.department_code,
        p.campaign_id,
        p.nominee_kind.value,
        p.nominee_id,
        p.unit_id,
        p.title.value,
    )


_READ_COPIES: dict[type[EventData], Callable[[Conn, Any], Awaitable[None]]] = {
    rg.MinistryRegistered: _ministry,
    rg.ProvinceRegistered: _province,
    rg.DepartmentRegistered: _department,
    rg.UnitEstablished: _unit,
    rg.UnitRenamed: _renamed,
    rg.UnitMerged: _unit_gone,
    rg.UnitDissolved: _unit_gone,
    rg.PersonJoined: _person,
    rg.PersonTransferred: _transferred,
    rg.PersonLeft: _left,
    rg.OrganisationContactSet: _contact,
    rg.UnitRegistered: _registered,
    rg.IndividualRegistered: _registered,
    rg.RegistrationWithdrawn: _withdrawn,
    rg.InitiativeSubmitted: _initiative,
    aw.NominationSubmitted: _nomination,
}


# --- rules -----------------------------------------------------------------------------------


async def _launched(
    planner: Planner, uow: UnitOfWork, event: CloudEvent, p: rg.CampaignLaunched
) -> list[Planned]:
    """Every unit of the issuing department, and the plan's "Nơi nhận"."""
    inserted = await uow.conn.fetchval(
        """INSERT INTO campaigns VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
           RETURNING campaign_id""",
        p.campaign_id,
        p.department_code,
        event.id,
        json.dumps(event.data, ensure_ascii=False),
    )
    if inserted is None:
        return []
    await planner.schedule(uow.conn, p.campaign_id, p.deadlines)
    return await planner.launch_notices(uow.conn, p)


async def _amended(
    planner: Planner, uow: UnitOfWork, event: CloudEvent, p: rg.CampaignAmended
) -> list[Planned]:
    changes = p.model_dump(mode="json", exclude_none=True, exclude={"campaign_id", "amended_on"})
    changes.pop("document", None)
    await uow.conn.execute(
        "UPDATE campaigns SET plan = plan || $2::jsonb WHERE campaign_id = $1",
        p.campaign_id,
        json.dumps(changes, ensure_ascii=False),
    )
    if p.deadlines is not None:
        await planner.schedule(uow.conn, p.campaign_id, p.deadlines)
    return []


async def _closed(
    planner: Planner, uow: UnitOfWork, event: CloudEvent, p: rg.CampaignClosed
) -> list[Planned]:
    await uow.conn.execute(
        "UPDATE campaigns SET closed = true WHERE campaign_id = $1", p.campaign_id
    )
    await uow.conn.execute(
        "UPDATE reminders SET status = 'cancelled' WHERE campaign_id = $1 AND status = 'pending'",
        p.campaign_id,
    )
    return []


async def _late_unit(
    planner: Planner, uow: UnitOfWork, event: CloudEvent, p: rg.UnitEstablished
) -> None:
    """A unit established after its department launched an open campaign is told too (the
    directory and the campaign travel on different partitions)."""
    today = planner.clock.now().astimezone(VIETNAM).date()
    rows = await uow.conn.fetch(
        "SELECT launch_event_id, plan FROM campaigns WHERE department_code = $1 AND NOT closed",
        p.department_code,
    )
    for row in rows:
        launch = rg.CampaignLaunched.model_validate(json.loads(row["plan"]))
        deadline = launch.deadlines.registration or launch.period.end
        if deadline < today:
            continue
        items = await planner.launch_notices(uow.conn, launch, [p.unit_id])
        cause = Cause(
            row["launch_event_id"],
            row["launch_event_id"],
            None,
            p.department_code,
            {
                "type": rg.CampaignLaunched.type_name(),
                "id": row["launch_event_id"],
                "subject": launch.campaign_id,
                "data": json.loads(row["plan"]),
            },
        )
        await plan(uow.conn, cause, items, planner.clock.now())


async def _unit_established(
    planner: Planner, uow: UnitOfWork, event: CloudEvent, p: rg.UnitEstablished
) -> list[Planned]:
    await _late_unit(planner, uow, event, p)
    return []


async def _initiative_decided(
    planner: Planner,
    uow: UnitOfWork,
    event: CloudEvent,
    p: rg.InitiativeRecognized | rg.InitiativeRejected,
) -> list[Planned]:
    """The submitting unit (its contact) and the authors (their inbox)."""
    row = await uow.conn.fetchrow(
        "SELECT unit_id, title, author_ids FROM initiatives WHERE initiative_id = $1",
        p.initiative_id,
    )
    if row is None:
        log.warning("initiative %s decided but never seen submitted", p.initiative_id)
        return []

    def text(recipient: str) -> Message:
        if isinstance(p, rg.InitiativeRecognized):
            return templates.initiative_recognized(p, row["title"], recipient)
        return templates.initiative_rejected(p, row["title"], recipient)

    unit_name = await name_of(uow.conn, "unit", row["unit_id"])
    items = [to_contact("unit", row["unit_id"], unit_name, text(unit_name))]
    for person_id in row["author_ids"]:
        name = await name_of(uow.conn, "person", person_id)
        items.append(to_inbox("person", person_id, name, text(name)))
    return items


async def _nomination_decided(
    planner: Planner,
    uow: UnitOfWork,
    event: CloudEvent,
    p: aw.NominationApproved | aw.NominationRejected,
) -> list[Planned]:
    """The nominee's unit (with the reasons when rejected); a person nominee's inbox too."""
    conn = uow.conn
    row = await conn.fetchrow("SELECT * FROM nominations WHERE nomination_id = $1", p.nomination_id)
    if isinstance(p, aw.NominationApproved):
        nominee_kind, nominee_id, unit_id = p.nominee_kind.value, p.nominee_id, p.unit_id
        department = p.department_code
    elif row is not None:
        nominee_kind, nominee_id, unit_id = row["nominee_kind"], row["nominee_id"], row["unit_id"]
        department = row["department_code"]
    else:
        log.warning("nomination %s rejected but never seen submitted", p.nomination_id)
        return []
    individual = nominee_kind == "individual"
    if unit_id is None and not individual:
        is_unit = await conn.fetchval("SELECT 1 FROM units WHERE unit_id = $1", nominee_id)
        unit_id = nominee_id if is_unit else None
    nominee = await name_of(conn, "person" if individual else "unit", nominee_id)
    if not individual and unit_id is None:
        nominee = await name_of(conn, "department", nominee_id)

    def text(recipient: str) -> Message:
        if isinstance(p, aw.NominationApproved):
            return templates.nomination_approved(p, nominee, recipient)
        title = TitleCode(row["title"]) if row is not None else None
        return templates.nomination_rejected(p, nominee, title, recipient)

    items = []
    if unit_id is not None:
        unit_name = await name_of(conn, "unit", unit_id)
        items.append(to_contact("unit", unit_id, unit_name, text(unit_name)))
    else:
        name = await name_of(conn, "department", department)
        items.append(to_contact("department", department, name, text(name)))
    if individual:
        items.append(to_inbox("person", nominee_id, nominee, text(nominee)))
    return items


async def _input_rejected(
    planner: Planner, uow: UnitOfWork, event: CloudEvent, p: InputRejected
) -> list[Planned]:
    """The producing department's system (its webhook first)."""
    if p.department is None:
        return []
    name = await name_of(uow.conn, "department", p.department)
    return [
        to_contact("department", p.department, name, templates.input_rejected(p, name), system=True)
    ]


_RULES: dict[type[EventData], Rule] = {
    rg.CampaignLaunched: _launched,
    rg.CampaignAmended: _amended,
    rg.CampaignClosed: _closed,
    rg.UnitEstablished: _unit_established,
    rg.InitiativeRecognized: _initiative_decided,
    rg.InitiativeRejected: _initiative_decided,
    aw.NominationApproved: _nomination_decided,
    aw.NominationRejected: _nomination_decided,
    InputRejected: _input_rejected,
}
