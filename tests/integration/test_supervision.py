"""``thidua up`` supervises, recovers and stops, on a stack of its own.

Each test runs the real CLI (``thidua up``, ``stack up``, ``status``, ``down``) as a
subprocess with a state directory and ports of its own (Kafka 26092, PostgreSQL 26432, Zipkin
26411, services 26051-26054, SMTP sink 26075), never those of the shared stack, whose
processes it never signals. What it kills is its own: a service that the supervisor must
restart, then PostgreSQL and Kafka with ``kill -9``, which ``thidua stack up`` must bring back
while every service stays up (503, then ready again). Ctrl-C stops everything, during startup
too, and afterwards no process of the test's stack is left, not even a zombie.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from thidua.stack.process import command_line, process_state, processes_in, read_pid
from thidua.supervision.state import SupervisorStatus

pytestmark = pytest.mark.timeout(400)

# Below Linux's ephemeral range (32768-60999), where any client's connection may hold a port.
HTTP_PORT_BASE = 26050
PORTS = {
    "THIDUA_KAFKA_BOOTSTRAP": "127.0.0.1:26092",
    "THIDUA_KAFKA_CONTROLLER_PORT": "26093",
    "THIDUA_PG_PORT": "26432",
    "THIDUA_ZIPKIN_PORT": "26411",
    "THIDUA_KEYCLOAK_PORT": "26180",
    "THIDUA_HTTP_PORT_BASE": str(HTTP_PORT_BASE),
    "THIDUA_NOTIFICATIONS_HTTP_PORT": "26063",
    "THIDUA_SMTP_SINK_PORT": "26075",
    "THIDUA_SMTP_PORT": "26075",
}
READINESS = {
    "registration": f"http://127.0.0.1:{HTTP_PORT_BASE + 1}/health/ready",
    "awards": f"http://127.0.0.1:{HTTP_PORT_BASE + 2}/health/ready",
    "notifications": f"http://127.0.0.1:{HTTP_PORT_BASE + 3}/health/ready",
    "reporting": f"http://127.0.0.1:{HTTP_PORT_BASE + 4}/health",
    "reporting-audit": f"http://127.0.0.1:{HTTP_PORT_BASE + 5}/health/ready",
}
THIDUA = [sys.executable, "-m", "thidua.cli"]


class Own:
    """The test's stack: its state directory and the environment that points at it."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
        self.env |= PORTS | {"THIDUA_STATE_DIR": str(state), "THIDUA_RESTART_INITIAL": "0.2"}

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*THIDUA, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def status(self) -> SupervisorStatus | None:
        return SupervisorStatus.read(self.state / "run" / "supervisor.json")

    def pid(self, component: str) -> int:
        if component == "postgres":
            text = (self.state / "postgres" / "data" / "postmaster.pid").read_text()
            return int(text.split("\n", 1)[0])
        pid = read_pid(self.state / "run" / f"{component}.pid")
        assert pid is not None, component
        return pid

    def logs_tail(self, lines: int = 25) -> str:
        """The last lines of the supervisor's, the services' and the stack's logs."""
        parts = []
        for log in sorted((self.state / "logs").glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts)

    def leftovers(self, pids: set[int]) -> list[str]:
        """Processes of this stack still there: recorded pids (zombies too), anything with
        the state directory on its command line or as its working directory."""
        found = {p for p in pids if process_state(p) is not None}
        found |= processes_in(self.state / "postgres" / "data")
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and str(self.state) in command_line(int(entry.name)):
                found.add(int(entry.name))
        found.discard(os.getpid())
        return [f"{p} {process_state(p)} {command_line(p)[:120]}" for p in sorted(found)]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Foreground:
    """``thidua up`` running in the foreground, its output collected as it comes."""

    def __init__(self, own: Own, *args: str) -> None:
        self.own = own
        self.process = subprocess.Popen(
            [*THIDUA, "up", *args],
            env=own.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Started as a shell without job control starts `cmd &`: SIGINT ignored, which the
            # child inherits. Ctrl-C must stop it all the same (CI runs the suite so, at times).
            preexec_fn=_ignore_sigint,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def until(self, text: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.process.poll() is not None:
                self._reader.join(5)
                if text in self.output:
                    return
                pytest.fail(f"thidua up exited {self.process.returncode}:\n{self.output}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {text!r} after {timeout:.0f} s:\n{self.output}")
            time.sleep(0.1)

    def interrupt(self, timeout: float = 150) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            # Say where it hung, and leave nothing running for the module's next test (a
            # supervisor left behind made the next `thidua up` find one "already running").
            logs = self.own.logs_tail()
            self.process.kill()
            self.process.wait(30)
            stopped = self.own.run("down", timeout=240)
            pytest.fail(
                f"thidua up did not stop within {timeout:.0f} s of Ctrl-C:\n{self.output}\n"
                f"{logs}\n`thidua down` afterwards:\n{stopped.stdout}{stopped.stderr}"
            )


def until(
    condition: Callable[[], bool],
    what: str,
    timeout: float = 90.0,
    found: Callable[[], object] | None = None,
) -> None:
    """Poll ``condition``; on timeout fail, saying what ``found`` reports then."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            seen = f"; found {found()}" if found is not None else ""
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{seen}")
        time.sleep(0.2)


def answers(url: str) -> int:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.HTTPError:
        return 0


def readiness_answers() -> dict[str, int]:
    """Each service's readiness status code (0: no answer within 5 s)."""
    return {name: answers(url) for name, url in READINESS.items()}


def all_answer(status: int) -> bool:
    return set(readiness_answers().values()) == {status}


def all_ready() -> bool:
    return all_answer(200)


def pids_of(status: SupervisorStatus | None) -> set[int]:
    found = {p.pid for p in status.programs if p.pid is not None} if status else set()
    return found | ({status.pid} if status else set())


@pytest.fixture(scope="module")
def own() -> Iterator[Own]:
    # Under /var/tmp: PostgreSQL's account must be able to enter the state directory.
    state = Path(tempfile.mkdtemp(prefix="thidua-supervision-", dir="/var/tmp"))
    stack = Own(state)
    try:
        yield stack
    finally:
        stack.run("down", timeout=180)
        stack.run("stack", "down", "--purge", timeout=180)
        shutil.rmtree(state, ignore_errors=True)


def test_up_restarts_a_killed_service_survives_kill_9_of_its_stack_and_stops_on_ctrl_c(
    own: Own,
) -> None:
    up = Foreground(own, "--no-scenario")
    try:
        up.until("Ctrl-C stops everything.")
        before = own.status()
        assert before is not None and before.ready, up.output
        stack_pids = {own.pid("postgres"), own.pid("kafka"), own.pid("zipkin")}

        killed = before.program("awards").pid
        assert killed is not None
        os.kill(killed, signal.SIGKILL)

        def restarted() -> bool:
            now = own.status()
            return now is not None and now.program("awards").restarts == 1 and now.ready

        until(restarted, "awards restarted and ready")
        until(lambda: answers(READINESS["awards"]) == 200, "awards answering ready")
        shown = own.run("status")
        assert "killed by SIGKILL" in shown.stdout and "restarts 1" in shown.stdout, shown

        os.kill(own.pid("postgres"), signal.SIGKILL)
        os.kill(own.pid("kafka"), signal.SIGKILL)
        until(
            lambda: all_answer(503),
            "every service reporting 503",
            found=readiness_answers,
        )
        recovered = own.run("stack", "up")
        assert recovered.returncode == 0, recovered.stdout + recovered.stderr
        until(all_ready, "every service ready again", timeout=120, found=readiness_answers)
        after = own.status()
        assert after is not None
        restarts = {p.name: p.restarts for p in after.programs}
        assert restarts == {**{name: 0 for name in restarts}, "awards": 1}, restarts
        stack_pids |= {own.pid("postgres"), own.pid("kafka")}
        pids = pids_of(before) | pids_of(after) | stack_pids
    finally:
        code = up.interrupt()
    assert code == 130, up.output
    until(lambda: not own.leftovers(pids), "no process left", timeout=20)
    assert not any(answers(url) for url in READINESS.values())


def test_ctrl_c_during_startup_stops_everything(own: Own) -> None:
    up = Foreground(own, "--no-scenario")
    try:
        up.until("supervisor     started")
        status = own.status()
        assert status is not None and not status.ready
    finally:
        code = up.interrupt()
    assert code == 130, up.output
    assert "interrupted: stopping everything" in up.output
    until(lambda: not own.leftovers(pids_of(status)), "no process left", timeout=20)


def test_detached_services_outlive_the_cli_and_up_stops_waiting_at_its_timeout(
    own: Own,
) -> None:
    started = own.run("up", "--detach", "--no-scenario")
    assert started.returncode == 0, started.stdout + started.stderr
    status = own.status()
    assert status is not None and status.ready
    assert process_state(status.pid) not in (None, "Z")  # the supervisor outlived the CLI
    # A consumer group may still be settling right after "ready" (readiness answers 503 while a
    # rebalance is under way): wait for every readiness endpoint, bounded.
    until(all_ready, "every service ready after the CLI returned", timeout=60)

    late = own.run("up", "--detach", "--people", "60", "--timeout", "1")
    assert late.returncode == 1, late.stdout + late.stderr
    assert "still differs from the scenario's expectation" in late.stderr, late.stderr
    assert "already running" in late.stdout

    stopped = own.run("down")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    until(lambda: not own.leftovers(pids_of(status)), "no process left", timeout=20)
