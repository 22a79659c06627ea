"""The record of one person or one unit, read from the reporting model (one snapshot: the
caller's connection): units over time, ratings, registrations, initiatives, titles and awards
by year, the chains in progress and open discipline.

The chains in progress are the awards rules' own (``services.awards.domain.chains`` with the
parameters of the rule set in force for the year): the page shows how far the person is on
the way, the rules still decide.

Apart from the search (``queries.py``): a record is read by its id once the search (or a
link) has found it, and shares none of the search's SQL.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from contracts.common import AwardMethod, TitleCode
from services.awards.domain.chains import consecutive_years, two_consecutive_periods
from services.awards.domain.facts import HeldTitle
from services.awards.rules.rulesets import rule_set_for_year
from services.reporting.forms import TITLE_LABELS
from services.reporting.search.models import (
    ChainProgress,
    InitiativeRef,
    Member,
    Membership,
    OpenDiscipline,
    PersonPage,
    RatingYear,
    RegistrationRef,
    TitleYear,
    UnitPage,
)
from thidua.es.db import Conn

TITLE_CODES = frozenset(t.value for t in TitleCode)

RATING_LABELS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "completed": "Hoàn thành nhiệm vụ",
    "not_completed": "Không hoàn thành nhiệm vụ",
}
DISCIPLINE_LABELS = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "salary_downgrade": "Hạ bậc lương",
    "demotion": "Giáng chức",
    "removal": "Cách chức",
    "dismissal": "Buộc thôi việc",
}
INITIATIVE_LEVELS = {
    "unit": "cấp cơ sở",
    "department": "cấp Sở",
    "ministry_province": "cấp bộ, tỉnh",
    "national": "toàn quốc",
}


_PLACE = """d.name AS department, d.province_id, coalesce(pr.name, d.province_id) AS province
    FROM reporting_departments d LEFT JOIN reporting_provinces pr USING (province_id)"""


async def person_department(conn: Conn, person_id: str) -> str | None:
    """The department of a person (whose scope decides who reads them); None: unknown."""
    found = await conn.fetchval(
        "SELECT department_code FROM reporting_people WHERE person_id = $1", person_id
    )
    return str(found) if found is not None else None


async def person_page(conn: Conn, person_id: str) -> PersonPage | None:
    row = await conn.fetchrow(
        f"""SELECT p.*, {_PLACE} JOIN reporting_people p USING (department_code)
             WHERE p.person_id = $1""",
        person_id,
    )
    if row is None:
        return None
    history = await memberships(conn, [person_id], {person_id: row["left_on"]})
    award_rows = await _awards(conn, "person_id", person_id)
    return PersonPage(
        person_id=person_id,
        full_name=row["full_name"],
        sex=row["sex"],
        department_code=row["department_code"],
        department=row["department"],
        province_id=row["province_id"],
        province=row["province"],
        joined_on=row["joined_on"],
        left_on=row["left_on"],
        units=history.get(person_id, []),
        ratings=await _ratings(conn, "person_id = $1", person_id),
        registrations=await _registrations(conn, "individual", person_id),
        titles=titles_by_year(award_rows),
        chains=chains(award_rows),
        discipline=await _discipline(conn, "person_id", person_id),
        initiatives=await _initiatives(conn, AUTHORED, json.dumps([{"person_id": person_id}])),
    )


async def unit_page(conn: Conn, unit_id: str) -> UnitPage | None:
    row = await conn.fetchrow(
        f"""SELECT u.*, {_PLACE} JOIN reporting_units u USING (department_code)
             WHERE u.unit_id = $1""",
        unit_id,
    )
    if row is None:
        return None
    people = await conn.fetch(
        """SELECT person_id, full_name, left_on FROM reporting_people
            WHERE person_id = ANY(ARRAY(
                  SELECT person_id FROM reporting_person_history WHERE unit_id = $1))
            ORDER BY full_name, person_id""",
        unit_id,
    )
    history = await memberships(
        conn, [p["person_id"] for p in people], {p["person_id"]: p["left_on"] for p in people}
    )
    members = [
        Member(person_id=p["person_id"], full_name=p["full_name"], since=m.since, until=m.until)
        for p in people
        for m in history.get(p["person_id"], [])
        if m.unit_id == unit_id
    ]
    return UnitPage(
        unit_id=unit_id,
        name=row["name"],
        kind=row["kind"],
        department_code=row["department_code"],
        department=row["department"],
        province_id=row["province_id"],
        province=row["province"],
        parent_unit_id=row["parent_unit_id"],
        established_on=row["established_on"],
        ended_on=row["ended_on"],
        members=members,
        ratings=await _ratings(
            conn, "unit_id = $1 AND attrs->>'subject_kind' = 'collective'", unit_id
        ),
        registrations=await _registrations(conn, "collective", unit_id),
        initiatives=await _initiatives(conn, "i.unit_id = $1", unit_id),
        titles=titles_by_year(await _awards(conn, "unit_id", unit_id)),
        discipline=await _discipline(conn, "unit_id", unit_id),
    )


async def memberships(
    conn: Conn, people: Sequence[str], left: dict[str, date | None]
) -> dict[str, list[Membership]]:
    """Each person's units over time, from their dated history (a unit until the next one,
    or until they left)."""
    rows = await conn.fetch(
        """SELECT h.person_id, h.effective_on, h.unit_id, coalesce(u.name, h.unit_id) AS unit
             FROM reporting_person_history h LEFT JOIN reporting_units u USING (unit_id)
            WHERE h.person_id = ANY($1::text[]) AND h.unit_id IS NOT NULL
            ORDER BY h.person_id, h.effective_on, h.seq""",
        list(people),
    )
    out: dict[str, list[Membership]] = defaultdict(list)
    for r in rows:
        held = out[r["person_id"]]
        if held and held[-1].unit_id == r["unit_id"]:
            continue
        if held:
            held[-1].until = r["effective_on"]
        held.append(
            Membership(
                unit_id=r["unit_id"],
                unit=r["unit"],
                since=r["effective_on"],
                until=left.get(r["person_id"]),
            )
        )
    return out


async def _awards(conn: Conn, column: str, value: str) -> list[Any]:
    return list(
        await conn.fetch(
            f"""SELECT year, attrs->>'title' AS title, attrs->>'nominee_kind' AS nominee_kind,
                       attrs->>'method' AS method, sum(sign)::int AS count,
                       sum(sign * (attrs->>'cash_vnd')::bigint)::bigint AS cash,
                       count(*) FILTER (WHERE sign < 0)::int AS revoked
                  FROM reporting_facts
                 WHERE kind = 'award' AND {column} = $1 AND year IS NOT NULL
                 GROUP BY 1, 2, 3, 4""",
            value,
        )
    )


def titles_by_year(rows: Iterable[Any]) -> list[TitleYear]:
    """Titles per year and title, as the rollups count them (net of revocations)."""
    sums: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        s = sums[(r["year"], r["title"])]
        s["count"] += r["count"]
        s[r["nominee_kind"]] += r["count"]
        s["revoked"] += r["revoked"]
        s["cash"] += r["cash"]
    return [
        TitleYear(
            year=year,
            title=title,
            label=TITLE_LABELS.get(title, title),
            count=s["count"],
            individuals=s["individual"],
            collectives=s["collective"],
            revoked=s["revoked"],
            cash_vnd=s["cash"],
        )
        for (year, title), s in sorted(sums.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    ]


def chains(rows: Iterable[Any]) -> list[ChainProgress]:
    """The person's chains towards the next title, by the awards rules (Quy tắc 8, 9)."""
    held = [
        HeldTitle(r["year"], TitleCode(r["title"]), AwardMethod(r["method"]))
        for r in rows
        if r["count"] > 0 and r["title"] in TITLE_CODES
    ]
    out: list[ChainProgress] = []
    base = [t.year for t in held if t.title is TitleCode.CSTDCS and t.counts_as_merit]
    if base:
        up_to = max(base)
        needed = rule_set_for_year(up_to).params.cstd_bo_tinh_consecutive_cstdcs
        run = consecutive_years(held, TitleCode.CSTDCS, up_to)
        out.append(_chain(TitleCode.CSTDCS, TitleCode.CSTD_BO_TINH, run, needed, up_to))
    provincial = [t.year for t in held if t.title is TitleCode.CSTD_BO_TINH and t.counts_as_merit]
    if provincial:
        up_to = max(provincial)
        period = rule_set_for_year(up_to).params.cstd_bo_tinh_period_years
        run = 2 if two_consecutive_periods(held, TitleCode.CSTD_BO_TINH, up_to, period) else 1
        out.append(_chain(TitleCode.CSTD_BO_TINH, TitleCode.CSTD_TOAN_QUOC, run, 2, up_to))
    return out


def _chain(
    title: TitleCode, towards: TitleCode, run: int, needed: int, up_to: int
) -> ChainProgress:
    label, next_label = TITLE_LABELS.get(title, title), TITLE_LABELS.get(towards, towards)
    state = "đủ số lần liên tục" if run >= needed else f"còn {needed - run} lần nữa"
    return ChainProgress(
        title=title.value,
        towards=towards.value,
        years=run,
        needed=needed,
        up_to=up_to,
        text=f"{label}: {run}/{needed} lần liên tục đến năm {up_to}, hướng tới {next_label}"
        f" ({state})",
    )


async def _ratings(conn: Conn, where: str, value: str) -> list[RatingYear]:
    rows = await conn.fetch(
        f"""SELECT year, attrs->>'rating' AS rating FROM reporting_facts
             WHERE kind = 'rating' AND {where}
             GROUP BY 1, 2 HAVING sum(sign) > 0 ORDER BY 1 DESC, 2""",
        value,
    )
    return [
        RatingYear(year=r["year"], rating=r["rating"], label=RATING_LABELS.get(r["rating"], ""))
        for r in rows
    ]


async def _registrations(conn: Conn, kind: str, registrant: str) -> list[RegistrationRef]:
    rows = await conn.fetch(
        """SELECT r.campaign_id, coalesce(c.title, r.campaign_id) AS campaign, c.year,
                  f.effective_on AS registered_on
             FROM reporting_registrations r
             LEFT JOIN reporting_campaigns c USING (campaign_id)
             LEFT JOIN reporting_facts f ON f.event_id = r.event_id
            WHERE r.registrant_kind = $1 AND r.registrant_id = $2
            ORDER BY c.year DESC NULLS LAST, r.campaign_id""",
        kind,
        registrant,
    )
    return [RegistrationRef(**dict(r)) for r in rows]


AUTHORED = "i.authors @> $1::jsonb"
"""The initiatives a person wrote (the GIN index on ``authors``)."""


async def _initiatives(conn: Conn, where: str, value: str) -> list[InitiativeRef]:
    rows = await conn.fetch(
        f"""SELECT i.initiative_id, i.title, i.kind, i.submitted_on,
                  coalesce(k.year, extract(year FROM i.submitted_on)::int) AS year,
                  c.event_ids IS NOT NULL AND c.event_ids = '[]'::jsonb AS withdrawn,
                  (SELECT string_agg(f.kind || ':' || coalesce(f.attrs->>'level', ''), ',')
                     FROM reporting_facts f
                    WHERE f.event_id IN (SELECT jsonb_array_elements_text(c.event_ids))
                      AND f.sign > 0) AS decided
             FROM reporting_initiatives i
             LEFT JOIN reporting_counted c ON c.entity = 'initiative:' || i.initiative_id
             LEFT JOIN reporting_campaigns k ON k.campaign_id = i.campaign_id
            WHERE {where} ORDER BY i.submitted_on DESC, i.initiative_id""",
        value,
    )
    return [
        InitiativeRef(
            initiative_id=r["initiative_id"],
            title=r["title"],
            kind=r["kind"],
            year=r["year"],
            submitted_on=r["submitted_on"],
            status=initiative_status(r["withdrawn"], r["decided"] or ""),
        )
        for r in rows
    ]


def initiative_status(withdrawn: bool, decided: str) -> str:
    if withdrawn:
        return "Đã rút"
    for part in decided.split(","):
        kind, _, level = part.partition(":")
        if kind == "initiative_recognized":
            return f"Được công nhận {INITIATIVE_LEVELS.get(level, level)}"
        if kind == "initiative_rejected":
            return "Không được công nhận"
    return "Đã nộp"


async def _discipline(conn: Conn, column: str, value: str) -> list[OpenDiscipline]:
    rows = await conn.fetch(
        f"""SELECT person_id, kind, sign, effective_on,
                   coalesce(attrs->>'level', attrs->>'key') AS level
              FROM reporting_facts
             WHERE {column} = $1 AND person_id IS NOT NULL
               AND (kind = 'discipline'
                    OR (kind = 'tally' AND attrs->>'figure' = 'discipline.lifted'))
             ORDER BY effective_on""",
        value,
    )
    return open_discipline(rows)


def open_discipline(rows: Iterable[Any]) -> list[OpenDiscipline]:
    """The disciplines still in force: those imposed (and not taken back), less those lifted,
    oldest lifted first. An annulment both takes the discipline back and lifts it (on the same
    date): counted once."""
    imposed: dict[tuple[str, str], list[date]] = defaultdict(list)
    lifted: Counter[tuple[str, str, date]] = Counter()
    taken_back: Counter[tuple[str, str, date]] = Counter()
    for r in rows:
        key = (r["person_id"], r["level"])
        if r["kind"] == "tally":
            lifted[(*key, r["effective_on"])] += 1
        elif r["sign"] > 0:
            imposed[key].append(r["effective_on"])
        else:
            taken_back[(*key, r["effective_on"])] += 1
    out: list[OpenDiscipline] = []
    for (person, level), days in sorted(imposed.items()):
        gone = sum(n for k, n in (lifted | taken_back).items() if k[:2] == (person, level))
        out.extend(
            OpenDiscipline(
                person_id=person,
                level=level,
                label=DISCIPLINE_LABELS.get(level, level),
                imposed_on=day,
            )
            for day in sorted(days)[gone:]
        )
    return out
