"""``thidua.es.db.overlapped``: the statement is sent before the work runs, and is always
awaited before the work's error is raised (its connection is free again)."""

from __future__ import annotations

import asyncio

import pytest

from thidua.es.db import overlapped


async def test_the_work_runs_while_the_statement_waits_for_its_answer() -> None:
    steps: list[str] = []
    answer: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def statement() -> int:
        steps.append("sent")
        result = await answer
        steps.append("answered")
        return result

    def work() -> str:
        steps.append("work")
        answer.set_result(7)  # the database answers while the work runs
        return "lines"

    # Awaiting the statement before the work would never get its answer: timed out here.
    assert await asyncio.wait_for(overlapped(statement(), work), 2) == (7, "lines")
    assert steps == ["sent", "work", "answered"]


async def test_a_failing_work_waits_for_the_statement_before_raising() -> None:
    finished: list[bool] = []

    async def statement() -> int:
        await asyncio.sleep(0.01)
        finished.append(True)
        return 1

    def work() -> None:
        raise ValueError("bad line")

    with pytest.raises(ValueError, match="bad line"):
        await overlapped(statement(), work)
    assert finished == [True]


async def test_a_failing_statement_raises_after_the_work() -> None:
    done: list[str] = []

    async def statement() -> int:
        raise ConnectionError("gone")

    with pytest.raises(ConnectionError):
        await overlapped(statement(), lambda: done.append("work"))
    assert done == ["work"]
