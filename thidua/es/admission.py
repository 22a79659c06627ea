"""What a department may submit on its ingress topic: one record read, typed and checked as the
gatekeeper checks it before any decision (envelope and size, a known type, data against its
contract, a type departments may send, the department the envelope names).

The consumers (``batch.py``) and the HTTP door (``services/reporting/door``) both use these
checks, so a record the door takes is one the ingress would not refuse for its form; what the
law says about it is still the services' to decide."""

from __future__ import annotations

from pydantic import ValidationError

from contracts import topics
from contracts.base import EventData, UnknownEventType
from contracts.envelope import CloudEvent
from contracts.rejections import GenericReason
from thidua.es.intake import Incoming, read_event
from thidua.es.rejections import Reason, Refused, validation_reasons


def unknown_type(event: CloudEvent) -> Reason:
    return Reason(
        GenericReason.UNKNOWN_TYPE, f"Loại sự kiện không được hỗ trợ: {event.type}", "type"
    )


def typed(event: CloudEvent) -> EventData:
    """The event's payload, validated against its type's contract; :class:`Refused` if the
    type is unknown or the data does not match it."""
    try:
        return event.payload()
    except UnknownEventType:
        raise Refused([unknown_type(event)]) from None
    except ValidationError as exc:
        raise Refused(validation_reasons(exc, "data")) from None


def ingress_refusal(incoming: Incoming, event: CloudEvent, payload: EventData) -> Reason | None:
    """What no department may do on its ingress topic, whatever the service."""
    department = topics.department_of_ingress(incoming.topic)
    if department is None:
        return None
    if not payload.submittable:
        return Reason(
            GenericReason.NOT_SUBMITTABLE,
            f"Sở không được gửi loại sự kiện {event.type}: loại này do hệ thống quyết định",
            "type",
        )
    if event.department is not None and event.department != department:
        return Reason(
            GenericReason.FOREIGN_DEPARTMENT,
            f"Sự kiện ghi Sở '{event.department}' nhưng được gửi qua kênh của Sở '{department}'",
            "department",
        )
    return None


def admit(incoming: Incoming) -> tuple[CloudEvent, EventData]:
    """The record's event and payload if a department may submit it on ``incoming.topic``;
    :class:`Refused` with every reason it may not."""
    event = read_event(incoming)
    payload = typed(event)
    forbidden = ingress_refusal(incoming, event, payload)
    if forbidden is not None:
        raise Refused([forbidden])
    return event, payload
