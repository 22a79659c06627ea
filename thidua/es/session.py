"""What one batch's decisions read and write: the streams (cached per consumer, loaded for the
batch), the lookups' answers, and the facts staged by each record, visible to the records after
it. ``thidua.es.batch`` runs the decisions over a :class:`Session`."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from contracts.base import EventData
from contracts.envelope import CloudEvent
from thidua.es import store
from thidua.es.db import Conn
from thidua.es.decider import Decider, Key, Missing, StreamView
from thidua.es.intake import Incoming
from thidua.telemetry import current_trace_context


class StreamCache:
    """Streams this consumer read or wrote, most recent last, bounded by the number of
    streams (``capacity``) and by the events they hold (``max_events``; an empty stream counts
    as one), whichever is reached first.

    Valid while the consumer owns its partitions (it is cleared on every change of
    assignment); the append still checks every version it relied on."""

    def __init__(self, capacity: int = 50_000, max_events: int = 200_000) -> None:
        self.capacity = capacity
        self.max_events = max_events
        self.events = 0
        self._streams: OrderedDict[str, store.Stream] = OrderedDict()

    def get(self, stream_id: str) -> store.Stream | None:
        found = self._streams.get(stream_id)
        if found is not None:
            self._streams.move_to_end(stream_id)
        return found

    def put(self, streams: Iterable[store.Stream]) -> None:
        for s in streams:
            self.forget([s.stream_id])
            self._streams[s.stream_id] = s
            self.events += _weight(s)
        while self._streams and (
            len(self._streams) > self.capacity or self.events > self.max_events
        ):
            _, evicted = self._streams.popitem(last=False)
            self.events -= _weight(evicted)

    def forget(self, stream_ids: Iterable[str]) -> None:
        for s in stream_ids:
            gone = self._streams.pop(s, None)
            if gone is not None:
                self.events -= _weight(gone)

    def clear(self) -> None:
        self._streams.clear()
        self.events = 0

    def __len__(self) -> int:
        return len(self._streams)


def _weight(stream: store.Stream) -> int:
    return max(len(stream.events), 1)


@dataclass
class UnitOfWork:
    """What an older-style handler may touch: its service's tables in the batch's transaction,
    and streams (reads see the batch's earlier decisions; appends are staged)."""

    conn: Conn
    source: str
    incoming: Incoming
    cause: CloudEvent
    _session: Session
    appended: list[store.Append] = field(default_factory=list)

    async def load(self, stream_id: str) -> list[store.StoredEvent]:
        await self._session.ensure([stream_id])
        return list(self._staged_stream(stream_id).events)

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        *payloads: EventData,
        subject: str | None = None,
    ) -> None:
        """Stage facts caused by the incoming event (correlation and causation carried)."""
        await self._session.ensure([stream_id])
        current = self._staged_stream(stream_id).version
        if current != expected_version:
            raise store.ConcurrencyError(stream_id, expected_version)
        self.appended.extend(self._session.stage(self.cause, stream_id, current, payloads, subject))

    def _staged_stream(self, stream_id: str) -> store.Stream:
        stream = self._session.streams[stream_id]
        mine = [a.event for a in self.appended if a.stream_id == stream_id]
        return stream.extended(mine) if mine else stream


Handler = Callable[[UnitOfWork, CloudEvent, EventData], Awaitable[None]]
Around = Callable[[int], AbstractContextManager[Any]]


class Session:
    """One batch's view of the streams: loaded or cached, plus what its records decided."""

    def __init__(
        self, conn: Conn, cache: StreamCache, source: str, decider: Decider | None = None
    ) -> None:
        self.conn = conn
        self.store: store.EventStore = store.PostgresStore(conn)
        self.cache = cache
        self.source = source
        self.decider = decider
        self.streams: dict[str, store.Stream] = {}
        self.answers: dict[Key, Any] = {}
        self.read_versions: dict[str, int] = {}
        self.view = StreamView(self.streams, self.answers)
        self.kept = 0
        """Records whose appends were made visible so far (``keep``)."""
        self.moved: dict[str, int] = {}
        """Stream → ``kept`` when a record last appended to it."""

    async def load(self, missing: Missing) -> None:
        """Load what decisions asked for: streams in one query, each lookup's keys in one."""
        await self.ensure(missing.stream_ids)
        by_name: dict[str, list[Any]] = {}
        for name, key in missing.keys:
            if (name, key) not in self.answers:
                by_name.setdefault(name, []).append(key)
        for name, keys in by_name.items():
            assert self.decider is not None
            lookup = self.decider.lookups.get(name)
            if lookup is None:
                raise LookupError(f"no lookup named {name!r}")
            found = await lookup.load(self.conn, keys)
            for key in keys:
                self.answers[(name, key)] = found.get(key)

    async def ensure(self, stream_ids: Iterable[str]) -> None:
        absent = []
        for stream_id in stream_ids:
            if stream_id in self.streams:
                continue
            cached = self.cache.get(stream_id)
            if cached is None:
                absent.append(stream_id)
            else:
                self._use(cached)
        if absent:
            for stream in (await self.store.load(absent)).values():
                self._use(stream)

    def _use(self, stream: store.Stream) -> None:
        self.streams[stream.stream_id] = stream
        self.read_versions[stream.stream_id] = stream.version

    def stage(
        self,
        cause: CloudEvent,
        stream_id: str,
        version: int,
        payloads: Sequence[EventData],
        subject: str | None,
        ids: Sequence[str] | None = None,
    ) -> list[store.Append]:
        trace = current_trace_context()
        return [
            store.Append(
                stream_id,
                version + i,
                CloudEvent.new(
                    p,
                    source=self.source,
                    subject=subject or stream_id,
                    caused_by=cause,
                    trace=trace,
                    id=ids[i - 1] if ids else None,
                ),
                p,
            )
            for i, p in enumerate(payloads, 1)
        ]

    def keep(self, appends: Sequence[store.Append]) -> None:
        """Make a record's appends visible to the records after it."""
        by_stream: dict[str, list[store.Append]] = {}
        for a in appends:
            by_stream.setdefault(a.stream_id, []).append(a)
        self.kept += 1
        for stream_id, added in by_stream.items():
            self.streams[stream_id] = self.streams[stream_id].extended(
                [a.event for a in added], [a.payload for a in added]
            )
            self.moved[stream_id] = self.kept
