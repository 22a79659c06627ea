"""Reads of the awards schema that gather the facts one nomination is judged on."""

from __future__ import annotations

from fractions import Fraction

from contracts.awards import NominationSubmitted
from contracts.common import (
    DISCIPLINE_RANK,
    AwardMethod,
    CampaignKind,
    CouncilLevel,
    DisciplineLevel,
    Rating,
    Scope,
    Sex,
    SubjectKind,
    TitleCode,
)
from services.awards.domain.facts import (
    Ballot,
    Campaign,
    Discipline,
    Facts,
    HeldTitle,
    Initiative,
    Member,
    Quota,
    Research,
)
from thidua.es.db import Conn


async def campaign(conn: Conn, campaign_id: str) -> tuple[str, Campaign] | None:
    """(department code, campaign) as the registration service launched it, if known."""
    row = await conn.fetchrow("SELECT * FROM rc_campaigns WHERE campaign_id = $1", campaign_id)
    if row is None:
        return None
    return row["department_code"], Campaign(
        campaign_id=row["campaign_id"],
        year=row["year"],
        kind=CampaignKind(row["kind"]),
        period_start=row["period_start"],
        period_end=row["period_end"],
        registration_deadline=row["registration_deadline"],
        dossier_deadline=row["dossier_deadline"],
    )


async def department_of(conn: Conn, kind: SubjectKind, subject_id: str) -> str | None:
    """The department a person or unit belongs to, as far as awards has learned."""
    table, key = (
        ("rc_people", "person_id") if kind is SubjectKind.INDIVIDUAL else ("rc_units", "unit_id")
    )
    value = await conn.fetchval(f"SELECT department_code FROM {table} WHERE {key} = $1", subject_id)
    return None if value is None else str(value)


async def open_case(conn: Conn, subject_id: str) -> str | None:
    value = await conn.fetchval(
        """SELECT case_id FROM rc_cases WHERE subject_id = $1 AND closed_on IS NULL
           ORDER BY opened_on, case_id LIMIT 1""",
        subject_id,
    )
    return None if value is None else str(value)


async def latest_ballot(conn: Conn, nomination_id: str) -> Ballot | None:
    row = await conn.fetchrow(
        """SELECT * FROM aw_ballots WHERE nomination_id = $1
           ORDER BY session_on DESC, session_id DESC LIMIT 1""",
        nomination_id,
    )
    if row is None:
        return None
    return Ballot(
        members_total=row["members_total"],
        members_present=row["members_present"],
        yes_votes=row["yes_votes"],
        council_level=CouncilLevel(row["council_level"]),
    )


def vote_share(ballot: Ballot | None) -> Fraction | None:
    return None if ballot is None else Fraction(ballot.yes_votes, ballot.members_total)


async def titles_of(conn: Conn, subject_id: str) -> tuple[HeldTitle, ...]:
    rows = await conn.fetch(
        "SELECT * FROM aw_titles WHERE nominee_id = $1 ORDER BY year, nomination_id", subject_id
    )
    return tuple(
        HeldTitle(
            year=row["year"],
            title=TitleCode(row["title"]),
            method=AwardMethod(row["method"]),
            revoked=row["revoked_on"] is not None,
            nomination_id=row["nomination_id"],
            achievement=row["achievement"],
        )
        for row in rows
    )


async def _rating(conn: Conn, kind: SubjectKind, subject_id: str, year: int) -> Rating | None:
    value = await conn.fetchval(
        "SELECT rating FROM rc_ratings WHERE subject_kind = $1 AND subject_id = $2 AND year = $3",
        kind,
        subject_id,
        year,
    )
    return None if value is None else Rating(value)


async def _registered(conn: Conn, dossier: NominationSubmitted) -> bool:
    if dossier.campaign_id is not None:
        found = await conn.fetchval(
            """SELECT true FROM rc_registrations WHERE campaign_id = $1 AND registrant_kind = $2
               AND registrant_id = $3 AND withdrawn_on IS NULL""",
            dossier.campaign_id,
            dossier.nominee_kind,
            dossier.nominee_id,
        )
    else:
        found = await conn.fetchval(
            """SELECT true FROM rc_registrations g JOIN rc_campaigns c USING (campaign_id)
               WHERE c.year = $1 AND g.registrant_kind = $2 AND g.registrant_id = $3
               AND g.withdrawn_on IS NULL LIMIT 1""",
            dossier.year,
            dossier.nominee_kind,
            dossier.nominee_id,
        )
    return bool(found)


async def _initiatives(conn: Conn, ids: list[str]) -> tuple[Initiative, ...]:
    rows = await conn.fetch(
        """SELECT i.*, (SELECT u.nomination_id FROM aw_initiative_uses u
                        WHERE u.initiative_id = i.initiative_id) AS used_by
           FROM rc_initiatives i WHERE initiative_id = ANY($1::text[])""",
        ids,
    )
    known = {
        row["initiative_id"]: Initiative(
            initiative_id=row["initiative_id"],
            recognized_level=Scope(row["recognized_level"]) if row["recognized_level"] else None,
            recognized_on=row["recognized_on"],
            author_ids=frozenset(row["author_ids"]),
            author_names=frozenset(row["author_names"]),
            used_by=row["used_by"],
        )
        for row in rows
    }
    return tuple(known.get(i, Initiative(initiative_id=i)) for i in ids)


async def _research(conn: Conn, ids: list[str]) -> tuple[Research, ...]:
    rows = await conn.fetch("SELECT * FROM rc_research WHERE research_id = ANY($1::text[])", ids)
    known = {
        row["research_id"]: Research(
            research_id=row["research_id"],
            level=Scope(row["level"]),
            accepted_on=row["accepted_on"],
            author_ids=frozenset(row["author_ids"]),
            author_names=frozenset(row["author_names"]),
        )
        for row in rows
    }
    return tuple(known.get(i, Research(research_id=i)) for i in ids)


async def members_of(conn: Conn, unit_id: str, year: int) -> tuple[Member, ...]:
    """People of the unit at the end of ``year``, with the year's ratings, titles, discipline."""
    rows = await conn.fetch(
        """SELECT p.person_id, p.sex, r.rating,
                  EXISTS (SELECT 1 FROM aw_titles t WHERE t.nominee_id = p.person_id
                          AND t.year = $2 AND t.title = 'LDTT' AND t.revoked_on IS NULL) AS ldtt,
                  EXISTS (SELECT 1 FROM aw_titles t WHERE t.nominee_id = p.person_id
                          AND t.year = $2 AND t.title = 'CSTDCS' AND t.revoked_on IS NULL)
                      AS cstdcs,
                  ARRAY(SELECT d.level FROM rc_disciplines d WHERE d.person_id = p.person_id
                        AND extract(year FROM d.imposed_on) = $2) AS disciplines
           FROM rc_people p
           LEFT JOIN rc_ratings r ON r.subject_kind = 'individual'
                AND r.subject_id = p.person_id AND r.year = $2
           WHERE p.unit_id = $1 AND p.joined_on <= make_date($2, 12, 31)
             AND (p.left_on IS NULL OR p.left_on > make_date($2, 12, 31))
           ORDER BY p.person_id""",
        unit_id,
        year,
    )
    members = []
    for row in rows:
        levels = [DisciplineLevel(x) for x in row["disciplines"]]
        worst = max(levels, key=lambda x: DISCIPLINE_RANK[x]) if levels else None
        members.append(
            Member(
                person_id=row["person_id"],
                sex=Sex(row["sex"]),
                rating=Rating(row["rating"]) if row["rating"] else None,
                ldtt=row["ldtt"],
                cstdcs=row["cstdcs"],
                worst_discipline=worst,
            )
        )
    return tuple(members)


async def quota(conn: Conn, department: str, year: int) -> Quota:
    row = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE title = 'LDTT') AS ldtt,
                  count(*) FILTER (WHERE title = 'CSTDCS') AS cstdcs
           FROM aw_titles WHERE department_code = $1 AND year = $2 AND revoked_on IS NULL""",
        department,
        year,
    )
    assert row is not None
    return Quota(ldtt=row["ldtt"], cstdcs=row["cstdcs"])


async def woman_priority(conn: Conn, dossier: NominationSubmitted) -> bool:
    """A woman, or a collective with at least 70% women (Quy tắc 20)."""
    if dossier.nominee_kind is SubjectKind.INDIVIDUAL:
        sex = await conn.fetchval(
            "SELECT sex FROM rc_people WHERE person_id = $1", dossier.nominee_id
        )
        return bool(sex == Sex.FEMALE)
    members = await members_of(conn, dossier.nominee_id, dossier.year)
    women = sum(m.sex is Sex.FEMALE for m in members)
    return bool(members) and women * 10 >= 7 * len(members)


async def facts_for(conn: Conn, dossier: NominationSubmitted) -> Facts:
    kind, nominee, year = dossier.nominee_kind, dossier.nominee_id, dossier.year
    person = (
        await conn.fetchrow("SELECT full_name, sex FROM rc_people WHERE person_id = $1", nominee)
        if kind is SubjectKind.INDIVIDUAL
        else None
    )
    found = await campaign(conn, dossier.campaign_id) if dossier.campaign_id else None
    disciplines = await conn.fetch(
        "SELECT level, imposed_on FROM rc_disciplines WHERE person_id = $1", nominee
    )
    bloc_leader = await conn.fetchval(
        "SELECT true FROM rc_bloc_leaders WHERE year = $1 AND member_id = $2 LIMIT 1",
        year,
        nominee,
    )
    return Facts(
        dossier=dossier,
        registered=await _registered(conn, dossier),
        campaign=found[1] if found else None,
        rating=await _rating(conn, kind, nominee, year),
        previous_rating=await _rating(conn, kind, nominee, year - 1),
        nominee_name=person["full_name"] if person else None,
        nominee_sex=Sex(person["sex"]) if person else None,
        initiatives=await _initiatives(conn, list(dossier.evidence.initiative_ids)),
        research=await _research(conn, list(dossier.evidence.research_ids)),
        titles=await titles_of(conn, nominee),
        members=await members_of(conn, nominee, year) if kind is SubjectKind.COLLECTIVE else (),
        disciplines=tuple(
            Discipline(DisciplineLevel(d["level"]), d["imposed_on"]) for d in disciplines
        ),
        open_case=await open_case(conn, nominee),
        ballot=await latest_ballot(conn, dossier.nomination_id),
        bloc_leader=bool(bloc_leader),
        quota=await quota(conn, dossier.department_code, year),
    )
