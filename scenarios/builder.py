"""The pieces a scenario is built of: the builder that stamps each event as a department's
system (or a province's board) would publish it, with its deterministic id, and the
directory's generic parts (placing a department, its units, its generated staff).

Used by ``generator.py``, ``departments.py`` and ``dossiers.py`` (the province of the seed
plans) and ``restructuring.py`` (the 2025 mergers), so that both phases of a scenario stamp
their events the same way.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from contracts import topics
from contracts.base import EventData
from contracts.envelope import CloudEvent
from scenarios.directory import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, DepartmentSpec, UnitSpec
from scenarios.expectation import Expectation

VIETNAM = timezone(timedelta(hours=7))
NAMESPACE = uuid.UUID("5b0f7c1e-8d1a-4c55-9a57-0d7c1e2f7a18")


@dataclass(frozen=True)
class Submission:
    """One event as a department's system publishes it (key and topic: the department)."""

    department: str
    event: CloudEvent


@dataclass
class Member:
    person_id: str
    full_name: str
    sex: str
    unit_id: str
    is_leader: bool
    rating: str = "good"
    registered: bool = False
    initiative: tuple[str, bool] | None = None
    """(initiative id, whether it is evidence for the year: recognised, and submitted by the
    registration deadline)."""
    ldtt: bool = False
    registered_late: bool = False
    cstdcs: bool = False
    """Awarded CSTĐCS in the main year (the provincial board's CSTĐ tỉnh needs it)."""


@dataclass
class Builder:
    prefix: str
    seed: int
    rng: random.Random
    phase: list[Submission] = field(default_factory=list)
    expects: dict[str, Expectation] = field(default_factory=dict)
    yearly: dict[tuple[str, int], Expectation] = field(default_factory=dict)

    def expect(self, code: str) -> Expectation:
        """The expectation of department ``code`` (prefixed) for the scenario's main year."""
        return self.expects.setdefault(code, Expectation())

    @contextmanager
    def own_draws(self, salt: str) -> Iterator[None]:
        """Random draws of their own for a part added later (``salt`` names it), so that the
        parts built before and after it draw exactly what they drew without it: their events,
        ids and contents, stay the same."""
        saved = self.rng
        self.rng = random.Random(f"{self.seed}|{salt}")
        try:
            yield
        finally:
            self.rng = saved

    def expect_in(self, code: str, year: int) -> Expectation:
        """The expectation of department ``code`` for another ``year`` (its facts only: the
        staff of a year is its department's listed staff, set by whoever checks it)."""
        return self.yearly.setdefault((code, year), Expectation())

    def code(self, department: str) -> str:
        return f"{self.prefix}{department}"

    def emit(
        self, department: str, data: EventData, subject: str, on: date, minute: int = 0
    ) -> CloudEvent:
        identity = f"{self.prefix}|{self.seed}|{data.type_name()}|{subject}"
        moment = datetime.combine(on, time(9, 0), VIETNAM) + timedelta(minutes=minute)
        event = CloudEvent.new(
            data,
            source=f"urn:thidua:{'board' if topics.is_board(department) else 'department'}:"
            f"{department}",
            subject=subject,
            department=department,
            id=str(uuid.uuid5(NAMESPACE, identity)),
            time=moment.astimezone(UTC),
        )
        self.phase.append(Submission(department, event))
        return event

    def take(self) -> tuple[Submission, ...]:
        taken = tuple(self.phase)
        self.phase = []
        return taken


def registration_fact(type_name: str, **fields: Any) -> EventData:
    from contracts import registration

    model: type[EventData] = getattr(registration, type_name)
    return model.model_validate(fields)


def awards_fact(type_name: str, **fields: Any) -> EventData:
    from contracts import awards

    model: type[EventData] = getattr(awards, type_name)
    return model.model_validate(fields)


def split(total: int, weights: list[int]) -> list[int]:
    shares = [total * w // sum(weights) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def full_name(rng: random.Random, sex: str) -> str:
    family = rng.choice(FAMILY_NAMES)
    return f"{family} {rng.choice(MIDDLE_NAMES[sex])} {rng.choice(GIVEN_NAMES[sex])}"


def some_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def place_department(b: Builder, spec: DepartmentSpec, province: str) -> None:
    """The province's board places the department in it."""
    code = b.code(spec.code)
    data = registration_fact(
        "DepartmentRegistered",
        department_code=code,
        name=spec.name,
        province_id=province,
        ministry_id=spec.ministry,
    )
    b.emit(topics.board(province), data, f"department:{code}", date(2015, 1, 1))


def department_directory(b: Builder, spec: DepartmentSpec) -> str:
    """The department's own directory: its units."""
    code = b.code(spec.code)
    for unit in spec.units:
        unit_data = registration_fact(
            "UnitEstablished",
            unit_id=f"{code}/{unit.local}",
            department_code=code,
            name=unit.name,
            kind=unit.kind,
            established_on="2010-01-01",
        )
        b.emit(code, unit_data, f"unit:{code}/{unit.local}", date(2010, 1, 1))
    return code


def generate_staff(b: Builder, spec: DepartmentSpec, count: int) -> list[Member]:
    """``count`` people: a board of three leaders, then the units (attached units larger),
    the first person of each unit its head (a leader)."""
    code = b.code(spec.code)
    rng = b.rng
    units = [u for u in spec.units if u.kind != "other"]
    board = [u for u in spec.units if u.kind == "other"]
    slots: list[str] = []
    if board:
        slots += [board[0].local] * min(3, max(count // 20, 1))
    weights = [3 if u.kind == "attached_unit" else 1 for u in units]
    rest = split(count - len(slots), weights)
    for unit, n in zip(units, rest, strict=True):
        slots += [unit.local] * n
    people: list[Member] = []
    seen: set[str] = set()
    for i, local in enumerate(slots, start=1):
        sex = "female" if rng.random() < 0.52 else "male"
        head = local not in seen or local == "bgd"
        seen.add(local)
        person = Member(f"{code}/cb-{i:04d}", full_name(rng, sex), sex, f"{code}/{local}", head)
        position = "Giám đốc" if local == "bgd" and i == 1 else ("Lãnh đạo" if head else None)
        data = registration_fact(
            "PersonJoined",
            person_id=person.person_id,
            department_code=code,
            unit_id=person.unit_id,
            full_name=person.full_name,
            sex=sex,
            position=position or "Chuyên viên",
            is_leader=head,
            joined_on=some_day(rng, date(2012, 1, 1), date(2017, 10, 1)),
        )
        b.emit(code, data, f"person:{person.person_id}", date(2017, 12, 1))
        people.append(person)
    return people


def staff_figures(units: Sequence[UnitSpec], people: Sequence[Member]) -> dict[str, int]:
    """A department's denominators: everyone listed (all joined before the year), and its
    sections and attached units."""
    return {
        "staff": len(people),
        "women": sum(p.sex == "female" for p in people),
        "leaders": sum(p.is_leader for p in people),
        "non_leaders": sum(not p.is_leader for p in people),
        "units": sum(u.kind in ("section", "attached_unit") for u in units),
    }


def register_unit(
    b: Builder, code: str, campaign: str, unit_id: str, on: date, expect: Expectation
) -> None:
    """Department ``code`` registers ``unit_id`` for ``campaign`` (TTLĐTT) on ``on``, by the
    plan's deadline: counted, on time, in ``expect``."""
    data = registration_fact(
        "UnitRegistered",
        campaign_id=campaign,
        department_code=code,
        unit_id=unit_id,
        titles=["TTLDTT"],
        registered_on=on,
    )
    b.emit(code, data, f"registration:{campaign}/{unit_id}", on)
    expect.registrations.update(["units", "units_on_time"])


def register_person(
    b: Builder,
    code: str,
    campaign: str,
    person: Member,
    on: date,
    titles: list[str],
    expect: Expectation | None,
) -> None:
    """Department ``code`` registers ``person`` for ``campaign`` on ``on``; counted in
    ``expect`` when given (registered by the deadline), else refused as late."""
    data = registration_fact(
        "IndividualRegistered",
        campaign_id=campaign,
        department_code=code,
        person_id=person.person_id,
        unit_id=person.unit_id,
        titles=titles,
        registered_on=on,
    )
    b.emit(code, data, f"registration:{campaign}/{person.person_id}", on)
    if expect is not None:
        expect.registrations["individuals"] += 1
        expect.registrations["individuals_on_time"] += 1
        expect.registrations["individuals_women"] += person.sex == "female"
