"""Supervision logic: restart delays, exit descriptions, the status file, and the asyncio
supervisor on small real programs (``python -c``): a crashing program is reaped and restarted
with growing delays, a killed one comes back ready, and stopping leaves no process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from thidua.settings import StackSettings
from thidua.stack.process import is_running, process_state
from thidua.supervision import control
from thidua.supervision.state import (
    BACKOFF,
    READY,
    STOPPED,
    Backoff,
    ProgramStatus,
    SupervisorStatus,
    describe_exit,
)
from thidua.supervision.supervisor import Program, Supervisor

pytestmark = pytest.mark.timeout(60)

FAST = Backoff(initial=0.05, factor=2.0, cap=0.2, stable_after=30.0)

# Writes its pid to the ready file (argv[1]) and waits to be stopped.
SERVE = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"
# Ignores SIGTERM: only SIGKILL stops it.
STUBBORN = (
    "import os, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
    " open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"
)


def test_delays_double_from_the_initial_one_up_to_the_cap() -> None:
    backoff = Backoff(initial=0.5, factor=2.0, cap=4.0)
    assert [backoff.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_run_that_lasted_resets_the_crash_count() -> None:
    backoff = Backoff(stable_after=60.0)
    assert backoff.crashes_after(4, ran_seconds=5.0) == 5
    assert backoff.crashes_after(4, ran_seconds=60.0) == 1
    assert backoff.crashes_after(0, ran_seconds=0.1) == 1


def test_exits_are_described_by_code_or_signal() -> None:
    assert describe_exit(0) == "exit code 0"
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(-signal.SIGTERM) == "killed by SIGTERM"


def test_the_status_file_round_trips_and_reads_as_a_line(tmp_path: Path) -> None:
    status = SupervisorStatus(
        pid=42,
        started_at=1_700_000_000.0,
        programs=[
            ProgramStatus("awards", READY, pid=7, restarts=2, last_exit="killed by SIGKILL"),
            ProgramStatus("reporting", READY, pid=8),
        ],
    )
    path = tmp_path / "run" / "supervisor.json"
    status.write(path)
    again = SupervisorStatus.read(path)
    assert again == status
    assert again.ready
    line = again.program("awards").line()
    assert "awards" in line and "restarts 2" in line and "killed by SIGKILL" in line
    assert SupervisorStatus.read(tmp_path / "missing.json") is None


def program(tmp_path: Path, name: str, code: str) -> Program:
    ready = tmp_path / "run" / f"{name}.ready"
    ready.parent.mkdir(parents=True, exist_ok=True)
    return Program(
        name,
        [sys.executable, "-c", code, str(ready)],
        log_file=tmp_path / "logs" / f"{name}.log",
        ready_file=ready,
    )


@asynccontextmanager
async def supervising(
    tmp_path: Path, programs: list[Program], **options: float
) -> AsyncIterator[tuple[Supervisor, asyncio.Task[None]]]:
    supervisor = Supervisor(programs, tmp_path / "run" / "supervisor.json", backoff=FAST, **options)
    stop = asyncio.Event()
    task = asyncio.create_task(supervisor.run(stop))
    try:
        yield supervisor, task
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def on_disk(supervisor: Supervisor) -> SupervisorStatus:
    found = SupervisorStatus.read(supervisor.status_file)
    assert found is not None
    return found


async def test_a_crashing_program_is_reaped_and_restarted_with_growing_delays(
    tmp_path: Path,
) -> None:
    crash = program(tmp_path, "crash", "import sys; sys.exit(3)")
    async with supervising(tmp_path, [crash]) as (supervisor, _):
        status = supervisor.status.program("crash")
        await until(lambda: status.restarts >= 4, "four restarts")
        assert status.last_exit == "exit code 3"
        assert on_disk(supervisor).program("crash").restarts >= 4
    assert status.state == STOPPED and status.pid is None
    log = crash.log_file.read_text()
    assert log.count("supervisor: start crash") >= 5


async def test_a_killed_program_comes_back_ready_and_its_restart_is_recorded(
    tmp_path: Path,
) -> None:
    serve = program(tmp_path, "serve", SERVE)
    async with supervising(tmp_path, [serve]) as (supervisor, _):
        status = supervisor.status.program("serve")
        await until(lambda: status.state == READY, "ready")
        first = status.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        await until(lambda: status.restarts == 1 and status.state == READY, "ready again")
        assert status.pid != first
        assert status.last_exit == "killed by SIGKILL"
        assert process_state(first) is None  # reaped: not even a zombie is left
        written = on_disk(supervisor).program("serve")
        assert (written.state, written.restarts, written.pid) == (READY, 1, status.pid)


async def test_a_ready_file_left_by_a_killed_process_does_not_count_for_the_next(
    tmp_path: Path,
) -> None:
    slow = program(tmp_path, "slow", "import time; time.sleep(600)")  # never ready
    assert slow.ready_file is not None
    slow.ready_file.write_text("12345")
    async with supervising(tmp_path, [slow]) as (supervisor, _):
        status = supervisor.status.program("slow")
        await until(lambda: status.pid is not None, "started")
        await asyncio.sleep(0.3)  # several readiness polls: none may see the old file
        assert status.state != READY
        assert not slow.ready_file.exists()


async def test_stopping_stops_every_program_and_leaves_no_process(tmp_path: Path) -> None:
    programs = [program(tmp_path, "a", SERVE), program(tmp_path, "b", STUBBORN)]
    async with supervising(tmp_path, programs, stop_timeout=1.0) as (supervisor, task):
        await until(lambda: supervisor.status.ready, "both ready")
        pids = [p.pid for p in supervisor.status.programs]
    assert task.done()
    for pid in pids:
        assert pid is not None and not is_running(pid) and process_state(pid) is None
    written = on_disk(supervisor)
    assert written.stopping
    assert [p.state for p in written.programs] == [STOPPED, STOPPED]
    assert written.program("b").last_exit == "killed by SIGKILL"  # it ignored SIGTERM
    assert written.program("a").last_exit == "killed by SIGTERM"


async def test_stopping_during_a_backoff_does_not_wait_for_it(tmp_path: Path) -> None:
    crash = program(tmp_path, "crash", "import sys; sys.exit(1)")
    slow = Backoff(initial=60.0, cap=60.0)
    supervisor = Supervisor([crash], tmp_path / "run" / "s.json", backoff=slow)
    stop = asyncio.Event()
    task = asyncio.create_task(supervisor.run(stop))
    status = supervisor.status.program("crash")
    await until(lambda: status.state == BACKOFF, "in backoff")
    assert status.next_start_at is not None
    stop.set()
    await asyncio.wait_for(task, 5)
    assert status.state == STOPPED and status.restarts == 0


async def test_a_program_that_cannot_be_started_is_tried_again_later(tmp_path: Path) -> None:
    missing = Program("missing", [str(tmp_path / "no-such-program")], tmp_path / "m.log")
    async with supervising(tmp_path, [missing]) as (supervisor, task):
        status = supervisor.status.program("missing")
        await until(lambda: status.state == BACKOFF, "in backoff")
        assert status.last_exit is not None and status.last_exit.startswith("not started")
        await asyncio.sleep(0.3)
        assert not task.done()  # the supervisor itself keeps running


def test_programs_of_a_supervisor_that_died_are_stopped(tmp_path: Path) -> None:
    settings = StackSettings(state_dir=tmp_path / "state")
    left = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)", "run", "awards"],
        start_new_session=True,
    )
    try:
        dead = SupervisorStatus(pid=left.pid + 10**6, started_at=0.0)  # no such supervisor
        dead.programs = [ProgramStatus("awards", READY, pid=left.pid)]
        dead.write(control.status_file(settings))
        said: list[str] = []
        control.stop_orphans(settings, said.append)
        assert left.wait(10) == -signal.SIGTERM
        assert "left by a supervisor that died" in said[0]
    finally:
        left.kill()
        left.wait()


def test_two_instances_of_each_service_get_ports_and_ready_files_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thidua import runner
    from thidua.settings import StackSettings
    from thidua.supervision.__main__ import programs

    monkeypatch.setenv("THIDUA_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("THIDUA_HTTP_PORT_BASE", "27050")
    monkeypatch.setenv("THIDUA_NOTIFICATIONS_HTTP_PORT", "27063")
    monkeypatch.setenv("THIDUA_SERVICE_INSTANCES", "2")
    found = {p.name: p for p in programs(StackSettings())}
    services = runner.available_services()
    programs_ = [*services, runner.AUDIT]
    assert sorted(found) == sorted([runner.SMTP_SINK, *programs_, *(f"{s}-2" for s in programs_)])
    second = found["awards-2"]
    assert second.argv[-4:] == ["--instance", "2", "--port", "27072"]
    assert second.ready_file == tmp_path / "run" / "awards-2.ready"
    assert found["awards"].ready_file == tmp_path / "run" / "awards.ready"
    assert "--port" not in found["awards"].argv
    inbox = {p.env["THIDUA_NOTIFICATIONS_HTTP_PORT"] for p in found.values() if p.env}
    assert {"27063", "27083"} <= inbox


def _autogroup_nice(pid: int) -> int | None:
    """The niceness of ``pid``'s autogroup (``/autogroup-N nice K``), None without autogroups.

    The file can exist and read empty: the kernel shows nothing for a task whose scheduling
    group is not an autogroup (a task in a cgroup of its own, as in some CI containers).
    """
    try:
        words = Path(f"/proc/{pid}/autogroup").read_text().split()
    except OSError:
        return None
    return int(words[-1]) if words else None


async def test_a_background_program_runs_at_a_lower_priority_in_every_thread(
    tmp_path: Path,
) -> None:
    # It starts a thread before being told anything: the thread must be lowered too.
    threaded = (
        "import os, sys, threading, time; threading.Thread(target=time.sleep, args=(600,),"
        " daemon=True).start(); open(sys.argv[1], 'w').write(str(os.getpid()));"
        " time.sleep(600)"
    )
    low = replace(program(tmp_path, "low", threaded), nice=7)
    usual = program(tmp_path, "usual", SERVE)
    async with supervising(tmp_path, [low, usual]) as (supervisor, _):
        await until(lambda: supervisor.status.ready, "both ready")
        pid = supervisor.status.program("low").pid
        other = supervisor.status.program("usual").pid
        assert pid is not None and other is not None
        threads = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
        assert len(threads) >= 2
        assert {os.getpriority(os.PRIO_PROCESS, t) for t in threads} == {7}
        assert os.getpriority(os.PRIO_PROCESS, other) == os.getpriority(os.PRIO_PROCESS, 0)
        if _autogroup_nice(os.getpid()) is not None and _autogroup_nice(pid) is not None:
            assert _autogroup_nice(pid) == 7
            assert _autogroup_nice(other) == 0


def test_mail_and_the_audit_trail_run_below_the_path_to_the_rollup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thidua import runner
    from thidua.supervision.__main__ import programs

    monkeypatch.setenv("THIDUA_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("THIDUA_BACKGROUND_NICE", raising=False)
    made = programs(StackSettings())
    found = {p.name: p.nice for p in made}
    assert found.pop("notifications") == found.pop(runner.SMTP_SINK) == 10
    assert found.pop(runner.AUDIT) == 10
    assert set(found.values()) == {0}  # registration, awards, reporting
    # The audit trail runs as reporting (its role, its account), and reporting without it.
    audit = next(p for p in made if p.name == runner.AUDIT)
    assert audit.argv[-2:] == ["run", runner.AUDIT]
    assert audit.env is not None and audit.env["THIDUA_KAFKA_USERNAME"].endswith("reporting")
    assert {p.env["THIDUA_REPORTING_AUDIT"] for p in made if p.env} == {"apart"}
    # Marked so that their batches wait while the CPU is saturated (thidua.es.pressure).
    marked = {p.name for p in made if p.env and p.env.get("THIDUA_BACKGROUND") == "1"}
    assert marked == {"notifications", runner.SMTP_SINK, runner.AUDIT}
    monkeypatch.setenv("THIDUA_BACKGROUND_NICE", "0")
    assert {p.nice for p in programs(StackSettings())} == {0}
    assert not any(p.env and "THIDUA_BACKGROUND" in p.env for p in programs(StackSettings()))
    monkeypatch.setenv("THIDUA_BACKGROUND_NICE", "40")
    assert runner.niceness("notifications") == 19 and runner.niceness("awards") == 0
