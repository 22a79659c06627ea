"""Facts owned by the notifications service: subscriptions and delivery outcomes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import AwareDatetime, Field

from contracts.base import EventData, event_type
from contracts.common import DepartmentCode, EntityId, OrgKind, ShortText, Text


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
        min_length=1, max_length=2000, description="Email address, webhook URL or inbox id."
    )
    event_types: list[str] = Field(
        default_factory=list,
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
