"""A background program's batch waits while the CPU is saturated, a bounded time, and goes once
the pressure has fallen below a lower mark; a program on the path to the rollup, a kernel
without PSI, or a limit of 0 never waits."""

from __future__ import annotations

from pathlib import Path

import pytest

from thidua.es.pressure import BATCH, MOST, SpareCpu, longest_wait, stalled_microseconds


class _Machine:
    """A PSI counter and a clock: each read of the counter is one step later, and tasks waited
    the next share of ``shares`` of it (the last share repeats)."""

    def __init__(self, step: float, shares: list[float]) -> None:
        self.step, self.shares = step, shares
        self.now, self.stalled = 0.0, 0
        self.reads = 0

    def counter(self) -> int:
        if self.reads:
            share = self.shares[min(self.reads - 1, len(self.shares) - 1)]
            self.now += self.step
            self.stalled += int(share * self.step * 1e6)
        self.reads += 1
        return self.stalled

    def clock(self) -> float:
        return self.now


def _spare(machine: _Machine, most: float = 1.0) -> SpareCpu:
    return SpareCpu(machine.counter, background=True, step=0.001, most=most, clock=machine.clock)


async def test_a_saturated_cpu_holds_a_background_batch_at_most_its_limit() -> None:
    machine = _Machine(0.1, [0.9])
    spare = _spare(machine, most=1.0)
    waited = await spare.wait()
    assert 1.0 <= waited < 1.2


async def test_a_cpu_with_room_lets_the_batch_go_after_one_look() -> None:
    machine = _Machine(0.1, [0.2])
    spare = _spare(machine)
    began = machine.clock()
    assert await spare.wait() == 0.0  # not held: the look itself is not counted as waiting
    assert machine.clock() - began == pytest.approx(0.1)  # one step to look


async def test_a_waiting_batch_goes_only_once_the_pressure_is_below_the_lower_mark() -> None:
    # Saturated, then between the marks (would not have started a wait, does not end one),
    # then calm.
    machine = _Machine(0.1, [0.9, 0.2, 0.2, 0.2, 0.05])
    waited = await _spare(machine, most=5.0).wait()
    assert waited == pytest.approx(0.5)


async def test_the_path_to_the_rollup_a_kernel_without_psi_or_no_limit_never_wait() -> None:
    machine = _Machine(0.1, [1.0])
    assert await SpareCpu(machine.counter, background=False, clock=machine.clock).wait() == 0.0
    assert await SpareCpu(lambda: None, background=True, step=10).wait() == 0.0
    assert await SpareCpu(machine.counter, background=True, most=0.0).wait() == 0.0


def test_the_supervisors_mark_and_the_limit_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("THIDUA_BACKGROUND", raising=False)
    monkeypatch.delenv("THIDUA_BACKGROUND_YIELD_S", raising=False)
    assert not SpareCpu().background
    assert longest_wait() == MOST
    monkeypatch.setenv("THIDUA_BACKGROUND", "1")
    monkeypatch.setenv("THIDUA_BACKGROUND_YIELD_S", "2.5")
    spare = SpareCpu()
    assert spare.background and spare.most == 2.5
    monkeypatch.setenv("THIDUA_BACKGROUND_YIELD_S", "soon")
    assert longest_wait() == MOST
    assert 0 < BATCH <= 1000


def test_the_kernels_counter_is_read_from_its_some_line(tmp_path: Path) -> None:
    psi = tmp_path / "cpu"
    psi.write_text(
        "some avg10=3.04 avg60=20.84 avg300=30.07 total=14162559755\n"
        "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    )
    assert stalled_microseconds(psi) == 14162559755
    assert stalled_microseconds(tmp_path / "missing") is None
