"""Deciding a batch of records for one consumer: :class:`BatchDecision` (see the package's
docstring for the steps).

It holds what needs the connection: the inbox lookup, the transaction begun at the first
write, the older-style handlers (each in a savepoint), the refusals' facts and the one
statement that appends and commits; reading the records and deciding them in memory are in
``thidua.es.batch.reading`` and ``thidua.es.batch.pure``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import asyncpg
from asyncpg.transaction import Transaction

from contracts.rejections import GenericReason
from thidua.es import inbox, store
from thidua.es.batch.pure import decide_pure, segments_of
from thidua.es.batch.reading import Outcome, Ownership, ReadBatch, Record, read_record
from thidua.es.batch.rejection import rejection_event, rejection_stream
from thidua.es.db import Conn
from thidua.es.decider import Decider
from thidua.es.intake import Incoming
from thidua.es.rejections import Reason, Refused
from thidua.es.session import Around, Handler, Session, StreamCache, UnitOfWork


class BatchDecision:
    """Decides batches for one consumer of one service (see the package's docstring)."""

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
                rejection_stream(r.incoming)
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

    def _read(self, incoming: Incoming) -> Record:
        return read_record(self.ownership, incoming)

    async def _check_inbox(self, conn: Conn, records: list[Record]) -> None:
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
        records: list[Record],
        around: Around | None,
        writing: _Transaction | None = None,
    ) -> None:
        """Decide the records not refused yet; ``writing`` is begun before the read copies are
        kept or a handler writes (None: the caller's transaction)."""
        pending = [i for i, r in enumerate(records) if r.outcome is None and r.refusal is None]
        if writing is not None and any(self._writes_for(records[i]) for i in pending):
            await writing.begin()
        if isinstance(self.handler, Decider):
            segments = segments_of(self.handler, records, pending)
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
                await decide_pure(self.handler, session, records, segment, around)
        else:
            for i in pending:
                with around(i) if around else contextlib.nullcontext():
                    await self._decide_with(self.handler, session, records[i])

    def _writes_for(self, record: Record) -> bool:
        """Whether deciding ``record`` writes before the batch's append (a read copy of it
        kept, or a handler's own writes)."""
        if not isinstance(self.handler, Decider):
            return True
        if self.handler.read_inputs is None:
            return False
        kept = self.handler.inputs_kept
        return kept is None or (record.event is not None and kept(record.event.type))

    async def _decide_with(self, handler: Handler, session: Session, record: Record) -> None:
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

    def _refuse_all(self, session: Session, records: list[Record]) -> None:
        for record in records:
            if record.refusal is None or record.outcome is not None:
                continue
            record.outcome = Outcome.REJECTED
            stream_id = rejection_stream(record.incoming)
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
