"""The chaos run's relay stall signals the instance that leads the relay. Right after a service
kill, the lease may still name the killed instance until it expires: the stall waits for a
live instance of the run to lead, instead of giving up (CI's chaos run once counted the stall
as not done: "the lease holder pid … is not a service of this run")."""

from __future__ import annotations

import asyncio
import random
import signal
from typing import Any

import pytest

from thidua.chaos import faults as module
from thidua.chaos.faults import FaultFailed, Faults

LIVE = {"registration": 111, "registration-2": 222}


def _faults(leases: list[tuple[str, int] | None], monkeypatch: pytest.MonkeyPatch) -> Faults:
    made = Faults(None, None, random.Random(0), lambda line: None)  # type: ignore[arg-type]
    answers = iter(leases)

    async def lease(service: str) -> tuple[str, int] | None:
        return next(answers, leases[-1])

    real_sleep = asyncio.sleep

    async def no_wait(seconds: float) -> None:
        await real_sleep(0)

    monkeypatch.setattr(made, "_lease", lease)
    monkeypatch.setattr(made, "service_pids", lambda *, ready_only=True: dict(LIVE))
    monkeypatch.setattr(module.asyncio, "sleep", no_wait)
    monkeypatch.setattr(module, "RELAY_LEASE_SECONDS", 0.0)
    return made


async def test_the_stall_waits_for_a_live_leader_after_the_killed_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signals: list[tuple[int, Any]] = []
    monkeypatch.setattr(module.os, "kill", lambda pid, sig: signals.append((pid, sig)))
    killed = ("host/999/dead", 3)  # killed a moment ago; its lease not expired yet
    made = _faults([killed, killed, None, ("host/222/live", 4), ("host/111/next", 5)], monkeypatch)
    await made.stall_relay_leader("registration")
    assert signals == [(222, signal.SIGSTOP), (222, signal.SIGCONT)]
    assert made.log.counts()["relay_leader_stalls"] == 1
    assert "epoch 4→5" in made.log.stalls[0]


async def test_a_lease_never_held_by_the_run_is_not_stalled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signals: list[tuple[int, Any]] = []
    monkeypatch.setattr(module.os, "kill", lambda pid, sig: signals.append((pid, sig)))
    clock = iter(range(0, 1000, 7))
    monkeypatch.setattr(module.time, "monotonic", lambda: float(next(clock)))
    made = _faults([("host/999/other", 3)], monkeypatch)
    with pytest.raises(FaultFailed, match="pid 999 is not a service of this run"):
        await made.stall_relay_leader("registration")
    assert signals == []
