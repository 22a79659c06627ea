"""Recovering the stack after ``kill -9``: a dead postmaster's lock file and the backends it
left behind, and servers found by their marker when their pid file is gone. Real processes
stand in for the servers (no PostgreSQL or Kafka is started)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from thidua.settings import StackSettings
from thidua.stack.postgres import PostgresComponent
from thidua.stack.process import find_process, is_running, process_state, processes_in

pytestmark = pytest.mark.timeout(60)

SLEEP = [sys.executable, "-c", "import time; time.sleep(120)"]


@pytest.fixture
def spawned() -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        process.kill()
        process.wait()


def component(tmp_path: Path) -> tuple[PostgresComponent, list[str]]:
    said: list[str] = []
    pg = PostgresComponent(StackSettings(state_dir=tmp_path / "state"), said.append)
    pg.data_dir.mkdir(parents=True)
    return pg, said


def test_a_zombie_postmaster_and_its_orphaned_backends_are_cleared(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    pg, said = component(tmp_path)
    dead = subprocess.Popen(["true"])  # exits, and stays a zombie until we wait for it
    spawned.append(dead)
    backend = subprocess.Popen(SLEEP, cwd=pg.data_dir)  # still runs in the data directory
    spawned.append(backend)
    deadline = time.monotonic() + 10
    while process_state(dead.pid) != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_state(dead.pid) == "Z"
    pg.lock_file.write_text(f"{dead.pid}\n{pg.data_dir}\n")
    assert processes_in(pg.data_dir) == {backend.pid}

    pg.recover()

    assert not pg.lock_file.exists()
    assert backend.wait(10) == -9
    assert any("zombie" in line for line in said), said


def test_the_lock_of_a_postmaster_that_is_gone_is_removed(tmp_path: Path) -> None:
    pg, said = component(tmp_path)
    gone = subprocess.Popen(["true"])
    gone.wait()
    pg.lock_file.write_text(f"{gone.pid}\n")
    pg.recover()
    assert not pg.lock_file.exists()
    assert any("gone" in line for line in said), said


def test_the_lock_of_a_live_postmaster_is_kept(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    pg, said = component(tmp_path)
    # A process with the data directory on its command line passes for our postmaster.
    live = subprocess.Popen([*SLEEP, str(pg.data_dir)], cwd=pg.data_dir)
    spawned.append(live)
    deadline = time.monotonic() + 10
    while str(pg.data_dir) not in " ".join(_cmdline(live.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    pg.lock_file.write_text(f"{live.pid}\n")
    pg.recover()
    assert pg.lock_file.exists()
    assert is_running(live.pid)
    assert said == []


def test_a_server_is_found_by_its_whole_marker_argument(
    tmp_path: Path, spawned: list[subprocess.Popen[bytes]]
) -> None:
    marker = f"-Dthidua.stack.component=kafka@{tmp_path}/ab"
    server = subprocess.Popen([*SLEEP, marker])
    spawned.append(server)
    deadline = time.monotonic() + 10
    while find_process(marker) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert find_process(marker) == server.pid
    assert find_process(f"-Dthidua.stack.component=kafka@{tmp_path}/a") is None


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except FileNotFoundError:
        return []
