"""Offsets are committed as soon as a record is done after a quiet spell, at most once an
interval while records keep coming, and at once when they stop."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import TopicPartition

from thidua.es.offsets import OffsetCommitter

TP = TopicPartition("t", 0)


class _Consumer:
    def __init__(self) -> None:
        self.commits: list[tuple[float, dict[TopicPartition, int]]] = []

    def assignment(self) -> set[TopicPartition]:
        return {TP}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append((time.monotonic(), dict(offsets)))


async def _until(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


@contextlib.asynccontextmanager
async def _running(committer: OffsetCommitter) -> AsyncIterator[_Consumer]:
    """``committer`` running for the block, committing to the consumer it yields."""
    consumer, stop = _Consumer(), asyncio.Event()
    running = asyncio.create_task(committer.run(stop))
    try:
        yield consumer
    finally:
        stop.set()
        await running


async def test_a_lone_record_after_a_quiet_spell_is_committed_at_once() -> None:
    committer = OffsetCommitter(interval=2.0)
    async with _running(committer) as consumer:
        await asyncio.sleep(0.05)  # quiet: nothing to commit
        assert consumer.commits == []
        done_at = time.monotonic()
        committer.done(consumer, "t", 0, 41)  # type: ignore[arg-type]
        await _until(lambda: consumer.commits)
        at, offsets = consumer.commits[0]
        assert offsets == {TP: 42}
        assert at - done_at < 0.5  # not an interval (2 s) later


async def test_records_that_keep_coming_are_committed_at_most_once_an_interval() -> None:
    # ``quiet`` as long as the interval: on a loaded machine a 20 ms sleep may last longer than
    # a shorter ``quiet``, and the records would rightly count as having stopped.
    committer = OffsetCommitter(interval=0.2, quiet=0.2)
    async with _running(committer) as consumer:
        started = time.monotonic()
        for offset in range(40):  # a record done every 20 ms, 0.8 s on an idle machine
            committer.done(consumer, "t", 0, offset)  # type: ignore[arg-type]
            await asyncio.sleep(0.02)
        sending = time.monotonic() - started
        await _until(lambda: consumer.commits and consumer.commits[-1][1] == {TP: 40})
        times = [at for at, _ in consumer.commits]
        assert 2 <= len(times) <= sending / 0.2 + 2
        assert all(b - a >= 0.19 for a, b in itertools.pairwise(times))


async def test_what_is_done_when_records_stop_is_committed_without_waiting_an_interval() -> None:
    committer = OffsetCommitter(interval=2.0, quiet=0.05)
    async with _running(committer) as consumer:
        committer.done(consumer, "t", 0, 6)  # type: ignore[arg-type]
        await _until(lambda: consumer.commits)  # the first batch: at once
        committer.done(consumer, "t", 0, 12)  # type: ignore[arg-type]
        done_at = time.monotonic()
        await _until(lambda: len(consumer.commits) == 2)
        at, offsets = consumer.commits[1]
        assert offsets == {TP: 13}
        # Within the interval (2 s), once nothing more was done for 50 ms.
        assert 0.04 <= at - done_at < 1.0
        await asyncio.sleep(0.2)
        assert len(consumer.commits) == 2  # nothing more to commit: no empty commits
