"""What supervision decides and records, apart from the processes themselves: the restart
delay after each crash, and the status every program is in (kept in a JSON file that
``thidua status`` reads)."""

from __future__ import annotations

import json
import os
import signal
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

STARTING = "starting"
READY = "ready"
BACKOFF = "backoff"
STOPPED = "stopped"


@dataclass(frozen=True)
class Backoff:
    """Restart delays: ``initial`` after a crash, doubled after each crash that follows
    quickly, never more than ``cap``. A run that lasted ``stable_after`` seconds counts as a
    success: the next crash starts from ``initial`` again. There is no give-up: a service
    crashing while a dependency is away is restarted when it comes back."""

    initial: float = 0.5
    factor: float = 2.0
    cap: float = 30.0
    stable_after: float = 60.0

    def delay(self, crashes: int) -> float:
        """The delay before the restart after ``crashes`` quick crashes in a row (≥ 1)."""
        return float(min(self.initial * self.factor ** max(crashes - 1, 0), self.cap))

    def crashes_after(self, previous: int, ran_seconds: float) -> int:
        """The count of quick crashes in a row, once a run of ``ran_seconds`` has ended."""
        return 1 if ran_seconds >= self.stable_after else previous + 1


def describe_exit(returncode: int) -> str:
    """``exit code 1`` or ``killed by SIGKILL``, as asyncio and subprocess report it."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name}"
    return f"exit code {returncode}"


def clock_time(epoch: float | None) -> str:
    """Local time as ``HH:MM:SS dd/mm/yyyy``."""
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S %d/%m/%Y")


@dataclass
class ProgramStatus:
    """One supervised program as its supervisor last saw it."""

    name: str
    state: str = STARTING
    pid: int | None = None
    restarts: int = 0
    started_at: float | None = None
    ready_at: float | None = None
    last_exit: str | None = None
    last_exit_at: float | None = None
    next_start_at: float | None = None

    def line(self) -> str:
        """One line of ``thidua status``."""
        pid = f"pid {self.pid}" if self.pid is not None else "no pid"
        text = f"{self.name:<16} {self.state:<9} {pid:<10} restarts {self.restarts}"
        if self.last_exit is not None:
            text += f", last exit: {self.last_exit} at {clock_time(self.last_exit_at)}"
        if self.state == BACKOFF and self.next_start_at is not None:
            text += f", next start at {clock_time(self.next_start_at)}"
        return text


@dataclass
class SupervisorStatus:
    """The supervisor's pid and every program's status (``run/supervisor.json``)."""

    pid: int
    started_at: float
    programs: list[ProgramStatus] = field(default_factory=list)
    stopping: bool = False

    def program(self, name: str) -> ProgramStatus:
        for program in self.programs:
            if program.name == name:
                return program
        raise KeyError(name)

    @property
    def ready(self) -> bool:
        return bool(self.programs) and all(p.state == READY for p in self.programs)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> SupervisorStatus:
        raw: dict[str, Any] = json.loads(text)
        programs = [ProgramStatus(**p) for p in raw.pop("programs", [])]
        return cls(**raw, programs=programs)

    def write(self, path: Path) -> None:
        """Replace ``path`` at once: a reader sees the old status or the new, never half."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(self.to_json())
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> SupervisorStatus | None:
        try:
            return cls.from_json(path.read_text())
        except (FileNotFoundError, ValueError, TypeError):
            return None
