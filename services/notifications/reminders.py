"""Due reminders, evaluated by the dispatcher (time, not an incoming fact, makes them due): who
has not done it yet is told, once per reminder and recipient. The recipients are the pure rule
``domain.reminders``; this module reads the read copies and writes the deliveries."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date, datetime

import asyncpg

from contracts.notifications import DeliveryPlanned
from contracts.registration import CampaignLaunched
from services.notifications import rules, templates
from services.notifications.clock import VIETNAM
from services.notifications.domain.deliveries import Cause, Planned, plan, to_contact
from services.notifications.domain.reminders import Pending, reminder_notices
from services.notifications.readmodels import deliveries
from thidua.es.db import Conn, Pool


async def plan_due_reminders(
    pool: Pool, now: datetime, fence: Callable[[Conn], Awaitable[None]], limit: int = 20
) -> int:
    """Evaluate the reminders due at ``now`` (under ``fence``, the dispatcher's lease); returns
    how many deliveries were planned."""
    planned = 0
    async with pool.acquire() as conn, conn.transaction():
        await fence(conn)
        due = await conn.fetch(
            """SELECT r.*, c.plan, c.department_code, c.launch_event_id
               FROM reminders r JOIN campaigns c USING (campaign_id)
               WHERE r.status = 'pending' AND r.due_at <= $1
               ORDER BY r.due_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED""",
            now,
            limit,
        )
        due += await conn.fetch(
            """SELECT r.*, k.department_code, k.event_id, k.kind AS conference_kind, k.level,
                      k.held_on, k.reported_on, d.name AS department_name
               FROM reminders r JOIN conferences k USING (conference_id)
               LEFT JOIN departments d USING (department_code)
               WHERE r.status = 'pending' AND r.due_at <= $1
               ORDER BY r.due_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED""",
            now,
            limit,
        )
        for row in due:
            if not rules.reminder_still_useful(row["deadline"], now):
                status = "expired"
            elif row["conference_id"] is not None:
                status = "done" if row["reported_on"] is None else "cancelled"
                if row["reported_on"] is None:
                    planned += await deliveries.insert(conn, conference_report(row, now))
            else:
                status = "done"
                launch = CampaignLaunched.model_validate(json.loads(row["plan"]))
                items = await _recipients(
                    conn, row["kind"], launch, row["department_code"], row["deadline"], now
                )
                cause = Cause(
                    key=row["reminder_id"],
                    event_id=row["launch_event_id"],
                    correlation_id=row["launch_event_id"],
                    department=row["department_code"],
                    data={
                        "type": f"reminder.{row['kind']}",
                        "campaign_id": launch.campaign_id,
                        "deadline": row["deadline"].isoformat(),
                        "days_before": row["days_before"],
                    },
                )
                planned += await deliveries.insert(conn, plan(cause, items, now))
            await conn.execute(
                "UPDATE reminders SET status = $2, evaluated_at = $3 WHERE reminder_id = $1",
                row["reminder_id"],
                status,
                now,
            )
    return planned


async def _recipients(
    conn: Conn,
    kind: str,
    launch: CampaignLaunched,
    department: str,
    deadline: date,
    now: datetime,
) -> list[Planned]:
    """Who has not done it yet among the units and people of the department that runs the
    campaign now (its successor's, once it was transferred: issue 16)."""
    if kind == "registration":
        units = await conn.fetch(
            """SELECT u.unit_id, u.name FROM units u
               WHERE u.department_code = $1 AND u.active AND NOT EXISTS (
                   SELECT 1 FROM registrations r WHERE r.campaign_id = $2
                   AND r.registrant_kind = 'unit' AND r.registrant_id = u.unit_id)
               ORDER BY u.unit_id""",
            department,
            launch.campaign_id,
        )
        people = await conn.fetch(
            """SELECT p.person_id, p.full_name, p.unit_id FROM people p
               WHERE p.department_code = $1 AND p.active AND NOT EXISTS (
                   SELECT 1 FROM registrations r WHERE r.campaign_id = $2
                   AND r.registrant_kind = 'person' AND r.registrant_id = p.person_id)
               ORDER BY p.full_name""",
            department,
            launch.campaign_id,
        )
    elif kind == "review":  # everyone takes part in the review: every unit in force
        units = await conn.fetch(
            """SELECT u.unit_id, u.name FROM units u
               WHERE u.department_code = $1 AND u.active ORDER BY u.unit_id""",
            department,
        )
        people = []
    else:
        units = await conn.fetch(
            """SELECT u.unit_id, u.name FROM units u
               WHERE u.department_code = $1 AND u.active
               AND EXISTS (SELECT 1 FROM registrations r
                           WHERE r.campaign_id = $2 AND r.unit_id = u.unit_id)
               AND NOT EXISTS (SELECT 1 FROM nominations n
                               WHERE n.campaign_id = $2 AND n.unit_id = u.unit_id)
               ORDER BY u.unit_id""",
            department,
            launch.campaign_id,
        )
        people = []
    return reminder_notices(
        kind,
        launch,
        deadline,
        now.astimezone(VIETNAM).date(),
        [rules.Org("unit", u["unit_id"], u["name"]) for u in units],
        [Pending(p["person_id"], p["full_name"], p["unit_id"]) for p in people],
    )


def conference_report(row: asyncpg.Record, now: datetime) -> list[DeliveryPlanned]:
    """The organising department is reminded of a conference's report (issue 17)."""
    department = row["department_code"]
    name = row["department_name"] or department
    cause = Cause(
        key=row["reminder_id"],
        event_id=row["event_id"],
        correlation_id=row["event_id"],
        department=department,
        data={
            "type": "reminder.conference_report",
            "conference_id": row["conference_id"],
            "deadline": row["deadline"].isoformat(),
            "days_before": row["days_before"],
        },
    )
    message = templates.conference_report_reminder(
        conference_id=row["conference_id"],
        kind=row["conference_kind"],
        level=row["level"],
        held_on=row["held_on"],
        deadline=row["deadline"],
        today=now.astimezone(VIETNAM).date(),
        recipient=name,
    )
    return plan(cause, [to_contact("department", department, name, message)], now)
