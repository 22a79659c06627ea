"""The service's notion of "now": injectable, so tests can live on the 2018 plan's dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Deadlines are Vietnamese calendar dates (UTC+7, no daylight saving)."""


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ShiftedClock:
    """Runs at real speed from a chosen instant (backoffs still elapse); ``set`` jumps."""

    offset: timedelta = field(default_factory=timedelta)

    @classmethod
    def at(cls, instant: datetime) -> ShiftedClock:
        clock = cls()
        clock.set(instant)
        return clock

    def set(self, instant: datetime) -> None:
        self.offset = instant - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset
