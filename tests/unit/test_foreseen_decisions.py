"""While a batch looks for the streams its records miss, the later records are decided ahead of
their turn. Such a decision is used at its turn only if no record decided in between appended
to a stream it read; otherwise the record is decided again, and sees those appends."""

from __future__ import annotations

import gc
import weakref
from collections import Counter
from datetime import date
from typing import Any

from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from thidua.es.batch import BatchDecision, Outcome
from thidua.es.decider import Command, Decider, Emit
from thidua.es.intake import Incoming
from thidua.es.memory import MemoryStore
from thidua.es.rejections import refuse
from thidua.es.session import Session, StreamCache

INGRESS = "thidua.ingress.sct-gialai"


def joining(person: str, unit: str) -> CloudEvent:
    payload = PersonJoined(
        person_id=f"sct-gialai/{person}",
        department_code="sct-gialai",
        unit_id=f"sct-gialai/{unit}",
        full_name="Nguyễn Thị Lan",
        sex="female",
        joined_on=date(2010, 9, 1),
    )
    return CloudEvent.new(payload, source="urn:dept", department="sct-gialai")


def first_joiner_only(decided: Counter[str]) -> Decider:
    """Each unit takes its first joiner and refuses the next (it reads the unit's stream and
    the person's)."""

    def decide(c: Command[Any]) -> list[Emit]:
        p = c.payload
        decided[p.person_id] += 1
        unit = c.stream(f"unit:{p.unit_id}")
        c.stream(f"person:{p.person_id}")
        if unit.events:
            raise refuse("test.unit_taken", "Đơn vị đã có người")
        return c.emit(f"unit:{p.unit_id}", p)

    table = Decider()
    table.add(PersonJoined, decide, department=lambda p: p.department_code)
    return table


def in_memory(
    decision: BatchDecision, table: Decider, events: list[CloudEvent]
) -> tuple[list[Any], Session]:
    """``events`` read as records of one batch on the ingress, and a session on an in-memory
    store (no database: the deciders here read nothing else)."""
    records = [
        decision._read(Incoming(INGRESS, 0, n, None, e.to_json())) for n, e in enumerate(events)
    ]
    session = Session(None, StreamCache(), decision.source, table)  # type: ignore[arg-type]
    session.store = MemoryStore()
    return records, session


async def test_a_decision_made_ahead_is_used_unless_a_stream_it_read_moved() -> None:
    decided: Counter[str] = Counter()
    table = first_joiner_only(decided)
    decision = BatchDecision("registration", table)
    events = [joining("a", "u1"), joining("b", "u2"), joining("c", "u1")]
    records, session = in_memory(decision, table, events)
    # As if cached from earlier batches: everything but the first person's stream.
    await session.ensure(
        ["unit:sct-gialai/u1", "unit:sct-gialai/u2", "person:sct-gialai/b", "person:sct-gialai/c"]
    )

    await decision._decide_all(session, records, None)

    # a misses its stream: b and c are decided ahead while it is loaded. a then takes u1; b's
    # decision read nothing that moved and is used; c's read u1, which a took: decided again.
    assert decided == {"sct-gialai/a": 2, "sct-gialai/b": 1, "sct-gialai/c": 2}
    assert [r.outcome for r in records] == [Outcome.ACCEPTED, Outcome.ACCEPTED, None]
    assert [r.code for r in records[2].refusal or []] == ["test.unit_taken"]
    assert [a.stream_id for r in records for a in r.appends] == [
        "unit:sct-gialai/u1",
        "unit:sct-gialai/u2",
    ]


async def test_a_batch_is_freed_without_the_cyclic_collector() -> None:
    # A refusal decided ahead and used at its turn, and a record that misses streams: neither
    # may leave the batch in a reference cycle (a refusal kept with its traceback held the
    # frame that held the records), or every batch waits for a collection to be freed.
    decided: Counter[str] = Counter()
    table = first_joiner_only(decided)
    decision = BatchDecision("registration", table)
    events = [joining("a", "u1"), joining("b", "u2")]
    records, session = in_memory(decision, table, events)
    session.store.given("unit:sct-gialai/u2", events[1].payload())  # type: ignore[attr-defined]
    await session.ensure(["unit:sct-gialai/u1", "unit:sct-gialai/u2", "person:sct-gialai/b"])
    gc.collect()
    gc.disable()
    try:
        await decision._decide_all(session, records, None)
        assert decided == {"sct-gialai/a": 2, "sct-gialai/b": 1}  # b's refusal made ahead
        assert [r.code for r in records[1].refusal or []] == ["test.unit_taken"]
        kept = weakref.ref(records[1])
        del records, session
        assert kept() is None  # freed as soon as the batch let go of it
    finally:
        gc.enable()
