"""The consumer policy every service shares.

For each Kafka record: parse the CloudEvent (refusing malformed input), then in one
transaction record it in the inbox and apply its effect; refusals are recorded as
``InputRejected`` events in the same store, so the relay publishes them to
``thidua.rejections`` exactly like accepted facts. Concurrency conflicts retry the command;
other failures retry a bounded number of times and then go to the service's DLQ with the error
in headers. The caller acknowledges the record (commits its offset) only after this returns,
which is after the effect (or the DLQ copy) is durable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from pydantic import ValidationError

from contracts import topics
from contracts.base import EVENT_TYPES, EventData, UnknownEventType
from contracts.envelope import CloudEvent
from contracts.rejections import GenericReason
from thidua.es import inbox, store
from thidua.es.db import Conn, Pool
from thidua.es.rejections import Reason, Rejected, rejection_event, validation_reasons

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Incoming:
    """One Kafka record as received."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Sequence[tuple[str, bytes]] = ()

    @property
    def position(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


@dataclass
class UnitOfWork:
    """What a handler may touch: the service's store, inside the command's transaction."""

    conn: Conn
    source: str
    incoming: Incoming
    cause: CloudEvent
    appended: list[store.RecordedEvent] = field(default_factory=list)

    async def load(self, stream_id: str) -> list[store.RecordedEvent]:
        return await store.read_stream(self.conn, stream_id)

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        *payloads: EventData,
        subject: str | None = None,
    ) -> list[store.RecordedEvent]:
        """Append facts caused by the incoming event (correlation and causation carried)."""
        events = [
            CloudEvent.new(
                p, source=self.source, subject=subject or stream_id, caused_by=self.cause
            )
            for p in payloads
        ]
        recorded = await store.append(self.conn, stream_id, expected_version, events)
        self.appended.extend(recorded)
        return recorded


Handler = Callable[[UnitOfWork, CloudEvent, EventData], Awaitable[None]]
DeadLetter = Callable[[Incoming, BaseException, int], Awaitable[None]]


class Outcome:
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # accepted, but it changed nothing (e.g. an identical repeat)
    NOT_OURS = "not-ours"
    DEAD_LETTERED = "dead-lettered"


@dataclass(frozen=True)
class Ownership:
    """Which incoming types a consumer acts on.

    Several services read the same ingress topics, each acting on the types it owns (by the
    ``vn.thidua.<service>.`` prefix) and passing over the rest. Exactly one of them, the
    gatekeeper, refuses what nobody can act on (malformed envelopes, unknown types), so that a
    bad input gets one rejection, not one per service.
    """

    type_prefixes: tuple[str, ...] = ()
    gatekeeper: bool = True

    @classmethod
    def service(cls, name: str, *, gatekeeper: bool = False) -> Ownership:
        return cls((f"vn.thidua.{name}.",), gatekeeper)

    def owns(self, event_type: str) -> bool:
        return not self.type_prefixes or event_type.startswith(self.type_prefixes)

    def owned_by_nobody(self, event_type: str) -> bool:
        return event_type not in EVENT_TYPES


@dataclass
class ConsumerPolicy:
    max_attempts: int = 3
    max_conflict_retries: int = 20
    backoff_seconds: float = 0.2


async def deliver(
    incoming: Incoming,
    attempt: Callable[[Incoming], Awaitable[str]],
    dead_letter: DeadLetter,
    policy: ConsumerPolicy,
) -> str:
    """Run ``attempt`` under the policy: conflicts retry, failures retry then dead-letter."""
    failures = 0
    conflicts = 0
    while True:
        try:
            return await attempt(incoming)
        except store.ConcurrencyError as exc:
            conflicts += 1
            if conflicts <= policy.max_conflict_retries:
                continue
            error: Exception = exc
        except Exception as exc:
            failures += 1
            if failures < policy.max_attempts:
                log.warning("attempt %d on %s failed: %r", failures, incoming.position, exc)
                await asyncio.sleep(policy.backoff_seconds * 2 ** (failures - 1))
                continue
            error = exc
        log.error("dead-lettering %s: %r", incoming.position, error)
        await dead_letter(incoming, error, failures + conflicts)
        return Outcome.DEAD_LETTERED


_BATCH_CONN: ContextVar[Conn | None] = ContextVar("thidua_batch_connection", default=None)


class CommandConsumer:
    """Applies incoming events to one service's store under the shared consumer policy."""

    def __init__(
        self,
        pool: Pool,
        service: str,
        handler: Handler,
        dead_letter: DeadLetter,
        *,
        policy: ConsumerPolicy | None = None,
        ownership: Ownership | None = None,
    ) -> None:
        self.pool = pool
        self.service = service
        self.ownership = ownership or Ownership()
        self.source = f"urn:thidua:service:{service}"
        self.handler = handler
        self.dead_letter = dead_letter
        self.policy = policy or ConsumerPolicy()
        self.counts: dict[str, int] = {}

    async def process(self, incoming: Incoming) -> str:
        """Handle one record; returns the outcome. Raises only if even the DLQ is unreachable."""
        outcome = await deliver(incoming, self._attempt, self.dead_letter, self.policy)
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        return outcome

    async def process_batch(
        self,
        batch: Sequence[Incoming],
        around: Callable[[int], AbstractContextManager[Any]] | None = None,
    ) -> list[str]:
        """Decide ``batch`` in one transaction, each record in a savepoint of its own (a refusal
        rolls back only its record): one commit for the batch. Any other failure rolls the whole
        batch back and raises; the caller then takes the records one by one (``process``), with
        the retry and dead-letter policy. ``around(i)`` is entered around record i (its span)."""
        outcomes = []
        async with self.pool.acquire() as conn, conn.transaction():
            token = _BATCH_CONN.set(conn)
            try:
                for i, incoming in enumerate(batch):
                    with around(i) if around else contextlib.nullcontext():
                        outcomes.append(await self._attempt(incoming))
            finally:
                _BATCH_CONN.reset(token)
        for outcome in outcomes:
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
        return outcomes

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Conn]:
        """A transaction of its own, or a savepoint in the batch's transaction."""
        shared = _BATCH_CONN.get()
        if shared is not None:
            async with shared.transaction():
                yield shared
            return
        async with self.pool.acquire() as conn, conn.transaction():
            yield conn

    async def _attempt(self, incoming: Incoming) -> str:
        gatekeeper = self.ownership.gatekeeper
        try:
            event = CloudEvent.from_json(incoming.value)
        except ValidationError as exc:
            if not gatekeeper:
                return Outcome.NOT_OURS
            return await self._reject(incoming, None, validation_reasons(exc, "envelope"))
        if not self.ownership.owns(event.type) and not (
            gatekeeper and self.ownership.owned_by_nobody(event.type)
        ):
            return Outcome.NOT_OURS
        try:
            payload = event.payload()
        except UnknownEventType:
            reason = Reason(
                GenericReason.UNKNOWN_TYPE,
                f"Loại sự kiện không được hỗ trợ: {event.type}",
                "type",
            )
            return await self._reject(incoming, event, [reason])
        except ValidationError as exc:
            return await self._reject(incoming, event, validation_reasons(exc, "data"))
        forbidden = ingress_refusal(incoming, event, payload)
        if forbidden is not None:
            return await self._reject(incoming, event, [forbidden])
        try:
            async with self._transaction() as conn:
                seen = await inbox.record(
                    conn,
                    event,
                    topic=incoming.topic,
                    partition=incoming.partition,
                    offset=incoming.offset,
                    outcome=Outcome.ACCEPTED,
                )
                if seen is inbox.Seen.DUPLICATE:
                    return Outcome.DUPLICATE
                if seen is inbox.Seen.CONFLICT:
                    raise Rejected(
                        [
                            Reason(
                                "envelope.duplicate_id_conflict",
                                f"Mã sự kiện {event.id} đã được dùng cho một nội dung khác",
                                "id",
                            )
                        ]
                    )
                uow = UnitOfWork(conn, self.source, incoming, event)
                try:
                    await self.handler(uow, event, payload)
                except asyncpg.UniqueViolationError as exc:
                    # Another instance wrote the same lookup row first: decide again.
                    raise store.ConcurrencyError(incoming.position, -1) from exc
                if not uow.appended:
                    await inbox.set_outcome(conn, event, Outcome.IGNORED)
        except Rejected as refusal:
            return await self._reject(incoming, event, refusal.reasons)
        return Outcome.ACCEPTED if uow.appended else Outcome.IGNORED

    async def _reject(
        self, incoming: Incoming, event: CloudEvent | None, reasons: Sequence[Reason]
    ) -> str:
        """Record the refusal (and the input in the inbox, when it has a usable id)."""
        stream_id = f"rejection:{incoming.position}"
        async with self._transaction() as conn:
            if await store.stream_version(conn, stream_id) > 0:
                return Outcome.REJECTED  # redelivered after the refusal was committed
            if event is not None:
                seen = await inbox.seen(conn, event)
                if seen is inbox.Seen.NEW:
                    await inbox.record(
                        conn,
                        event,
                        topic=incoming.topic,
                        partition=incoming.partition,
                        offset=incoming.offset,
                        outcome=Outcome.REJECTED,
                    )
                elif seen is inbox.Seen.DUPLICATE:
                    return Outcome.DUPLICATE
            rejection = rejection_event(self.service, self.source, incoming, event, reasons)
            await store.append(conn, stream_id, 0, [rejection])
        return Outcome.REJECTED


def ingress_refusal(incoming: Incoming, event: CloudEvent, payload: EventData) -> Reason | None:
    """What no department may do on its ingress topic, whatever the service."""
    department = topics.department_of_ingress(incoming.topic)
    if department is None:
        return None
    if not payload.submittable:
        return Reason(
            GenericReason.NOT_SUBMITTABLE,
            f"Sở không được gửi loại sự kiện {event.type}: loại này do hệ thống quyết định",
            "type",
        )
    if event.department is not None and event.department != department:
        return Reason(
            GenericReason.FOREIGN_DEPARTMENT,
            f"Sự kiện ghi Sở '{event.department}' nhưng được gửi qua kênh của Sở '{department}'",
            "department",
        )
    return None


def error_headers(
    incoming: Incoming, error: BaseException, attempts: int
) -> list[tuple[str, bytes]]:
    """DLQ headers: where the record came from and why it failed."""
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return [
        *incoming.headers,
        ("thidua-error", text[:2000].encode()),
        ("thidua-error-type", type(error).__name__.encode()),
        ("thidua-attempts", str(attempts).encode()),
        ("thidua-original-topic", incoming.topic.encode()),
        ("thidua-original-partition", str(incoming.partition).encode()),
        ("thidua-original-offset", str(incoming.offset).encode()),
    ]
