"""A quiet machine before each section of the bench.

A section leaves work behind it that outlives its measurement: a service's backlog (after the
open loop at 500 events/s, notifications and the audit trail catch up for tens of seconds),
autovacuum's passes over the tables a scenario grew, the checkpoint of its writes. On two cores
the next section would be measured under them. Each section therefore starts once the cores
have been mostly idle for a moment (or after ``timeout``, said aloud), and the report says how
long that took.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

STAT = Path("/proc/stat")


def cpu_times(stat: str) -> tuple[int, int]:
    """(idle, total) jiffies of all cores from ``/proc/stat``'s text: idle counts iowait."""
    fields = stat.split("\n", 1)[0].split()
    if not fields or fields[0] != "cpu":
        raise ValueError("not /proc/stat: its first line is the cores' total")
    ticks = [int(x) for x in fields[1:]]
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    return ticks[3] + ticks[4], sum(ticks[:8])


def _read() -> tuple[int, int] | None:
    return cpu_times(STAT.read_text()) if STAT.exists() else None


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of the cores' time that was busy between two ``cpu_times`` readings."""
    total = after[1] - before[1]
    if total <= 0:
        return 0.0
    return max(0.0, 1.0 - (after[0] - before[0]) / total)


async def until_quiet(
    below: float = 0.15, window: float = 1.0, timeout: float = 90.0
) -> tuple[float, float] | None:
    """Wait until the cores were busy less than ``below`` of their time over one ``window``
    (or ``timeout`` passed). Returns (seconds waited, the last window's busy share); None where
    the machine's counters cannot be read (not Linux)."""
    before = _read()
    if before is None:
        return None
    started = time.monotonic()
    while True:
        await asyncio.sleep(window)  # the measuring window itself, not a stand-in for a state
        after = _read()
        assert after is not None
        share = busy_share(before, after)
        waited = time.monotonic() - started
        if share < below or waited >= timeout:
            return waited, share
        before = after


async def settle(title: str, below: float = 0.15, timeout: float = 90.0) -> None:
    """``until_quiet``, and a line saying what it found."""
    found = await until_quiet(below, timeout=timeout)
    if found is None:
        return
    waited, share = found
    if share >= below:
        print(
            f"  the machine is still busy ({share:.0%} of its cores) after {waited:.0f} s:"
            f" {title} is measured anyway",
            flush=True,
        )
    else:
        print(
            f"  quiet before {title} after {waited:.1f} s ({share:.0%} of the cores busy)",
            flush=True,
        )
