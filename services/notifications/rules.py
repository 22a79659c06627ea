"""Who is told what and when: pure rules, no I/O.

- "Nơi nhận" of a plan resolved against the directory;
- the reminder schedule computed from a campaign's deadlines;
- which subscriptions an event matches;
- which channel a recipient's contact gives, and the stable delivery id.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from contracts.notifications import Channel
from contracts.registration import Deadlines
from services.notifications.clock import VIETNAM

_NAMESPACE = uuid.UUID("5f0c7b2e-6a52-4a3e-9d0e-2f1c4b8a9e10")


def delivery_id(cause_key: str, recipient_kind: str, recipient_id: str, route: str) -> uuid.UUID:
    """The same cause, recipient and route always give the same id (the idempotency key)."""
    return uuid.uuid5(_NAMESPACE, "\x1f".join((cause_key, recipient_kind, recipient_id, route)))


# --- "Nơi nhận" ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    kind: str
    id: str
    name: str


@dataclass(frozen=True)
class Issuer:
    """The issuing department and what the directory knows around it."""

    department: Org
    province: Org | None = None
    ministry: Org | None = None


@dataclass
class Resolved:
    orgs: list[Org] = field(default_factory=list)
    all_units: bool = False
    ignored: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Lower case, NFC, "(b/c)"-style notes and punctuation removed, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[-\u2013;:,.]+", " ", text)
    return " ".join(text.split())


_PROVINCE_BODIES = (
    "ban tđkt tỉnh",
    "ban thi đua",
    "hội đồng tđkt tỉnh",
    "hđtđkt tỉnh",
    "ubnd tỉnh",
    "ủy ban nhân dân tỉnh",
    "uỷ ban nhân dân tỉnh",
)
_DEPARTMENT_BODIES = (
    "lãnh đạo sở",
    "giám đốc sở",
    "gđ và các pgđ",
    "ban giám đốc",
    "đảng ủy sở",
    "đảng uỷ sở",
    "văn phòng sở",
    "chi ủy",
    "chi bộ",
)
_ALL_UNITS = (
    "đơn vị thuộc sở",
    "đơn vị trực thuộc",
    "phòng chuyên môn",
    "các phòng",
    "đoàn thể thuộc sở",
    "tổ chức thuộc sở",
)
_NOT_RECIPIENTS = ("website", "cổng thông tin", "lưu")


def resolve_plan_recipients(
    names: Sequence[str], issuer: Issuer, known: Iterable[Org] = ()
) -> Resolved:
    """Map the plan's "Nơi nhận" lines to organisations of the directory.

    Archive and website lines are not recipients; the issuing department's own bodies (its
    leadership, Party committee) are the department; "units of the department" is every unit
    (already told); a province body is the department's province; other lines match a known
    organisation's name exactly. Whatever is left is reported as unresolved.
    """
    by_name = {normalise(org.name): org for org in known}
    result = Resolved()
    for name in names:
        key = normalise(name)
        if key.startswith(_NOT_RECIPIENTS) or any(k in key for k in ("website",)):
            result.ignored.append(name)
        elif key in by_name:
            result.orgs.append(by_name[key])
        elif any(k in key for k in _PROVINCE_BODIES) and issuer.province is not None:
            result.orgs.append(issuer.province)
        elif any(k in key for k in _DEPARTMENT_BODIES):
            result.orgs.append(issuer.department)
        elif any(k in key for k in _ALL_UNITS):
            result.all_units = True
        elif (
            key.startswith("bộ ")
            and issuer.ministry is not None
            and key == normalise(issuer.ministry.name)
        ):
            result.orgs.append(issuer.ministry)
        else:
            result.unresolved.append(name)
    result.orgs = list(dict.fromkeys(result.orgs))
    return result


# --- reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderPolicy:
    """Days before each deadline on which to remind, and the local hour of sending."""

    registration_days: tuple[int, ...] = (7, 1)
    dossier_days: tuple[int, ...] = (7, 1)
    send_time: time = time(8, 0)
    review_days: tuple[int, ...] = (7, 1)
    """Before the plan's review date (ngày xét khen thưởng, tổng kết; issue 17)."""
    conference_report_days: tuple[int, ...] = (7, 1)
    """Before a conference's report is due (báo cáo kết quả hội nghị; issue 17)."""


@dataclass(frozen=True)
class Reminder:
    reminder_id: str
    campaign_id: str | None
    kind: str
    deadline: date
    days_before: int
    due_at: datetime
    conference_id: str | None = None


def _reminders(
    owner: str, kind: str, deadline: date, lead_days: Sequence[int], policy: ReminderPolicy
) -> list[Reminder]:
    """One reminder per lead time before ``deadline``, of a campaign or (``conference:``) a
    conference; the deadline is part of the id, so a changed one schedules new reminders."""
    conference = owner.removeprefix("conference:") if owner.startswith("conference:") else None
    return [
        Reminder(
            reminder_id=f"{owner}#{kind}@{deadline.isoformat()}-{days}d",
            campaign_id=None if conference else owner,
            kind=kind,
            deadline=deadline,
            days_before=days,
            due_at=datetime.combine(
                deadline - timedelta(days=days), policy.send_time, tzinfo=VIETNAM
            ),
            conference_id=conference,
        )
        for days in sorted(set(lead_days), reverse=True)
    ]


def reminder_schedule(
    campaign_id: str, deadlines: Deadlines, policy: ReminderPolicy
) -> list[Reminder]:
    """One reminder per deadline and lead time, due at ``send_time`` Vietnam time.

    The deadline is part of the id: an amended deadline schedules new reminders.
    """
    found = []
    for kind, deadline, lead_days in (
        ("registration", deadlines.registration, policy.registration_days),
        ("dossier", deadlines.dossier, policy.dossier_days),
        ("review", deadlines.review, policy.review_days),
    ):
        if deadline is not None:
            found += _reminders(campaign_id, kind, deadline, lead_days, policy)
    return found


def conference_report_schedule(
    conference_id: str, report_due: date, policy: ReminderPolicy
) -> list[Reminder]:
    """The reminders of a conference's report (7 and 1 days before it is due, by default)."""
    owner = f"conference:{conference_id}"
    return _reminders(owner, "conference_report", report_due, policy.conference_report_days, policy)


def reminder_still_useful(reminder_deadline: date, now: datetime) -> bool:
    """A reminder found after its deadline (the service was down) is not sent."""
    return now.astimezone(VIETNAM).date() <= reminder_deadline


# --- subscriptions and channels --------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    recipient_kind: str
    recipient_id: str
    channel: Channel
    address: str
    event_types: tuple[str, ...] = ()
    department_code: str | None = None


@dataclass(frozen=True)
class EventScope:
    """Where an event belongs: its department, that department's province and ministry, and
    the units it concerns."""

    department: str | None
    province: str | None = None
    ministry: str | None = None
    units: frozenset[str] = frozenset()


def type_matches(patterns: Sequence[str], event_type: str) -> bool:
    if not patterns:
        return True
    return any(
        event_type.startswith(p[:-1]) if p.endswith("*") else event_type == p for p in patterns
    )


def subscription_matches(sub: Subscription, event_type: str, scope: EventScope) -> bool:
    """Type filter, department filter, and the subscriber's own reach: a province sees its
    departments' events, a ministry its sector's, a department its own, a unit its own."""
    if not type_matches(sub.event_types, event_type):
        return False
    if sub.department_code is not None and sub.department_code != scope.department:
        return False
    reach: Mapping[str, bool] = {
        "province": scope.province == sub.recipient_id,
        "ministry": scope.ministry == sub.recipient_id,
        "department": scope.department == sub.recipient_id,
        "unit": sub.recipient_id in scope.units,
    }
    return reach.get(sub.recipient_kind, sub.department_code is not None)


def contact_channel(
    email: str | None, webhook_url: str | None, *, for_systems: bool
) -> tuple[Channel, str] | None:
    """People read email; systems take webhooks. Either falls back to the other."""
    order = [(Channel.WEBHOOK, webhook_url), (Channel.EMAIL, email)]
    if not for_systems:
        order.reverse()
    for channel, address in order:
        if address:
            return channel, address
    return None


def backoff(attempt: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Delay before the attempt after ``attempt`` (1-based): base, 2 * base, 4 * base, ..."""
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** (attempt - 1)))
