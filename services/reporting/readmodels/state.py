"""The read model's rows as plain tuples, and the slice of them one batch works on (pure).

``ModelState`` holds the rows a batch needs, loaded from the database in bulk before it folds
(``load.py``), or, during a replay from offset 0, every row of the model (``complete``: a row
not held does not exist). Folding records what changed; ``write.py`` writes it once at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from contracts import common
from services.reporting.facts import Fact
from services.reporting.lifecycle import Lifecycle


class Ministry(NamedTuple):
    ministry_id: str
    name: str
    sector_code: str
    established_on: date | None = None


class Province(NamedTuple):
    province_id: str
    name: str
    established_on: date | None = None


class Department(NamedTuple):
    department_code: str
    name: str
    province_id: str
    ministry_id: str
    established_on: date | None = None


class Unit(NamedTuple):
    unit_id: str
    department_code: str
    name: str
    kind: str
    parent_unit_id: str | None
    established_on: date
    ended_on: date | None
    headcount: int | None


class Person(NamedTuple):
    person_id: str
    department_code: str
    full_name: str
    sex: str
    joined_on: date
    left_on: date | None
    earlier: str = "[]"
    """JSON: the details before each correction, ``[{"sex", "joined_on", "until", "event"}]``
    (``until``: the day the correction took effect), so staff as of an earlier date keep them."""


class PersonChange(NamedTuple):
    """A dated change of a person's unit or flags (None: unchanged)."""

    person_id: str
    seq: int
    effective_on: date
    unit_id: str | None
    is_leader: bool | None
    is_direct_worker: bool | None


class Campaign(NamedTuple):
    campaign_id: str
    department_code: str
    number: str | None
    title: str
    kind: str
    launching_level: str
    year: int
    period_start: date
    period_end: date
    phases: str  # JSON
    emulation_targets: str  # JSON
    deadlines: str  # JSON
    closed_on: date | None
    cancelled: bool


class Registration(NamedTuple):
    campaign_id: str
    registrant_kind: str
    registrant_id: str
    event_id: str


class Initiative(NamedTuple):
    initiative_id: str
    department_code: str
    unit_id: str
    kind: str
    campaign_id: str | None
    submitted_on: date
    title: str | None = None
    authors: str = "[]"
    """JSON: ``[{"person_id": …, "full_name": …}]`` as the submission (or its last correction)
    names them (format 10: a person's page lists their initiatives)."""


def authors_json(authors: Iterable[common.Person]) -> str:
    """An initiative's authors as the model keeps them (one canonical JSON text)."""
    return json.dumps(
        [a.model_dump(mode="json") for a in authors], ensure_ascii=False, separators=(",", ":")
    )


class Nomination(NamedTuple):
    nomination_id: str
    department_code: str
    campaign_id: str | None
    year: int
    title: str
    nominee_kind: str
    nominee_id: str
    unit_id: str | None
    status: str
    award_event_id: str | None
    received_on: date | None = None
    """The day the dossier was received (its latest submission): processing days count from it."""


class Bloc(NamedTuple):
    """An emulation bloc (khối thi đua) and its members (issue 17)."""

    bloc_id: str
    name: str
    members: str  # JSON list of {"member_kind", "member_id"}


class BlocRanking(NamedTuple):
    """The board's ranking of a bloc for a year; the first is the year's leader."""

    bloc_id: str
    year: int
    ranked_on: date
    ranking: str  # JSON list of {"member_kind", "member_id", "rank", "score"}
    leader_id: str


class Counted(NamedTuple):
    """The facts counted now for one correctable entity (``rating:…``, ``initiative:…``,
    ``discipline:…``...): what its next correction or withdrawal reverses."""

    entity: str
    event_ids: str  # JSON list

    def ids(self) -> list[str]:
        return list(json.loads(self.event_ids))


class Economic(NamedTuple):
    """A campaign's economic targets as set by one event, or one indicator's result for a
    period as reported or corrected (issue 17); ``data``: JSON."""

    event_id: str
    kind: str
    campaign_id: str
    effective_on: date
    indicator: str | None
    period_start: date | None
    period_end: date | None
    data: str


class FundRow(NamedTuple):
    """One event that moves a commendation fund (issue 18): ``readmodels/funds.py``."""

    event_id: str
    kind: str
    owner: str | None
    year: int | None
    effective_on: date
    amount_vnd: int
    nomination_id: str | None
    decision_id: str | None
    decision_number: str | None


K = TypeVar("K")
R = TypeVar("R")

RegistrationKey = tuple[str, str, str]
"""(campaign, registrant kind, registrant id)."""


@dataclass
class Table(Generic[K, R]):
    """Rows of one table by key: ``None`` = known not to exist. ``changed`` keys are written
    at the end of the batch (their final row, or a delete)."""

    rows: dict[K, R | None] = field(default_factory=dict)
    changed: set[K] = field(default_factory=set)

    def put(self, key: K, row: R | None) -> None:
        self.rows[key] = row
        self.changed.add(key)

    def missing(self, keys: set[K]) -> list[K]:
        return [k for k in keys if k not in self.rows]

    def changed_rows(self) -> list[R]:
        return [r for k in self.changed if (r := self.rows[k]) is not None]

    def deleted(self) -> list[K]:
        return [k for k in self.changed if self.rows[k] is None]


@dataclass
class NewFact:
    """A fact the batch recorded, with the type of the event it came from."""

    type: str
    fact: Fact


@dataclass
class ModelState:
    complete: bool = False
    ministries: Table[str, Ministry] = field(default_factory=Table)
    provinces: Table[str, Province] = field(default_factory=Table)
    departments: Table[str, Department] = field(default_factory=Table)
    units: Table[str, Unit] = field(default_factory=Table)
    people: Table[str, Person] = field(default_factory=Table)
    history: dict[str, list[PersonChange]] = field(default_factory=dict)
    new_history: list[PersonChange] = field(default_factory=list)
    campaigns: Table[str, Campaign] = field(default_factory=Table)
    registrations: Table[RegistrationKey, Registration] = field(default_factory=Table)
    initiatives: Table[str, Initiative] = field(default_factory=Table)
    nominations: Table[str, Nomination] = field(default_factory=Table)
    counted: Table[str, Counted] = field(default_factory=Table)
    lifecycle: Table[str, Lifecycle] = field(default_factory=Table)
    economy: Table[str, Economic] = field(default_factory=Table)
    blocs: Table[str, Bloc] = field(default_factory=Table)
    bloc_rankings: Table[tuple[str, int], BlocRanking] = field(default_factory=Table)
    funds: Table[str, FundRow] = field(default_factory=Table)
    facts: dict[str, Fact | None] = field(default_factory=dict)
    new_facts: list[NewFact] = field(default_factory=list)
    # Dimensions that arrived or changed: the lines of the facts naming them are recomputed.
    dirty_departments: set[str] = field(default_factory=set)
    dirty_people: set[str] = field(default_factory=set)
    dirty_campaigns: set[str] = field(default_factory=set)

    def fact(self, event_id: str) -> Fact | None:
        return self.facts.get(event_id)

    def record(self, event_type: str, fact: Fact) -> None:
        """A counted fact; an event id already recorded is counted once."""
        if self.facts.get(fact.event_id) is not None:
            return
        self.facts[fact.event_id] = fact
        self.new_facts.append(NewFact(event_type, fact))

    def add_history(self, change: PersonChange) -> None:
        self.history.setdefault(change.person_id, []).append(change)
        self.new_history.append(change)

    def next_seq(self, person_id: str) -> int:
        return len(self.history.get(person_id, ()))

    def clear_changes(self) -> None:
        """Forget what was written (a replay writes once, at its end)."""
        for table in self.tables():
            table.changed.clear()
        self.new_history.clear()
        self.new_facts.clear()
        self.dirty_departments.clear()
        self.dirty_people.clear()
        self.dirty_campaigns.clear()

    def tables(self) -> list[Table[Any, Any]]:
        return [
            self.ministries,
            self.provinces,
            self.departments,
            self.units,
            self.people,
            self.campaigns,
            self.registrations,
            self.initiatives,
            self.nominations,
            self.counted,
            self.blocs,
            self.bloc_rankings,
            self.lifecycle,
            self.economy,
            self.funds,
        ]
