"""The facts a replay copies while it folds: each recorded fact sent once, in order, and the
copy ended only once the fold has ended."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from services.reporting.facts import Fact
from services.reporting.readmodels import write
from services.reporting.readmodels.replay import _FactsCopy
from services.reporting.readmodels.state import ModelState


def _record(state: ModelState, n: int) -> None:
    state.record("PersonJoined", Fact(f"e{n}", "joined", date(2025, 1, 1 + n % 28)))


async def _streamed(slices: list[int]) -> list[object]:
    state = ModelState(complete=True)
    facts = _FactsCopy(state)
    sent: list[object] = []

    async def copy() -> None:
        async for row in facts._rows():
            sent.append(row[0])

    task = asyncio.create_task(copy())
    n = 0
    for size in slices:  # as ``feed`` does: record a slice, then let the copy run
        for _ in range(size):
            _record(state, n)
            n += 1
        facts.more.set()
        await asyncio.sleep(0)
    facts.end()
    await asyncio.wait_for(task, timeout=5)
    return sent


def test_each_fact_is_sent_once_in_the_order_recorded() -> None:
    sent = asyncio.run(_streamed([3, 0, 5, 1]))
    assert sent == [f"e{n}" for n in range(9)]


def test_facts_recorded_before_the_copy_first_runs_are_sent() -> None:
    async def run() -> list[object]:
        state = ModelState(complete=True)
        facts = _FactsCopy(state)
        for n in range(4):
            _record(state, n)
        facts.end()
        return [row[0] async for row in facts._rows()]

    assert asyncio.run(run()) == ["e0", "e1", "e2", "e3"]


def test_a_fact_counted_twice_is_sent_once_as_its_row() -> None:
    state = ModelState(complete=True)

    async def run() -> list[tuple[object, ...]]:
        facts = _FactsCopy(state)
        _record(state, 0)
        _record(state, 0)  # redelivered: ``record`` counts an event id once
        facts.end()
        return [row async for row in facts._rows()]

    rows = asyncio.run(run())
    assert rows == [write.fact_row(state.new_facts[0])]
    assert rows[0][:3] == ("e0", "PersonJoined", "joined")


def test_a_fact_made_without_attrs_is_written_and_its_attrs_are_read_only() -> None:
    """Facts are final once made: their attrs are read, never changed (a change is a new
    fact), so a fact made without any shares one read-only mapping, written as ``{}``."""
    state = ModelState(complete=True)
    bare = Fact("e-bare", "tally", date(2024, 3, 1), department_code="sct-gl")
    state.record("PerformanceRated", bare)
    assert write.fact_row(state.new_facts[0])[-1] == "{}"
    with pytest.raises(TypeError):
        bare.attrs["figure"] = "x"  # type: ignore[index]
    changed = bare._replace(attrs={"figure": "ratings"})
    assert write.fact_row(state.new_facts[0])[-1] == "{}"
    assert changed.attrs == {"figure": "ratings"} and bare.attrs == {}
