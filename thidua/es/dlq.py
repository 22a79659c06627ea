"""The dead-letter format, written and read in one place.

A dead letter is the record that failed, byte for byte (value, key and headers in their order; only
a header key that is not UTF-8, which no Kafka client can write back, is kept with its bad bytes
spelt ``\\xNN``), followed by the reason as headers (``REASON_HEADERS``), on the DLQ topic of the
service that gave up on it (``thidua.<service>.dlq``). The consumer policy writes one for a record
that still fails after its retries; a reporting rebuild writes one for a record that is not a valid
event. The outbox relay writes another shape: a small JSON naming an event Kafka refused (it stays
in the store at that position), with ``thidua-relay`` and ``thidua-position`` headers.

Operators read them with ``thidua dlq`` (``thidua/dlq/``); a replayed record carries
``thidua-replay-of`` naming the dead letter it came from.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from thidua.es.intake import Incoming
from thidua.es.kafka import client_options, end_offsets, partitions_of, read_range
from thidua.es.records import printable_key

ERROR = "thidua-error"
ERROR_TYPE = "thidua-error-type"
ATTEMPTS = "thidua-attempts"
ORIGINAL_TOPIC = "thidua-original-topic"
ORIGINAL_PARTITION = "thidua-original-partition"
ORIGINAL_OFFSET = "thidua-original-offset"
REASON_HEADERS = (ERROR, ERROR_TYPE, ATTEMPTS, ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET)
REPLAY_OF = "thidua-replay-of"
RELAY = "thidua-relay"
RELAY_POSITION = "thidua-position"

Headers = Sequence[tuple[str, bytes]]


def error_headers(
    incoming: Incoming, error: BaseException, attempts: int
) -> list[tuple[str, bytes]]:
    """The dead letter's headers: the record's own, then where it came from and why it failed."""
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return [
        *((printable_key(k), v) for k, v in incoming.headers),
        (ERROR, text[:2000].encode()),
        (ERROR_TYPE, type(error).__name__.encode()),
        (ATTEMPTS, str(attempts).encode()),
        (ORIGINAL_TOPIC, incoming.topic.encode()),
        (ORIGINAL_PARTITION, str(incoming.partition).encode()),
        (ORIGINAL_OFFSET, str(incoming.offset).encode()),
    ]


class DeadLetterWriter:
    """Writes dead letters to one DLQ topic, each acknowledged by every in-sync replica before
    the caller moves on (it commits the record's offset next)."""

    def __init__(self, bootstrap: str, topic: str, *, client_id: str) -> None:
        self.topic = topic
        self.written = 0
        self._producer = AIOKafkaProducer(
            **client_options(bootstrap), acks="all", enable_idempotence=True, client_id=client_id
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def put(self, incoming: Incoming, error: BaseException, attempts: int) -> None:
        await self._producer.send_and_wait(
            self.topic,
            value=incoming.value,
            key=incoming.key,
            headers=error_headers(incoming, error, attempts),
        )
        self.written += 1


def _last(headers: Headers, name: str) -> bytes | None:
    found = None
    for key, value in headers:
        if key == name:
            found = value
    return found


def _text(value: bytes | None) -> str | None:
    return None if value is None else bytes(value).decode("utf-8", errors="replace")


def _number(value: bytes | None) -> int | None:
    text = _text(value)
    return int(text) if text is not None and text.strip().isdigit() else None


@dataclass(frozen=True)
class DeadLetter:
    """One record of a DLQ topic, read without trusting any of it."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    @property
    def ref(self) -> str:
        """Where it is: ``<dlq topic>/<partition>/<offset>``."""
        return f"{self.topic}/{self.partition}/{self.offset}"

    @property
    def service(self) -> str:
        """The service whose DLQ this is (``[<prefix>.]<service>.dlq``)."""
        parts = self.topic.split(".")
        return parts[-2] if len(parts) >= 2 and parts[-1] == "dlq" else self.topic

    @property
    def original_topic(self) -> str | None:
        return _text(_last(self.headers, ORIGINAL_TOPIC))

    @property
    def original_partition(self) -> int | None:
        return _number(_last(self.headers, ORIGINAL_PARTITION))

    @property
    def original_offset(self) -> int | None:
        return _number(_last(self.headers, ORIGINAL_OFFSET))

    @property
    def original(self) -> str | None:
        """Where the record was read from: ``<topic>/<partition>/<offset>``."""
        topic, partition, offset = (
            self.original_topic,
            self.original_partition,
            self.original_offset,
        )
        if topic is None or partition is None or offset is None:
            return None
        return f"{topic}/{partition}/{offset}"

    @property
    def error(self) -> str | None:
        if self.relay_position is not None:
            described = _json_object(self.value).get("error")
            return described if isinstance(described, str) else None
        return _text(_last(self.headers, ERROR))

    @property
    def error_type(self) -> str | None:
        return _text(_last(self.headers, ERROR_TYPE))

    @property
    def attempts(self) -> int | None:
        return _number(_last(self.headers, ATTEMPTS))

    @property
    def relay_position(self) -> int | None:
        """For the relay's dead letters: the event's position in the service's store."""
        if _last(self.headers, RELAY) is None or _last(self.headers, ORIGINAL_TOPIC) is not None:
            return None  # a consumer's dead letter of a relayed record carries the relay's headers
        return _number(_last(self.headers, RELAY_POSITION))

    @property
    def replay_of(self) -> str | None:
        """The dead letter this record was itself replayed from, if it was."""
        return _text(_last(self.original_headers, REPLAY_OF))

    @property
    def original_headers(self) -> tuple[tuple[str, bytes], ...]:
        """The failed record's own headers, in their order (the reason headers removed)."""
        count = len(REASON_HEADERS)
        if tuple(k for k, _ in self.headers[-count:]) == REASON_HEADERS:
            return self.headers[:-count]
        return tuple((k, v) for k, v in self.headers if k not in REASON_HEADERS)

    @property
    def replayable(self) -> bool:
        return self.relay_position is None and self.original is not None

    def _attribute(self, name: str) -> str | None:
        """A CloudEvents attribute: from a structured envelope (or the relay's description,
        which names the event's type), or else a binary-mode ``ce_`` header."""
        value = _json_object(self.value).get(name)
        if isinstance(value, str) and (self.relay_position is None or name == "type"):
            return value
        return _text(_last(self.original_headers, f"ce_{name}"))

    @property
    def event_id(self) -> str | None:
        return self._attribute("id")

    @property
    def event_type(self) -> str | None:
        return self._attribute("type")


def _json_object(value: bytes) -> dict[str, Any]:
    try:
        found = json.loads(value)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read
        return {}
    return found if isinstance(found, dict) else {}


async def read_dead_letters(bootstrap: str, topic: str) -> list[DeadLetter]:
    """Every record of the DLQ ``topic`` now (none if it does not exist), partition by
    partition in offset order."""
    parts = (await partitions_of(bootstrap, [topic])).get(topic, [])
    if not parts:
        return []
    consumer = AIOKafkaConsumer(**client_options(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in parts]
        firsts = await consumer.beginning_offsets(tps)
        ends = await end_offsets(consumer, tps)
        found = []
        for tp in tps:
            for r in await read_range(consumer, tp, firsts[tp], ends[tp]):
                found.append(
                    DeadLetter(
                        r.topic,
                        r.partition,
                        r.offset,
                        r.timestamp,
                        r.key,
                        r.value or b"",
                        tuple((k, bytes(v)) for k, v in r.headers or ()),
                    )
                )
        return found
    finally:
        await consumer.stop()
