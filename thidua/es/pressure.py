"""Background work that waits while the machine has no CPU to spare.

A program run below the usual priority (mail, the audit trail: ``runner.BACKGROUND``) still
took what the path to the rollup left between its waits, and Kafka and PostgreSQL worked for it
at the usual priority meanwhile: stopping the three background programs for a run of the
3,000-people scenario made it 15-20% faster, while lowering their priority further, or their
CPU weight to the least a cgroup allows, changed nothing measurable (docs/decisions.md,
twenty-first to twenty-third sessions).

So the supervisor marks such a program (``THIDUA_BACKGROUND=1``,
:func:`thidua.runner.background_env`), and before each batch its consumers look at Linux's
CPU pressure (PSI, ``/proc/pressure/cpu``: the share of wall time in which some runnable task
waited for a CPU). When tasks waited more than :data:`BUSY` of the last :data:`STEP`, the
batch waits until they wait less than :data:`CALM` of a step, or at most :data:`MOST` seconds
(``THIDUA_BACKGROUND_YIELD_S``, 0 for never): a saturation that lasts still lets a batch
through every few seconds, so mail and the trail always move on, and they catch up at full
speed once the path is quiet. A kernel without PSI (or with it switched off) never makes a
batch wait.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

CPU_PRESSURE = Path("/proc/pressure/cpu")

BUSY = 0.25
"""Tasks waited for a CPU more than this share of a step: a batch waits (measured, 0.5 let the
background through during the dossiers, when awards alone keeps a core busy and PostgreSQL
works for everyone: 1,559 events/s against 1,721 at 0.25, three interleaved pairs)."""
CALM = 0.1
"""A waiting batch goes once tasks waited less than this share of a step."""
STEP = 0.1
"""Seconds over which the pressure is measured, and between two looks while waiting."""
MOST = 5.0
"""Seconds a batch waits at most, unless ``THIDUA_BACKGROUND_YIELD_S`` says otherwise."""
BATCH = 500
"""Records a background consumer takes at most in one batch: a batch is where it can wait, and
a projection's usual 10,000 records would keep the audit trail busy for seconds at a stretch."""


def is_background() -> bool:
    """Whether the supervisor runs this program below the path to the rollup."""
    return os.environ.get("THIDUA_BACKGROUND") == "1"


def longest_wait() -> float:
    """``THIDUA_BACKGROUND_YIELD_S`` (the seconds a background batch waits at most), else
    :data:`MOST`."""
    raw = os.environ.get("THIDUA_BACKGROUND_YIELD_S", "")
    try:
        return max(float(raw), 0.0) if raw else MOST
    except ValueError:
        log.warning("THIDUA_BACKGROUND_YIELD_S=%r is not a number of seconds; %s used", raw, MOST)
        return MOST


def stalled_microseconds(path: Path = CPU_PRESSURE) -> int | None:
    """Microseconds some task has waited for a CPU since boot (the ``some`` line's ``total``),
    None where the kernel has no PSI (or it is switched off)."""
    try:
        line = path.read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    for field in line.split():
        if field.startswith("total="):
            return int(field.removeprefix("total="))
    return None


class SpareCpu:
    """Waits, in a background program, while the CPU is saturated (:meth:`wait`); in any other
    program, or without PSI, never waits."""

    def __init__(
        self,
        stalled: Callable[[], int | None] = stalled_microseconds,
        *,
        background: bool | None = None,
        busy: float = BUSY,
        calm: float = CALM,
        step: float = STEP,
        most: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stalled = stalled
        self.background = is_background() if background is None else background
        self.busy = busy
        self.calm = calm
        self.step = step
        self.most = longest_wait() if most is None else most
        self.clock = clock

    async def wait(self) -> float:
        """Wait while some task waited for a CPU more than ``busy`` of a step (then more than
        ``calm``), at most ``most`` seconds; returns the seconds waited because the CPU was
        saturated (0 when it was not over the first step, which every batch takes to look)."""
        if not self.background or self.most <= 0:
            return 0.0
        before, then = self.stalled(), self.clock()
        if before is None:  # no PSI here: nothing to go by
            self.background = False
            return 0.0
        began, threshold, looks = then, self.busy, 0
        while True:
            await asyncio.sleep(self.step)
            now, at = self.stalled(), self.clock()
            looks += 1
            if now is None or (now - before) / 1e6 < threshold * max(at - then, self.step):
                break
            if at - began >= self.most:
                break
            before, then, threshold = now, at, self.calm
        return self.clock() - began if looks > 1 else 0.0
