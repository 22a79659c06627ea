"""A delivery as planned: one recipient of one cause by one route, and the fact that claims it."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from contracts.envelope import CloudEvent
from contracts.notifications import Channel, DeliveryPlanned, NotificationSent
from services.notifications import rules
from services.notifications.templates import Message


@dataclass(frozen=True)
class Planned:
    """One recipient of one cause. ``channel``/``address`` are set for subscriptions and the
    in-app inbox; for an organisation's contact they are resolved when planned if it has none
    (its inbox, :func:`in_inbox`), else when first sent."""

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
    """What a delivery is about: ``key`` makes its id (an event id, or a reminder's id)."""

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


def to_contact(
    kind: str, org_id: str, name: str, message: Message, *, system: bool = False
) -> Planned:
    """To an organisation's contact (people-facing: email first; ``system``: webhook first)."""
    return Planned(kind, org_id, name, "system" if system else "contact", message)


def to_inbox(kind: str, recipient_id: str, name: str, message: Message) -> Planned:
    return Planned(kind, recipient_id, name, "inbox", message, Channel.INBOX, recipient_id)


def in_inbox(item: Planned) -> Planned:
    """``item`` to its recipient's in-app inbox (an organisation with no contact)."""
    return replace(item, channel=Channel.INBOX, address=item.recipient_id)


def delivery_id(cause: Cause, item: Planned) -> uuid.UUID:
    return rules.delivery_id(cause.key, item.recipient_kind, item.recipient_id, item.route)


def claim_stream(cause_key: str) -> str:
    """The private stream of one cause's deliveries (``claim:`` streams are not published)."""
    return f"claim:delivery:{cause_key}"


def notification_stream(notification_id: str) -> str:
    """The stream of one delivery's attempts (``NotificationSent`` / ``NotificationFailed``)."""
    return f"notification:{notification_id}"


def stored_in_inbox(planned: DeliveryPlanned, now: datetime) -> NotificationSent | None:
    """A delivery to the in-app inbox is stored with its plan (the inbox is our own table, in
    the same transaction): its ``NotificationSent`` is decided with it. Other channels are
    sent by the dispatcher."""
    if planned.channel is not Channel.INBOX:
        return None
    return NotificationSent(
        notification_id=planned.notification_id,
        subscription_id=planned.subscription_id,
        channel=Channel.INBOX,
        recipient=planned.address or planned.recipient_id,
        template=planned.template,
        attempt=1,
        causation_event_id=planned.causation_event_id,
        sent_at=now,
    )


def plan(
    cause: Cause, items: Sequence[Planned], now: datetime, already: Collection[str] = ()
) -> list[DeliveryPlanned]:
    """The facts that claim the deliveries not planned yet (``already``: their ids), once each."""
    facts: dict[str, DeliveryPlanned] = {}
    for item in items:
        notification_id = str(delivery_id(cause, item))
        if notification_id in already or notification_id in facts:
            continue
        facts[notification_id] = DeliveryPlanned(
            notification_id=notification_id,
            cause_key=cause.key,
            causation_event_id=cause.event_id,
            correlation_id=cause.correlation_id,
            department=cause.department,
            recipient_kind=item.recipient_kind,
            recipient_id=item.recipient_id,
            recipient_name=item.recipient_name,
            route=item.route,
            subscription_id=item.subscription_id,
            channel=item.channel,
            address=item.address,
            template=item.message.template,
            subject=item.message.subject,
            body=item.message.body,
            data=cause.data,
            planned_at=now,
        )
    return list(facts.values())
