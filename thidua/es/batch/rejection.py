"""A refused record as the fact that says so (``InputRejected``), on a stream of its own.

Apart from the deciding because a refusal's fact is made the same way whoever refused: the
batch for the records it refuses, and the tests and tools that need the fact a refusal makes.
"""

from __future__ import annotations

from collections.abc import Sequence

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.excerpts import excerpt_of
from contracts.rejections import InputRejected
from contracts.subjects import MAX_SUBJECTS, subjects_of
from thidua.es.intake import Incoming
from thidua.es.rejections import Reason


def rejection_stream(incoming: Incoming) -> str:
    """The stream of a record's refusal, keyed by its position: a redelivered refusal is
    recognised by it when the inbox cannot recognise it (no usable id, or one already taken)."""
    return f"rejection:{incoming.position}"


def _department_of(incoming: Incoming, event: CloudEvent | None) -> str | None:
    return topics.department_of_ingress(incoming.topic) or (event.department if event else None)


def rejection_event(
    service: str,
    source: str,
    incoming: Incoming,
    event: CloudEvent | None,
    reasons: Sequence[Reason],
) -> CloudEvent:
    """The ``InputRejected`` fact for a refused record (with or without a readable envelope)."""
    payload = InputRejected(
        original_id=event.id if event else incoming.position,
        original_type=event.type if event else None,
        producer=event.source if event else None,
        department=_department_of(incoming, event),
        topic=incoming.topic,
        partition=incoming.partition,
        offset=incoming.offset,
        rejected_by=service,
        reasons=[r.bounded() for r in reasons],
        subjects=(subjects_of(event.data)[:MAX_SUBJECTS] or None) if event else None,
        excerpt=excerpt_of(event.data) if event else None,
    )
    return CloudEvent.new(
        payload,
        source=source,
        subject=event.id if event else incoming.position,
        department=payload.department,
        caused_by=event,
    )
