"""The nominations an input refused while its facts are kept (a dossier returned late, a vote
below the threshold, a nomination the decision rejects), told to the department's system as
one ``InputRejected`` per input on ``thidua.rejections.<code>`` (issue 18).

Apart from ``decisions.py`` because it is about the producer, not the law: it builds the
refusal from the incoming record (its id, type, topic and offset), whichever decision refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from contracts.common import RejectionReason
from contracts.excerpts import excerpt_of
from contracts.rejections import InputRejected
from contracts.subjects import MAX_SUBJECTS, SubjectRef
from services.awards import streams
from services.awards.workspace import Workspace

Refusals = list[tuple[str, Sequence[RejectionReason]]]
"""The nominations an input refused, each with its reasons, in the input's order."""


def tell_producer(ws: Workspace, refused: Refusals) -> None:
    """Also publish the nominations an input refused on thidua.rejections.<code>, where the
    department's system listens, while the facts that led to them are kept: one refusal for
    the whole input, every nomination with its own reasons (``item``), so the department reads
    one message per submission, not one per nominee (issue 18)."""
    if not refused:
        return
    cmd, incoming = ws.cmd, ws.cmd.incoming
    refusal_fact = InputRejected(
        original_id=cmd.event.id,
        original_type=cmd.event.type,
        producer=cmd.event.source,
        department=cmd.department or cmd.event.department,
        topic=incoming.topic,
        partition=incoming.partition,
        offset=incoming.offset,
        rejected_by="awards",
        reasons=[
            x.model_copy(
                update={"message": f"Hồ sơ {nomination_id}: {x.message}", "item": nomination_id}
            )
            for nomination_id, reasons in refused
            for x in reasons
        ],
        subjects=[SubjectRef(kind="nomination", id=i) for i, _ in refused][:MAX_SUBJECTS],
        excerpt=excerpt_of(cmd.event.data),
        partial=True,
    )
    stream = streams.nominations_refused(incoming.position)
    ws.emit(stream, None, refusal_fact, subject=cmd.event.id)
