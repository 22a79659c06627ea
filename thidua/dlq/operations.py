"""What ``thidua dlq`` does: find dead letters, choose some, replay them.

A replay publishes the record again to the topic and partition it was read from, with its
value, key and own headers, plus ``thidua-replay-of: <dlq topic>/<partition>/<offset>``, and
records it in the replay log (``replays.py``) so that it is not repeated by accident.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from contracts import topics as topic_map
from thidua.dlq.replays import Replay, ReplayLog
from thidua.es.dlq import REPLAY_OF, DeadLetter, read_dead_letters
from thidua.es.kafka import client_options

PENDING = "pending"
REPLAYED = "replayed"
UNCONFIRMED = "unconfirmed"
NOT_REPLAYABLE = "not replayable"
UNKNOWN = "unknown"
STATUSES = (PENDING, REPLAYED, UNCONFIRMED, NOT_REPLAYABLE)


def dlq_topics(services: Sequence[str], topics: Sequence[str]) -> list[str]:
    """The DLQ topics named (``--topic``) or of the services named (every service's if none)."""
    named = [*topics, *(topic_map.dlq(s) for s in services)]
    return list(dict.fromkeys(named or [topic_map.dlq(s) for s in topic_map.SERVICES]))


def parse_ref(ref: str) -> str:
    """A dead letter's position, ``<dlq topic>/<partition>/<offset>``; ``<service>/<p>/<o>``
    is short for the service's DLQ topic."""
    parts = ref.rsplit("/", 2)
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        raise ValueError(f"{ref!r} is not <dlq topic>/<partition>/<offset>")
    topic = topic_map.dlq(parts[0]) if parts[0] in topic_map.SERVICES else parts[0]
    return f"{topic}/{int(parts[1])}/{int(parts[2])}"


@dataclass(frozen=True)
class Entry:
    """A dead letter and what is known of its replays."""

    dead: DeadLetter
    replay: Replay | None
    log_known: bool = True

    @property
    def status(self) -> str:
        if not self.dead.replayable:
            return NOT_REPLAYABLE
        if not self.log_known:
            return UNKNOWN
        if self.replay is None:
            return PENDING
        return REPLAYED if self.replay.confirmed else UNCONFIRMED

    @property
    def dead_lettered_at(self) -> datetime:
        return datetime.fromtimestamp(self.dead.timestamp_ms / 1000, tz=UTC)


@dataclass(frozen=True)
class Selection:
    """Which dead letters an operator means; every condition given must hold."""

    refs: frozenset[str] = frozenset()
    partition: int | None = None
    offsets: tuple[int, int] | None = None
    event_id: str | None = None
    event_type: str | None = None
    from_topic: str | None = None
    reason: str | None = None
    since: datetime | None = None
    status: str | None = None

    def __call__(self, entry: Entry) -> bool:
        d = entry.dead
        reason = f"{d.error_type or ''} {d.error or ''}".lower()
        checks = (
            not self.refs or d.ref in self.refs,
            self.partition is None or d.partition == self.partition,
            self.offsets is None or self.offsets[0] <= d.offset <= self.offsets[1],
            self.event_id is None or d.event_id == self.event_id,
            self.event_type is None or self.event_type in (d.event_type or ""),
            self.from_topic is None or d.original_topic == self.from_topic,
            self.reason is None or self.reason.lower() in reason,
            self.since is None or entry.dead_lettered_at >= self.since,
            self.status is None or entry.status == self.status,
        )
        return all(checks)


async def find(
    bootstrap: str, topics: Iterable[str], log: ReplayLog | None, selection: Selection
) -> list[Entry]:
    """The selected dead letters of ``topics``, in topic, partition and offset order (without
    a replay log, their replay status is unknown)."""
    named = list(topics)
    dead = [d for t in named for d in await read_dead_letters(bootstrap, t)]
    replays = await log.latest(named) if log is not None else {}
    entries = [Entry(d, replays.get(d.ref), log is not None) for d in dead]
    return [e for e in entries if selection(e)]


@dataclass(frozen=True)
class Result:
    entry: Entry
    outcome: str
    """``replayed``, ``skipped`` (replayed before, or not replayable) or ``failed``."""
    detail: str


async def replay(
    bootstrap: str, log: ReplayLog, entries: Sequence[Entry], *, again: bool = False
) -> list[Result]:
    """Publish each entry's record again where it came from; each is claimed in the log
    first and confirmed after (a claim whose publication fails is withdrawn)."""
    producer = AIOKafkaProducer(
        **client_options(bootstrap), acks="all", enable_idempotence=True, client_id="thidua-dlq"
    )
    await producer.start()
    try:
        return [await _replay_one(producer, log, e, again) for e in entries]
    finally:
        await producer.stop()


async def _replay_one(
    producer: AIOKafkaProducer, log: ReplayLog, entry: Entry, again: bool
) -> Result:
    d = entry.dead
    if not d.replayable:
        if d.relay_position is not None:
            return Result(
                entry,
                "skipped",
                f"the outbox relay's record of an event Kafka refused: the event stays in"
                f" {d.service}'s store at position {d.relay_position}; this tool cannot"
                " publish it",
            )
        return Result(entry, "skipped", "it does not say where it came from")
    number = await log.claim(d, again=again)
    if number is None:
        before = (await log.latest([d.topic])).get(d.ref)
        when = f" on {before.claimed_at.astimezone():%d/%m/%Y %H:%M:%S}" if before else ""
        return Result(entry, "skipped", f"replayed already{when}; --again to replay it once more")
    assert d.original_topic is not None
    headers = [(k, v) for k, v in d.original_headers if k != REPLAY_OF]
    try:
        sent = await producer.send_and_wait(
            d.original_topic,
            value=d.value,
            key=d.key,
            partition=d.original_partition,
            headers=[*headers, (REPLAY_OF, d.ref.encode())],
        )
    except Exception as exc:
        await log.release(d, number)
        return Result(entry, "failed", f"not published ({type(exc).__name__}: {exc})")
    await log.confirm(d, number, sent.offset)
    return Result(entry, REPLAYED, f"{d.original_topic}/{sent.partition}/{sent.offset}")
