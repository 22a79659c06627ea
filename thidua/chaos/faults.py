"""The harm a chaos run does, each fault to a process of its own stack only (found through its
supervisor's status, the stack's pid files, or the lease table of its own database):

- ``kill_service``: SIGKILL a random service instance (its supervisor restarts it);
- ``kill_broker``: ``kill -9`` one Kafka broker, then ``LocalStack.up`` restarts it;
- ``kill_postgres``: ``kill -9`` the postmaster, then ``LocalStack.up`` recovers it;
- ``stall_relay_leader``: SIGSTOP the instance leading a service's outbox relay for longer than
  its lease, until another instance has taken the lease over, then SIGCONT.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from thidua import runner
from thidua.settings import StackSettings
from thidua.stack.kafka import KafkaComponent
from thidua.stack.local import LocalStack
from thidua.stack.process import is_running, tcp_reachable, tracked_pid, wait_until
from thidua.supervision import control
from thidua.supervision.state import READY

Reporter = Callable[[str], None]
RELAY_LEASE_SECONDS = 5.0
"""``OutboxRelay``'s lease: a leader stalled longer than this loses it."""


@dataclass
class FaultLog:
    """What was done, when (seconds since the run began)."""

    service_kills: list[str] = field(default_factory=list)
    broker_kills: list[str] = field(default_factory=list)
    postgres_kills: int = 0
    stalls: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "service_kills": len(self.service_kills),
            "broker_kills": len(self.broker_kills),
            "postgres_kills": self.postgres_kills,
            "relay_leader_stalls": len(self.stalls),
        }


class FaultFailed(RuntimeError):
    """A fault could not be done as planned (a process to harm was not found, say)."""


class Faults:
    def __init__(
        self, settings: StackSettings, stack: LocalStack, rng: random.Random, report: Reporter
    ) -> None:
        self.settings = settings
        self.stack = stack
        self.rng = rng
        self.report = report
        self.log = FaultLog()
        self.began = time.monotonic()

    def _note(self, text: str) -> None:
        line = f"[{time.monotonic() - self.began:6.1f}s] {text}"
        self.log.lines.append(line)
        self.report(line)

    def service_pids(self, *, ready_only: bool = True) -> dict[str, int]:
        """Program name → pid of every service instance the run's supervisor runs."""
        status = control.status(self.settings)
        if status is None:
            raise FaultFailed("the run's supervisor is not running")
        return {
            p.name: p.pid
            for p in status.programs
            if p.name != runner.SMTP_SINK
            and p.pid is not None
            and (p.state == READY or not ready_only)
        }

    async def kill_service(self) -> None:
        """SIGKILL one ready service instance, picked at random (none ready: nothing)."""
        ready = self.service_pids()
        if not ready:
            self._note("no service instance ready to kill: skipped")
            return
        name = self.rng.choice(sorted(ready))
        with contextlib.suppress(ProcessLookupError):
            os.kill(ready[name], signal.SIGKILL)
            self.log.service_kills.append(name)
            self._note(f"SIGKILL {name} (pid {ready[name]})")

    async def kill_broker(self, node: int | None = None, down_for: float = 5.0) -> None:
        """``kill -9`` one broker (random unless ``node``), leave it down ``down_for`` seconds
        while producers and consumers carry on with the other two, then restart it."""
        brokers = [c for c in self.stack.components if isinstance(c, KafkaComponent)]
        target = brokers[node - 1] if node else self.rng.choice(brokers)
        pid = tracked_pid(target.pid_file, target.marker)
        if pid is None:
            raise FaultFailed(f"{target.name} has no running process to kill")
        os.kill(pid, signal.SIGKILL)
        self.log.broker_kills.append(target.name)
        self._note(f"kill -9 {target.name} (pid {pid})")
        await wait_until(lambda: not is_running(pid), timeout=10)
        await asyncio.sleep(down_for)  # the outage itself: the cluster runs on two brokers
        await self._restore(target.name)

    async def kill_postgres(self) -> None:
        """``kill -9`` the postmaster (its backends stay, orphaned), then recover it."""
        pid_file = self.settings.state_dir / "postgres" / "data" / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split("\n", 1)[0])
        except (OSError, ValueError) as exc:
            raise FaultFailed(f"no PostgreSQL pid in {pid_file}") from exc
        os.kill(pid, signal.SIGKILL)
        self.log.postgres_kills += 1
        self._note(f"kill -9 postgres (postmaster pid {pid})")
        await wait_until(lambda: not is_running(pid), timeout=10)
        await self._restore("postgres")

    async def _restore(self, what: str) -> None:
        started = time.monotonic()
        await self.stack.up()
        self._note(f"{what} restarted by `stack up` in {time.monotonic() - started:.1f}s")

    async def _lease(self, service: str) -> tuple[str, int] | None:
        """(holder, epoch) of ``service``'s relay lease, None while it has none or PostgreSQL
        does not answer."""
        with contextlib.suppress(OSError, asyncpg.PostgresError, TimeoutError):
            conn = await asyncpg.connect(self.settings.database_url, timeout=5)
            try:
                row = await conn.fetchrow(
                    f'SELECT holder, epoch FROM "{service}".leases '
                    "WHERE name = $1 AND expires_at > clock_timestamp()",
                    f"relay:{service}",
                )
            finally:
                await conn.close()
            return None if row is None else (str(row["holder"]), int(row["epoch"]))
        return None

    async def stall_relay_leader(self, service: str = "registration") -> None:
        """SIGSTOP the instance that leads ``service``'s relay, keep it stopped until another
        instance holds the lease (at least twice the lease), then SIGCONT it."""
        # The lease may still name an instance killed a moment ago (it lasts until it
        # expires): wait for a live instance of this run to hold it. Never signal a process
        # that is not this run's.
        seen: list[tuple[tuple[str, int] | None, dict[int, str]]] = []

        async def held_by_ours() -> bool:
            lease = await self._lease(service)
            seen.append((lease, {p: n for n, p in self.service_pids(ready_only=False).items()}))
            return lease is not None and _holder_pid(lease) in seen[-1][1]

        found = await wait_until(held_by_ours, timeout=60, interval=0.5)
        lease, ours = seen[-1]
        if lease is None:
            raise FaultFailed(f"no instance of {service} holds its relay lease")
        pid, epoch = _holder_pid(lease), lease[1]
        if not found:
            raise FaultFailed(f"the lease holder pid {pid} is not a service of this run")
        os.kill(pid, signal.SIGSTOP)
        stopped = time.monotonic()
        self._note(f"SIGSTOP {ours[pid]} (pid {pid}), leader of relay:{service} epoch {epoch}")
        taken: tuple[str, int] | None = None
        try:
            while time.monotonic() - stopped < 60:
                now = await self._lease(service)
                if now is not None and now[1] > epoch:
                    taken = now
                if taken and time.monotonic() - stopped >= 2 * RELAY_LEASE_SECONDS:
                    break
                await asyncio.sleep(0.5)
        finally:
            os.kill(pid, signal.SIGCONT)
        held = time.monotonic() - stopped
        if taken is None:
            self._note(f"SIGCONT pid {pid} after {held:.1f}s: nobody took the lease over")
            self.log.stalls.append(f"{ours[pid]} {held:.1f}s, not taken over")
            return
        successor = _holder_pid(taken)
        name = ours.get(successor, f"pid {successor}")
        self._note(
            f"SIGCONT {ours[pid]} after {held:.1f}s; relay:{service} taken over by {name} "
            f"(epoch {epoch} → {taken[1]})"
        )
        self.log.stalls.append(f"{ours[pid]} {held:.1f}s, epoch {epoch}→{taken[1]} ({name})")

    async def postgres_answers(self) -> bool:
        return await tcp_reachable(f"127.0.0.1:{self.settings.postgres_port}")


def _holder_pid(lease: tuple[str, int]) -> int:
    """The pid in a lease's holder (``host/pid/random``, ``thidua.es.lease``)."""
    return int(lease[0].split("/")[1])
