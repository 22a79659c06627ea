"""Questions awards' decisions ask of its read copy of the registration service's facts (and
of its nominations table), each answered for every key of a batch in one query.

These facts do not change while an ingress batch is decided (another consumer keeps them), so
answers that last one batch are current. Awards' own facts are never asked here: a decision
reads them from streams, where the batch's earlier decisions are already applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.common import (
    DISCIPLINE_RANK,
    CampaignKind,
    DisciplineLevel,
    Rating,
    Scope,
    Sex,
)
from contracts.registration import ConferencePlan
from contracts.topics import BOARD_SUFFIX
from services.awards.domain.boards import Provinces
from services.awards.domain.facts import Campaign, Discipline, Initiative, Member, Research
from services.awards.domain.successors import Departments, Transfer
from thidua.es.db import Conn
from thidua.es.decider import Lookup
from thidua.es.succession import Merger, Successions

SUBJECT_DEPARTMENT = "subject_department"
CAMPAIGN = "campaign"
OPEN_CASE = "open_case"
PERSON = "person"
RATING = "rating"
REGISTERED = "registered"
DISCIPLINES = "disciplines"
BLOC_LEADER = "bloc_leader"
INITIATIVE = "initiative"
RESEARCH = "research"
MEMBERS = "members"
NOMINATION_MEMBERS = "nomination_members"
NOMINATIONS_OF = "nominations_of"
CASE_SUBJECT = "case_subject"
NOMINATIONS_CITING = "nominations_citing"
DEPARTMENTS = "departments"
ALL = "all"
"""The one key of ``DEPARTMENTS``: every merger, asked once per batch."""
TRANSFERS = "transfers"
PROVINCES = "provinces"
"""``ALL`` → each department's province and the provinces' mergers (issue 17: the board)."""
FUND_OWNER = "fund_owner"
"""A department's or a board's code → whether the directory knows it (issue 18: the fund)."""


def _columns(keys: list[Any], width: int) -> list[list[Any]]:
    return [[k[i] for k in keys] for i in range(width)]


async def subject_department(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(kind, person or unit id) → the department it belongs to."""
    people = [i for kind, i in keys if kind == "individual"]
    units = [i for kind, i in keys if kind != "individual"]
    rows = await conn.fetch(
        """SELECT 'individual' AS kind, person_id AS id, department_code FROM rc_people
           WHERE person_id = ANY($1::text[])
           UNION ALL
           SELECT 'collective', unit_id, department_code FROM rc_units
           WHERE unit_id = ANY($2::text[])""",
        people,
        units,
    )
    return {(r["kind"], r["id"]): r["department_code"] for r in rows}


async def campaign(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """campaign id → (department code, campaign) as the registration service launched it."""
    rows = await conn.fetch("SELECT * FROM rc_campaigns WHERE campaign_id = ANY($1::text[])", keys)
    return {
        r["campaign_id"]: (
            r["department_code"],
            Campaign(
                campaign_id=r["campaign_id"],
                year=r["year"],
                kind=CampaignKind(r["kind"]),
                period_start=r["period_start"],
                period_end=r["period_end"],
                registration_deadline=r["registration_deadline"],
                dossier_deadline=r["dossier_deadline"],
                conference=(
                    ConferencePlan.model_validate_json(r["conference"])
                    if r["conference"] is not None
                    else None
                ),
            ),
        )
        for r in rows
    }


async def open_case(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """subject id → its earliest open case."""
    rows = await conn.fetch(
        """SELECT DISTINCT ON (subject_id) subject_id, case_id FROM rc_cases
           WHERE subject_id = ANY($1::text[]) AND closed_on IS NULL
           ORDER BY subject_id, opened_on, case_id""",
        keys,
    )
    return {r["subject_id"]: r["case_id"] for r in rows}


async def person(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """person id → (full name, sex)."""
    rows = await conn.fetch(
        "SELECT person_id, full_name, sex FROM rc_people WHERE person_id = ANY($1::text[])", keys
    )
    return {r["person_id"]: (r["full_name"], Sex(r["sex"])) for r in rows}


RATING = """SELECT r.subject_kind, r.subject_id, r.year, r.rating
    FROM unnest($1::text[], $2::text[], $3::int[]) AS k(kind, id, year)
    JOIN rc_ratings r ON r.subject_kind = k.kind AND r.subject_id = k.id AND r.year = k.year"""
"""A probe of ``rc_ratings_pkey`` per key, as the stack's ``random_page_cost`` plans it (see
``thidua.stack.pgsetup``)."""


async def rating(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(kind, subject id, year) → the year's rating."""
    rows = await conn.fetch(RATING, *_columns(keys, 3))
    return {(r["subject_kind"], r["subject_id"], r["year"]): Rating(r["rating"]) for r in rows}


REGISTERED = """SELECT k.campaign, k.year, k.kind, k.id
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
    rows = await conn.fetch(REGISTERED, *_columns(keys, 4))
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
        *_columns(keys, 2),
    )
    return {(r["year"], r["id"]): True for r in rows}


async def initiative(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """initiative id → how the registration service recognised it (its use is in a stream)."""
    rows = await conn.fetch(
        "SELECT * FROM rc_initiatives WHERE initiative_id = ANY($1::text[])", keys
    )
    return {
        r["initiative_id"]: Initiative(
            initiative_id=r["initiative_id"],
            recognized_level=Scope(r["recognized_level"]) if r["recognized_level"] else None,
            recognized_on=r["recognized_on"],
            submitted_on=r["submitted_on"],
            withdrawn_on=r["withdrawn_on"],
            author_ids=frozenset(r["author_ids"]),
            author_names=frozenset(r["author_names"]),
        )
        for r in rows
    }


async def research(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT r.*, p.registered_on FROM rc_research r
           LEFT JOIN rc_research_pledges p USING (research_id)
           WHERE r.research_id = ANY($1::text[])""",
        keys,
    )
    return {
        r["research_id"]: Research(
            research_id=r["research_id"],
            level=Scope(r["level"]),
            accepted_on=r["accepted_on"],
            registered_on=r["registered_on"],
            withdrawn_on=r["withdrawn_on"],
            author_ids=frozenset(r["author_ids"]),
            author_names=frozenset(r["author_names"]),
        )
        for r in rows
    }


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
        *_columns(keys, 2),
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


async def nominations_of(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """nominee id → the nominations naming them (awards' nominations table)."""
    rows = await conn.fetch(
        """SELECT nominee_id, array_agg(nomination_id ORDER BY nomination_id) AS ids
           FROM aw_nominations WHERE nominee_id = ANY($1::text[]) GROUP BY nominee_id""",
        keys,
    )
    return {r["nominee_id"]: tuple(r["ids"]) for r in rows}


async def nominations_citing(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(evidence kind "initiative" or "research", its id) → the nominations whose dossier
    named it."""
    rows = await conn.fetch(
        """SELECT e.evidence_kind, e.evidence_id,
                  array_agg(e.nomination_id ORDER BY e.nomination_id) AS ids
           FROM unnest($1::text[], $2::text[]) AS k(kind, id)
           JOIN aw_evidence e ON e.evidence_kind = k.kind AND e.evidence_id = k.id
           GROUP BY e.evidence_kind, e.evidence_id""",
        *_columns(keys, 2),
    )
    return {(r["evidence_kind"], r["evidence_id"]): tuple(r["ids"]) for r in rows}


async def case_subject(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        "SELECT case_id, subject_id FROM rc_cases WHERE case_id = ANY($1::text[])", keys
    )
    return {r["case_id"]: r["subject_id"] for r in rows}


async def departments(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """``ALL`` → the departments' mergers (issue 16) and the names a refusal cites."""
    rows = await conn.fetch(
        """SELECT m.department_code, m.into_department_code, m.effective_on, m.legal_basis,
                  a.name, b.name AS into_name
           FROM rc_department_mergers m
           LEFT JOIN rc_departments a ON a.department_code = m.department_code
           LEFT JOIN rc_departments b ON b.department_code = m.into_department_code
           ORDER BY m.effective_on, m.department_code"""
    )
    successions = Successions(
        [
            Merger(
                r["department_code"], r["into_department_code"], r["effective_on"], r["legal_basis"]
            )
            for r in rows
        ]
    )
    names = {r["department_code"]: r["name"] for r in rows if r["name"]}
    names |= {r["into_department_code"]: r["into_name"] for r in rows if r["into_name"]}
    return {key: Departments(successions, names) for key in keys}


async def transfers(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """(kind, id) → the transfers of the unit (a person's: their unit's) or of the campaign
    ("campaign") from a merged-away department to its successor, in date order."""
    rows = await conn.fetch(
        """SELECT k.kind, k.id, t.effective_on, t.from_department_code, t.to_department_code
           FROM unnest($1::text[], $2::text[]) AS k(kind, id)
           LEFT JOIN rc_people p ON k.kind = 'individual' AND p.person_id = k.id
           JOIN rc_transfers t
             ON t.subject_kind = CASE WHEN k.kind = 'campaign' THEN 'campaign'
                                      ELSE 'collective' END
            AND t.subject_id = coalesce(p.unit_id, k.id)
           ORDER BY k.kind, k.id, t.effective_on""",
        *_columns(keys, 2),
    )
    found: dict[tuple[str, str], list[Transfer]] = {}
    for r in rows:
        found.setdefault((r["kind"], r["id"]), []).append(
            Transfer(r["effective_on"], r["from_department_code"], r["to_department_code"])
        )
    return {k: tuple(v) for k, v in found.items()}


async def provinces(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """``ALL`` → the province of every department and the provinces' mergers (asked only by a
    decision on a title the provincial board decides)."""
    placed = await conn.fetch(
        "SELECT department_code, province_id FROM rc_departments WHERE province_id IS NOT NULL"
    )
    merged = await conn.fetch(
        """SELECT province_id, into_province_id, effective_on, legal_basis
           FROM rc_province_mergers ORDER BY effective_on, province_id"""
    )
    found = Provinces(
        {r["department_code"]: r["province_id"] for r in placed},
        Successions(
            [
                Merger(r["province_id"], r["into_province_id"], r["effective_on"], r["legal_basis"])
                for r in merged
            ]
        ),
    )
    return {key: found for key in keys}


async def fund_owner(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """A code → whether it is a registered department, or the board of a province that has
    one (the read copy knows provinces only through their departments)."""
    rows = await conn.fetch(
        """SELECT k.code FROM unnest($1::text[]) AS k(code)
           WHERE EXISTS (SELECT 1 FROM rc_departments d
                         WHERE d.department_code = k.code
                            OR d.province_id || $2 = k.code)""",
        list(keys),
        BOARD_SUFFIX,
    )
    known = {r["code"] for r in rows}
    return {key: key in known for key in keys}


LOOKUPS = {
    lookup.name: lookup
    for lookup in (
        Lookup(SUBJECT_DEPARTMENT, subject_department),
        Lookup(CAMPAIGN, campaign),
        Lookup(OPEN_CASE, open_case),
        Lookup(PERSON, person),
        Lookup(RATING, rating),
        Lookup(REGISTERED, registered),
        Lookup(DISCIPLINES, disciplines),
        Lookup(BLOC_LEADER, bloc_leader),
        Lookup(INITIATIVE, initiative),
        Lookup(RESEARCH, research),
        Lookup(MEMBERS, members),
        Lookup(NOMINATION_MEMBERS, nomination_members),
        Lookup(NOMINATIONS_OF, nominations_of),
        Lookup(CASE_SUBJECT, case_subject),
        Lookup(NOMINATIONS_CITING, nominations_citing),
        Lookup(DEPARTMENTS, departments),
        Lookup(TRANSFERS, transfers),
        Lookup(PROVINCES, provinces),
        Lookup(FUND_OWNER, fund_owner),
    )
}
