"""Daily digests (issue 18 item 5): an organisation whose contact asks for one
(``OrganisationContactSet.mail_digest``) gets one mail a day instead of a mail per
notification.

Its mails are planned as usual (the same delivery ids, the same idempotency); when the
dispatcher claims one and its channel is email, it is ``held`` instead of sent. Once a day, at
``digest_time`` (Vietnam time), the dispatcher plans one delivery per organisation with held
mails, keyed ``digest:<kind>:<id>:<date>`` (a second evaluation the same day, by a restarted
or a new leader, inserts nothing), and marks its held mails ``digested`` with the digest's id,
in the same fenced transaction: a mail is in exactly one digest. The digest is then sent like
any mail (``sending → confirming → sent``: never twice). Mails held after the day's digest
wait for the next day's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time

from services.notifications import templates
from services.notifications.attempts import Row
from services.notifications.clock import VIETNAM
from services.notifications.domain.deliveries import Cause, plan, to_contact
from services.notifications.readmodels import deliveries
from thidua.es.db import Conn, Pool

TEMPLATE = "daily_digest"


async def hold(conn: Conn, rows: Sequence[Row]) -> set[object]:
    """Of claimed rows, the emails to organisations that chose a digest: held, not sent
    (inside the claim's transaction). Returns their delivery ids."""
    candidates = [
        r
        for r in rows
        if r["channel"] == "email"
        and r["template"] != TEMPLATE
        and r["route"] in ("contact", "system")
    ]
    if not candidates:
        return set()
    held = await conn.fetch(
        """UPDATE deliveries d SET status = 'held', attempts = d.attempts - 1
           FROM contacts c
           WHERE d.delivery_id = ANY($1::uuid[]) AND c.mail_digest
             AND c.org_kind = d.recipient_kind AND c.org_id = d.recipient_id
           RETURNING d.delivery_id""",
        [r["delivery_id"] for r in candidates],
    )
    return {r["delivery_id"] for r in held}


def digest_key(kind: str, org_id: str, day: date) -> str:
    """The cause of one organisation's digest of one day (its delivery id's seed)."""
    return f"digest:{kind}:{org_id}:{day.isoformat()}"


async def plan_due_digests(
    pool: Pool, now: datetime, at: time, fence: Callable[[Conn], Awaitable[None]]
) -> int:
    """Today's digests, once ``at`` has passed (Vietnam time); returns how many were planned."""
    local = now.astimezone(VIETNAM)
    if local.time() < at:
        return 0
    day = local.date()
    planned = 0
    async with pool.acquire() as conn, conn.transaction():
        await fence(conn)
        held = await conn.fetch(
            """SELECT d.delivery_id, d.recipient_kind, d.recipient_id, d.recipient_name,
                      d.department, d.subject, d.body, d.planned_at, d.address
               FROM deliveries d WHERE d.status = 'held' AND NOT EXISTS (
                   SELECT 1 FROM deliveries g WHERE g.cause_key = 'digest:' || d.recipient_kind
                       || ':' || d.recipient_id || ':' || $1)
               ORDER BY d.recipient_kind, d.recipient_id, d.planned_at, d.delivery_id
               FOR UPDATE SKIP LOCKED""",
            day.isoformat(),
        )
        groups: dict[tuple[str, str], list[Row]] = {}
        for row in held:
            groups.setdefault((row["recipient_kind"], row["recipient_id"]), []).append(row)
        for (kind, org_id), rows in groups.items():
            first = rows[0]
            message = templates.daily_digest(day, first["recipient_name"], rows)
            key = digest_key(kind, org_id, day)
            cause = Cause(
                key=key,
                event_id=key,
                correlation_id=None,
                department=first["department"],
                data={"type": "digest.daily", "date": day.isoformat(), "count": len(rows)},
            )
            item = to_contact(kind, org_id, first["recipient_name"], message)
            [digest] = plan(cause, [item], now)
            if not await deliveries.insert(conn, [digest]):
                continue  # today's digest went already: these wait for tomorrow's
            await conn.execute(
                """UPDATE deliveries SET status = 'digested', digest_id = $2
                   WHERE delivery_id = ANY($1::uuid[])""",
                [r["delivery_id"] for r in rows],
                digest.notification_id,
            )
            planned += 1
    return planned
