"""A service's heap once it is up: what lives then is frozen, and young objects are collected
once a batch's worth has accumulated, not every 700 (``runner.GC_THRESHOLDS``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from thidua import runner


@pytest.fixture
def restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored")
def test_a_batch_of_objects_alive_at_once_stays_young() -> None:
    runner.settle_heap()
    assert gc.get_threshold() == runner.GC_THRESHOLDS
    assert gc.get_freeze_count() > 0
    before = gc.get_stats()
    # 20,000 containers: about what a batch of 500 records holds while it is decided.
    batch = [{"data": {"i": i, "tags": [str(i)]}, "n": [i]} for i in range(5_000)]
    after = gc.get_stats()
    assert len(batch) == 5_000
    # Not one young collection ran while the batch was built (Python's 700 would run about 28),
    # so nothing of it was promoted to an older generation while still in use.
    assert after[0]["collections"] == before[0]["collections"]


@pytest.mark.usefixtures("restored")
def test_a_bench_settles_its_heap_for_a_while_then_gives_it_back() -> None:
    before = gc.get_threshold()
    held = [{"event": i} for i in range(1_000)]  # a scenario, say
    with runner.heap_settled():
        assert gc.get_threshold() == runner.GC_THRESHOLDS
        assert gc.get_freeze_count() >= len(held)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
