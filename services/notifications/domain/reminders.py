"""Who a due reminder tells: units (and their people who have not registered) that have not
done what the deadline asks, in words that name the deadline and the days left."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from contracts.registration import CampaignLaunched
from services.notifications import rules, templates
from services.notifications.domain.deliveries import Planned, to_contact, to_inbox


@dataclass(frozen=True)
class Pending:
    """A person who has not registered, and their unit."""

    person_id: str
    full_name: str
    unit_id: str


def reminder_notices(
    kind: str,
    launch: CampaignLaunched,
    deadline: date,
    today: date,
    units: Sequence[rules.Org],
    people: Sequence[Pending] = (),
) -> list[Planned]:
    """``kind`` is ``registration`` (units and people not registered) or ``dossier``
    (registered units without a dossier); a unit's text names its people still pending."""
    title = f"{templates.plan_name(launch)} ({launch.title})"
    pending_by_unit: dict[str, list[str]] = defaultdict(list)
    for person in people:
        pending_by_unit[person.unit_id].append(person.full_name)

    def text(recipient: str, pending: Sequence[str] = ()) -> templates.Message:
        return templates.deadline_reminder(
            kind=kind,
            campaign_title=title,
            deadline=deadline,
            today=today,
            recipient=recipient,
            pending_people=pending,
        )

    items = [to_contact("unit", u.id, u.name, text(u.name, pending_by_unit[u.id])) for u in units]
    items += [to_inbox("person", p.person_id, p.full_name, text(p.full_name)) for p in people]
    return items
