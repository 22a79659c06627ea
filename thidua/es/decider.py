"""Deciders: what a service decides, as a table the kernel runs (see STYLE.md, "The Decider").

A service declares, for each incoming payload type, a ``Route``: a pure function from a
:class:`Command` (the payload, its envelope, and read access to the streams it needs) to the
facts to append, or a :class:`thidua.es.rejections.Refused`. It does no I/O: when it reads a
stream the kernel has not loaded yet, :meth:`Command.stream` raises :class:`Missing`, the kernel
loads what every record of the batch is missing in one query, and decides again. The kernel
then appends the whole batch's facts in one statement, each at the version its stream had
when it was read (optimistic concurrency), and records the inbox.

The department rule lives here, once: a route names the payload's department field, and on a
department's ingress topic a payload about another department is refused
(``producer.foreign_department``) before the route runs.
"""

from __future__ import annotations

from collections.abc import (
    Awaitable,
    Callable,
    Hashable,
    Iterable,
    Mapping,
    MutableMapping,
    Sequence,
)
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.rejections import GenericReason
from thidua.es.db import Conn
from thidua.es.intake import Incoming
from thidua.es.rejections import Refused, refuse
from thidua.es.store import Stream

P = TypeVar("P", bound=EventData)


Key = tuple[str, Hashable]
"""A lookup's name and the key asked of it."""


class Missing(Exception):
    """The decision needs streams or lookups that are not loaded yet; the kernel loads what
    the whole batch is missing and decides again."""

    def __init__(self, stream_ids: Iterable[str] = (), keys: Iterable[Key] = ()) -> None:
        # Raised and caught often: no message is built unless one is asked for.
        super().__init__()
        self.stream_ids = set(stream_ids)
        self.keys = set(keys)

    def __str__(self) -> str:
        return ", ".join([*sorted(self.stream_ids), *(f"{n}[{k!r}]" for n, k in self.keys)])

    def add(self, other: Missing) -> None:
        self.stream_ids |= other.stream_ids
        self.keys |= other.keys


@dataclass(frozen=True)
class Lookup:
    """A question a decision asks of its service's read models (e.g. "the nominations of this
    person"), answered for every key the batch asks at once: ``load(conn, keys)`` returns a
    value per key (a key it leaves out reads as ``None``). Answers last one batch."""

    name: str
    load: Callable[[Conn, list[Any]], Awaitable[Mapping[Any, Any]]]


class StreamView:
    """Read access to streams and lookups (loaded by the kernel), with the batch's own
    appends applied."""

    def __init__(self, streams: MutableMapping[str, Stream], answers: Mapping[Key, Any]) -> None:
        self._streams = streams
        self._answers = answers
        self.reads: set[str] | None = None
        """When a set, the streams read (or needed) are added to it."""

    def stream(self, stream_id: str) -> Stream:
        found = self._streams.get(stream_id)
        if found is None:
            raise Missing([stream_id])
        if self.reads is not None:
            self.reads.add(stream_id)
        return found

    def need(self, *stream_ids: str) -> None:
        """Ask for several streams at once (one round trip instead of one per stream)."""
        self.require(stream_ids)

    def new(self, *stream_ids: str) -> None:
        """Streams the decision knows to be new without reading them: their first event is
        appended with a fact the decision did read (a delivery's, with its claim). Each one not
        loaded yet is taken as empty, and no query looks for it; its append still fails if it
        is not empty (the store's key on stream and version), as for any stream that moved."""
        if self.reads is not None:
            self.reads.update(stream_ids)
        for stream_id in stream_ids:
            if stream_id not in self._streams:
                self._streams[stream_id] = Stream(stream_id)

    def lookup(self, name: str, key: Hashable) -> Any:
        try:
            return self._answers[(name, key)]
        except KeyError:
            raise Missing(keys=[(name, key)]) from None

    def need_lookups(self, name: str, keys: Iterable[Hashable]) -> None:
        self.require(lookups={name: keys})

    def require(
        self,
        stream_ids: Iterable[str] = (),
        lookups: Mapping[str, Iterable[Hashable]] | None = None,
    ) -> None:
        """Ask for streams and lookups together: one :class:`Missing` names all that is
        absent, so the kernel loads them in one round (a round decides the batch again)."""
        stream_ids = list(stream_ids)
        if self.reads is not None:
            self.reads.update(stream_ids)
        absent_keys = [
            (name, k)
            for name, keys in (lookups or {}).items()
            for k in keys
            if (name, k) not in self._answers
        ]
        absent = [s for s in stream_ids if s not in self._streams]
        if absent or absent_keys:
            raise Missing(absent, absent_keys)


@dataclass(frozen=True)
class Emit:
    """Facts to append to one stream (after the version it had when it was read)."""

    stream_id: str
    facts: Sequence[EventData]
    subject: str | None = None
    ids: Sequence[str] | None = None
    """The facts' event ids, when the decision derives them from their cause (the same input
    always gives the same ids); otherwise the kernel mints new ones."""


@dataclass(frozen=True)
class Command(Generic[P]):
    """One incoming payload being decided."""

    payload: P
    event: CloudEvent
    incoming: Incoming
    department: str | None
    """The department whose ingress topic carried it (None on a service's own topics)."""
    view: StreamView

    def stream(self, stream_id: str) -> Stream:
        return self.view.stream(stream_id)

    def history(self, stream_id: str) -> list[EventData]:
        return self.view.stream(stream_id).payloads()

    def first(self, stream_id: str) -> EventData | None:
        events = self.view.stream(stream_id).events
        return events[0].payload if events else None

    def need(self, *stream_ids: str) -> None:
        self.view.need(*stream_ids)

    def lookup(self, name: str, key: Hashable) -> Any:
        """The answer of the service's lookup ``name`` for ``key`` (see :class:`Lookup`)."""
        return self.view.lookup(name, key)

    def emit(self, stream_id: str, *facts: EventData, subject: str | None = None) -> list[Emit]:
        """The decision to append ``facts`` to ``stream_id`` (none: nothing to append)."""
        return [Emit(stream_id, facts, subject)] if facts else []


Decide = Callable[[Command[Any]], Sequence[Emit]]


@dataclass(frozen=True)
class Route:
    """How one incoming payload type is decided."""

    kind: type[EventData]
    decide: Decide
    department: Callable[[Any], str | None] | None = None
    """The payload's department (e.g. ``lambda p: p.department_code``), checked against the
    ingress topic's before ``decide`` runs."""
    department_field: str = "department_code"


ReadModel = Callable[[Conn, Sequence[CloudEvent]], Awaitable[None]]
"""Keeps a service's read model from events, set-based, in the batch's transaction."""


@dataclass
class Decider:
    """A service's table of routes: payload type → how it is decided.

    ``lookups`` answer questions of the service's read models. ``read_inputs`` keeps read
    copies of the batch's accepted inputs (another service's facts), before any decision of
    the batch (or of the record, ``inputs_in_order``); ``read_decisions`` keeps read models
    of the facts the batch decided, before their append. All run in the batch's transaction."""

    routes: dict[type[EventData], Route] = field(default_factory=dict)
    lookups: dict[str, Lookup] = field(default_factory=dict)
    read_inputs: ReadModel | None = None
    inputs_kept: Callable[[str], bool] | None = None
    """The input types ``read_inputs`` keeps (None: every type). It is given only those; a batch
    with none of them does not call it, and needs no transaction for it (``es_commit_batch``
    may then be its only write)."""
    read_decisions: ReadModel | None = None
    inputs_in_order: bool = False
    """Keep the inputs up to each record this table decides before deciding it, so that its
    decision reads the read copies as of its own record, not as of a later record of the same
    batch (a rating lowered after an initiative's withdrawal, in one batch). Costs a
    ``read_inputs`` call per decided record: for tables whose routed inputs are rare."""

    def add(
        self,
        kind: type[EventData],
        decide: Decide,
        *,
        department: Callable[[Any], str | None] | None = None,
        department_field: str = "department_code",
    ) -> None:
        """Route ``kind`` to ``decide``; ``department`` reads the payload's department."""
        if kind in self.routes:
            raise ValueError(f"{kind.__name__} is routed twice")
        self.routes[kind] = Route(kind, decide, department, department_field)

    def decide(self, command: Command[Any]) -> Sequence[Emit]:
        route = self.routes.get(type(command.payload))
        if route is None and command.department is None:
            return []  # another service's fact this one has nothing to decide about
        if route is None:
            raise refuse(
                GenericReason.NOT_SUBMITTABLE,
                f"Loại sự kiện {command.event.type} không được tiếp nhận",
                "type",
            )
        if route.department is not None:
            check_department(
                command.department, route.department(command.payload), route.department_field
            )
        return route.decide(command)


def check_department(
    ingress: str | None, claimed: str | None, field: str = "department_code"
) -> None:
    """On a department's ingress topic, data about another department is refused (rule 29)."""
    if ingress is not None and claimed is not None and claimed != ingress:
        raise foreign_department(claimed, ingress, field)


def foreign_department(claimed: str, ingress: str, field: str = "department_code") -> Refused:
    return refuse(
        GenericReason.FOREIGN_DEPARTMENT,
        f"Dữ liệu của Sở '{claimed}' được gửi qua kênh của Sở '{ingress}'",
        field,
    )
