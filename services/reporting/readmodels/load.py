"""Loading the rows a batch needs, one query per table whatever the batch's size."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import asyncpg

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from services.reporting.facts import Fact
from services.reporting.readmodels import corrections
from services.reporting.readmodels.lines import LinesRow
from services.reporting.readmodels.state import (
    Campaign,
    Counted,
    Department,
    Initiative,
    ModelState,
    Nomination,
    Person,
    PersonChange,
    Registration,
    Table,
    Unit,
)
from thidua.es.db import Conn


def fact_of(row: asyncpg.Record) -> Fact:
    return Fact(
        row["event_id"],
        row["kind"],
        row["effective_on"],
        department_code=row["department_code"],
        unit_id=row["unit_id"],
        person_id=row["person_id"],
        campaign_id=row["campaign_id"],
        year=row["year"],
        sign=row["sign"],
        attrs=json.loads(row["attrs"]),
    )


async def _rows(
    conn: Conn,
    table: Table[Any, Any],
    keys: set[Any],
    sql: str,
    make: Callable[[asyncpg.Record], Any],
    key_of: Callable[[Any], Any],
) -> None:
    """Fill ``table`` with the rows of ``keys`` it does not hold yet (None where none)."""
    missing = table.missing(keys)
    if not missing:
        return
    found = {key_of(row): row for row in map(make, await conn.fetch(sql, missing))}
    for key in missing:
        table.rows[key] = found.get(key)


async def _people(conn: Conn, state: ModelState, ids: set[str]) -> None:
    missing = [p for p in ids if p not in state.history]
    await _rows(
        conn,
        state.people,
        ids,
        f"SELECT {', '.join(Person._fields)} FROM reporting_people"
        " WHERE person_id = ANY($1::text[])",  # not the search's generated column
        lambda r: Person(*r),
        lambda p: p.person_id,
    )
    if not missing:
        return
    for person in missing:
        state.history[person] = []
    rows = await conn.fetch(
        """SELECT * FROM reporting_person_history WHERE person_id = ANY($1::text[])
           ORDER BY person_id, seq""",
        missing,
    )
    for r in rows:
        state.history[r["person_id"]].append(PersonChange(*r))


async def _facts(conn: Conn, state: ModelState, ids: Iterable[str]) -> None:
    missing = [i for i in set(ids) if i not in state.facts]
    if not missing:
        return
    rows = await conn.fetch(
        "SELECT * FROM reporting_facts WHERE event_id = ANY($1::text[])", missing
    )
    for i in missing:
        state.facts[i] = None
    for r in rows:
        state.facts[r["event_id"]] = fact_of(r)


_FAMILIES: tuple[tuple[str, type[EventData]], ...] = (
    ("unit", rg.UnitEvent),
    ("person", rg.PersonEvent),
    ("individual", rg.IndividualRegistered),
    ("collective", rg.UnitRegistered),
    ("withdrawn", rg.RegistrationWithdrawn),
    ("campaign", rg.CampaignEvent),
    ("initiative", rg.InitiativeEvent),
    ("nomination", aw.NominationEvent),
)


@functools.cache
def _family(cls: type[EventData]) -> str | None:
    """Which rows an event of ``cls`` folds into (the first family it belongs to)."""
    return next((name for name, base in _FAMILIES if issubclass(cls, base)), None)


async def load_for_events(conn: Conn, state: ModelState, payloads: Sequence[EventData]) -> None:
    """The rows the batch's events fold into (units, people, campaigns, registrations,
    initiatives, nominations, the facts counted for correctable entities), then the facts
    that withdrawals, revocations and corrections reverse."""
    units, people, campaigns, initiatives, nominations = set(), set(), set(), set(), set()
    registrations: set[tuple[str, str, str]] = set()
    for p in payloads:
        family = _family(type(p))
        if family is None:
            continue
        if family == "unit":
            units.add(cast(rg.UnitEvent, p).unit_id)
        elif family == "person":
            people.add(cast(rg.PersonEvent, p).person_id)
        elif family == "individual":
            i = cast(rg.IndividualRegistered, p)
            registrations.add((i.campaign_id, "individual", i.person_id))
        elif family == "collective":
            u = cast(rg.UnitRegistered, p)
            registrations.add((u.campaign_id, "collective", u.unit_id))
        elif family == "withdrawn":
            w = cast(rg.RegistrationWithdrawn, p)
            registrations.add((w.campaign_id, w.registrant_kind.value, w.registrant_id))
        elif family == "campaign":
            campaigns.add(cast(rg.CampaignEvent, p).campaign_id)
        elif family == "initiative":
            initiatives.add(cast(rg.InitiativeEvent, p).initiative_id)
        else:
            nominations.add(cast(aw.NominationEvent, p).nomination_id)
    await _rows(
        conn,
        state.units,
        units,
        f"SELECT {', '.join(Unit._fields)} FROM reporting_units WHERE unit_id = ANY($1::text[])",
        lambda r: Unit(*r),
        lambda u: u.unit_id,
    )
    await _people(conn, state, people)
    await _campaigns(conn, state, campaigns)
    await _rows(
        conn,
        state.initiatives,
        initiatives,
        f"SELECT {', '.join(Initiative._fields)} FROM reporting_initiatives"
        " WHERE initiative_id = ANY($1::text[])",
        lambda r: Initiative(*r),
        lambda i: i.initiative_id,
    )
    await _rows(
        conn,
        state.nominations,
        nominations,
        "SELECT * FROM reporting_nominations WHERE nomination_id = ANY($1::text[])",
        lambda r: Nomination(*r),
        lambda n: n.nomination_id,
    )
    missing = state.registrations.missing(registrations)
    if missing:
        rows = await conn.fetch(
            """SELECT r.* FROM reporting_registrations r
               JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(c, kind, id)
                 ON (r.campaign_id, r.registrant_kind, r.registrant_id) = (k.c, k.kind, k.id)""",
            *(list(column) for column in zip(*missing, strict=True)),
        )
        found = {(r[0], r[1], r[2]): Registration(*r) for r in rows}
        for key in missing:
            state.registrations.rows[key] = found.get(key)
    reversed_facts = []
    for p in payloads:
        if isinstance(p, rg.RegistrationWithdrawn):
            key = (p.campaign_id, p.registrant_kind.value, p.registrant_id)
            if (registration := state.registrations.rows.get(key)) is not None:
                reversed_facts.append(registration.event_id)
        elif isinstance(p, aw.AwardRevoked):
            nomination = state.nominations.rows.get(p.nomination_id)
            if nomination is not None and nomination.award_event_id is not None:
                reversed_facts.append(nomination.award_event_id)
    entities = {e for p in payloads if (e := corrections.entity_of(p)) is not None}
    await _rows(
        conn,
        state.counted,
        entities,
        "SELECT * FROM reporting_counted WHERE entity = ANY($1::text[])",
        lambda r: Counted(*r),
        lambda c: c.entity,
    )
    for p in payloads:
        changes = corrections.subclass_of(type(p), corrections.CHANGES)
        if changes and (e := corrections.entity_of(p)) is not None:
            reversed_facts += corrections.counted_ids(state, e)
    await _facts(conn, state, reversed_facts)


async def _campaigns(conn: Conn, state: ModelState, ids: set[str]) -> None:
    await _rows(
        conn,
        state.campaigns,
        ids,
        "SELECT * FROM reporting_campaigns WHERE campaign_id = ANY($1::text[])",
        lambda r: Campaign(*r),
        lambda c: c.campaign_id,
    )


async def load_dims(conn: Conn, state: ModelState, facts: Iterable[Fact]) -> None:
    """The dimensions the lines of ``facts`` read: departments, campaigns, people."""
    departments, campaigns, people = set(), set(), set()
    for f in facts:
        if f.department_code:
            departments.add(f.department_code)
        if f.campaign_id:
            campaigns.add(f.campaign_id)
        if f.person_id:
            people.add(f.person_id)
    await _rows(
        conn,
        state.departments,
        departments,
        "SELECT * FROM reporting_departments WHERE department_code = ANY($1::text[])",
        lambda r: Department(*r),
        lambda d: d.department_code,
    )
    await _campaigns(conn, state, campaigns)
    await _people(conn, state, people)


async def facts_naming(conn: Conn, state: ModelState) -> list[tuple[Fact, LinesRow | None]]:
    """The facts already in the model that name a dimension the batch changed, with their
    current lines (to be taken back from the counters). Each fact's line is looked up by its
    primary key (``LATERAL … OFFSET 0`` keeps the planner from making it a join it may hash:
    a join scanned and hashed the whole lines table while a new model had no statistics)."""
    if not (state.dirty_departments or state.dirty_people or state.dirty_campaigns):
        return []
    rows = await conn.fetch(
        """SELECT f.*, l.year AS l_year, l.half, l.campaign_id AS l_campaign, l.phase,
                  l.effective_on AS l_effective_on, l.unit_id AS l_unit,
                  l.department_code AS l_department, l.province_id, l.ministry_id,
                  l.figures, l.keys, l.counts, l.amounts
           FROM reporting_facts f
           LEFT JOIN LATERAL (SELECT * FROM reporting_fact_lines l
                              WHERE l.event_id = f.event_id OFFSET 0) l ON true
           WHERE f.department_code = ANY($1::text[]) OR f.person_id = ANY($2::text[])
              OR f.campaign_id = ANY($3::text[])""",
        list(state.dirty_departments),
        list(state.dirty_people),
        list(state.dirty_campaigns),
    )
    out = []
    for r in rows:
        old = None
        if r["figures"] is not None:
            old = LinesRow(
                r["event_id"],
                r["l_year"],
                r["half"],
                r["l_campaign"],
                r["phase"],
                r["l_effective_on"],
                r["l_unit"],
                r["l_department"],
                r["province_id"],
                r["ministry_id"],
                tuple(r["figures"]),
                tuple(r["keys"]),
                tuple(r["counts"]),
                tuple(r["amounts"]),
            )
        out.append((fact_of(r), old))
    return out
