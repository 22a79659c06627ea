"""Deciding one fact with notifications' table in memory: given what the read models answer and
the deliveries already claimed, when a fact arrives, then the deliveries it claims.

The loop does what the kernel does for a batch of one (answer what a decision asks, decide
again), with dictionaries instead of PostgreSQL, and records what was asked."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.notifications import DeliveryPlanned
from services.notifications import rules
from services.notifications.clock import VIETNAM
from services.notifications.domain.copies import Campaign
from services.notifications.domain.deliveries import claim_stream
from services.notifications.handlers import decider
from services.notifications.readmodels import directory, facts, subscriptions
from services.notifications.readmodels import successions as mergers
from thidua.es.decider import Command, Emit, Missing, StreamView
from thidua.es.intake import Incoming
from thidua.es.store import Stream
from thidua.es.succession import Successions

GL = "sct-gialai"
NOW = datetime(2018, 8, 1, 9, 0, tzinfo=VIETNAM)


@dataclass
class FixedClock:
    instant: datetime = NOW

    def now(self) -> datetime:
        return self.instant


def unit(n: int, name: str | None = None) -> rules.Org:
    return rules.Org("unit", f"{GL}/u{n:03d}", name or f"Đơn vị số {n}")


GIA_LAI = rules.Issuer(
    rules.Org("department", GL, "Sở Công Thương Gia Lai"),
    rules.Org("province", "gia-lai", "Gia Lai"),
    rules.Org("ministry", "bct", "Bộ Công Thương"),
)


@dataclass
class Given:
    """What the read models know: the answers of each lookup by key (absent: None)."""

    units: dict[str, tuple[rules.Org, ...]] = field(default_factory=dict)
    issuers: dict[str, rules.Issuer] = field(default_factory=lambda: {GL: GIA_LAI})
    known: dict[str, tuple[rules.Org, ...]] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    initiatives: dict[str, Any] = field(default_factory=dict)
    nominations: dict[str, Any] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    subscriptions: tuple[rules.Subscription, ...] = ()
    claimed: dict[str, list[DeliveryPlanned]] = field(default_factory=dict)
    """Cause key → the deliveries already claimed for it."""
    successions: Successions = field(default_factory=Successions)
    contacts: set[tuple[str, str]] = field(default_factory=set)
    """The organisations with a contact (an email or a webhook); the others' inbox is used."""
    asked: list[tuple[str, Hashable]] = field(default_factory=list)

    def answer(self, name: str, key: Any) -> Any:
        self.asked.append((name, key))
        if name == subscriptions.BY_TYPE:
            return tuple(
                s for s in self.subscriptions if rules.type_matches(s.event_types, str(key))
            )
        if name == directory.UNITS:
            return self.units.get(key, ())
        if name == directory.ISSUER:
            return self.issuers.get(key, rules.Issuer(rules.Org("department", key, key)))
        if name == directory.KNOWN:
            return tuple(self._orgs()) + self.units.get(key, ())
        if name == directory.NAME:
            return self.names.get(key) or {(o.kind, o.id): o.name for o in self._orgs()}.get(key)
        if name == directory.REACHABLE:
            return True if key in self.contacts else None
        if name == mergers.SUCCESSIONS:
            return self.successions
        if name == facts.OPEN_CAMPAIGNS:
            return tuple(
                c for c in self.campaigns.values() if c.department_code == key and not c.closed
            )
        tables: Mapping[str, Mapping[Any, Any]] = {
            facts.INITIATIVE: self.initiatives,
            facts.NOMINATION: self.nominations,
            facts.CAMPAIGN: self.campaigns,
        }
        return tables[name].get(key)

    def _orgs(self) -> list[rules.Org]:
        found = [*self.known.get("*", ())]
        for issuer in self.issuers.values():
            found += [o for o in (issuer.department, issuer.province, issuer.ministry) if o]
        for units in self.units.values():
            found += units
        return found

    def stream(self, stream_id: str) -> Stream:
        cause = stream_id.removeprefix("claim:delivery:")
        planned = [
            CloudEvent.new(p, source="urn:test", subject=stream_id)
            for p in self.claimed.get(cause, [])
        ]
        return Stream(stream_id).extended(planned)


def event_of(fact: EventData, department: str | None = GL) -> CloudEvent:
    return CloudEvent.new(fact, source="urn:thidua:service:registration", department=department)


def when(
    given: Given, fact: EventData | CloudEvent, *, now: datetime = NOW
) -> list[DeliveryPlanned]:
    """The deliveries ``fact`` claims (``emits`` keeps the streams they go to)."""
    return [
        p for e in emits(given, fact, now=now) for p in e.facts if isinstance(p, DeliveryPlanned)
    ]


def emits(given: Given, fact: EventData | CloudEvent, *, now: datetime = NOW) -> Sequence[Emit]:
    event = fact if isinstance(fact, CloudEvent) else event_of(fact)
    table = decider(FixedClock(now))
    streams: dict[str, Stream] = {}
    answers: dict[tuple[str, Hashable], Any] = {}
    incoming = Incoming("test.registration.events", 0, 0, None, event.to_json())
    for _ in range(20):
        command = Command(event.payload(), event, incoming, None, StreamView(streams, answers))
        try:
            return table.decide(command)
        except Missing as missing:
            for stream_id in missing.stream_ids:
                streams[stream_id] = given.stream(stream_id)
            for name, key in missing.keys:
                answers[(name, key)] = given.answer(name, key)
    raise AssertionError("the decision keeps asking")


def claimed(planned: Sequence[DeliveryPlanned]) -> list[tuple[str, str, str]]:
    return [(p.recipient_kind, p.recipient_id, p.route) for p in planned]


__all__ = ["claim_stream"]
