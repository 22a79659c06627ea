"""Reading whole partitions of the log, from given offsets up to given ends, with librdkafka.

A replay reads every record its projection's topics hold (51,000 records, 30 MB, in the
bench's history) while it folds them, on one Python thread. aiokafka fetches, decrypts (TLS)
and unpacks the records on that same thread: 0.35-0.4 s of its CPU for that history, a sixth
of the whole replay. librdkafka (``confluent-kafka``) does that work on threads of its own,
in C, while the records already handed over are folded: 0.06-0.14 s of the Python thread's
CPU for the same records (docs/decisions.md, twenty-ninth session).

A ``Consumer`` needs a group id even when it only assigns partitions, and it looks up that
group's coordinator, which the brokers authorize: the group is named under the principal's
own prefix (``thidua.security.acls``: a service may use groups that start with its name). No
offset is ever committed in it.
"""

from __future__ import annotations

import asyncio
import logging
import operator
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import cast

import confluent_kafka
from aiokafka import TopicPartition

from thidua.es.intake import Incoming
from thidua.es.kafka import KafkaPrincipal, librdkafka_config

log = logging.getLogger(__name__)

FETCH_BYTES = 1024 * 1024
"""The most a fetch may bring (per request and per partition; librdkafka wants at least its
``message.max.bytes``, 1 MB, and a record bigger than that still comes, alone). The fold
starts on the first response and librdkafka fetches the next ones meanwhile: with 32 MiB the
first response held the bench's whole history (30 MB) and the first record was folded
0.05-0.08 s after the offsets were known, with 1 MiB 0.004-0.016 s (five rebuilds each)."""
BATCH = 5000
"""Records handed over at most at a time (the reader's prefetch keeps fetching meanwhile)."""
WAIT_S = 1.0
"""How long one wait for the next record lasts before it is asked for again."""
TIMEOUT_S = 30.0
"""For each request of the topics' layout and of their partitions' offsets."""
_TRANSIENT = frozenset(
    {
        confluent_kafka.KafkaError._TRANSPORT,
        confluent_kafka.KafkaError._ALL_BROKERS_DOWN,
        confluent_kafka.KafkaError._TIMED_OUT,
    }
)
"""Errors librdkafka reports and recovers from by itself (it reconnects and fetches again)."""


def replay_group(projection: str) -> str:
    """The group a replay of ``projection`` names (``reporting`` → ``reporting-replay``: under
    the prefix of the service's principal)."""
    return f"{projection}-replay"


_HEADERS = operator.methodcaller("headers")


class LogReadError(RuntimeError):
    """The brokers refused or failed a read (a topic not authorized, an offset out of range):
    the read stops rather than pass records over."""


class LogReader:
    """One librdkafka consumer that reads ranges of partitions to their ends (``read``), and
    tells the topics' partitions (``layout``) and their first and end offsets (``offsets``).
    Its blocking calls run on a worker thread; ``close`` (or leaving ``async with``) ends it."""

    def __init__(
        self,
        bootstrap: str,
        group: str,
        *,
        principal: KafkaPrincipal | None = None,
        fetch_bytes: int = FETCH_BYTES,
    ) -> None:
        self._consumer = confluent_kafka.Consumer(
            {
                **librdkafka_config(bootstrap, principal),
                "group.id": group,
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "enable.partition.eof": True,
                # An offset that is not there any more stops the read: nothing is passed over.
                "auto.offset.reset": "error",
                "isolation.level": "read_uncommitted",  # as the services' consumers read
                "fetch.max.bytes": fetch_bytes,
                "max.partition.fetch.bytes": fetch_bytes,
                "fetch.wait.max.ms": 10,
            }
        )
        self._closed = False

    async def __aenter__(self) -> LogReader:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await asyncio.to_thread(self._consumer.close)

    async def layout(self, topics: Sequence[str]) -> dict[str, list[int]]:
        """Partition numbers of each topic; an empty list for a topic that does not exist."""
        return await asyncio.to_thread(self._layout, list(topics))

    def _layout(self, topics: list[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for topic in topics:
            meta = self._consumer.list_topics(topic, timeout=TIMEOUT_S).topics.get(topic)
            error = meta.error if meta is not None else None
            missing = confluent_kafka.KafkaError.UNKNOWN_TOPIC_OR_PART
            if error is not None and error.code() != missing:
                raise LogReadError(f"{topic}: {error.str()}")
            found[topic] = sorted(meta.partitions) if meta is not None and error is None else []
        return found

    async def offsets(
        self, partitions: Sequence[TopicPartition]
    ) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
        """The first offset still held and the end offset (the next to be written) of each
        partition."""
        return await asyncio.to_thread(self._offsets, list(partitions))

    def _offsets(
        self, partitions: list[TopicPartition]
    ) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
        firsts, ends = {}, {}
        for tp in partitions:
            first, end = self._consumer.get_watermark_offsets(
                confluent_kafka.TopicPartition(tp.topic, tp.partition),
                timeout=TIMEOUT_S,
                cached=False,
            )
            firsts[tp], ends[tp] = first, end
        return firsts, ends

    async def read(
        self,
        partitions: Sequence[TopicPartition],
        starts: dict[TopicPartition, int],
        ends: dict[TopicPartition, int],
        *,
        batch: int = BATCH,
    ) -> AsyncIterator[list[Incoming]]:
        """The records of ``partitions`` from ``starts`` up to ``ends`` (excluded), as they
        arrive, at most ``batch`` at a time. What is there already is handed over without
        waiting; only an empty queue waits, on the worker thread, for the next record."""
        remaining = {
            (tp.topic, tp.partition): ends[tp] for tp in partitions if ends[tp] > starts[tp]
        }
        if not remaining:
            return
        consumer = self._consumer
        consumer.assign(
            [
                confluent_kafka.TopicPartition(tp.topic, tp.partition, starts[tp])
                for tp in partitions
                if (tp.topic, tp.partition) in remaining
            ]
        )
        try:
            while remaining:
                messages = consumer.consume(batch, 0)
                if not messages:
                    messages = await asyncio.to_thread(consumer.consume, 1, WAIT_S)
                records = []
                for m in messages:
                    error = m.error()
                    where = cast(tuple[str, int], (m.topic(), m.partition()))
                    if error is not None:
                        if error.code() == confluent_kafka.KafkaError._PARTITION_EOF:
                            remaining.pop(where, None)
                        elif error.code() in _TRANSIENT:
                            log.warning("reading the log: %s (librdkafka retries)", error.str())
                        else:
                            raise LogReadError(f"reading {where[0]}/{where[1]}: {error.str()}")
                        continue
                    end = remaining.get(where)
                    offset = cast(int, m.offset())
                    if end is None or offset >= end:  # read to its end already
                        remaining.pop(where, None)
                        continue
                    if offset + 1 == end:
                        del remaining[where]
                    value = m.value() or b""
                    headers = _headers(m, where, offset)
                    records.append(Incoming(where[0], where[1], offset, m.key(), value, headers))
                if records:
                    yield records
        finally:
            consumer.unassign()


def _headers(
    message: confluent_kafka.Message, where: tuple[str, int], offset: int
) -> Sequence[tuple[str, bytes]]:
    """The record's headers. librdkafka's client decodes each header's name as UTF-8 and has no
    way to hand over the bytes: a record whose header names are not UTF-8 keeps its key and
    value (it is folded, or dead-lettered, by what its value holds) without its headers, and
    the read says so. Only the services write the topics a replay reads.

    On such a record ``Message.headers`` returns with the decoding error still set. A plain
    call raises it only until the interpreter specializes the call site (after a few hundred
    records), then hands the result over and the next call fails instead (``SystemError``):
    ``_HEADERS`` calls it through ``PyObject_Call``, which always checks."""
    try:
        return cast(Sequence[tuple[str, bytes]], _HEADERS(message) or ())
    except (SystemError, UnicodeError) as error:
        log.warning(
            "reading the log: %s/%s/%s has header names that are not UTF-8; read without its"
            " headers (%s)",
            *where,
            offset,
            error,
        )
        return ()
