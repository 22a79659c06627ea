"""A decider's ``read_inputs`` keeps read copies of the batch's inputs before its decisions.
Kept for the whole batch at once, a decision reads a later record's input too; with
``inputs_in_order`` each decision reads the read copies as of its own record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from tests.unit.test_foreseen_decisions import in_memory, joining
from thidua.es.batch import BatchDecision
from thidua.es.db import Conn
from thidua.es.decider import Command, Decider, Emit, Lookup


def reading_the_last_joiner(order: bool, kept: set[str], seen: dict[str, Any]) -> Decider:
    """Keeps every joiner in ``kept``; deciding a joiner reads whether ``c`` is kept yet."""

    async def keep(conn: Conn, events: Sequence[CloudEvent]) -> None:
        kept.update(str(e.data["person_id"]) for e in events)

    async def known(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
        return {k: k in kept for k in keys}

    def decide(c: Command[Any]) -> list[Emit]:
        seen[c.payload.person_id] = c.lookup("known", "sct-gialai/c")
        return []

    table = Decider(
        lookups={"known": Lookup("known", known)}, read_inputs=keep, inputs_in_order=order
    )
    table.add(PersonJoined, decide, department=lambda p: p.department_code)
    return table


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (False, {"sct-gialai/a": True, "sct-gialai/b": True, "sct-gialai/c": True}),
        (True, {"sct-gialai/a": False, "sct-gialai/b": False, "sct-gialai/c": True}),
    ],
)
async def test_each_decision_reads_the_inputs_up_to_its_own_record(
    order: bool, expected: dict[str, bool]
) -> None:
    kept: set[str] = set()
    seen: dict[str, Any] = {}
    table = reading_the_last_joiner(order, kept, seen)
    decision = BatchDecision("awards", table)
    events = [joining("a", "u1"), joining("b", "u2"), joining("c", "u3")]
    records, session = in_memory(decision, table, events)

    await decision._decide_all(session, records, None)

    assert seen == expected
    assert kept == {"sct-gialai/a", "sct-gialai/b", "sct-gialai/c"}
