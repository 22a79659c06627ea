"""Detached server processes tracked by pid files, and bounded polling."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class RunAs:
    """An unprivileged account to run a server as (PostgreSQL refuses to run as root)."""

    user: str
    uid: int
    gid: int


async def wait_until(
    condition: Callable[[], bool | Awaitable[bool]],
    *,
    timeout: float,
    interval: float = 0.25,
) -> bool:
    """Poll `condition` until it is true or `timeout` seconds have passed; return the outcome."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = condition()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        await asyncio.sleep(min(interval, remaining))


def _proc_stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is parenthesised and may itself contain spaces or ')'.
    return raw[raw.rindex(")") + 2 :].split()


def process_state(pid: int) -> str | None:
    """The state letter of `pid` (``R``, ``S``, ``Z`` for a zombie …); None if there is none."""
    stat = _proc_stat(pid)
    return stat[0] if stat else None


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def is_running(pid: int, marker: str | None = None) -> bool:
    """Whether `pid` is a live (non-zombie) process whose command line contains `marker`."""
    stat = _proc_stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False
    return marker is None or marker in command_line(pid)


def _live_processes() -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[0] not in ("Z", "X"):
                found[int(entry.name)] = stat
    return found


def find_process(argument: str) -> int | None:
    """A live process with `argument` as one of its command-line arguments (a whole one:
    ``…=kafka@/tmp/a`` must not find the Kafka of ``/tmp/ab``); the lowest pid if several."""
    found = sorted(pid for pid in _live_processes() if argument in command_line(pid).split(" "))
    return found[0] if found else None


def processes_in(directory: Path) -> set[int]:
    """Live processes whose working directory is `directory` (PostgreSQL's postmaster and
    every backend run in its data directory, and keep doing so when the postmaster dies)."""
    target = str(directory.resolve())
    found = set()
    for pid in _live_processes():
        try:
            if os.readlink(f"/proc/{pid}/cwd") == target:
                found.add(pid)
        except OSError:
            continue
    return found


def process_tree(pgid: int) -> set[int]:
    """Live processes of a server: its process group plus their descendants.

    Descendants count because some servers move workers out of the group (PostgreSQL's
    backends each call setsid()), and those must not outlive a forced stop.
    """
    procs = _live_processes()
    # After ")" in /proc/<pid>/stat: state, ppid, pgrp, ...
    tree = {pid for pid, stat in procs.items() if int(stat[2]) == pgid}
    grew = True
    while grew:
        children = {pid for pid, stat in procs.items() if int(stat[1]) in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = pid_file.with_suffix(".tmp")
    tmp.write_text(f"{pid}\n")
    tmp.replace(pid_file)


def tracked_pid(pid_file: Path, marker: str, *, clean: bool = False) -> int | None:
    """The pid in `pid_file` if that process is still ours; optionally drop a stale file."""
    pid = read_pid(pid_file)
    if pid is not None and is_running(pid, marker):
        return pid
    if clean:
        pid_file.unlink(missing_ok=True)
    return None


def start_detached(
    argv: Sequence[str],
    *,
    log_file: Path,
    pid_file: Path,
    cwd: Path,
    env: dict[str, str] | None = None,
    run_as: RunAs | None = None,
) -> int:
    """Start `argv` in its own session (so it outlives us and stops as a group); record its pid."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        stamp = datetime.now().isoformat(timespec="seconds")
        log.write(f"\n--- {stamp} thidua stack: {shlex.join(argv)}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            start_new_session=True,
            close_fds=True,
            user=run_as.uid if run_as else None,
            group=run_as.gid if run_as else None,
            extra_groups=[] if run_as else None,
        )
    # Reaped as soon as it exits while this process runs (a dead server must not linger as a
    # zombie: PostgreSQL takes a zombie's pid in postmaster.pid for a live postmaster); once
    # we have exited, init reaps it.
    threading.Thread(target=proc.wait, name=f"reap-{proc.pid}", daemon=True).start()
    write_pid(pid_file, proc.pid)
    return proc.pid


async def stop_group(pgid: int, *, sig: signal.Signals, timeout: float) -> bool:
    """Signal a server's process group, wait for it and its workers to go, SIGKILL what remains.

    Returns whether everything went away without needing SIGKILL.
    """
    tracked = process_tree(pgid)

    def gone() -> bool:
        return not any(is_running(pid) for pid in tracked) and not process_tree(pgid)

    if not tracked:
        return True
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
    if await wait_until(gone, timeout=timeout):
        return True
    for pid in tracked | process_tree(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    await wait_until(gone, timeout=10)
    return False


async def tcp_reachable(address: str, timeout: float = 2.0) -> bool:
    host, _, port = address.rpartition(":")
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(host, int(port))
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


def _is_stack_frame(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("at ") or (stripped.startswith("... ") and stripped.endswith("more"))


def log_tail(log_file: Path, lines: int = 15) -> str:
    """The last lines of a log, without Java stack frames (the "Caused by:" lines stay)."""
    try:
        with log_file.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 16_384))
            text = fh.read().decode(errors="replace")
    except FileNotFoundError:
        return ""
    kept = [line for line in text.splitlines() if not _is_stack_frame(line)]
    return "\n".join(kept[-lines:])
