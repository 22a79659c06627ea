"""What the outbox relay writes on Kafka beside each event, and how a relay taking over reads
it back.

Each record carries the relay's name and the event's position in headers, and the relay
chooses partitions itself; on taking over, :func:`already_published` reads what each partition
received since the checkpoint was written, so the events already there are skipped. An event
Kafka refuses for good is named on the DLQ by a small record of its own
(:func:`dead_letter_record`). Apart from :class:`thidua.es.outbox.OutboxRelay` (its lease, its
checkpoint, its passes): this is the relay's format on the wire, written and read back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import (
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)

from contracts import topics
from thidua.es.kafka import client_options, end_offsets, header, partitions_of, read_range

POSITION_HEADER = "thidua-position"
RELAY_HEADER = "thidua-relay"
# Producer and database clocks may differ; look this far before the checkpoint's time.
CLOCK_MARGIN = timedelta(seconds=60)

UNPUBLISHABLE = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    InvalidTopicError,
    UnsupportedForMessageFormatError,
)
"""Errors that no retry can cure: the event is dead-lettered instead of wedging the relay."""


@dataclass(frozen=True)
class Pending:
    position: int
    stream_id: str
    event_type: str
    envelope: str
    traceparent: str | None = None
    tracestate: str | None = None


def headers_of(pending: Pending, relay: str) -> list[tuple[str, bytes]]:
    """The headers of ``pending``'s record as relay ``relay`` publishes it (before any trace
    context)."""
    return [
        (POSITION_HEADER, str(pending.position).encode()),
        (RELAY_HEADER, relay.encode()),
        ("content-type", b"application/cloudevents+json"),
        ("ce_type", pending.event_type.encode()),
    ]


def publish_attributes(
    destination: str, partition: int, pending: Pending, message_id: object
) -> dict[str, str | int]:
    """The attributes of the span that publishes ``pending`` (its envelope's id
    ``message_id``)."""
    return {
        "messaging.system": "kafka",
        "messaging.operation.type": "send",
        "messaging.destination.name": destination,
        "messaging.destination.partition.id": str(partition),
        "messaging.kafka.message.key": pending.stream_id,
        "messaging.message.id": str(message_id),
        "cloudevents.event_type": pending.event_type,
        "thidua.position": pending.position,
    }


def dead_letter_record(
    pending: Pending, relay: str, error: BaseException
) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The DLQ record (value, headers) that names an event Kafka will never take (its
    position and id stay in the store)."""
    value = json.dumps(
        {
            "position": pending.position,
            "stream_id": pending.stream_id,
            "type": pending.event_type,
            "size": len(pending.envelope),
            "error": repr(error)[:2000],
        }
    ).encode()
    headers = [
        (POSITION_HEADER, str(pending.position).encode()),
        (RELAY_HEADER, relay.encode()),
        ("thidua-error-type", type(error).__name__.encode()),
    ]
    return value, headers


async def already_published(
    bootstrap: str, relay: str, events_topic: str, rejections_stem: str, since_ms: int
) -> dict[tuple[str, int], int]:
    """(topic, partition) → the last position relay ``relay`` published there from
    ``since_ms`` on: the events a relay taking over must not publish again."""
    last_in_partition: dict[tuple[str, int], int] = {}
    # Every topic this relay may have published on: its events topic and every
    # rejections topic under its stem.
    layout = await partitions_of(
        bootstrap,
        [events_topic],
        matching=topics.rejections_pattern(rejections_stem),
    )
    tps = [TopicPartition(topic, p) for topic, parts in layout.items() for p in parts]
    # The take-over must fit in the lease. A fetch left waiting for more data (up to
    # fetch_max_wait_ms, 500 ms by default) holds up the broker's answers to the next
    # requests on the connection (it serves one request per connection at a time): three
    # such waits were 1.5 s of a 2 s lease over TLS.
    consumer = AIOKafkaConsumer(
        **client_options(bootstrap), enable_auto_commit=False, fetch_max_wait_ms=50
    )
    await consumer.start()
    try:
        # One request each for every partition (one rejections topic per department).
        ends = await end_offsets(consumer, tps)
        starts = await consumer.offsets_for_times({tp: since_ms for tp in tps})
        for tp in tps:
            found = starts.get(tp)
            if found is None:
                continue
            for record in await read_range(consumer, tp, found.offset, ends[tp]):
                if header(record, RELAY_HEADER) != relay:
                    continue
                position = int(header(record, POSITION_HEADER) or 0)
                key = (tp.topic, tp.partition)
                last_in_partition[key] = max(last_in_partition.get(key, 0), position)
    finally:
        await consumer.stop()
    return last_in_partition
