"""Base classes shared by every contract: the event payload base and the type registry."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

TYPE_PREFIX = "vn.thidua"


class EventData(BaseModel):
    """Payload of one event type.

    Subclasses set ``service`` (the owning service) and ``event_name``; ``event_version``
    starts at 1. Within a version changes are additive only (see
    tests/unit/test_contracts_schemas.py); unknown fields are ignored so that older consumers
    read newer payloads.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    service: ClassVar[str]
    event_name: ClassVar[str]
    event_version: ClassVar[int] = 1
    submittable: ClassVar[bool] = True
    """Whether departments' systems may propose this type on their ingress topic; False for
    facts only the owning service decides (approvals, rejections, deliveries)."""

    @classmethod
    def type_name(cls) -> str:
        """The CloudEvents ``type``, e.g. ``vn.thidua.registration.UnitRegistered.v1``."""
        return f"{TYPE_PREFIX}.{cls.service}.{cls.event_name}.v{cls.event_version}"

    @classmethod
    def schema_uri(cls) -> str:
        """The CloudEvents ``dataschema``: the committed JSON Schema of this payload."""
        return f"urn:thidua:schema:{cls.type_name()}"


EVENT_TYPES: dict[str, type[EventData]] = {}

T = TypeVar("T", bound=type[EventData])


def event_type(cls: T) -> T:
    """Class decorator: register a payload model under its CloudEvents type name."""
    name = cls.type_name()
    if name in EVENT_TYPES and EVENT_TYPES[name] is not cls:
        raise ValueError(f"event type {name} registered twice")
    EVENT_TYPES[name] = cls
    return cls


class UnknownEventType(LookupError):
    """The envelope names a ``type`` that no contract defines."""


def data_model(type_name: str) -> type[EventData]:
    try:
        return EVENT_TYPES[type_name]
    except KeyError:
        raise UnknownEventType(type_name) from None


def parse_data(type_name: str, data: dict[str, Any]) -> EventData:
    """Validate a payload against the model registered for ``type_name``."""
    return data_model(type_name).model_validate(data)
