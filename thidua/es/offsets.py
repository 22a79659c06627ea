"""Offset commits after the effect, in batches.

Committing a Kafka offset per record costs a broker round trip per record. The effects are
idempotent (inbox, projection checkpoints), so the offsets of records whose effect has
committed can be committed together a moment later: a crash in between only redelivers records
that then change nothing. Offsets are always explicit, never "whatever was fetched", so a
record still being processed is never committed.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer, TopicPartition

from thidua.es.waiting import first_set

log = logging.getLogger(__name__)


class OffsetCommitter:
    def __init__(self, interval: float = 0.2, timeout: float = 10.0, quiet: float = 0.05) -> None:
        self.interval = interval
        self.quiet = quiet
        self.timeout = timeout
        self._pending: dict[AIOKafkaConsumer, dict[TopicPartition, int]] = {}
        self._woken: asyncio.Event | None = None
        """Set when a record is done (made in :meth:`run`, in its event loop)."""

    def done(self, consumer: AIOKafkaConsumer, topic: str, partition: int, offset: int) -> None:
        """The effect of this record has committed; its offset may be committed."""
        self._pending.setdefault(consumer, {})[TopicPartition(topic, partition)] = offset + 1
        if self._woken is not None:
            self._woken.set()

    async def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for consumer, offsets in pending.items():
            # Only partitions this consumer still owns: aiokafka retries a commit for a topic
            # that was deleted (or a partition taken away) for ever, and every later commit
            # would wait behind it.
            owned = consumer.assignment()
            offsets = {tp: o for tp, o in offsets.items() if tp in owned}
            if not offsets:
                continue
            try:
                await asyncio.wait_for(consumer.commit(offsets), timeout=self.timeout)
            except Exception as exc:
                # Typically a rebalance took the partitions: their records will be redelivered
                # to the new owner and recognised as already handled.
                log.warning("offset commit of %s failed: %r", offsets, exc)

    async def run(self, stop: asyncio.Event) -> None:
        """Commit as soon as a record is done, then at most once an ``interval`` while records
        keep coming: a busy consumer's offsets go together, as before. A lone batch after a
        quiet spell is committed at once, and what is done when the records stop (none done
        for ``quiet`` seconds) without waiting out the interval (a group's committed offsets
        are what its lag, and the scenario publisher's gate between phases, are read from)."""
        self._woken = woken = asyncio.Event()
        if self._pending:
            woken.set()
        while not stop.is_set():
            await first_set(woken, stop)
            woken.clear()
            await self.flush()
            await self._spaced(woken, stop)

    async def _spaced(self, woken: asyncio.Event, stop: asyncio.Event) -> None:
        """Wait until an ``interval`` after the last commit, or less if the records stopped:
        one was done since, then none for ``quiet`` seconds. ``woken`` is left set if there
        is something to commit."""
        clock = asyncio.get_running_loop().time
        until = clock() + self.interval
        while not stop.is_set() and (left := until - clock()) > 0:
            if not woken.is_set():
                await first_set(woken, stop, timeout=left)
                continue
            woken.clear()
            await first_set(woken, stop, timeout=min(self.quiet, left))
            if not woken.is_set():
                break  # quiet, or the interval is up: what is pending goes now
        if self._pending:
            woken.set()
