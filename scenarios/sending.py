"""The departments' systems' Kafka producers: librdkafka's (``confluent-kafka``), one per
principal, as the systems of a province's departments would run them (in Java, .NET or Go,
all on librdkafka or Kafka's own client), not on this project's Python client.

The scenario publisher shares the machine whose speed it measures. Sending the 13,135 events
of the bench's scenario took aiokafka's producer 0.52-0.66 s of CPU; librdkafka's, 0.06-0.16 s
(measured in one process on the local stack, 06/12/2026): the rest is the services' to use,
as it would be with the departments' systems on their own machines.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import confluent_kafka

from thidua.es.kafka import KafkaPrincipal, librdkafka_config

log = logging.getLogger(__name__)

QUEUE_MESSAGES = 1_000_000
"""Records a producer may hold before they are sent (librdkafka's default is 100,000, fewer
than the bench's burst publishes at once): above it, :meth:`Producers.send` waits."""


CONNECT_TIMEOUT = 30.0
"""Seconds a producer may take to connect and learn its topic's metadata."""


class PublishFailed(RuntimeError):
    """Kafka refused (or never acknowledged) records a department's system sent."""


class Producers:
    """One idempotent producer (``acks=all``) per principal, each department's records sent as
    its own principal (``principal_for``; None: this process's own)."""

    def __init__(
        self,
        bootstrap: str,
        principal_for: Callable[[str], KafkaPrincipal | None] | None = None,
        *,
        linger_ms: int = 5,
    ) -> None:
        self.bootstrap = bootstrap
        self.principal_for = principal_for
        self.linger_ms = linger_ms
        self._producers: dict[str | None, confluent_kafka.Producer] = {}
        self._failures: list[str] = []

    def _producer_for(self, department: str) -> confluent_kafka.Producer:
        who = self.principal_for(department) if self.principal_for else None
        key = who.username if who else None
        producer = self._producers.get(key)
        if producer is None:
            config: dict[str, Any] = {
                **librdkafka_config(self.bootstrap, who),
                "acks": "all",
                "enable.idempotence": True,
                "linger.ms": self.linger_ms,
                "queue.buffering.max.messages": QUEUE_MESSAGES,
                "logger": log,
            }
            producer = self._producers[key] = confluent_kafka.Producer(config)
        return producer

    async def connect(self, departments: Sequence[str], topic_of: Callable[[str], str]) -> None:
        """Make each department's producer and have it learn where its topic is, as a running
        system would have done long before it sends (a new producer's first records otherwise
        wait for its connections, its producer id and the topic's metadata: 0.5 s measured)."""
        for department in departments:
            producer = self._producer_for(department)
            await asyncio.to_thread(producer.list_topics, topic_of(department), CONNECT_TIMEOUT)

    def _delivered(self, error: confluent_kafka.KafkaError | None, _: object) -> None:
        if error is not None:
            self._failures.append(str(error))

    def send(
        self,
        department: str,
        topic: str,
        value: bytes,
        *,
        key: bytes,
        headers: Sequence[tuple[str, bytes]] = (),
    ) -> None:
        """Queue one record; acknowledged (or not) by :meth:`flush`."""
        producer = self._producer_for(department)
        while True:
            try:
                producer.produce(
                    topic, value, key=key, headers=list(headers), on_delivery=self._delivered
                )
            except BufferError:
                producer.poll(0.05)
                continue
            producer.poll(0)
            return

    async def flush(self, timeout: float) -> None:
        """Wait until Kafka acknowledged every record queued, ``timeout`` seconds at most (in a
        thread: librdkafka's wait blocks). Raises :class:`PublishFailed` when any was refused
        or is still unacknowledged."""
        deadline = time.monotonic() + timeout
        for producer in self._producers.values():
            left = await asyncio.to_thread(producer.flush, max(deadline - time.monotonic(), 0.0))
            if left:
                raise PublishFailed(f"{left} records not acknowledged within {timeout:.0f} s")
        if self._failures:
            failures, self._failures = self._failures, []
            raise PublishFailed(f"{len(failures)} records refused by Kafka: {failures[0]}")

    def close(self) -> None:
        """Forget the producers (their records are flushed or given up by then)."""
        self._producers.clear()
