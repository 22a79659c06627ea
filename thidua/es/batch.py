"""Deciding a batch of records: one inbox query, streams loaded together, one append, one commit.

For a batch of Kafka records a command consumer:

1. reads each record (``intake.read_event``): malformed ones become refusals, types another
   service owns are passed over;
2. looks up every id in the inbox with one query (a redelivery, or a reused id);
3. decides the records in order, in memory. Streams come from the consumer's cache (valid
   while it owns its partitions) or are loaded, those every record of the batch is missing in
   one query per round (see :class:`thidua.es.decider.Missing`); a record sees the facts
   decided by the records before it;
4. keeps the read models of what it decided, then, in one statement (``es_commit_batch``),
   records the inbox and appends every fact and refusal, checking that no stream it read has
   moved (optimistic concurrency), and commits once. The append takes the schema's append
   lock, held until the commit: it comes last, so the lock is not held while the read models
   are written.

A handler in the older style (an ``async`` function given a :class:`UnitOfWork`, which may
query its service's own tables) runs in a savepoint of the batch's transaction, so a refusal
undoes only its record's writes; its appends are staged like a decider's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
from asyncpg.transaction import Transaction

from contracts import topics
from contracts.base import EVENT_TYPES, EventData
from contracts.envelope import CloudEvent
from contracts.excerpts import excerpt_of
from contracts.rejections import GenericReason, InputRejected
from contracts.subjects import MAX_SUBJECTS, subjects_of
from thidua.es import inbox, store
from thidua.es.admission import ingress_refusal, typed
from thidua.es.db import Conn
from thidua.es.decider import Command, Decider, Emit, Missing
from thidua.es.intake import Incoming, read_event
from thidua.es.rejections import Reason, Refused
from thidua.es.session import Around, Handler, Session, StreamCache, UnitOfWork

__all__ = [
    "Around",
    "BatchDecision",
    "Handler",
    "Outcome",
    "Ownership",
    "ReadBatch",
    "StreamCache",
    "UnitOfWork",
    "ingress_refusal",
]

MAX_LOAD_ROUNDS = 20
"""Rounds of stream loading one record may take before it is judged to loop."""


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
class _Record:
    incoming: Incoming
    event: CloudEvent | None = None
    payload: EventData | None = None
    digest: str | None = None
    refusal: list[Reason] | None = None
    outcome: str | None = None
    appends: list[store.Append] = field(default_factory=list)
    foreseen: _Foreseen | None = None
    """Its decision, made while the batch was looking for what it misses (``_also_missing``)."""


@dataclass(frozen=True)
class _Foreseen:
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


def _command(session: Session, record: _Record) -> Command[EventData]:
    """``record`` as its decider sees it (read through the batch's view)."""
    assert record.event is not None and record.payload is not None
    return Command(
        record.payload,
        record.event,
        record.incoming,
        topics.department_of_ingress(record.incoming.topic),
        session.view,
    )


def _segments(decider: Decider, records: list[_Record], pending: list[int]) -> list[list[int]]:
    """The pending records in the runs their inputs are kept in before they are decided: one
    run for the batch, or, for a decider whose decisions must see the read copy as of their
    own record (``Decider.inputs_in_order``), a run ending at each record it decides."""
    if not decider.inputs_in_order or decider.read_inputs is None:
        return [pending]
    segments: list[list[int]] = [[]]
    for i in pending:
        segments[-1].append(i)
        if type(records[i].payload) in decider.routes:
            segments.append([])
    return [s for s in segments if s]


@dataclass
class ReadBatch:
    """A batch's records as read, not yet decided. Read afresh for each attempt: deciding
    fills them in."""

    records: list[_Record]

    @property
    def passed_over(self) -> bool:
        """No record is this consumer's: deciding would open a transaction to do nothing
        (services pass over each other's types on the ingress they share)."""
        return all(r.outcome == Outcome.NOT_OURS for r in self.records)

    def outcomes(self) -> list[str]:
        return [r.outcome or Outcome.IGNORED for r in self.records]


class BatchDecision:
    """Decides batches for one consumer of one service (see the module's docstring)."""

    def __init__(
        self,
        service: str,
        handler: Decider | Handler,
        *,
        ownership: Ownership | None = None,
        cache: StreamCache | None = None,
    ) -> None:
        self.service = service
        self.source = f"urn:thidua:service:{service}"
        self.handler = handler
        self.ownership = ownership or Ownership()
        self.cache = cache if cache is not None else StreamCache()

    def read(self, batch: Sequence[Incoming]) -> ReadBatch:
        """``batch``'s records read (envelope, type, ownership), before any database work."""
        return ReadBatch([self._read(r) for r in batch])

    async def decide(self, conn: Conn, batch: ReadBatch, around: Around | None = None) -> list[str]:
        """Decide ``batch`` (as :meth:`read` read it) on ``conn`` and commit it; returns each
        outcome. In the caller's transaction if there is one; else in a transaction begun at
        the batch's first write before its commit statement (read copies, an older-style
        handler), or in none: a batch whose only write is ``es_commit_batch`` runs that one
        atomic statement alone, its reads before it outside any transaction (they are checked
        by it: optimistic versions, the inbox's key).

        Raises :class:`thidua.es.store.ConcurrencyError` when a stream moved under the batch
        (after forgetting it from the cache: deciding again reloads it), and whatever a
        handler raised other than a refusal (the caller retries, or takes records one by one).
        """
        records = batch.records
        decider = self.handler if isinstance(self.handler, Decider) else None
        session = Session(conn, self.cache, self.source, decider)
        writing = _Transaction(conn)
        try:
            await self._check_inbox(conn, records)
            # A refusal that the inbox cannot recognise when redelivered (no usable id, or an
            # id already taken) is recognised by its rejection stream, keyed by position.
            await session.ensure(
                _rejection_stream(r.incoming)
                for r in records
                if r.refusal is not None and r.digest is None
            )
            await self._decide_all(session, records, around, writing)
            self._refuse_all(session, records)
            appends = [a for r in records for a in r.appends]
            # The append comes last: it takes the schema's append lock, held until the commit,
            # so the read copies are written before it, not under it. The inbox entries go in
            # the same statement as the append (one round trip).
            decided = [a.event for a in appends if not a.stream_id.startswith("rejection:")]
            if decider is not None and decider.read_decisions is not None and decided:
                await writing.begin()
                await decider.read_decisions(conn, decided)
            handled: list[inbox.Entry] = [
                (
                    r.event,
                    r.digest,
                    r.incoming.topic,
                    r.incoming.partition,
                    r.incoming.offset,
                    r.outcome,
                )
                for r in records
                if r.event is not None
                and r.digest is not None
                and r.outcome in (Outcome.ACCEPTED, Outcome.IGNORED, Outcome.REJECTED)
            ]
            await session.store.append(appends, session.read_versions, handled)
            await writing.commit()
        except BaseException:
            self.cache.forget(session.streams)
            await writing.rollback()
            raise
        self.cache.put(session.streams.values())
        return batch.outcomes()

    def _read(self, incoming: Incoming) -> _Record:
        record = _Record(incoming)
        gatekeeper = self.ownership.gatekeeper
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
            ours = self.ownership.owns(event.type) or not known or _taken_by_nobody(incoming, event)
        else:
            # An unknown type is the gatekeeper's to refuse, even under this service's prefix:
            # one refusal, not one per service.
            ours = known and self.ownership.owns(event.type)
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

    async def _check_inbox(self, conn: Conn, records: list[_Record]) -> None:
        ids = [r.event.id for r in records if r.event is not None and r.digest is not None]
        known = await inbox.known_digests(conn, ids) if ids else {}
        for r in records:
            if r.event is None or r.digest is None or r.outcome is not None:
                continue
            seen = known.get(r.event.id)
            if seen is None:
                known[r.event.id] = r.digest  # a second copy in this batch is a duplicate
            elif inbox.same(seen, r.digest):
                r.outcome = Outcome.DUPLICATE
                r.refusal = None
            else:
                r.digest = None  # the inbox keeps the first content's row
                r.refusal = [
                    Reason(
                        GenericReason.DUPLICATE_ID_CONFLICT,
                        f"Mã sự kiện {r.event.id} đã được dùng cho một nội dung khác",
                        "id",
                    )
                ]

    async def _decide_all(
        self,
        session: Session,
        records: list[_Record],
        around: Around | None,
        writing: _Transaction | None = None,
    ) -> None:
        """Decide the records not refused yet; ``writing`` is begun before the read copies are
        kept or a handler writes (None: the caller's transaction)."""
        pending = [i for i, r in enumerate(records) if r.outcome is None and r.refusal is None]
        if writing is not None and any(self._writes_for(records[i]) for i in pending):
            await writing.begin()
        if isinstance(self.handler, Decider):
            segments = _segments(self.handler, records, pending)
            for number, segment in enumerate(segments):
                if self.handler.read_inputs is not None:
                    kept = self.handler.inputs_kept
                    inputs = [
                        e
                        for i in segment
                        if (e := records[i].event) is not None and (kept is None or kept(e.type))
                    ]
                    if inputs:
                        await self.handler.read_inputs(session.conn, inputs)
                    if number:
                        session.answers.clear()  # answered before these inputs were kept
                await self._decide_pure(self.handler, session, records, segment, around)
        else:
            for i in pending:
                with around(i) if around else contextlib.nullcontext():
                    await self._decide_with(self.handler, session, records[i])

    def _writes_for(self, record: _Record) -> bool:
        """Whether deciding ``record`` writes before the batch's append (a read copy of it
        kept, or a handler's own writes)."""
        if not isinstance(self.handler, Decider):
            return True
        if self.handler.read_inputs is None:
            return False
        kept = self.handler.inputs_kept
        return kept is None or (record.event is not None and kept(record.event.type))

    async def _decide_pure(
        self,
        decider: Decider,
        session: Session,
        records: list[_Record],
        pending: list[int],
        around: Around | None,
    ) -> None:
        rounds = 0
        at = 0
        while at < len(pending):
            record = records[pending[at]]
            try:
                with around(pending[at]) if around else contextlib.nullcontext():
                    self._decide_one(decider, session, record)
            except Missing as missing:
                rounds += 1
                if rounds > MAX_LOAD_ROUNDS:
                    raise RuntimeError(f"decision keeps asking for streams: {missing}") from None
                missing.add(self._also_missing(decider, session, records, pending[at + 1 :]))
                await session.load(missing)
                continue
            rounds = 0
            at += 1

    def _decide_one(self, decider: Decider, session: Session, record: _Record) -> None:
        command = _command(session, record)
        foreseen, record.foreseen = record.foreseen, None
        try:
            if foreseen is not None and foreseen.holds(session):
                if isinstance(foreseen.decision, Refused):
                    # Not raised again: its traceback would hold this frame, and this frame
                    # ``foreseen``, a cycle only the collector frees.
                    record.refusal = foreseen.decision.reasons
                    return
                emits = foreseen.decision
            else:
                emits = decider.decide(command)
        except Refused as refused:
            record.refusal = refused.reasons
            return
        appends: list[store.Append] = []
        staged: dict[str, int] = {}  # facts this record already put on each stream
        for emit in emits:
            stream = session.view.stream(emit.stream_id)
            version = stream.version + staged.get(emit.stream_id, 0)
            staged[emit.stream_id] = staged.get(emit.stream_id, 0) + len(emit.facts)
            appends += session.stage(
                command.event, emit.stream_id, version, emit.facts, emit.subject, emit.ids
            )
        session.keep(appends)
        record.appends = appends
        record.outcome = Outcome.ACCEPTED if appends else Outcome.IGNORED

    def _also_missing(
        self, decider: Decider, session: Session, records: list[_Record], later: list[int]
    ) -> Missing:
        """What the later records would ask for now: one load for the batch instead of one per
        record. A decision that needs nothing more is kept with the streams it read, to be
        used at its turn if none of them moved meanwhile (``_Foreseen``): deciding every
        later record twice cost the notifications service as much as its own decisions."""
        wanted = Missing()
        view = session.view
        for i in later:
            record = records[i]
            if record.foreseen is not None and record.foreseen.holds(session):
                continue  # decided in an earlier round, and still so
            record.foreseen = None
            command = _command(session, record)
            reads: set[str] = set()
            view.reads = reads
            decision: Sequence[Emit] | Refused
            try:
                decision = decider.decide(command)
            except Missing as missing:
                wanted.add(missing)
                continue
            except Refused as refused:
                # Kept without its traceback: the traceback holds this frame, whose
                # ``records`` hold the refusal, and the whole batch would wait for the cyclic
                # collector instead of being freed when the batch ends.
                decision = refused.with_traceback(None)
            except Exception:
                continue
            finally:
                view.reads = None
            record.foreseen = _Foreseen(decision, frozenset(reads), session.kept)
        return wanted

    async def _decide_with(self, handler: Handler, session: Session, record: _Record) -> None:
        assert record.event is not None and record.payload is not None
        uow = UnitOfWork(session.conn, self.source, record.incoming, record.event, session)
        try:
            async with session.conn.transaction():
                try:
                    await handler(uow, record.event, record.payload)
                except asyncpg.UniqueViolationError as exc:
                    # Another instance wrote the same lookup row first: decide again.
                    raise store.ConcurrencyError(record.incoming.position, -1) from exc
        except Refused as refused:
            record.refusal = refused.reasons
            return
        session.keep(uow.appended)
        record.appends = uow.appended
        record.outcome = Outcome.ACCEPTED if uow.appended else Outcome.IGNORED

    def _refuse_all(self, session: Session, records: list[_Record]) -> None:
        for record in records:
            if record.refusal is None or record.outcome is not None:
                continue
            record.outcome = Outcome.REJECTED
            stream_id = _rejection_stream(record.incoming)
            known = session.streams.get(stream_id)
            if known is not None and known.version > 0:
                continue  # redelivered after its refusal was committed
            rejection = rejection_event(
                self.service, self.source, record.incoming, record.event, record.refusal
            )
            record.appends = [store.Append(stream_id, 1, rejection)]


class _Transaction:
    """A batch's transaction, begun at its first write that is not its commit statement (if
    the connection is not in one already)."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.open: Transaction | None = None

    async def begin(self) -> None:
        if self.open is None and not self.conn.is_in_transaction():
            self.open = self.conn.transaction()
            await self.open.start()

    async def commit(self) -> None:
        if self.open is not None:
            await self.open.commit()

    async def rollback(self) -> None:
        if self.open is not None and self.conn.is_in_transaction():
            await self.open.rollback()


def _taken_by_nobody(incoming: Incoming, event: CloudEvent) -> bool:
    """A known type on an ingress topic whose service reads no ingress (notifications,
    rejections: services that own no submittable type): no owner will refuse it there, so
    the gatekeeper does (``not_submittable``)."""
    if topics.department_of_ingress(incoming.topic) is None:
        return False
    service = EVENT_TYPES[event.type].service
    return not any(t.submittable for t in EVENT_TYPES.values() if t.service == service)


def _rejection_stream(incoming: Incoming) -> str:
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
