"""The supervisor process seen from the CLI: start it (detached: it outlives ``thidua up
--detach``), wait until its programs are ready, read its status, stop it.

Environment: ``THIDUA_RESTART_INITIAL`` and ``THIDUA_RESTART_CAP`` (seconds) set the restart
backoff, ``THIDUA_RESTART_STABLE`` how long a run must last to reset it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from thidua.security.departments import provision_services
from thidua.settings import StackSettings
from thidua.stack.process import is_running, log_tail, read_pid, stop_group
from thidua.supervision.state import READY, Backoff, SupervisorStatus

Reporter = Callable[[str], None]
MODULE = "thidua.supervision"
STARTUP_CRASHES = 3
"""A program that crashes this many times before it is ever ready fails ``thidua up``."""


class SupervisionFailed(RuntimeError):
    """The supervised programs did not all become ready."""


def backoff() -> Backoff:
    default = Backoff()
    return Backoff(
        initial=float(os.environ.get("THIDUA_RESTART_INITIAL", default.initial)),
        cap=float(os.environ.get("THIDUA_RESTART_CAP", default.cap)),
        stable_after=float(os.environ.get("THIDUA_RESTART_STABLE", default.stable_after)),
    )


def status_file(settings: StackSettings) -> Path:
    return settings.state_dir / "run" / "supervisor.json"


def pid_file(settings: StackSettings) -> Path:
    return settings.state_dir / "run" / "supervisor.pid"


def lock_file(settings: StackSettings) -> Path:
    return settings.state_dir / "run" / "supervisor.lock"


def log_file(settings: StackSettings) -> Path:
    return settings.state_dir / "logs" / "supervisor.log"


def _marker(settings: StackSettings) -> str:
    return f"{MODULE} {settings.state_dir}"


def running_pid(settings: StackSettings) -> int | None:
    """The pid of this state directory's supervisor, if it runs."""
    pid = read_pid(pid_file(settings))
    return pid if pid is not None and is_running(pid, _marker(settings)) else None


def status(settings: StackSettings) -> SupervisorStatus | None:
    """The running supervisor's status (None when none runs)."""
    pid = running_pid(settings)
    found = SupervisorStatus.read(status_file(settings))
    return found if pid is not None and found is not None and found.pid == pid else None


def provision(settings: StackSettings, report: Reporter) -> None:
    """The programs authenticate to Kafka as their services' principals: make those (and their
    ACLs and topics) before they start; idempotent, about a second."""
    try:
        provision_services(settings)
    except Exception as exc:
        raise SupervisionFailed(f"cannot provision the services' Kafka principals: {exc}") from exc
    report(f"{'kafka':<14} services' principals, ACLs and topics provisioned")


def start(settings: StackSettings, report: Reporter, *, timeout: float = 30.0) -> bool:
    """Start the supervisor unless it runs; True if it was started here."""
    pid = running_pid(settings)
    if pid is not None:
        report(f"{'supervisor':<14} already running (pid {pid})")
        return False
    stop_orphans(settings, report)
    provision(settings, report)
    status_file(settings).unlink(missing_ok=True)
    log = log_file(settings)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "THIDUA_STATE_DIR": str(settings.state_dir)}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", MODULE, str(settings.state_dir)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # Ctrl-C in the terminal reaches the CLI, which stops it
        )
    # Reaped by this thread if it exits while we run; by init once we have exited.
    threading.Thread(target=process.wait, daemon=True).start()
    deadline = time.monotonic() + timeout
    while status(settings) is None:
        if process.returncode is not None or time.monotonic() > deadline:
            raise SupervisionFailed(f"the supervisor did not start:\n{log_tail(log)}")
        time.sleep(0.1)
    report(f"{'supervisor':<14} started (pid {process.pid}, log {log})")
    return True


def await_ready(settings: StackSettings, report: Reporter, *, timeout: float = 120.0) -> None:
    """Wait (bounded) until every program is ready, reporting each; raise SupervisionFailed
    when the supervisor stops, a program keeps crashing before it was ever ready, or the
    time is up."""
    began = time.monotonic()
    announced: set[str] = set()
    while True:
        current = status(settings)
        if current is None:
            raise SupervisionFailed(f"the supervisor stopped; see {log_file(settings)}")
        for program in current.programs:
            if program.state == READY and program.name not in announced:
                announced.add(program.name)
                note = f", {program.restarts} restarts" if program.restarts else ""
                report(
                    f"{program.name:<14} ready after {time.monotonic() - began:.1f}s "
                    f"(pid {program.pid}{note})"
                )
            if program.name not in announced and program.restarts >= STARTUP_CRASHES:
                log = settings.state_dir / "logs" / f"{program.name}.log"
                raise SupervisionFailed(
                    f"{program.name} exited {program.restarts + 1} times before it was ready "
                    f"(last: {program.last_exit}); see {log}:\n{log_tail(log, 10)}"
                )
        if current.ready:
            return
        if time.monotonic() - began > timeout:
            waiting = [p.line() for p in current.programs if p.state != READY]
            raise SupervisionFailed(f"not ready after {timeout:.0f}s:\n  " + "\n  ".join(waiting))
        time.sleep(0.2)


def stop(settings: StackSettings, report: Reporter, *, timeout: float = 60.0) -> None:
    """Stop the supervisor, which stops its programs; if it does not go within ``timeout``,
    SIGKILL it and every program process it recorded."""
    pid = running_pid(settings)
    if pid is None:
        stop_orphans(settings, report)
        return
    last = SupervisorStatus.read(status_file(settings))
    report(f"{'supervisor':<14} stopping (pid {pid})…")
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if is_running(pid):
        report(f"{'supervisor':<14} did not stop within {timeout:.0f}s: SIGKILL")
        programs = [p.pid for p in (last.programs if last else []) if p.pid is not None]
        for target in [pid, *programs]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(target, signal.SIGKILL)
    for program in last.programs if last else []:
        report(f"{program.name:<14} stopped (restarts {program.restarts})")


def stop_orphans(settings: StackSettings, report: Reporter) -> None:
    """Stop the programs of a supervisor that died (SIGKILL, say): they still run, and would
    hold the ports the next supervisor's programs need."""
    last = SupervisorStatus.read(status_file(settings))
    if last is None or running_pid(settings) is not None:
        return
    for program in last.programs:
        pid = program.pid
        service = re.sub(r"-\d+$", "", program.name)  # awards-2: the second awards
        if pid is None or not is_running(pid, f"run {service}"):
            continue
        report(f"{program.name:<14} left by a supervisor that died (pid {pid}): stopping it")
        asyncio.run(stop_group(pid, sig=signal.SIGTERM, timeout=20))
