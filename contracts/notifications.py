"""Facts owned by the notifications service: subscriptions and delivery outcomes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, Field, StringConstraints

from contracts.base import EventData, event_type
from contracts.common import DepartmentCode, EntityId, OrgKind, ShortText, Text

EventTypePattern = Annotated[
    str, StringConstraints(pattern=r"^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,199}\*?|\*)$")
]
"""A CloudEvents type (``vn.thidua.awards.NominationApproved.v1``) or a prefix of types ending
in ``*`` (``vn.thidua.awards.*``)."""


class Channel(StrEnum):
    """How a notification travels: email, webhook (HTTP POST) or the in-app inbox."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    INBOX = "inbox"


class NotificationsEvent(EventData):
    service: ClassVar[str] = "notifications"
    submittable: ClassVar[bool] = False


@event_type
class SubscriptionCreated(NotificationsEvent):
    """An organisation will be told about events of the given types on one channel."""

    event_name: ClassVar[str] = "SubscriptionCreated"
    subscription_id: EntityId
    recipient_kind: OrgKind
    recipient_id: EntityId = Field(description="Department code, unit id, province id, ...")
    channel: Channel
    address: str = Field(
        min_length=1,
        max_length=2000,
        pattern=r"^[^\x00-\x20\x7f-\x9f]+$",
        description="Email address, webhook URL or inbox id (no spaces, no control characters).",
    )
    event_types: list[EventTypePattern] = Field(
        default_factory=list,
        max_length=100,
        description="CloudEvents types, or prefixes ending in '*'; empty means all.",
    )
    department_code: DepartmentCode | None = Field(
        default=None, description="Only events concerning this department."
    )


@event_type
class SubscriptionCancelled(NotificationsEvent):
    """The subscription no longer applies (contact changed or removed)."""

    event_name: ClassVar[str] = "SubscriptionCancelled"
    subscription_id: EntityId
    reason: Text | None = None


class Delivery(NotificationsEvent):
    notification_id: EntityId
    subscription_id: EntityId | None = None
    channel: Channel
    recipient: str = Field(min_length=1, max_length=2000, description="Address delivered to.")
    template: ShortText = Field(description="Template name, e.g. nomination_returned.")
    attempt: int = Field(ge=1)
    causation_event_id: str = Field(
        min_length=1, max_length=200, description="Id of the event being notified."
    )


@event_type
class NotificationSent(Delivery):
    """The channel accepted the notification (SMTP accepted, webhook 2xx, inbox stored)."""

    event_name: ClassVar[str] = "NotificationSent"
    sent_at: AwareDatetime
    confirmed: bool = Field(
        default=True,
        description="False when the service stopped after handing the message over and before "
        "the channel confirmed it; such a message is never sent again (no duplicate).",
    )


@event_type
class NotificationFailed(Delivery):
    """One delivery attempt failed; ``will_retry`` is false once attempts are exhausted."""

    event_name: ClassVar[str] = "NotificationFailed"
    failed_at: AwareDatetime
    error: Text
    will_retry: bool


@event_type
class DeliveryPlanned(NotificationsEvent):
    """A notification the service will send once: one recipient of one cause, by one route.

    Kept in the service's store on a ``claim:`` stream of its cause and never published: it
    claims the delivery id (a UUIDv5 of cause, recipient and route), so a cause planned again
    plans nothing new. The dispatcher sends it and publishes the outcome
    (``NotificationSent`` / ``NotificationFailed``)."""

    event_name: ClassVar[str] = "DeliveryPlanned"
    notification_id: EntityId = Field(description="The delivery id, the idempotency key.")
    cause_key: str = Field(
        min_length=1, max_length=400, description="The event id, or a reminder's id."
    )
    causation_event_id: str = Field(min_length=1, max_length=200)
    correlation_id: str | None = Field(default=None, max_length=200)
    department: str | None = Field(default=None, max_length=200)
    recipient_kind: str = Field(min_length=1, max_length=40)
    recipient_id: str = Field(min_length=1, max_length=400)
    recipient_name: str = Field(min_length=1, max_length=2000)
    route: str = Field(
        min_length=1, max_length=400, description="contact | system | inbox | subscription:<id>"
    )
    subscription_id: EntityId | None = None
    channel: Channel | None = Field(
        default=None, description="Null: resolved from the recipient's contact when first sent."
    )
    address: str | None = Field(default=None, max_length=2000)
    template: ShortText
    subject: str = Field(min_length=1, max_length=2000)
    body: str = Field(min_length=1, max_length=100_000)
    data: dict[str, Any] = Field(description="The cause as told to webhooks and the inbox.")
    planned_at: AwareDatetime
