"""An asyncio supervisor: each program runs as a child process of this one, which reaps it
when it exits, restarts it after a crash with capped backoff (``state.Backoff``), records its
restarts and last exit in the status file, and stops the whole lot on request.

A program is ready when its ready file holds the pid of its current process (``thidua run``
writes it once the service serves); the file is removed before each start, so one left by a
killed process never counts for the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from thidua.supervision.state import (
    BACKOFF,
    READY,
    STARTING,
    STOPPED,
    Backoff,
    ProgramStatus,
    SupervisorStatus,
    describe_exit,
)

log = logging.getLogger("thidua.supervisor")


@dataclass(frozen=True)
class Program:
    """A command to keep running."""

    name: str
    argv: Sequence[str]
    log_file: Path
    ready_file: Path | None = None
    env: dict[str, str] | None = None
    nice: int = 0
    """How much lower than the others it runs when they compete for the CPU (0 to 19; see
    :func:`lower_priority`)."""


class Supervisor:
    def __init__(
        self,
        programs: Sequence[Program],
        status_file: Path,
        *,
        backoff: Backoff | None = None,
        stop_timeout: float = 20.0,
        poll_interval: float = 0.2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.programs = list(programs)
        self.status_file = status_file
        self.backoff = backoff or Backoff()
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.clock = clock
        self.status = SupervisorStatus(
            pid=os.getpid(),
            started_at=clock(),
            programs=[ProgramStatus(p.name) for p in self.programs],
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Keep every program running until ``stop`` is set; then stop them all (SIGTERM to
        each process group, SIGKILL after ``stop_timeout``) and return once all are reaped."""
        self._save()
        log.info("supervising %s", ", ".join(p.name for p in self.programs))
        try:
            await asyncio.gather(*(self._keep(p, stop) for p in self.programs))
        finally:
            self.status.stopping = True
            self._save()
        log.info("every program stopped")

    def _save(self) -> None:
        self.status.write(self.status_file)

    async def _keep(self, program: Program, stop: asyncio.Event) -> None:
        status = self.status.program(program.name)
        crashes = 0
        while not stop.is_set():
            try:
                process = await self._spawn(program, status)
            except OSError as exc:  # cannot even be started (a missing executable, say)
                crashes += 1
                delay = self.backoff.delay(crashes)
                status.state, status.pid = BACKOFF, None
                status.last_exit, status.last_exit_at = f"not started: {exc}", self.clock()
                status.next_start_at = self.clock() + delay
                self._save()
                log.error("%s could not be started (%s); again in %.1f s", program.name, exc, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                continue
            watching = asyncio.create_task(self._until_ready(program, process, status))
            exited = asyncio.create_task(process.wait())
            stopping = asyncio.create_task(stop.wait())
            try:
                await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                watching.cancel()
                stopping.cancel()
            if not exited.done():
                await self._terminate(program, process)
                exited.cancel()
                self._exited(status, process, state=STOPPED)
                break
            _kill_group(process.pid, signal.SIGKILL)  # what it left behind, if anything
            ran = self.clock() - (status.started_at or self.clock())
            crashes = self.backoff.crashes_after(crashes, ran)
            delay = self.backoff.delay(crashes)
            self._exited(status, process, state=BACKOFF, next_start_in=delay)
            log.warning(
                "%s (pid %d) exited: %s after %.1f s; restart %d in %.1f s",
                program.name,
                process.pid,
                status.last_exit,
                ran,
                status.restarts + 1,
                delay,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if not stop.is_set():
                status.restarts += 1
        status.state = STOPPED
        status.pid = None
        status.next_start_at = None
        self._save()

    async def _spawn(self, program: Program, status: ProgramStatus) -> asyncio.subprocess.Process:
        if program.ready_file is not None:
            program.ready_file.unlink(missing_ok=True)
        program.log_file.parent.mkdir(parents=True, exist_ok=True)
        with program.log_file.open("ab") as out:
            stamp = datetime.now().strftime("%H:%M:%S %d/%m/%Y")
            out.write(f"\n--- {stamp} supervisor: start {program.name}\n".encode())
            out.flush()
            process = await asyncio.create_subprocess_exec(
                *program.argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=program.env,
                start_new_session=True,  # its own process group: stopped as one
            )
        if program.nice > 0:
            lower_priority(process.pid, program.nice)
        status.pid = process.pid
        status.state = STARTING
        status.started_at = self.clock()
        status.ready_at = None
        status.next_start_at = None
        self._save()
        log.info("%s started (pid %d)", program.name, process.pid)
        return process

    async def _until_ready(
        self, program: Program, process: asyncio.subprocess.Process, status: ProgramStatus
    ) -> None:
        while program.ready_file is not None:
            with contextlib.suppress(OSError, ValueError):
                if int(program.ready_file.read_text().strip()) == process.pid:
                    break
            await asyncio.sleep(self.poll_interval)
        status.state = READY
        status.ready_at = self.clock()
        self._save()
        log.info("%s ready (pid %d)", program.name, process.pid)

    async def _terminate(self, program: Program, process: asyncio.subprocess.Process) -> None:
        log.info("stopping %s (pid %d)", program.name, process.pid)
        _kill_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), self.stop_timeout)
        except TimeoutError:
            log.warning("%s did not stop within %.0f s: SIGKILL", program.name, self.stop_timeout)
            _kill_group(process.pid, signal.SIGKILL)
            await process.wait()
        _kill_group(process.pid, signal.SIGKILL)

    def _exited(
        self,
        status: ProgramStatus,
        process: asyncio.subprocess.Process,
        *,
        state: str,
        next_start_in: float | None = None,
    ) -> None:
        assert process.returncode is not None
        status.state = state
        status.pid = None
        status.last_exit = describe_exit(process.returncode)
        status.last_exit_at = self.clock()
        status.next_start_at = None if next_start_in is None else self.clock() + next_start_in
        self._save()


def lower_priority(pid: int, nice: int) -> None:
    """Run process ``pid``, which leads a session of its own, at niceness ``nice``.

    With the kernel's autogroups (``/proc/sys/kernel/sched_autogroup_enabled``), CPU time is
    shared between sessions first, and a process's own niceness only weighs within its
    session: each program leads its own, so only the session's niceness
    (``/proc/<pid>/autogroup``) ranks it against the others. Without autogroups, the
    niceness of the process group (every thread it has yet) does. Both are set; a refusal
    (a kernel without the file, say) is logged and the program runs at the usual priority.
    """
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PGRP, pid, nice)
    autogroup = Path(f"/proc/{pid}/autogroup")
    try:
        if autogroup.exists():
            autogroup.write_text(f"{nice}\n")
    except OSError as exc:
        log.warning("could not lower the priority of pid %d: %s", pid, exc)


def _kill_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
