"""Publishing what the door admitted: the idempotent producer (acks=all) of the door's own
Kafka principal, onto ``thidua.ingress.<code>``, in the structured mode the services read,
keyed by the department's code as the departments' own systems key it (one partition per
department, so its events are decided in the order it posted them)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence

from aiokafka import AIOKafkaProducer
from opentelemetry import propagate

from contracts import topics
from contracts.envelope import CloudEvent
from thidua.es.kafka import KafkaPrincipal, client_options, principal_from_env

DOOR_ENV_PREFIX = "THIDUA_DOOR_KAFKA_"
"""``THIDUA_DOOR_KAFKA_USERNAME`` with ``…_PASSWORD`` or ``…_PASSWORD_FILE``: the door's
principal."""


class DoorClosed(Exception):
    """The door has no Kafka principal of its own in this process (it is not configured)."""


def door_principal() -> KafkaPrincipal | None:
    """The door's principal: ``THIDUA_DOOR_KAFKA_*`` (what the supervisor and compose give the
    reporting process); without it, a process that runs as a principal of its own
    (``THIDUA_KAFKA_USERNAME``, e.g. ``svc-reporting``, which may not write ingress topics)
    keeps the door closed (:class:`DoorClosed`), and a local tool or test runs it as the
    stack's admin."""
    if os.environ.get(f"{DOOR_ENV_PREFIX}USERNAME"):
        return principal_from_env(prefix=DOOR_ENV_PREFIX)
    if os.environ.get("THIDUA_KAFKA_USERNAME"):
        raise DoorClosed("THIDUA_DOOR_KAFKA_USERNAME is not set")
    return principal_from_env()


class DoorPublisher:
    """One idempotent producer, started on the first post (the API serves reads while Kafka
    does not answer) and kept."""

    def __init__(
        self,
        bootstrap: str,
        principal: KafkaPrincipal | None = None,
        *,
        topic_of: Callable[[str], str] = topics.ingress,
    ) -> None:
        """``topic_of`` names a department's topic (the bench's own, away from the services)."""
        self.bootstrap = bootstrap
        self.principal = principal
        self.topic_of = topic_of
        self._producer: AIOKafkaProducer | None = None
        self._starting = asyncio.Lock()
        self._known: set[str] = set()

    async def producer(self) -> AIOKafkaProducer:
        async with self._starting:
            if self._producer is None:
                who = self.principal or door_principal()
                producer = AIOKafkaProducer(
                    **client_options(self.bootstrap, who),
                    acks="all",
                    enable_idempotence=True,
                    linger_ms=5,
                    request_timeout_ms=15_000,
                )
                await producer.start()
                self._producer = producer
            return self._producer

    async def has_topic(self, code: str) -> bool:
        """Whether ``code`` has an ingress topic (the department was provisioned)."""
        topic = self.topic_of(code)
        if topic in self._known:
            return True
        producer = await self.producer()
        producer.client.add_topic(topic)
        await producer.client.force_metadata_update()
        if producer.client.cluster.partitions_for_topic(topic):
            self._known.add(topic)
            return True
        return False

    async def publish(self, code: str, events: Sequence[CloudEvent]) -> None:
        """Every event on ``code``'s ingress topic, acknowledged by every in-sync replica."""
        producer = await self.producer()
        topic, key = self.topic_of(code), code.encode()
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        headers = [(k, v.encode()) for k, v in carrier.items()]
        sent = [
            await producer.send(topic, event.to_json(), key=key, headers=headers or None)
            for event in events
        ]
        await asyncio.gather(*sent)

    async def close(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
