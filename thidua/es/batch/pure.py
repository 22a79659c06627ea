"""Deciding a pure decider's records in order, in memory: the streams they miss loaded for
the batch at once, and the later records' decisions foreseen meanwhile.

Apart from :class:`thidua.es.batch.decision.BatchDecision`, which runs this between its inbox
check and its append: a decider does no I/O, so this part only reads the :class:`Session`
and loads what the decisions ask for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from contracts import topics
from contracts.base import EventData
from thidua.es import store
from thidua.es.batch.reading import Foreseen, Outcome, Record
from thidua.es.decider import Command, Decider, Emit, Missing
from thidua.es.rejections import Refused
from thidua.es.session import Around, Session

MAX_LOAD_ROUNDS = 20
"""Rounds of stream loading one record may take before it is judged to loop."""


def _command(session: Session, record: Record) -> Command[EventData]:
    """``record`` as its decider sees it (read through the batch's view)."""
    assert record.event is not None and record.payload is not None
    return Command(
        record.payload,
        record.event,
        record.incoming,
        topics.department_of_ingress(record.incoming.topic),
        session.view,
    )


def segments_of(decider: Decider, records: list[Record], pending: list[int]) -> list[list[int]]:
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


async def decide_pure(
    decider: Decider,
    session: Session,
    records: list[Record],
    pending: list[int],
    around: Around | None,
) -> None:
    """Decide the ``pending`` records in order; a record that misses streams has them loaded,
    with what the later records would ask for too (:func:`_also_missing`), and is decided
    again."""
    rounds = 0
    at = 0
    while at < len(pending):
        record = records[pending[at]]
        try:
            with around(pending[at]) if around else contextlib.nullcontext():
                _decide_one(decider, session, record)
        except Missing as missing:
            rounds += 1
            if rounds > MAX_LOAD_ROUNDS:
                raise RuntimeError(f"decision keeps asking for streams: {missing}") from None
            missing.add(_also_missing(decider, session, records, pending[at + 1 :]))
            await session.load(missing)
            continue
        rounds = 0
        at += 1


def _decide_one(decider: Decider, session: Session, record: Record) -> None:
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
    decider: Decider, session: Session, records: list[Record], later: list[int]
) -> Missing:
    """What the later records would ask for now: one load for the batch instead of one per
    record. A decision that needs nothing more is kept with the streams it read, to be
    used at its turn if none of them moved meanwhile (``Foreseen``): deciding every
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
        record.foreseen = Foreseen(decision, frozenset(reads), session.kept)
    return wanted
