"""The stream cache of a consumer stays within its bounds: streams and the events they hold."""

from __future__ import annotations

from contracts.registration import UnitEstablished
from tests.integration.test_event_store import unit_established
from thidua.es.session import StreamCache
from thidua.es.store import Stream


def stream(name: str, events: int) -> Stream:
    grown = Stream(name)
    return grown.extended([unit_established(n) for n in range(events)]) if events else grown


def test_the_least_recently_used_streams_go_first_when_events_overflow() -> None:
    cache = StreamCache(capacity=100, max_events=10)
    cache.put([stream("a", 4), stream("b", 4)])
    assert cache.get("a") is not None  # "a" is now the most recent
    cache.put([stream("c", 4)])
    assert (cache.get("b"), len(cache), cache.events) == (None, 2, 8)
    assert isinstance(cache.get("a").events[0].payload, UnitEstablished)  # type: ignore[union-attr]


def test_replacing_a_stream_counts_its_events_once() -> None:
    cache = StreamCache(capacity=100, max_events=100)
    cache.put([stream("a", 3)])
    cache.put([stream("a", 5)])
    assert (len(cache), cache.events) == (1, 5)
    cache.forget(["a"])
    assert (len(cache), cache.events) == (0, 0)


def test_empty_streams_count_against_the_bound_too() -> None:
    cache = StreamCache(capacity=1_000, max_events=3)
    cache.put([stream(f"rejection:{n}", 0) for n in range(5)])
    assert (len(cache), cache.events) == (3, 3)


def test_a_fact_decided_here_is_kept_as_decided_not_parsed_again() -> None:
    events = [unit_established(n) for n in range(2)]
    facts = [e.payload() for e in events]
    grown = Stream("s").extended(events, [facts[0], None])
    assert grown.events[0].payload is facts[0]  # the fact itself
    assert grown.events[1].payload == facts[1]  # read back from its event
    assert grown.events[1].payload is not facts[1]
    assert [e.version for e in grown.events] == [1, 2]
