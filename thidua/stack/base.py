"""What every stack component looks like to the orchestrator, and the stack's errors/results."""

from __future__ import annotations

import signal
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua.settings import StackSettings
from thidua.stack.errors import ComponentFailed, PrerequisiteMissing, StackError
from thidua.stack.fetch import MavenFetch
from thidua.stack.process import RunAs, find_process

Reporter = Callable[[str], None]


def _silent(_: str) -> None:
    pass


SILENT: Reporter = _silent

__all__ = [
    "SILENT",
    "Component",
    "ComponentFailed",
    "ComponentStatus",
    "PrerequisiteMissing",
    "Reporter",
    "StackError",
    "StackStatus",
]


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    address: str
    url: str | None
    pid: int | None
    running: bool
    healthy: bool
    log_file: Path
    # Filled by `up` only: what it did ("started", "already running") and how long it took.
    action: str | None = None
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address": self.address,
            "url": self.url,
            "pid": self.pid,
            "running": self.running,
            "healthy": self.healthy,
            "log_file": str(self.log_file),
            "action": self.action,
            "seconds": None if self.seconds is None else round(self.seconds, 2),
        }


@dataclass(frozen=True)
class StackStatus:
    components: tuple[ComponentStatus, ...]

    @property
    def healthy(self) -> bool:
        return all(c.healthy for c in self.components)

    def __getitem__(self, name: str) -> ComponentStatus:
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"healthy": self.healthy, "components": [c.to_dict() for c in self.components]}


class Component(ABC):
    """One locally run server. Blocking methods are called from a worker thread."""

    name: str
    ready_timeout: float = 90.0
    stop_signal: signal.Signals = signal.SIGTERM
    stop_timeout: float = 60.0

    def __init__(self, settings: StackSettings, report: Reporter = SILENT) -> None:
        self.settings = settings
        self.report = report

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "run" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / f"{self.name}.log"

    @property
    @abstractmethod
    def address(self) -> str: ...

    @property
    def url(self) -> str | None:
        return None

    @property
    @abstractmethod
    def marker(self) -> str:
        """A string only our instance has on its command line: guards against recycled pids."""

    def fetches(self) -> list[MavenFetch]:
        return []

    @abstractmethod
    def check_prerequisites(self) -> None:
        """Raise PrerequisiteMissing naming what to install."""

    @abstractmethod
    def prepare(self) -> None:
        """Create config and data directories; idempotent; blocking."""

    @abstractmethod
    def command(self) -> list[str]: ...

    def run_as(self) -> RunAs | None:
        return None

    def environment(self) -> dict[str, str] | None:
        return None

    def discover_pid(self) -> int | None:
        """Find our running server when its pid file is gone or stale: by default the process
        that has the marker as one of its arguments."""
        return find_process(self.marker)

    async def reachable(self) -> bool:
        """Whether the server answers at all (readiness before on_started runs)."""
        return await self.probe()

    async def on_started(self) -> None:
        """Work that needs the running server before it counts as healthy (none by default)."""
        return None

    @abstractmethod
    async def probe(self) -> bool:
        """One bounded health check; never raises."""

    def stop_command(self) -> list[str] | None:
        """A graceful stop command to try before signalling the process group."""
        return None
