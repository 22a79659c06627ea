"""Lookups of a nominee's year in the read copy of registration's facts: its rating, whether it
registered, the discipline imposed on a person, whether a member led its bloc, and a
collective's members on 31/12 with their own year.

Apart from ``subjects.py`` because these are keyed by year and their statements are tuned to
probe an index per key (each statement's docstring says how and why): the integration tests
``EXPLAIN`` them (``tests/integration/awards/test_lookups.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.common import DISCIPLINE_RANK, DisciplineLevel, Rating, Sex
from services.awards.domain.facts import Discipline, Member
from services.awards.readmodels.lookups.params import columns
from thidua.es.db import Conn

RATING_SQL = """SELECT r.subject_kind, r.subject_id, r.year, r.rating
    FROM unnest($1::text[], $2::text[], $3::int[]) AS k(kind, id, year)
    JOIN rc_ratings r ON r.subject_kind = k.kind AND r.subject_id = k.id AND r.year = k.year"""
"""A probe of ``rc_ratings_pkey`` per key, as the stack's ``random_page_cost`` plans it (see
``thidua.stack.pgsetup``)."""


async def rating(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(kind, subject id, year) → the year's rating."""
    rows = await conn.fetch(RATING_SQL, *columns(keys, 3))
    return {(r["subject_kind"], r["subject_id"], r["year"]): Rating(r["rating"]) for r in rows}


REGISTERED_SQL = """SELECT k.campaign, k.year, k.kind, k.id
    FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS k(campaign, year, kind, id)
    WHERE EXISTS (
        SELECT 1 FROM rc_registrations g
        WHERE g.registrant_kind = k.kind AND g.registrant_id = k.id
          AND g.withdrawn_on IS NULL
          AND CASE WHEN k.campaign <> '' THEN g.campaign_id = k.campaign
                   ELSE EXISTS (SELECT 1 FROM rc_campaigns c
                                WHERE c.campaign_id = g.campaign_id AND c.year = k.year)
              END
        OFFSET 0)"""
"""``OFFSET 0`` keeps the ``EXISTS`` a probe of ``rc_registrations_registrant`` per key.
Pulled up into a join, the planner hashed the whole table: it grows with every year's
registrations, while a batch asks for a few hundred keys (280-560 ms a batch at 157,000
registrations, against a few ms now; migration 0008)."""


async def registered(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(campaign id or "", year, kind, id) → registered (to the campaign, or to any campaign
    of the year for a dossier without one) and not withdrawn."""
    rows = await conn.fetch(REGISTERED_SQL, *columns(keys, 4))
    return {(r["campaign"], r["year"], r["kind"], r["id"]): True for r in rows}


async def disciplines(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """person id → the discipline imposed on them (an annulled one as if never imposed)."""
    rows = await conn.fetch(
        """SELECT person_id, level, imposed_on, lifted_on FROM rc_disciplines
           WHERE person_id = ANY($1::text[]) AND NOT annulled
           ORDER BY person_id, imposed_on, level""",
        keys,
    )
    found: dict[str, list[Discipline]] = {}
    for r in rows:
        found.setdefault(r["person_id"], []).append(
            Discipline(DisciplineLevel(r["level"]), r["imposed_on"], r["lifted_on"])
        )
    return {k: tuple(v) for k, v in found.items()}


async def bloc_leader(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(year, member id) → whether it leads its bloc that year."""
    rows = await conn.fetch(
        """SELECT DISTINCT k.year, k.id FROM unnest($1::int[], $2::text[]) AS k(year, id)
           JOIN rc_bloc_leaders b ON b.year = k.year AND b.member_id = k.id""",
        *columns(keys, 2),
    )
    return {(r["year"], r["id"]): True for r in rows}


_MEMBERS = """SELECT k.key, k.unit, k.year, p.person_id, p.sex, r.rating,
           ARRAY(SELECT d.level FROM rc_disciplines d WHERE d.person_id = p.person_id
                 AND NOT d.annulled AND extract(year FROM d.imposed_on) = k.year) AS disciplines
    FROM {keys}
    LEFT JOIN rc_people p ON p.unit_id = k.unit AND p.joined_on <= make_date(k.year, 12, 31)
         AND (p.left_on IS NULL OR p.left_on > make_date(k.year, 12, 31))
    LEFT JOIN rc_ratings r ON r.subject_kind = 'individual'
         AND r.subject_id = p.person_id AND r.year = k.year
    ORDER BY k.key, p.person_id"""


def _members(rows: list[Any]) -> dict[Any, tuple[str, int, tuple[Member, ...]]]:
    found: dict[Any, tuple[str, int, list[Member]]] = {}
    for r in rows:
        _, _, members = found.setdefault(r["key"], (r["unit"], r["year"], []))
        if r["person_id"] is None:
            continue  # a unit without members that year
        levels = [DisciplineLevel(x) for x in r["disciplines"]]
        members.append(
            Member(
                person_id=r["person_id"],
                sex=Sex(r["sex"]),
                rating=Rating(r["rating"]) if r["rating"] else None,
                worst_discipline=max(levels, key=lambda x: DISCIPLINE_RANK[x]) if levels else None,
            )
        )
    return {k: (unit, year, tuple(m)) for k, (unit, year, m) in found.items()}


async def members(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(unit id, year) → the people of the unit on 31/12 of the year, with the year's rating
    and worst discipline (their titles are in streams)."""
    rows = await conn.fetch(
        _MEMBERS.format(
            keys="(SELECT unit || '/' || year AS key, unit, year "
            "FROM unnest($1::text[], $2::int[]) AS u(unit, year)) AS k"
        ),
        *columns(keys, 2),
    )
    return {(unit, year): m for unit, year, m in _members(rows).values()}


async def nomination_members(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """nomination id → (unit, year, members) for a collective's nomination already in the
    nominations table: a decision can then ask for the members' titles with everything else
    (one round of loading fewer than through the dossier)."""
    rows = await conn.fetch(
        _MEMBERS.format(
            keys="(SELECT nomination_id AS key, nominee_id AS unit, year FROM aw_nominations "
            "WHERE nomination_id = ANY($1::text[]) AND nominee_kind = 'collective') AS k"
        ),
        keys,
    )
    return _members(rows)
