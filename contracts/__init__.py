"""Event contracts: the CloudEvents envelope and every payload type, registered on import.

``import contracts`` registers every type in ``EVENT_TYPES`` (type name → payload model).
"""

from contracts import awards, common, notifications, registration, rejections, topics
from contracts.base import EVENT_TYPES, EventData, UnknownEventType, data_model, parse_data
from contracts.envelope import CloudEvent

__all__ = [
    "EVENT_TYPES",
    "CloudEvent",
    "EventData",
    "UnknownEventType",
    "awards",
    "common",
    "data_model",
    "notifications",
    "parse_data",
    "registration",
    "rejections",
    "topics",
]
