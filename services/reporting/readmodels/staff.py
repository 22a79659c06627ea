"""Listed staff as dated changes (pure): what one person adds to their department's staff,
women and leaders, from which date; summed over people, the staff on a date D is the sum of
the changes up to D (``reporting_staff_changes``)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from services.reporting.readmodels.state import ModelState, Person, PersonChange

StaffKey = tuple[str, date]
"""(department, date)."""
StaffChanges = defaultdict[StaffKey, list[int]]
"""(staff, women, leaders) added on that date."""


def _leader_flag(flags: Sequence[PersonChange], on: date) -> bool:
    """The flag of the latest change on or before ``on`` (the last to arrive among changes of
    one date); not a leader before any change."""
    value = False
    for change in flags:  # ordered by (date, arrival)
        if change.effective_on > on:
            break
        value = bool(change.is_leader)
    return value


def add_person(
    changes: StaffChanges, person: Person | None, history: Sequence[PersonChange], sign: int
) -> None:
    """Add (sign 1) or take back (-1) what ``person`` contributes to their department: with
    their details before each correction up to the day it took effect, then the corrected."""
    if person is None:
        return
    versions = _versions(person)
    if len(versions) == 1:
        _add_version(changes, person, history, sign)
        return
    each: list[tuple[date | None, StaffChanges]] = []
    for since, version in versions:
        alone: StaffChanges = defaultdict(lambda: [0, 0, 0])
        _add_version(alone, version, history, 1)
        each.append((since, alone))
    days = sorted({d for _, c in each for (_, d) in c} | {s for s, _ in each if s is not None})
    before = [0, 0, 0]
    for day in days:
        in_force = [c for since, c in each if since is None or since <= day][-1]
        now = [sum(v[i] for (_, d), v in in_force.items() if d <= day) for i in range(3)]
        total = changes[(person.department_code, day)]
        for i in range(3):
            total[i] += sign * (now[i] - before[i])
        before = now


def _versions(person: Person) -> list[tuple[date | None, Person]]:
    """The person's details in force from each date (None: from the start)."""
    out: list[tuple[date | None, Person]] = []
    since: date | None = None
    for e in json.loads(person.earlier):
        joined = date.fromisoformat(e["joined_on"])
        out.append((since, person._replace(sex=e["sex"], joined_on=joined)))
        until = date.fromisoformat(e["until"])
        since = until if since is None else max(since, until)
    return [*out, (since, person)]


def _add_version(
    changes: StaffChanges, person: Person, history: Sequence[PersonChange], sign: int
) -> None:
    start, end = person.joined_on, person.left_on
    if end is not None and end <= start:
        return  # never listed
    female = 1 if person.sex == "female" else 0

    def at(day: date) -> list[int]:
        return changes[(person.department_code, day)]

    at(start)[0] += sign
    at(start)[1] += sign * female
    if end is not None:
        at(end)[0] -= sign
        at(end)[1] -= sign * female
    flags = sorted(
        (h for h in history if h.is_leader is not None), key=lambda h: (h.effective_on, h.seq)
    )
    days = sorted({start, *([end] if end else []), *(h.effective_on for h in flags)})
    leading = False
    for day in days:
        listed = start <= day and (end is None or end > day)
        now = listed and _leader_flag(flags, day)
        if now != leading:
            at(day)[2] += sign if now else -sign
            leading = now


def staff_of(state: ModelState, people: Iterable[str], sign: int, into: StaffChanges) -> None:
    for person_id in people:
        add_person(into, state.people.rows.get(person_id), state.history.get(person_id, ()), sign)


def staff_rows(changes: StaffChanges) -> list[tuple[str, date, int, int, int]]:
    return [(k[0], k[1], v[0], v[1], v[2]) for k, v in changes.items() if any(v)]
