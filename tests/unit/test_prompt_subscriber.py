"""The batch subscriptions poll again at once after an empty poll (FastStream would sleep), and
a prompt one gathers while it is busy (``thidua.es.subscribe.BUSY_FETCH``)."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any

from aiokafka.consumer.fetcher import Fetcher
from faststream.kafka import KafkaBroker

from thidua.es.subscribe import (
    BUSY_FETCH,
    BUSY_RECORDS_PER_S,
    GATHER_BYTES,
    PACE_S,
    _Pace,
    prompt,
)


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


class _Fetcher:
    """The two settings aiokafka's fetcher builds its fetch requests from."""

    def __init__(self, wait: int, least: int) -> None:
        self._fetch_max_wait_ms = wait
        self._fetch_min_bytes = least


def _fetcher(wait: int = 500, least: int = 1) -> _Fetcher:
    return _Fetcher(wait, least)


def test_a_prompt_consumer_gathers_while_busy_and_answers_at_once_again_when_quiet() -> None:
    fetcher = _fetcher()
    pace = _Pace(fetcher, (500, 1), since=0.0)
    per_window = int(BUSY_RECORDS_PER_S * PACE_S)
    # Quiet: a third of the busy rate, window after window.
    for n in range(1, 4):
        pace.count(per_window // 3, n * PACE_S)
        assert (fetcher._fetch_max_wait_ms, fetcher._fetch_min_bytes) == (500, 1)
    # Busy: the next window at the busy rate, counted over several polls.
    pace.count(per_window // 2, 3.5 * PACE_S)
    assert not pace.busy  # the window is not over yet
    pace.count(per_window - per_window // 2, 4 * PACE_S)
    assert (fetcher._fetch_max_wait_ms, fetcher._fetch_min_bytes) == BUSY_FETCH
    # Quiet again: empty polls end the window, and the broker answers at the first byte.
    pace.count(0, 5 * PACE_S)
    assert (fetcher._fetch_max_wait_ms, fetcher._fetch_min_bytes) == (500, 1)


class _PacedConsumer(_Consumer):
    def __init__(self, answers: list[dict[str, list[str]]], least: int) -> None:
        super().__init__(answers)
        self._fetcher = _fetcher(least=least)


def test_only_prompt_consumers_are_paced_and_by_what_they_fetch() -> None:
    broker = KafkaBroker("127.0.0.1:1")
    subscriber: Any = broker.subscriber("t", group_id="g", batch=True, max_records=10_000)
    prompt(subscriber)
    many = {"p0": ["r"] * (2 * int(BUSY_RECORDS_PER_S * PACE_S))}
    prompt_one = _PacedConsumer([dict(many) for _ in range(3)], least=1)
    gathering = _PacedConsumer([dict(many) for _ in range(3)], least=GATHER_BYTES)

    async def poll(consumer: _PacedConsumer) -> None:
        for _ in range(3):
            await subscriber.get_msg(consumer)
            await asyncio.sleep(PACE_S / 2)

    async def both() -> None:
        await asyncio.gather(poll(prompt_one), poll(gathering))

    asyncio.run(both())
    paced = prompt_one._fetcher
    assert (paced._fetch_max_wait_ms, paced._fetch_min_bytes) == BUSY_FETCH
    left = gathering._fetcher
    assert (left._fetch_max_wait_ms, left._fetch_min_bytes) == (500, GATHER_BYTES)


def test_the_installed_aiokafka_builds_its_fetches_from_the_paced_settings() -> None:
    # The pace sets these attributes on a running consumer's fetcher (aiokafka has no public
    # way to change them): an aiokafka that renamed them would make the pace a silent no-op.
    assert {"fetch_max_wait_ms", "fetch_min_bytes"} <= set(
        inspect.signature(Fetcher.__init__).parameters
    )
    built = inspect.getsource(Fetcher._get_actions_per_node)
    assert "self._fetch_max_wait_ms" in built
    assert "self._fetch_min_bytes" in built
    stored = inspect.getsource(Fetcher.__init__)
    assert "self._fetch_max_wait_ms = fetch_max_wait_ms" in stored
    assert "self._fetch_min_bytes = fetch_min_bytes" in stored
