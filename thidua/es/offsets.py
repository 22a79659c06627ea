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

from thidua.es.waiting import pause

log = logging.getLogger(__name__)


class OffsetCommitter:
    def __init__(self, interval: float = 0.2, timeout: float = 10.0) -> None:
        self.interval = interval
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
        """Commit as soon as a record is done, then at most once an ``interval``: a busy
        consumer's offsets go together, as before, and a lone batch after a quiet spell is
        committed at once instead of up to an ``interval`` later (a group's committed offsets
        are what its lag, and the scenario publisher's gate between phases, are read from)."""
        self._woken = woken = asyncio.Event()
        if self._pending:
            woken.set()
        while not stop.is_set():
            await _first(woken, stop)
            woken.clear()
            await self.flush()
            await pause(stop, self.interval)


async def _first(*events: asyncio.Event) -> None:
    """Return once any of ``events`` is set."""
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
