"""An event store in memory, behind the same interface as PostgreSQL's, and a way to run a
service's decision table on it: handler rules tested as unit tests, with no I/O.

    store = MemoryStore()
    store.given("campaign:gl-2018", plan)
    facts = decide(decider(), store, incoming_event, department="sct-gialai")

The contract both stores keep (versions, optimistic checks, order) is tested against each in
``tests/integration/test_store_contract.py``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from contracts.base import EventData
from contracts.envelope import CloudEvent
from thidua.es.decider import Command, Decider, Missing, StreamView
from thidua.es.intake import Incoming
from thidua.es.store import Append, Appends, ConcurrencyError, Handled, Stream, Versions

MEMORY_SOURCE = "urn:thidua:test"


class MemoryStore:
    """Streams kept in a dict; the same operations as ``PostgresStore``."""

    def __init__(self) -> None:
        self.streams: dict[str, Stream] = {}
        self.log: list[Append] = []

    async def load(self, stream_ids: Iterable[str]) -> dict[str, Stream]:
        return {s: self.streams.get(s, Stream(s)) for s in stream_ids}

    async def append(self, appends: Appends, expected: Versions, handled: Handled = ()) -> None:
        """As PostgreSQL's; this store keeps no inbox (``handled`` is not recorded)."""
        self.append_now(appends, expected)

    def append_now(self, appends: Sequence[Append], expected: Mapping[str, int]) -> None:
        for stream_id, version in expected.items():
            if self.streams.get(stream_id, Stream(stream_id)).version != version:
                raise ConcurrencyError(stream_id, version)
        staged = dict(self.streams)
        for a in appends:
            current = staged.get(a.stream_id, Stream(a.stream_id))
            if a.version != current.version + 1:
                raise ConcurrencyError(a.stream_id, a.version - 1)
            staged[a.stream_id] = current.extended([a.event])
        self.streams = staged
        self.log.extend(appends)

    def given(self, stream_id: str, *facts: EventData) -> None:
        """Facts already in a stream before the command (the Decider's "given")."""
        current = self.streams.get(stream_id, Stream(stream_id))
        events = [CloudEvent.new(f, source=MEMORY_SOURCE, subject=stream_id) for f in facts]
        self.streams[stream_id] = current.extended(events)


def decide(
    decider: Decider,
    store: MemoryStore,
    event: CloudEvent,
    *,
    department: str | None,
    answers: Mapping[tuple[str, Hashable], Any] | None = None,
) -> list[tuple[str, EventData]]:
    """Run ``decider`` on ``event`` over ``store`` as the kernel does (streams loaded when a
    decision asks for them), keep what it decided, and return it as (stream, fact) pairs.
    Raises :class:`thidua.es.rejections.Refused` as the decision does."""
    streams: dict[str, Stream] = {}
    view = StreamView(streams, dict(answers or {}))
    topic = f"thidua.ingress.{department}" if department else "thidua.test.events"
    incoming = Incoming(topic, 0, 0, None, event.to_json())
    command = Command(event.payload(), event, incoming, department, view)
    for _ in range(50):
        try:
            emits = decider.decide(command)
            break
        except Missing as missing:
            if missing.keys - set((answers or {}).keys()):
                raise LookupError(f"no answer given for {sorted(map(str, missing.keys))}") from None
            for stream_id in missing.stream_ids:
                streams[stream_id] = store.streams.get(stream_id, Stream(stream_id))
    else:
        raise RuntimeError("the decision keeps asking for streams")
    decided: list[tuple[str, EventData]] = []
    versions = {s: v.version for s, v in streams.items()}
    appends = []
    for emit in emits:
        for fact in emit.facts:
            versions[emit.stream_id] = versions.get(emit.stream_id, 0) + 1
            appends.append(
                Append(
                    emit.stream_id,
                    versions[emit.stream_id],
                    CloudEvent.new(
                        fact, source=MEMORY_SOURCE, subject=emit.stream_id, caused_by=event
                    ),
                )
            )
            decided.append((emit.stream_id, fact))
    store.append_now(appends, {s: v.version for s, v in streams.items()})
    return decided
