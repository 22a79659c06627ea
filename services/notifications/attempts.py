"""What the dispatcher records of each send attempt: the delivery row's new state and a
``NotificationSent`` or ``NotificationFailed`` event on the delivery's stream.

Attempts are recorded in groups (``Recorder``), each in one transaction of a handful of
statements, whatever its size: the cost of recording is per group, not per message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from contracts.envelope import CloudEvent
from contracts.notifications import Channel, NotificationFailed, NotificationSent
from services.notifications import rules
from services.notifications.domain.deliveries import notification_stream
from services.notifications.readmodels import deliveries
from thidua.es import store
from thidua.es.db import Conn

SOURCE = "urn:thidua:service:notifications"
Row = Mapping[str, Any] | asyncpg.Record
Fact = NotificationSent | NotificationFailed


@dataclass
class Outcome:
    sent: bool
    error: str | None = None
    transient: bool = True
    confirmed: bool = True
    interrupted: bool = False


@dataclass(frozen=True)
class Attempt:
    """One delivery's attempt, to be recorded with the others of its group."""

    row: Row
    outcome: Outcome
    inbox: bool = False
    """Delivered to the in-app inbox: the message is stored with the record."""


@dataclass(frozen=True)
class Retry:
    max_attempts: int
    backoff_seconds: float
    max_backoff_seconds: float


@dataclass
class Records:
    """The statements' rows for a group of attempts."""

    now: datetime
    facts: list[tuple[Row, Fact]] = field(default_factory=list)
    inbox: list[tuple[Any, ...]] = field(default_factory=list)
    sent: list[Any] = field(default_factory=list)
    unsent: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Attempts that gave up (no retry)."""
        return sum(1 for u in self.unsent if u[1] == "failed")

    @classmethod
    def of(cls, attempts: Sequence[Attempt], now: datetime, retry: Retry) -> Records:
        records = cls(now)
        for attempt in attempts:
            records._add(attempt, retry)
        return records

    def _add(self, attempt: Attempt, retry: Retry) -> None:
        row, outcome, now = attempt.row, attempt.outcome, self.now
        tries = max(1, row["attempts"])
        will_retry = not outcome.sent and (
            outcome.interrupted or (outcome.transient and tries < retry.max_attempts)
        )
        address = row["address"] or row["recipient_id"]
        common: dict[str, Any] = {
            "notification_id": str(row["delivery_id"]),
            "subscription_id": row["subscription_id"],
            "channel": Channel(row["channel"]) if row["channel"] else Channel.INBOX,
            "recipient": address,
            "template": row["template"],
            "attempt": tries,
            "causation_event_id": row["causation_event_id"],
        }
        if outcome.sent:
            fact: Fact = NotificationSent(**common, sent_at=now, confirmed=outcome.confirmed)
            self.sent.append(row["delivery_id"])
        else:
            fact = NotificationFailed(
                **common, failed_at=now, error=outcome.error or "?", will_retry=will_retry
            )
            # An interrupted attempt reached nobody: try again at once.
            delay = (
                timedelta(0)
                if outcome.interrupted
                else rules.backoff(tries, retry.backoff_seconds, retry.max_backoff_seconds)
            )
            status = "pending" if will_retry else "failed"
            self.unsent.append((row["delivery_id"], status, outcome.error, now + delay))
        self.facts.append((row, fact))
        if attempt.inbox:
            self.inbox.append(
                deliveries.inbox_message(
                    row["delivery_id"],
                    row["recipient_kind"],
                    address,
                    row["template"],
                    row["subject"],
                    row["body"],
                    row["data"],
                    now,
                )
            )

    async def write(self, conn: Conn) -> None:
        """Inside the caller's (fenced) transaction."""
        await deliveries.store_inbox(conn, self.inbox)
        if self.sent:
            await conn.execute(
                """UPDATE deliveries SET status = 'sent', sent_at = $2, last_error = NULL
                   WHERE delivery_id = ANY($1::uuid[])""",
                self.sent,
                self.now,
            )
        if self.unsent:
            await conn.executemany(
                """UPDATE deliveries SET status = $2, last_error = $3, next_attempt_at = $4
                   WHERE delivery_id = $1""",
                self.unsent,
            )
        await _append(conn, self.facts)


class Recorder:
    """Attempts gathered from the concurrent senders, recorded ``every`` at a time."""

    def __init__(self, record: Callable[[Sequence[Attempt]], Awaitable[None]], every: int) -> None:
        self.record = record
        self.every = every
        self.pending: list[Attempt] = []
        self.lock = asyncio.Lock()

    async def add(self, attempt: Attempt) -> None:
        self.pending.append(attempt)
        if len(self.pending) >= self.every:
            await self.flush()

    async def flush(self) -> None:
        async with self.lock:
            taken, self.pending = self.pending, []
            await self.record(taken)


async def _append(conn: Conn, facts: Sequence[tuple[Row, Fact]]) -> None:
    """Each attempt's event on its delivery's stream ``notification:<id>``, in one statement."""
    streams = [notification_stream(str(row["delivery_id"])) for row, _ in facts]
    versions = await store.stream_versions(conn, streams)
    appends = []
    for stream, (row, fact) in zip(streams, facts, strict=True):
        event = CloudEvent.new(fact, source=SOURCE, subject=stream, department=row["department"])
        event = event.model_copy(
            update={
                "correlationid": row["correlation_id"],
                "causationid": row["causation_event_id"],
            }
        )
        versions[stream] = version = versions.get(stream, 0) + 1
        appends.append(store.Append(stream, version, event))
    await store.append_many(conn, appends, {})
