"""A batch's records as read, before any database work: each record's envelope, its type, and
whether it is this consumer's to act on (:class:`Ownership`), with what deciding later learns
of it (its outcome, its appends, a decision foreseen).

Apart from the deciding (``thidua.es.batch.pure``, ``thidua.es.batch.decision``): reading
needs neither a connection nor a decider, and a batch no record of which is ours is passed
over before a transaction is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from contracts import topics
from contracts.base import EVENT_TYPES, EventData
from contracts.envelope import CloudEvent
from thidua.es import inbox, store
from thidua.es.admission import ingress_refusal, typed
from thidua.es.decider import Emit
from thidua.es.intake import Incoming, read_event
from thidua.es.rejections import Reason, Refused
from thidua.es.session import Session


class Outcome:
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # accepted, but it changed nothing (e.g. an identical repeat)
    NOT_OURS = "not-ours"
    DEAD_LETTERED = "dead-lettered"


@dataclass(frozen=True)
class Ownership:
    """Which incoming types a consumer acts on.

    Several services read the same ingress topics, each acting on the types it owns (by the
    ``vn.thidua.<service>.`` prefix) and passing over the rest. Exactly one of them, the
    gatekeeper, refuses what nobody can act on (malformed records, unknown types), so that a
    bad input gets one rejection, not one per service.
    """

    type_prefixes: tuple[str, ...] = ()
    gatekeeper: bool = True

    @classmethod
    def service(cls, name: str, *, gatekeeper: bool = False) -> Ownership:
        return cls((f"vn.thidua.{name}.",), gatekeeper)

    def owns(self, event_type: str) -> bool:
        return not self.type_prefixes or event_type.startswith(self.type_prefixes)


@dataclass
class Record:
    incoming: Incoming
    event: CloudEvent | None = None
    payload: EventData | None = None
    digest: str | None = None
    refusal: list[Reason] | None = None
    outcome: str | None = None
    appends: list[store.Append] = field(default_factory=list)
    foreseen: Foreseen | None = None
    """Its decision, made while the batch was looking for what it misses
    (``thidua.es.batch.pure``)."""


@dataclass(frozen=True)
class Foreseen:
    """A decision made ahead of its turn: still the decision when its turn comes if no record
    decided in between appended to a stream it read (deciders are pure; loads only add
    streams and answers, never change one already there)."""

    decision: Sequence[Emit] | Refused
    reads: frozenset[str]
    kept: int
    """``Session.kept`` when it was made."""

    def holds(self, session: Session) -> bool:
        moved = session.moved
        return all(moved.get(s, 0) <= self.kept for s in self.reads)


@dataclass
class ReadBatch:
    """A batch's records as read, not yet decided. Read afresh for each attempt: deciding
    fills them in."""

    records: list[Record]

    @property
    def passed_over(self) -> bool:
        """No record is this consumer's: deciding would open a transaction to do nothing
        (services pass over each other's types on the ingress they share)."""
        return all(r.outcome == Outcome.NOT_OURS for r in self.records)

    def outcomes(self) -> list[str]:
        return [r.outcome or Outcome.IGNORED for r in self.records]


def read_record(ownership: Ownership, incoming: Incoming) -> Record:
    """``incoming`` read (envelope, type, ownership): a refusal, passed over, or to decide."""
    record = Record(incoming)
    gatekeeper = ownership.gatekeeper
    try:
        event = read_event(incoming)
    except Refused as refused:
        if not gatekeeper:
            record.outcome = Outcome.NOT_OURS
        else:
            record.refusal = refused.reasons
        return record
    record.event = event
    known = event.type in EVENT_TYPES
    if gatekeeper:
        ours = ownership.owns(event.type) or not known or _taken_by_nobody(incoming, event)
    else:
        # An unknown type is the gatekeeper's to refuse, even under this service's prefix:
        # one refusal, not one per service.
        ours = known and ownership.owns(event.type)
    if not ours:
        record.outcome = Outcome.NOT_OURS
        return record
    try:
        record.payload = typed(event)
    except Refused as refused:
        record.refusal = refused.reasons
    else:
        forbidden = ingress_refusal(incoming, event, record.payload)
        if forbidden is not None:
            record.refusal = [forbidden]
    record.digest = inbox.fingerprint(event, incoming.topic)
    return record


def _taken_by_nobody(incoming: Incoming, event: CloudEvent) -> bool:
    """A known type on an ingress topic whose service reads no ingress (notifications,
    rejections: services that own no submittable type): no owner will refuse it there, so
    the gatekeeper does (``not_submittable``)."""
    if topics.department_of_ingress(incoming.topic) is None:
        return False
    service = EVENT_TYPES[event.type].service
    return not any(t.submittable for t in EVENT_TYPES.values() if t.service == service)
