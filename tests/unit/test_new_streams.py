"""A decision may name streams it knows to be new (``StreamView.new``): they are taken as empty
without a query, and their append still fails if they are not."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from contracts.registration import PersonJoined
from tests.unit.test_foreseen_decisions import in_memory, joining
from thidua.es.batch import BatchDecision, Outcome
from thidua.es.decider import Command, Decider, Emit
from thidua.es.memory import MemoryStore
from thidua.es.store import ConcurrencyError, Stream


class Counting(MemoryStore):
    """Remembers every stream it was asked to load."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    async def load(self, stream_ids: Iterable[str]) -> dict[str, Stream]:
        stream_ids = list(stream_ids)
        self.asked += stream_ids
        return await super().load(stream_ids)


def journal_of_each_joiner() -> Decider:
    """Each joiner's unit stream is read; the joiner's own journal is new (its first event
    goes in with the unit's, whose history says whether the person joined before)."""

    def decide(c: Command[Any]) -> list[Emit]:
        p = c.payload
        unit = c.stream(f"unit:{p.unit_id}")
        if any(e.payload.person_id == p.person_id for e in unit.events):
            return []
        c.view.new(f"journal:{p.person_id}")
        return c.emit(f"unit:{p.unit_id}", p) + c.emit(f"journal:{p.person_id}", p)

    table = Decider()
    table.add(PersonJoined, decide, department=lambda p: p.department_code)
    return table


async def decided(store: Counting) -> tuple[list[Any], list[str]]:
    table = journal_of_each_joiner()
    decision = BatchDecision("registration", table)
    records, session = in_memory(decision, table, [joining("a", "u1"), joining("b", "u1")])
    session.store = store
    await decision._decide_all(session, records, None)
    appends = [a for r in records for a in r.appends]
    await store.append(appends, session.read_versions)
    return records, [f"{a.stream_id}@{a.version}" for a in appends]


async def test_a_new_stream_is_appended_to_without_being_read() -> None:
    store = Counting()

    records, appended = await decided(store)

    assert [r.outcome for r in records] == [Outcome.ACCEPTED, Outcome.ACCEPTED]
    assert appended == [
        "unit:sct-gialai/u1@1",
        "journal:sct-gialai/a@1",
        "unit:sct-gialai/u1@2",
        "journal:sct-gialai/b@1",
    ]
    assert store.asked == ["unit:sct-gialai/u1"]
    assert store.streams["journal:sct-gialai/b"].version == 1


async def test_a_stream_wrongly_taken_as_new_fails_the_append() -> None:
    store = Counting()
    # The invariant broken: a journal with an event but no trace of it in the unit.
    store.given("journal:sct-gialai/a", joining("a", "u9").payload())

    with pytest.raises(ConcurrencyError):
        await decided(store)
    assert store.streams["journal:sct-gialai/a"].version == 1  # nothing written
    assert "unit:sct-gialai/u1" not in store.streams
