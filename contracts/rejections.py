"""Refused inputs, published on ``thidua.rejections.<code>`` so that the producer's system
learns why.

Reason codes are ``<area>.<reason>`` in snake case. Services add their own
(``registration.deadline_passed``, ``awards.dossier_late``...); the generic ones are in
``GenericReason``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from contracts.base import EventData, event_type
from contracts.common import RejectionReason
from contracts.excerpts import MAX_EXCERPT_FIELDS
from contracts.subjects import MAX_SUBJECTS, SubjectRef

__all__ = ["GenericReason", "InputRejected", "RejectionReason"]


class GenericReason(StrEnum):
    """Reasons any service may give, before its own business rules."""

    ENVELOPE_INVALID = "envelope.invalid"
    """The record is not a CloudEvents 1.0 JSON envelope."""
    DATA_INVALID = "data.invalid"
    """The payload does not match the schema of its ``type``."""
    UNKNOWN_TYPE = "envelope.unknown_type"
    """No contract defines the ``type``."""
    NOT_SUBMITTABLE = "envelope.not_submittable"
    """The type is decided by a service and cannot be proposed on ingress."""
    FOREIGN_DEPARTMENT = "producer.foreign_department"
    """The event concerns a unit or department other than the ingress topic's department."""
    TOO_LARGE = "envelope.too_large"
    """The record is larger than the service accepts (256 KiB by default)."""
    DUPLICATE_ID_CONFLICT = "envelope.duplicate_id_conflict"
    """The id was already used for an event with other content."""
    BOARD_ONLY = "producer.board_only"
    """Only a province's board (Ban Thi đua - Khen thưởng tỉnh), on its own ingress topic
    (``thidua.ingress.<province id>-board``), registers provinces and ministries and places a
    department in its province; any other ingress topic carrying such a fact is refused."""
    RESERVED_CODE = "producer.reserved_code"
    """The department code is reserved (a board's ``…-board``, or ``unrouted``)."""


@event_type
class InputRejected(EventData):
    """One refused input, with the original event's id and producer and every reason."""

    service: ClassVar[str] = "rejections"
    event_name: ClassVar[str] = "InputRejected"
    submittable: ClassVar[bool] = False

    original_id: str = Field(
        min_length=1,
        max_length=200,
        description="The refused event's id, or topic/partition/offset if it had none.",
    )
    original_type: str | None = Field(default=None, max_length=200)
    producer: str | None = Field(
        default=None, max_length=500, description="The refused event's CloudEvents source."
    )
    department: str | None = Field(
        default=None, max_length=50, description="Department code of the ingress topic."
    )
    topic: str = Field(min_length=1, max_length=249)
    partition: int | None = Field(default=None, ge=0)
    offset: int | None = Field(default=None, ge=0)
    rejected_by: str = Field(
        min_length=1, max_length=50, description="The service that refused it, e.g. awards."
    )
    reasons: list[RejectionReason] = Field(min_length=1)
    subjects: list[SubjectRef] | None = Field(
        default=None,
        max_length=MAX_SUBJECTS,
        description="The subjects the refused event's data names (person, unit, nomination,"
        " campaign …; contracts.subjects), so the audit trail finds the refusal under them.",
    )

    # --- issue 18 item 5: mail people can read ---------------------------------------------
    excerpt: dict[str, str | int | float | bool] | None = Field(
        default=None,
        max_length=MAX_EXCERPT_FIELDS,
        description="The refused event's top-level fields that name it (number, dates, title,"
        " name, year …; contracts.excerpts), so its readers can say what was refused without"
        " the record, e.g. 'Quyết định 45/QĐ-SCT ngày 10/12/2019'.",
    )
    partial: bool | None = Field(
        default=None,
        description="True when the input itself was recorded and only the items its reasons"
        " name (``RejectionReason.item``) were refused: awards' dossiers judged at a decision or"
        " a council vote. One refusal per input, whatever the number of items.",
    )
