"""The batch subscriptions poll again at once after an empty poll (FastStream would sleep)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from faststream.kafka import KafkaBroker

from thidua.es.subscribe import prompt


class _Consumer:
    """Answers each ``getmany`` at once with the next of ``answers``."""

    def __init__(self, answers: list[dict[str, list[str]]]) -> None:
        self.answers = answers
        self.asked: list[dict[str, Any]] = []

    async def getmany(self, **options: Any) -> dict[str, list[str]]:
        self.asked.append(options)
        return self.answers.pop(0)


def test_an_empty_poll_returns_at_once_and_records_come_flattened() -> None:
    broker = KafkaBroker("127.0.0.1:1")
    subscriber: Any = broker.subscriber(
        "t", group_id="g", batch=True, batch_timeout_ms=2000, max_records=7
    )
    prompt(subscriber)
    consumer = _Consumer([{}, {"p0": ["a", "b"], "p1": ["c"]}])

    async def poll_twice() -> tuple[Any, Any, float]:
        started = time.perf_counter()
        empty = await subscriber.get_msg(consumer)
        return empty, await subscriber.get_msg(consumer), time.perf_counter() - started

    empty, records, took = asyncio.run(poll_twice())
    assert empty == ()
    assert records == ("a", "b", "c")
    # FastStream's own get_msg sleeps batch_timeout_ms (2 s here) after the empty poll.
    assert took < 1.0
    assert consumer.asked == [{"timeout_ms": 2000, "max_records": 7}] * 2
