"""Questions answered from the store: "which unit was X in on date D"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from services.registration import streams
from services.registration.domain import people, units
from thidua.es import store
from thidua.es.db import Conn

UnitLoader = Callable[[str], Awaitable[units.Unit | None]]


async def unit_of_person_on(load_unit: UnitLoader, person: people.Person, day: date) -> str | None:
    """The unit ``person`` belonged to on ``day``, following the merges in force that day."""
    current = person.unit_on(day)
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        following = units.merged_into_on(await load_unit(current), day)
        if following is None:
            return current
        current = following
    return current


async def load_unit(conn: Conn, unit_id: str) -> units.Unit | None:
    recorded = await store.read_stream(conn, streams.unit(unit_id))
    return units.fold_unit(r.event.payload() for r in recorded)


async def load_person(conn: Conn, person_id: str) -> people.Person | None:
    recorded = await store.read_stream(conn, streams.person(person_id))
    return people.fold_person(r.event.payload() for r in recorded)


async def unit_of_person(conn: Conn, person_id: str, day: date) -> str | None:
    """Which unit ``person_id`` was in on ``day`` (None if not in the department then)."""
    person = await load_person(conn, person_id)
    if person is None:
        return None
    return await unit_of_person_on(lambda unit_id: load_unit(conn, unit_id), person, day)
