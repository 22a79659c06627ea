"""An in-memory awards world for the decisions' unit tests: streams in the kernel's event store
in memory (``thidua.es.memory``), the registration service's facts as the answers lookups would
give (a question nobody answered reads as "not known", as an absent row does). Given facts,
when an input, then the facts each stream gained (or a refusal): the tables the kernel runs."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from contracts import topics
from contracts.base import EventData
from contracts.common import Rating, Sex
from contracts.envelope import CloudEvent
from services.awards import handlers
from services.awards.domain.boards import Provinces
from services.awards.domain.facts import Campaign
from services.awards.readmodels import lookups as lk
from services.awards.workspace import Folds
from tests.unit.awards.builders import CAMPAIGN, DEPT, PROVINCE
from thidua.es.decider import Command, StreamView
from thidua.es.intake import Incoming
from thidua.es.memory import MemoryStore
from thidua.es.store import Stream

SENT_ON = datetime(2018, 12, 11, 3, 0, tzinfo=UTC)


class _View(StreamView):
    """Every stream is known (empty if never written); a question nobody answered is None."""

    def __init__(self, world: World) -> None:
        super().__init__(world.streams, world.answers)
        self.world = world
        self.read: dict[str, int] = {}

    def stream(self, stream_id: str) -> Stream:
        found = self.world.streams.get(stream_id) or Stream(stream_id)
        self.read.setdefault(stream_id, found.version)
        return found

    def need(self, *stream_ids: str) -> None:
        pass

    def lookup(self, name: str, key: Hashable) -> Any:
        return self.world.answers.get((name, key))

    def need_lookups(self, name: str, keys: Iterable[Hashable]) -> None:
        pass


class World:
    def __init__(self) -> None:
        self.store = MemoryStore()
        self.answers: dict[tuple[str, Hashable], Any] = {}
        self.folds = Folds()
        self.ingress = handlers.ingress(self.folds)
        self.registration = handlers.registration_facts(self.folds)
        self.offset = 0
        self.knows(lk.PROVINCES, lk.ALL, Provinces({DEPT: PROVINCE}))
        self.ids: dict[str, list[str]] = {}
        """The event ids the last decision derived, by stream (the others the kernel mints)."""

    @property
    def streams(self) -> dict[str, Stream]:
        return self.store.streams

    def given(self, stream_id: str, *facts: EventData) -> World:
        self.store.given(stream_id, *facts)
        return self

    def knows(self, lookup: str, key: Hashable, answer: Any) -> World:
        self.answers[(lookup, key)] = answer
        return self

    def campaign(self, deadline: date | None = date(2018, 12, 10)) -> World:
        return self.knows(
            lk.CAMPAIGN, CAMPAIGN, (DEPT, Campaign(CAMPAIGN, 2018, dossier_deadline=deadline))
        )

    def person(
        self,
        person_id: str,
        sex: Sex = Sex.MALE,
        rating: Rating = Rating.GOOD,
        *,
        unit: str | None = None,
        registered: bool = True,
    ) -> World:
        self.knows(lk.SUBJECT_DEPARTMENT, ("individual", person_id), DEPT)
        self.knows(lk.PERSON, person_id, (f"Cán bộ {person_id}", sex))
        self.knows(lk.RATING, ("individual", person_id, 2018), rating)
        return self.knows(lk.REGISTERED, (CAMPAIGN, 2018, "individual", person_id), registered)

    def when(
        self, payload: EventData, *, department: str | None = DEPT, event_id: str | None = None
    ) -> dict[str, list[Any]]:
        """Decide ``payload`` as received on ``department``'s ingress topic (the registration
        service's facts on its own topic); returns the facts appended, by stream."""
        self.offset += 1
        registration = payload.service == "registration"
        topic = topics.events("registration") if registration else topics.ingress(department or "")
        incoming = Incoming(topic, 0, self.offset, None, b"")
        event = CloudEvent.new(
            payload, source="urn:test", department=department, time=SENT_ON, id=event_id
        )
        cmd = Command(payload, event, incoming, None if registration else department, _View(self))
        decider = self.registration if registration else self.ingress
        appended: dict[str, list[Any]] = {}
        self.ids = {}
        for emit in decider.decide(cmd):
            if emit.ids is not None:
                self.ids[emit.stream_id] = list(emit.ids)
            self.given(emit.stream_id, *emit.facts)
            appended.setdefault(emit.stream_id, []).extend(emit.facts)
        return appended


def kinds(appended: dict[str, list[Any]]) -> dict[str, list[str]]:
    return {stream: [type(f).__name__ for f in facts] for stream, facts in appended.items()}
