"""The read copy of conferences and the reminders of their reports (issue 17): a conference
held (or corrected) schedules its report's reminders from its due date; a report received
cancels those still pending. Kept from a batch's inputs, a few set-based statements."""

from __future__ import annotations

from contracts import awards as aw
from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.notifications import rules
from services.notifications.readmodels.fold import write
from thidua.es.db import Conn


class ConferenceChanges:
    """One batch's conferences (the last statement of each wins) and reports."""

    KEPT: tuple[type[EventData], ...] = (
        aw.ConferenceHeld,
        aw.ConferenceCorrected,
        aw.ConferenceReported,
    )

    def __init__(self, policy: rules.ReminderPolicy) -> None:
        self.policy = policy
        self.held: dict[str, tuple[str, aw.ConferenceFields]] = {}
        self.reported: dict[str, aw.ConferenceReported] = {}

    def add(self, event: CloudEvent, p: EventData) -> None:
        if isinstance(p, aw.ConferenceFields):
            self.held[p.conference_id] = (event.id, p)
        elif isinstance(p, aw.ConferenceReported):
            self.reported[p.conference_id] = p

    async def write(self, conn: Conn) -> None:
        await write(
            conn,
            """INSERT INTO conferences (conference_id, department_code, event_id, kind, level,
                   held_on, report_due)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                   $6::date[], $7::date[])
               ON CONFLICT (conference_id) DO UPDATE SET event_id = excluded.event_id,
                   kind = excluded.kind, level = excluded.level, held_on = excluded.held_on,
                   report_due = excluded.report_due""",
            [
                (c, p.department_code, event_id, p.kind, p.level.value, p.held_on, p.report_due)
                for c, (event_id, p) in self.held.items()
            ],
        )
        wanted = [
            r
            for c, (_, p) in self.held.items()
            if c not in self.reported
            for r in rules.conference_report_schedule(c, p.report_due, self.policy)
        ]
        if self.held:  # a corrected due date: the old date's reminders are not sent
            await conn.execute(
                """UPDATE reminders SET status = 'cancelled'
                   WHERE conference_id = ANY($1::text[]) AND status = 'pending'
                   AND NOT reminder_id = ANY($2::text[])""",
                list(self.held),
                [r.reminder_id for r in wanted],
            )
        await write(
            conn,
            """INSERT INTO reminders (reminder_id, conference_id, kind, deadline, days_before,
                   due_at)
               SELECT r.* FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[],
                   $6::timestamptz[]) AS r(reminder_id, conference_id, kind, deadline,
                   days_before, due_at)
               JOIN conferences c USING (conference_id) WHERE c.reported_on IS NULL
               ON CONFLICT DO NOTHING""",
            [
                (r.reminder_id, r.conference_id, r.kind, r.deadline, r.days_before, r.due_at)
                for r in wanted
            ],
        )
        if self.reported:  # received: nothing more to remind
            reported = sorted(self.reported)
            await write(
                conn,
                """UPDATE conferences c SET reported_on = r.reported_on
                   FROM unnest($1::text[], $2::date[]) AS r(conference_id, reported_on)
                   WHERE c.conference_id = r.conference_id""",
                [(c, self.reported[c].reported_on) for c in reported],
            )
            await conn.execute(
                """UPDATE reminders SET status = 'cancelled'
                   WHERE conference_id = ANY($1::text[]) AND status = 'pending'""",
                reported,
            )
