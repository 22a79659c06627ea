"""How far the services are behind: consumer groups' lag on topics, and each outbox's.

The publisher's gate between phases asks these many times a second, and the bench and the
chaos run ask them too (the notifications' and audit trail's catching up); they are apart
from the publisher because they read the services, whoever published.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from aiokafka.errors import KafkaError

from thidua.auth.client import service_auth
from thidua.es.kafka import client_options, end_offsets, partitions_of

OUTAGE_PATIENCE = 120.0
"""Seconds the lag is asked again while Kafka does not answer (a broker restarting)."""


class Lag:
    """Consumer lag of groups on topics, counting partitions a group never committed. Its
    clients are opened once and kept (``async with``, or :meth:`close`): a phase is polled
    many times a second."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._http: httpx.AsyncClient | None = None
        self._coordinators: dict[str, int] = {}
        """Each group's coordinator, asked once (aiokafka asks before every offset fetch
        unless told): a gate polled fifty times a second sent a third of its requests for it."""
        self._partitions: dict[tuple[str, ...], list[TopicPartition]] = {}

    async def __aenter__(self) -> Lag:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        self._coordinators.clear()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
        if self._admin is not None:
            await self._admin.close()
            self._admin = None

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(**client_options(self.bootstrap))
            await admin.start()
            self._admin = admin
        if self._consumer is None:
            consumer = AIOKafkaConsumer(**client_options(self.bootstrap), enable_auto_commit=False)
            await consumer.start()
            self._consumer = consumer
        return self._admin, self._consumer

    async def committed(self, group: str, topic_names: Sequence[str]) -> tuple[int, int]:
        """(sum of committed offsets, sum of end offsets) of ``group`` over ``topic_names``."""
        key = tuple(topic_names)
        if key not in self._partitions:  # a topic's partitions do not change during a load
            parts = await partitions_of(self.bootstrap, list(topic_names))
            self._partitions[key] = [TopicPartition(t, p) for t, ps in parts.items() for p in ps]
        tps = self._partitions[key]
        if not tps:
            return 0, 0
        # A broker may be away (killed, restarting): ask again, through the others, for a while.
        deadline = time.monotonic() + OUTAGE_PATIENCE
        while True:
            try:
                admin, consumer = await self._clients()
                if group not in self._coordinators:
                    self._coordinators[group] = await admin.find_coordinator(group)
                done = await admin.list_consumer_group_offsets(
                    group, self._coordinators[group], partitions=tps
                )
                ends = await end_offsets(consumer, tps)
                break
            except KafkaError:
                await self.close()
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
        committed = sum(max(done[tp].offset, 0) if tp in done else 0 for tp in tps)
        return committed, sum(ends.values())

    async def outbox_lag(self, metrics_url: str) -> float:
        """:func:`outbox_lag` through an HTTP client kept with the Kafka ones (a new client
        builds its TLS context each time: 35 ms on an idle machine, 0.2 s on a busy one)."""
        if self._http is None:
            self._http = service_client(timeout=60)
        return await outbox_lag(metrics_url, self._http)

    async def assigned(self, group: str) -> set[str]:
        """Topics the members of a stable ``group`` consume (empty while it rebalances)."""
        admin, _ = await self._clients()
        [response] = await admin.describe_consumer_groups([group])
        names: set[str] = set()
        for _, _, state, _, _, members in response.groups:
            if state != "Stable":
                return set()
            for *_, assignment in members:
                decoded = ConsumerProtocolMemberAssignment.decode(assignment)
                names.update(topic for topic, _ in decoded.assignment)
        return names


async def outbox_lag(metrics_url: str, client: httpx.AsyncClient | None = None) -> float:
    """``thidua_outbox_lag_events`` of the service behind ``metrics_url``, asked through
    ``client`` if given (:meth:`Lag.outbox_lag` keeps one). Infinite whenever it is not known:
    the endpoint does not answer (a scrape measures every group's lag and may be slow), answers
    with an error (the service could not measure: its database or Kafka away), or has no such
    gauge. Read as zero, such an answer let a chaos run's publisher send the dossiers while
    registration's outbox still held the facts they name, and awards refused them."""
    try:
        if client is None:
            async with service_client(timeout=60) as made:
                response = await made.get(metrics_url)
        else:
            response = await client.get(metrics_url)
    except (httpx.HTTPError, PermissionError):
        return float("inf")
    if response.status_code != httpx.codes.OK:
        return float("inf")
    for line in response.text.splitlines():
        if line.startswith("thidua_outbox_lag_events{"):
            return float(line.rsplit(" ", 1)[1])
    return float("inf")


def service_client(base_url: str = "", timeout: float = 30) -> httpx.AsyncClient:
    """A client logged in as the bench's service account (its token shared in the process):
    the services' metrics are read with it here, the rollups in ``scenarios.rollups``."""
    return httpx.AsyncClient(base_url=base_url, timeout=timeout, auth=service_auth())
