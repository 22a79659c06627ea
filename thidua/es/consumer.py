"""The consumer policy every service shares: failures by kind.

- A malformed or oversize record, or a business rule that says no: a refusal
  (``InputRejected`` on the department's ``thidua.rejections.<code>``), decided like any fact
  (see ``batch.py``).
- A transient fault of a dependency (PostgreSQL or Kafka unreachable, a serialization failure,
  a deadlock, a timeout): the batch is retried with capped backoff, for as long as it takes.
  No offset is committed and nothing goes to the DLQ; the instance reports itself not ready
  meanwhile.
- A version conflict (another instance appended first): decided again on the new state.
- Anything else: the batch is retried record by record; a record that still fails after
  ``max_attempts`` while the database answers goes to the service's DLQ, with the error in
  headers, and the records after it flow on.

The caller commits a record's offset only after this returns, which is after its effect (or
its DLQ copy) is durable. Every record ends as exactly one outcome (``batch.Outcome``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaTimeoutError, NotEnoughReplicasError

from thidua.es import store
from thidua.es.batch import Around, BatchDecision, Handler, Outcome, Ownership, UnitOfWork
from thidua.es.db import Pool
from thidua.es.decider import Decider
from thidua.es.dlq import error_headers
from thidua.es.intake import Incoming

__all__ = [
    "CommandConsumer",
    "ConsumerPolicy",
    "Handler",
    "Health",
    "Incoming",
    "Outcome",
    "Ownership",
    "UnitOfWork",
    "deliver",
    "error_headers",
    "is_transient",
]

log = logging.getLogger(__name__)

DeadLetter = Callable[[Incoming, BaseException, int], Awaitable[None]]

TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,  # refused or reset connections
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.LockNotAvailableError,
    KafkaConnectionError,
    KafkaTimeoutError,
    NotEnoughReplicasError,
)


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` says a dependency is unavailable, not that the record is bad."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TRANSIENT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass
class ConsumerPolicy:
    max_attempts: int = 3
    max_conflict_retries: int = 20
    backoff_seconds: float = 0.2
    max_backoff_seconds: float = 5.0


class Health:
    """Whether this instance's dependencies answer, as its readiness reports it."""

    def __init__(self) -> None:
        self.fault: str | None = None
        self.since: float | None = None

    def failing(self, error: BaseException) -> None:
        if self.fault is None:
            self.since = time.monotonic()
            log.warning("a dependency is unavailable (%r); retrying without committing", error)
        self.fault = f"{type(error).__name__}: {error}"

    def recovered(self) -> None:
        if self.fault is not None:
            log.info("dependencies answer again after %.1f s", time.monotonic() - (self.since or 0))
        self.fault = None
        self.since = None

    @property
    def ok(self) -> bool:
        return self.fault is None


class Stopping(Exception):
    """The instance stops while a transient fault lasts: leave the records uncommitted."""


async def until_healthy(
    attempt: Callable[[], Awaitable[object]],
    policy: ConsumerPolicy,
    health: Health,
    stop: asyncio.Event | None,
) -> object:
    """Run ``attempt`` again after each transient fault, with capped backoff, until it
    succeeds or the instance stops; other errors are raised."""
    delay = policy.backoff_seconds
    while True:
        try:
            result = await attempt()
        except Exception as exc:
            if not is_transient(exc):
                raise
            health.failing(exc)
            if stop is not None and stop.is_set():
                raise Stopping(str(exc)) from exc
            await asyncio.sleep(delay)
            delay = min(delay * 2, policy.max_backoff_seconds)
            continue
        health.recovered()
        return result


async def deliver(
    incoming: Incoming,
    attempt: Callable[[Incoming], Awaitable[str]],
    dead_letter: DeadLetter,
    policy: ConsumerPolicy,
    *,
    health: Health | None = None,
    alive: Callable[[], Awaitable[bool]] | None = None,
    stop: asyncio.Event | None = None,
) -> str:
    """One record under the policy: conflicts decide again, transient faults wait for the
    dependency, other failures retry and then dead-letter (when ``alive()`` says the database
    answers; otherwise the fault is treated as transient)."""
    health = health or Health()
    failures = 0
    conflicts = 0
    delay = policy.backoff_seconds
    while True:
        try:
            outcome = await attempt(incoming)
        except store.ConcurrencyError as exc:
            conflicts += 1
            if conflicts <= policy.max_conflict_retries:
                continue
            error: Exception = exc
        except Exception as exc:
            if is_transient(exc) or (alive is not None and not await _answers(alive)):
                health.failing(exc)
                if stop is not None and stop.is_set():
                    raise Stopping(str(exc)) from exc
                await asyncio.sleep(delay)
                delay = min(delay * 2, policy.max_backoff_seconds)
                continue
            failures += 1
            if failures < policy.max_attempts:
                log.warning("attempt %d on %s failed: %r", failures, incoming.position, exc)
                await asyncio.sleep(policy.backoff_seconds * 2 ** (failures - 1))
                continue
            error = exc
        else:
            health.recovered()
            return outcome
        log.error("dead-lettering %s: %r", incoming.position, error)
        await dead_letter(incoming, error, failures + conflicts)
        return Outcome.DEAD_LETTERED


async def _answers(alive: Callable[[], Awaitable[bool]]) -> bool:
    try:
        return await alive()
    except Exception:
        return False


class CommandConsumer:
    """Applies incoming records to one service's store under the shared consumer policy."""

    def __init__(
        self,
        pool: Pool,
        service: str,
        handler: Decider | Handler,
        dead_letter: DeadLetter,
        *,
        policy: ConsumerPolicy | None = None,
        ownership: Ownership | None = None,
        health: Health | None = None,
        stop: asyncio.Event | None = None,
    ) -> None:
        self.pool = pool
        self.service = service
        self.decision = BatchDecision(service, handler, ownership=ownership)
        self.dead_letter = dead_letter
        self.policy = policy or ConsumerPolicy()
        self.health = health or Health()
        self.stop = stop
        self.counts: dict[str, int] = {}

    @property
    def ownership(self) -> Ownership:
        return self.decision.ownership

    def forget_streams(self) -> None:
        """The partitions changed hands: what this instance knew of streams may be stale."""
        self.decision.cache.clear()

    async def handle(self, batch: Sequence[Incoming], around: Around | None = None) -> list[str]:
        """The whole policy for a batch: decided together, retried on conflicts and transient
        faults; if it still fails, record by record (each with retries, then the DLQ)."""
        try:
            return await self.process_batch(batch, around)
        except Stopping:
            raise
        except Exception as exc:
            if len(batch) > 1:
                log.info("batch of %d failed (%r); one by one", len(batch), exc)
        outcomes = []
        for i, incoming in enumerate(batch):
            if around is None:
                outcomes.append(await self.process(incoming))
                continue
            with around(i):
                outcomes.append(await self.process(incoming))
        return outcomes

    async def process_batch(
        self, batch: Sequence[Incoming], around: Around | None = None
    ) -> list[str]:
        """Decide ``batch`` in one transaction (one commit), deciding again after a version
        conflict and waiting out transient faults. Other failures roll it back and raise."""
        conflicts = 0
        while True:
            try:
                outcomes = await until_healthy(
                    lambda: self._once(batch, around), self.policy, self.health, self.stop
                )
            except store.ConcurrencyError:
                conflicts += 1
                if conflicts <= self.policy.max_conflict_retries:
                    continue
                raise
            assert isinstance(outcomes, list)
            self._count(outcomes)
            return outcomes

    async def process(self, incoming: Incoming) -> str:
        """One record under the policy; returns its outcome. Raises only if even the DLQ is
        unreachable (or the instance stops during a transient fault)."""
        outcome = await deliver(
            incoming,
            self._single,
            self.dead_letter,
            self.policy,
            health=self.health,
            alive=self._database_answers,
            stop=self.stop,
        )
        self._count([outcome])
        return outcome

    async def _single(self, incoming: Incoming) -> str:
        return (await self._once([incoming], None))[0]

    async def _once(self, batch: Sequence[Incoming], around: Around | None) -> list[str]:
        read = self.decision.read(batch)
        if read.passed_over:
            return read.outcomes()
        async with self.pool.acquire() as conn:
            return await self.decision.decide(conn, read, around)

    async def _database_answers(self) -> bool:
        return bool(await self.pool.fetchval("SELECT 1") == 1)

    def _count(self, outcomes: Sequence[str]) -> None:
        for outcome in outcomes:
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
