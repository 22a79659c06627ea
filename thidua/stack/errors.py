"""The stack's expected failures: the CLI prints them as one line, without a traceback."""

from __future__ import annotations

from pathlib import Path


class StackError(Exception):
    """Base class of the local stack's expected failures."""


class PrerequisiteMissing(StackError):
    """A tool the stack needs is not installed; the message names what to install."""

    def __init__(self, tool: str, install_hint: str, problem: str = "not found") -> None:
        self.tool = tool
        self.install_hint = install_hint
        super().__init__(f"{tool} {problem}: install {install_hint}")


class ComponentFailed(StackError):
    """A component could not be fetched, prepared, started, or did not become ready in time."""

    def __init__(self, component: str, reason: str, log_file: Path | None = None) -> None:
        self.component = component
        self.reason = reason
        self.log_file = log_file
        where = f" (log: {log_file})" if log_file else ""
        super().__init__(f"{component}: {reason}{where}")
