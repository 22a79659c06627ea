"""Rollups, forms and drill-down, read from the reporting model (never from event history).

Live figures come from ``reporting_counters`` (one indexed range per scope and period). An
``as_of`` date sums ``reporting_fact_lines`` with ``effective_on <= as_of`` for that scope and
period through the index for its period kind (``reporting_fact_lines_year``, ``_half``,
``_phase``). Denominators (staff, women, leaders,
units) are read from the dimension tables on the reference date: the end of the year, or the
as-of date when it is earlier.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from services.reporting import forms
from services.reporting.attainment import Basis, attain, percent
from services.reporting.facts import ALL_CAMPAIGNS
from services.reporting.forms import TITLE_LABELS, Figures, Form
from thidua.es.db import Conn

SCOPE_LABELS = {"unit": "Đơn vị", "department": "Sở", "province": "Tỉnh", "ministry": "Bộ"}
STATUS_LABELS = {
    "submitted": "Đang xét",
    "returned": "Trả hồ sơ",
    "suspended": "Tạm dừng xét",
    "approved": "Đã khen thưởng",
    "rejected": "Không đủ điều kiện",
    "revoked": "Đã thu hồi",
}


def vn_date(day: date | None) -> str | None:
    return day.strftime("%d/%m/%Y") if day else None


class ScopeRef(BaseModel):
    kind: str
    id: str
    name: str
    label: str


class Staff(BaseModel):
    staff: int
    women: int
    leaders: int
    non_leaders: int
    units: int


class Registrations(BaseModel):
    units: int
    units_on_time: int
    individuals: int
    individuals_on_time: int
    individuals_women: int
    share_of_staff_percent: Decimal | None
    women_percent: Decimal | None


class Recognized(BaseModel):
    kind: str
    level: str
    count: int


class Initiatives(BaseModel):
    submitted: dict[str, int]
    recognized: list[Recognized]
    rejected: dict[str, int]


class Dossiers(BaseModel):
    received: int
    late: int
    late_override: int
    returned: int
    returned_late: int
    return_reasons: dict[str, int]


class TitleAwards(BaseModel):
    title: str
    label: str
    count: int
    individuals: int
    collectives: int
    women: int
    non_leaders: int
    revoked: int
    cash_vnd: int
    share_of_staff_percent: Decimal | None


class AttainmentRow(BaseModel):
    department_code: str
    campaign_id: str
    title: str
    label: str
    measure: str
    basis: str
    comparator: str
    target: Decimal
    numerator: int
    denominator: int | None
    actual: Decimal | None
    attainment_percent: Decimal | None
    met: bool | None


class Child(BaseModel):
    kind: str
    id: str
    name: str
    registrations: int
    awards: int
    cash_vnd: int


class Rollup(BaseModel):
    scope: ScopeRef
    year: int
    campaign_id: str | None
    as_of: date | None
    as_of_label: str | None
    reference_date: date
    staff: Staff
    registrations: Registrations
    initiatives: Initiatives
    nominations: dict[str, dict[str, int]]
    dossiers: Dossiers
    awards: list[TitleAwards]
    cash_vnd: int
    women_percent_of_individual_awards: Decimal | None
    exemplary_models: int
    discipline: dict[str, int]
    attainment: list[AttainmentRow]
    periods: dict[str, dict[str, int]]
    children: list[Child]


class FactRef(BaseModel):
    event_id: str
    type: str
    figure: str
    key: str
    count: int
    amount: int
    effective_on: date
    effective_label: str


# --- raw figures -----------------------------------------------------------------------------


async def figures(
    conn: Conn,
    scope_kind: str,
    scope_id: str,
    period_kind: str,
    period_id: str,
    *,
    campaign_id: str | None = None,
    as_of: date | None = None,
) -> dict[tuple[str, str], tuple[int, int]]:
    """(figure, key) → (count, amount) of one scope and period, live or as of a date."""
    campaign = campaign_id or ALL_CAMPAIGNS
    if as_of is None:
        rows = await conn.fetch(
            """SELECT figure, key, count, amount FROM reporting_counters
               WHERE scope_kind = $1 AND scope_id = $2 AND period_kind = $3 AND period_id = $4
                 AND campaign_id = $5""",
            scope_kind,
            scope_id,
            period_kind,
            period_id,
            campaign,
        )
    else:
        # Lines carry their fact's placement: a period is one indexed range of a scope, and a
        # campaign (other than all) one more condition.
        period_column = {"year": "year", "half": "half", "phase": "phase"}[period_kind]
        rows = await conn.fetch(
            f"""SELECT figure, key, sum(count)::bigint AS count, sum(amount)::bigint AS amount
               FROM reporting_fact_lines
               WHERE scope_kind = $1 AND scope_id = $2 AND {period_column} = $3
                 AND ($4 = '{ALL_CAMPAIGNS}' OR campaign_id = $4) AND effective_on <= $5
               GROUP BY figure, key""",
            scope_kind,
            scope_id,
            period_id,
            campaign,
            as_of,
        )
    return {
        (r["figure"], r["key"]): (r["count"], r["amount"])
        for r in rows
        if r["count"] or r["amount"]
    }


def _sum(f: Figures, figure: str, key: str | None = None) -> int:
    return sum(c for (fig, k), (c, _) in f.items() if fig == figure and (key is None or k == key))


def _by_key(f: Figures, figure: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for (fig, key), (count, _) in f.items():
        if fig == figure and count:
            out[key] += count
    return dict(sorted(out.items()))


def award_counts(f: Figures) -> tuple[dict[str, int], dict[str, int]]:
    """Titles awarded (net of revocations) by title, and those to non-leaders."""
    awarded: dict[str, int] = defaultdict(int)
    for (fig, key), (count, _) in f.items():
        if fig == "awards":
            awarded[key.split("|")[0]] += count
    return dict(awarded), _by_key(f, "awards.non_leaders")


# --- dimensions on the reference date --------------------------------------------------------


async def _departments_of(conn: Conn, scope_kind: str, scope_id: str) -> list[tuple[str, str]]:
    column = {"province": "province_id", "ministry": "ministry_id", "department": "department_code"}
    rows = await conn.fetch(
        f"""SELECT department_code, name FROM reporting_departments
            WHERE {column[scope_kind]} = $1 ORDER BY department_code""",
        scope_id,
    )
    return [(r["department_code"], r["name"]) for r in rows]


_LEADER_ON = """LEFT JOIN LATERAL (
               SELECT h.is_leader FROM reporting_person_history h
               WHERE h.person_id = p.person_id AND h.is_leader IS NOT NULL
                 AND h.effective_on <= $2
               ORDER BY h.effective_on DESC, h.seq DESC LIMIT 1) l ON true"""
_LISTED_ON = """p.joined_on <= $2 AND (p.left_on IS NULL OR p.left_on > $2)"""


def _staff(row: Any, units: int) -> Staff:
    staff = row["staff"] if row else 0
    leaders = row["leaders"] if row else 0
    return Staff(
        staff=staff,
        women=row["women"] if row else 0,
        leaders=leaders,
        non_leaders=staff - leaders,
        units=units,
    )


async def staff_by_department(conn: Conn, departments: list[str], on: date) -> dict[str, Staff]:
    """Listed staff of each department on a date, and its sections and attached units (one
    pass over the departments' people, whatever their number)."""
    rows = await conn.fetch(
        f"""SELECT p.department_code, count(*) AS staff,
                  count(*) FILTER (WHERE p.sex = 'female') AS women,
                  count(*) FILTER (WHERE coalesce(l.is_leader, false)) AS leaders
           FROM reporting_people p {_LEADER_ON}
           WHERE p.department_code = ANY($1::text[]) AND {_LISTED_ON}
           GROUP BY p.department_code""",
        departments,
        on,
    )
    units = await conn.fetch(
        """SELECT department_code, count(*) AS units FROM reporting_units
           WHERE department_code = ANY($1::text[]) AND kind IN ('section', 'attached_unit')
             AND established_on <= $2 AND (ended_on IS NULL OR ended_on > $2)
           GROUP BY department_code""",
        departments,
        on,
    )
    people = {r["department_code"]: r for r in rows}
    unit_counts = {r["department_code"]: r["units"] for r in units}
    return {code: _staff(people.get(code), unit_counts.get(code, 0)) for code in departments}


def total_staff(parts: Iterable[Staff]) -> Staff:
    parts = list(parts)
    return Staff(
        staff=sum(p.staff for p in parts),
        women=sum(p.women for p in parts),
        leaders=sum(p.leaders for p in parts),
        non_leaders=sum(p.non_leaders for p in parts),
        units=sum(p.units for p in parts),
    )


async def unit_staff(conn: Conn, unit_id: str, on: date) -> Staff:
    """Listed staff of one unit on a date (people whose unit on that date is this one)."""
    row = await conn.fetchrow(
        f"""SELECT count(*) AS staff,
                  count(*) FILTER (WHERE p.sex = 'female') AS women,
                  count(*) FILTER (WHERE coalesce(l.is_leader, false)) AS leaders
           FROM reporting_people p
           JOIN reporting_units un ON un.unit_id = $1 AND un.department_code = p.department_code
           {_LEADER_ON}
           LEFT JOIN LATERAL (
               SELECT h.unit_id FROM reporting_person_history h
               WHERE h.person_id = p.person_id AND h.unit_id IS NOT NULL
                 AND h.effective_on <= $2
               ORDER BY h.effective_on DESC, h.seq DESC LIMIT 1) u ON true
           WHERE {_LISTED_ON} AND u.unit_id = $1""",
        unit_id,
        on,
    )
    return _staff(row, 0)


def reference_date(year: int, as_of: date | None) -> date:
    end = date(year, 12, 31)
    return min(end, as_of) if as_of else end


# --- rollups ---------------------------------------------------------------------------------


async def _attainment(
    conn: Conn, department_code: str, year: int, f: Figures, staff: Staff
) -> list[AttainmentRow]:
    """The department's plans of the year, each target measured on the department's figures
    (titles of the year from every campaign; flags awarded anywhere in the department)."""
    awarded, non_leaders = award_counts(f)
    basis = Basis(staff.staff, staff.non_leaders, staff.units, awarded, non_leaders)
    rows = await conn.fetch(
        """SELECT campaign_id, emulation_targets FROM reporting_campaigns
           WHERE department_code = $1 AND year = $2 AND NOT cancelled ORDER BY campaign_id""",
        department_code,
        year,
    )
    out: list[AttainmentRow] = []
    for row in rows:
        for t in json.loads(row["emulation_targets"]):
            a = attain(
                t["title"],
                t["measure"],
                t["basis"],
                t["comparator"],
                Decimal(str(t["value"])),
                basis,
            )
            out.append(
                AttainmentRow(
                    department_code=department_code,
                    campaign_id=row["campaign_id"],
                    label=TITLE_LABELS.get(a.title, a.title),
                    **a.__dict__,
                )
            )
    return out


def _summary(f: Figures, staff: Staff) -> dict[str, object]:
    awarded, _ = award_counts(f)
    women = _by_key(f, "awards.women")
    non_leaders = _by_key(f, "awards.non_leaders")
    revoked = _by_key(f, "awards.revoked")
    per_title: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (fig, key), (count, amount) in f.items():
        if fig == "awards":
            title, nominee_kind, _, _ = key.split("|")
            per_title[title]["count"] += count
            per_title[title][nominee_kind] += count
            per_title[title]["cash"] += amount
    titles = [
        TitleAwards(
            title=title,
            label=TITLE_LABELS.get(title, title),
            count=v["count"],
            individuals=v["individual"],
            collectives=v["collective"],
            women=women.get(title, 0),
            non_leaders=non_leaders.get(title, 0),
            revoked=revoked.get(title, 0),
            cash_vnd=v["cash"],
            share_of_staff_percent=percent(v["individual"], staff.staff),
        )
        for title, v in sorted(per_title.items())
    ]
    individual_awards = sum(t.individuals for t in titles)
    nominations: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in _by_key(f, "nominations").items():
        title, status = key.split("|")
        if count:
            nominations[title][status] = count
    individuals = _sum(f, "registrations.individuals")
    registrations_women = _sum(f, "registrations.individuals_women")
    return {
        "registrations": Registrations(
            units=_sum(f, "registrations.units"),
            units_on_time=_sum(f, "registrations.units_on_time"),
            individuals=individuals,
            individuals_on_time=_sum(f, "registrations.individuals_on_time"),
            individuals_women=registrations_women,
            share_of_staff_percent=percent(individuals, staff.staff),
            women_percent=percent(registrations_women, individuals),
        ),
        "initiatives": Initiatives(
            submitted=_by_key(f, "initiatives.submitted"),
            recognized=[
                Recognized(kind=k.split("|")[0], level=k.split("|")[1], count=c)
                for k, c in _by_key(f, "initiatives.recognized").items()
            ],
            rejected=_by_key(f, "initiatives.rejected"),
        ),
        "nominations": dict(sorted(nominations.items())),
        "dossiers": Dossiers(
            received=_sum(f, "dossiers.received"),
            late=_sum(f, "dossiers.late"),
            late_override=_sum(f, "dossiers.late_override"),
            returned=_sum(f, "dossiers.returned"),
            returned_late=_sum(f, "dossiers.returned_late"),
            return_reasons=_by_key(f, "dossiers.return_reasons"),
        ),
        "awards": titles,
        "cash_vnd": sum(t.cash_vnd for t in titles),
        "women_percent_of_individual_awards": percent(
            sum(women.get(t.title, 0) for t in titles), individual_awards
        ),
        "exemplary_models": _sum(f, "exemplary_models"),
        "discipline": _by_key(f, "discipline"),
        "_awarded": awarded,
    }


async def _name(conn: Conn, scope_kind: str, scope_id: str) -> str:
    table, column = {
        "unit": ("reporting_units", "unit_id"),
        "department": ("reporting_departments", "department_code"),
        "province": ("reporting_provinces", "province_id"),
        "ministry": ("reporting_ministries", "ministry_id"),
    }[scope_kind]
    name = await conn.fetchval(f"SELECT name FROM {table} WHERE {column} = $1", scope_id)
    return str(name) if name else scope_id


async def rollup(
    conn: Conn,
    scope_kind: str,
    scope_id: str,
    year: int,
    *,
    as_of: date | None = None,
    campaign_id: str | None = None,
) -> Rollup:
    """Every figure of one scope (unit, department, province, ministry) for a year."""
    on = reference_date(year, as_of)
    f = await figures(
        conn, scope_kind, scope_id, "year", str(year), campaign_id=campaign_id, as_of=as_of
    )
    if scope_kind == "unit":
        departments: list[tuple[str, str]] = []
        by_department: dict[str, Staff] = {}
        staff = await unit_staff(conn, scope_id, on)
    else:
        departments = await _departments_of(conn, scope_kind, scope_id)
        by_department = await staff_by_department(conn, [d for d, _ in departments], on)
        staff = total_staff(by_department.values())
    summary = _summary(f, staff)
    attainment: list[AttainmentRow] = []
    children: list[Child] = []
    if scope_kind in ("province", "ministry", "department"):
        for code, name in departments:
            df = (
                f
                if scope_kind == "department"
                else await figures(
                    conn,
                    "department",
                    code,
                    "year",
                    str(year),
                    campaign_id=campaign_id,
                    as_of=as_of,
                )
            )
            dstaff = by_department[code]
            attainment += await _attainment(conn, code, year, df, dstaff)
            if scope_kind != "department":
                children.append(_child("department", code, name, df))
    if scope_kind == "department":
        units = await conn.fetch(
            "SELECT unit_id, name FROM reporting_units WHERE department_code = $1 ORDER BY unit_id",
            scope_id,
        )
        for u in units:
            uf = await figures(
                conn, "unit", u["unit_id"], "year", str(year), campaign_id=campaign_id, as_of=as_of
            )
            children.append(_child("unit", u["unit_id"], u["name"], uf))
    periods: dict[str, dict[str, int]] = {}
    for period_kind, ids in (
        ("half", [f"{year}-H1", f"{year}-H2"]),
        ("phase", ["1", "2", "3", "4"]),
    ):
        if period_kind == "phase" and not campaign_id:
            continue
        for pid in ids:
            pf = await figures(
                conn, scope_kind, scope_id, period_kind, pid, campaign_id=campaign_id, as_of=as_of
            )
            if pf:
                periods[f"{period_kind}:{pid}"] = {
                    f"{fig}|{key}" if key else fig: c for (fig, key), (c, _) in sorted(pf.items())
                }
    summary.pop("_awarded")
    return Rollup(
        scope=ScopeRef(
            kind=scope_kind,
            id=scope_id,
            name=await _name(conn, scope_kind, scope_id),
            label=SCOPE_LABELS[scope_kind],
        ),
        year=year,
        campaign_id=campaign_id,
        as_of=as_of,
        as_of_label=vn_date(as_of),
        reference_date=on,
        staff=staff,
        attainment=attainment,
        periods=periods,
        children=children,
        **summary,
    )


def _child(kind: str, id_: str, name: str, f: Figures) -> Child:
    return Child(
        kind=kind,
        id=id_,
        name=name,
        registrations=_sum(f, "registrations.units") + _sum(f, "registrations.individuals"),
        awards=_sum(f, "awards"),
        cash_vnd=sum(a for (fig, _), (_, a) in f.items() if fig == "awards"),
    )


async def province_rollup(
    conn: Conn,
    province_id: str,
    year: int,
    as_of: date | None = None,
    campaign_id: str | None = None,
) -> Rollup:
    """All departments of a province (the territorial axis)."""
    return await rollup(conn, "province", province_id, year, as_of=as_of, campaign_id=campaign_id)


async def ministry_rollup(
    conn: Conn,
    ministry_id: str,
    year: int,
    as_of: date | None = None,
    campaign_id: str | None = None,
) -> Rollup:
    """The ministry's sector across provinces (every department whose ministry it is)."""
    return await rollup(conn, "ministry", ministry_id, year, as_of=as_of, campaign_id=campaign_id)


async def department_rollup(
    conn: Conn,
    department_code: str,
    year: int,
    as_of: date | None = None,
    campaign_id: str | None = None,
) -> Rollup:
    return await rollup(
        conn, "department", department_code, year, as_of=as_of, campaign_id=campaign_id
    )


async def facts_behind(
    conn: Conn,
    scope_kind: str,
    scope_id: str,
    year: int,
    *,
    figure: str | None = None,
    key: str | None = None,
    as_of: date | None = None,
) -> list[FactRef]:
    """The events behind a figure of a scope and year (drill-down to the individual events)."""
    rows = await conn.fetch(
        """SELECT l.event_id, f.type, l.figure, l.key, l.count, l.amount, l.effective_on
           FROM reporting_fact_lines l JOIN reporting_facts f USING (event_id)
           WHERE l.scope_kind = $1 AND l.scope_id = $2 AND l.year = $3
             AND ($4::text IS NULL OR l.figure = $4) AND ($5::text IS NULL OR l.key = $5)
             AND ($6::date IS NULL OR l.effective_on <= $6)
           ORDER BY l.effective_on, l.event_id, l.figure, l.key""",
        scope_kind,
        scope_id,
        str(year),
        figure,
        key,
        as_of,
    )
    return [
        FactRef(
            event_id=r["event_id"],
            type=r["type"],
            figure=r["figure"],
            key=r["key"],
            count=r["count"],
            amount=r["amount"],
            effective_on=r["effective_on"],
            effective_label=r["effective_on"].strftime("%d/%m/%Y"),
        )
        for r in rows
    ]


async def unit_detail(
    conn: Conn, unit_id: str, year: int, *, figure: str | None = None, as_of: date | None = None
) -> list[FactRef]:
    return await facts_behind(conn, "unit", unit_id, year, figure=figure, as_of=as_of)


async def statutory_form(
    conn: Conn, form: str, scope_kind: str, scope_id: str, year: int, as_of: date | None = None
) -> Form:
    """Form 0601.N, 0602.N or 0603.N for a province or a ministry and a year."""
    f = await figures(conn, scope_kind, scope_id, "year", str(year), as_of=as_of)
    label = f"{SCOPE_LABELS[scope_kind]} {await _name(conn, scope_kind, scope_id)}"
    builder = {"0601.N": forms.form_0601, "0602.N": forms.form_0602, "0603.N": forms.form_0603}
    return builder[form](f, scope_label=label, year=year)


# --- choices for the dashboard ---------------------------------------------------------------


class Choice(BaseModel):
    id: str
    name: str


async def provinces(conn: Conn) -> list[Choice]:
    rows = await conn.fetch("SELECT province_id, name FROM reporting_provinces ORDER BY name")
    return [Choice(id=r[0], name=r[1]) for r in rows]


async def ministries(conn: Conn) -> list[Choice]:
    rows = await conn.fetch("SELECT ministry_id, name FROM reporting_ministries ORDER BY name")
    return [Choice(id=r[0], name=r[1]) for r in rows]


async def campaign_years(conn: Conn) -> list[int]:
    """Years that have a campaign, newest first (the year choices of the dashboard)."""
    rows = await conn.fetch("SELECT DISTINCT year FROM reporting_campaigns ORDER BY year DESC")
    return [r[0] for r in rows]


async def campaigns_in(conn: Conn, scope_kind: str, scope_id: str, year: int) -> list[Choice]:
    """Campaigns of the year launched by a department of the scope (or the unit's)."""
    if scope_kind == "unit":
        codes = [
            await conn.fetchval(
                "SELECT department_code FROM reporting_units WHERE unit_id = $1", scope_id
            )
        ]
    else:
        codes = [code for code, _ in await _departments_of(conn, scope_kind, scope_id)]
    rows = await conn.fetch(
        """SELECT campaign_id, coalesce(number || ' ', '') || title FROM reporting_campaigns
           WHERE department_code = ANY($1::text[]) AND year = $2 ORDER BY campaign_id""",
        [c for c in codes if c],
        year,
    )
    return [Choice(id=r[0], name=r[1]) for r in rows]


class Lineage(BaseModel):
    """Where a department or a unit sits: its department, province and ministry."""

    department_code: str | None = None
    department_name: str | None = None
    province_id: str | None = None
    province_name: str | None = None
    ministry_id: str | None = None
    ministry_name: str | None = None


async def lineage(conn: Conn, scope_kind: str, scope_id: str) -> Lineage:
    code = scope_id
    if scope_kind == "unit":
        code = await conn.fetchval(
            "SELECT department_code FROM reporting_units WHERE unit_id = $1", scope_id
        )
    if scope_kind not in ("unit", "department") or code is None:
        return Lineage()
    row = await conn.fetchrow(
        """SELECT d.department_code, d.name, d.province_id, p.name, d.ministry_id, m.name
           FROM reporting_departments d
           LEFT JOIN reporting_provinces p USING (province_id)
           LEFT JOIN reporting_ministries m USING (ministry_id)
           WHERE d.department_code = $1""",
        code,
    )
    if row is None:
        return Lineage(department_code=code)
    return Lineage(
        department_code=row[0],
        department_name=row[1],
        province_id=row[2],
        province_name=row[3],
        ministry_id=row[4],
        ministry_name=row[5],
    )
