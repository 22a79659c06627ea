"""One decision's view of awards' streams: folded once, with what the decision emits so far.

A decision of awards may conclude hundreds of nominations, each judged after the ones before
it (an LĐTT counts for the CSTĐCS after it, the cap goes to the first in order): the
:class:`Workspace` keeps each stream's folded state and applies the decision's own facts to it
as they are emitted, then hands the kernel the emits in order. :class:`Folds` remembers folded
states between decisions (the kernel's streams only grow while it owns its partitions), so a
department's count of a title is not folded again from its first award for every decision.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from contracts.base import EventData
from thidua.es.decider import Command, Emit, Missing
from thidua.es.store import Stream

S = TypeVar("S")


@dataclass(frozen=True)
class Aggregate(Generic[S]):
    """How a kind of stream folds: its state before any event, and how an event changes it."""

    initial: Callable[[str], S]
    evolve: Callable[[S, EventData], S]


class Folds:
    """Folded states by stream, reused while the stream only grew since (bounded, LRU)."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._memo: OrderedDict[str, tuple[int, str | None, Any]] = OrderedDict()

    def fold(self, stream: Stream, aggregate: Aggregate[S]) -> S:
        start, state = 0, aggregate.initial(stream.stream_id)
        memo = self._memo.get(stream.stream_id)
        if memo is not None:
            version, last_id, folded = memo
            if version == 0 or (
                version <= stream.version and stream.events[version - 1].event.id == last_id
            ):
                start, state = version, folded
        for stored in stream.events[start:]:
            state = aggregate.evolve(state, stored.payload)
        last = stream.events[-1].event.id if stream.events else None
        self._memo[stream.stream_id] = (stream.version, last, state)
        self._memo.move_to_end(stream.stream_id)
        while len(self._memo) > self.capacity:
            self._memo.popitem(last=False)
        return state


def require(
    cmd: Command[Any], streams: Iterable[str] = (), lookups: Mapping[str, Iterable[Hashable]] = {}
) -> None:
    """Ask for every stream and lookup answer at once: one load for all that is missing."""
    missing = Missing()
    try:
        cmd.need(*streams)
    except Missing as absent:
        missing.add(absent)
    for name, keys in lookups.items():
        try:
            cmd.view.need_lookups(name, keys)
        except Missing as absent:
            missing.add(absent)
    if missing.stream_ids or missing.keys:
        # A new exception, not ``missing``: raised from this frame's local, its traceback
        # (which holds this frame) and the local would make a cycle, and each record's
        # decision would wait for the cyclic collector to be freed.
        raise Missing(missing.stream_ids, missing.keys)


class Workspace:
    """The streams one decision reads and the facts it emits, in order."""

    def __init__(self, cmd: Command[Any], folds: Folds) -> None:
        self.cmd = cmd
        self.folds = folds
        self._states: dict[str, Any] = {}
        self._emits: list[Emit] = []

    def state(self, stream_id: str, aggregate: Aggregate[S]) -> S:
        if stream_id not in self._states:
            self._states[stream_id] = self.folds.fold(self.cmd.stream(stream_id), aggregate)
        state: S = self._states[stream_id]
        return state

    def emit(
        self,
        stream_id: str,
        aggregate: Aggregate[S] | None,
        *facts: EventData,
        subject: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> None:
        """Append ``facts`` to ``stream_id`` (after the decision) and see them now; ``ids``
        are their event ids when derived from the cause (else the kernel mints them)."""
        if not facts:
            return
        if aggregate is not None:
            state = self.state(stream_id, aggregate)
            for fact in facts:
                state = aggregate.evolve(state, fact)
            self._states[stream_id] = state
        self._emits.append(Emit(stream_id, facts, subject, ids))

    def see(self, stream_id: str, aggregate: Aggregate[S], fact: EventData) -> None:
        """See ``fact`` in the stream's state now; the decision appends later what records it
        (e.g. one copy of a decision for all the awards it counts)."""
        self._states[stream_id] = aggregate.evolve(self.state(stream_id, aggregate), fact)

    def lookup(self, name: str, key: Hashable) -> Any:
        return self.cmd.lookup(name, key)

    @property
    def emits(self) -> list[Emit]:
        return list(self._emits)
