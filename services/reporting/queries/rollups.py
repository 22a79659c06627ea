"""Rollups: every figure of a unit, a department, a province or a ministry for a year, live or
as of a date, with attainment of the year's targets, half-years (or phases) and the parts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from services.reporting.attainment import Basis, attain, percent
from services.reporting.forms import TITLE_LABELS, Figures
from services.reporting.queries.drilldown import scope_name
from services.reporting.queries.figures import award_counts, by_key, figure_sum, scope_figures
from services.reporting.queries.models import (
    SCOPE_LABELS,
    AttainmentRow,
    Child,
    Conferences,
    Dossiers,
    Initiatives,
    Recognized,
    Registrations,
    Research,
    Rollup,
    ScopeRef,
    Staff,
    TitleAwards,
    vn_date,
)
from services.reporting.queries.staff import (
    named_departments,
    reference_date,
    staff_by_department,
    total_staff,
    unit_staff,
)
from thidua.es.db import Conn


async def _attainment(
    conn: Conn,
    departments: list[str],
    year: int,
    figures: Mapping[str, Figures],
    staff: dict[str, Staff],
) -> list[AttainmentRow]:
    """Each department's plans of the year, each target measured on the department's figures
    (titles of the year from every campaign; flags awarded anywhere in the department)."""
    rows = await conn.fetch(
        """SELECT department_code, campaign_id, emulation_targets FROM reporting_campaigns
           WHERE department_code = ANY($1::text[]) AND year = $2 AND NOT cancelled
           ORDER BY campaign_id""",
        departments,
        year,
    )
    plans = defaultdict(list)
    for row in rows:
        plans[row["department_code"]].append(row)
    out: list[AttainmentRow] = []
    for code in departments:
        awarded, non_leaders = award_counts(figures.get(code, {}))
        s = staff[code]
        basis = Basis(s.staff, s.non_leaders, s.units, awarded, non_leaders)
        for row in plans[code]:
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
                        department_code=code,
                        campaign_id=row["campaign_id"],
                        label=TITLE_LABELS.get(a.title, a.title),
                        **a.__dict__,
                    )
                )
    return out


def _summary(f: Figures, staff: Staff) -> dict[str, object]:
    awarded, _ = award_counts(f)
    women = by_key(f, "awards.women")
    non_leaders = by_key(f, "awards.non_leaders")
    revoked = by_key(f, "awards.revoked")
    flagged = by_key(f, "awards.flagged_for_review")
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
            flagged_for_review=flagged.get(title, 0),
        )
        for title, v in sorted(per_title.items())
    ]
    individual_awards = sum(t.individuals for t in titles)
    nominations: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in by_key(f, "nominations").items():
        title, status = key.split("|")
        if count:
            nominations[title][status] = count
    individuals = figure_sum(f, "registrations.individuals")
    registrations_women = figure_sum(f, "registrations.individuals_women")
    return {
        "registrations": Registrations(
            units=figure_sum(f, "registrations.units"),
            units_on_time=figure_sum(f, "registrations.units_on_time"),
            individuals=individuals,
            individuals_on_time=figure_sum(f, "registrations.individuals_on_time"),
            individuals_women=registrations_women,
            share_of_staff_percent=percent(individuals, staff.staff),
            women_percent=percent(registrations_women, individuals),
        ),
        "initiatives": Initiatives(
            submitted=by_key(f, "initiatives.submitted"),
            recognized=[
                Recognized(kind=k.split("|")[0], level=k.split("|")[1], count=c)
                for k, c in by_key(f, "initiatives.recognized").items()
            ],
            rejected=by_key(f, "initiatives.rejected"),
            withdrawn=by_key(f, "initiatives.withdrawn"),
        ),
        "nominations": dict(sorted(nominations.items())),
        "dossiers": Dossiers(
            received=figure_sum(f, "dossiers.received"),
            late=figure_sum(f, "dossiers.late"),
            late_override=figure_sum(f, "dossiers.late_override"),
            returned=figure_sum(f, "dossiers.returned"),
            returned_late=figure_sum(f, "dossiers.returned_late"),
            return_reasons=by_key(f, "dossiers.return_reasons"),
            withdrawn=figure_sum(f, "dossiers.withdrawn"),
        ),
        "awards": titles,
        "cash_vnd": sum(t.cash_vnd for t in titles),
        "women_percent_of_individual_awards": percent(
            sum(women.get(t.title, 0) for t in titles), individual_awards
        ),
        "exemplary_models": figure_sum(f, "exemplary_models"),
        "exemplary_models_withdrawn": figure_sum(f, "exemplary_models.withdrawn"),
        "discipline": by_key(f, "discipline"),
        "discipline_lifted": by_key(f, "discipline.lifted"),
        "ratings": _ratings(by_key(f, "ratings")),
        "research": Research(
            accepted=by_key(f, "research.accepted"), withdrawn=by_key(f, "research.withdrawn")
        ),
        "conferences": Conferences(
            held=by_key(f, "conferences"),
            delegates=sum(a for (fig, _), (_, a) in f.items() if fig == "conferences"),
        ),
        "awards_flagged_for_review": sum(flagged.values()),
        "_awarded": awarded,
    }


def _ratings(counts: Mapping[str, int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for key, n in sorted(counts.items()):
        kind, rating = key.split("|")
        if n:
            out[kind][rating] = n
    return dict(out)


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
    departments: list[tuple[str, str]] = []
    units: list[tuple[str, str]] = []
    by_department: dict[str, Staff] = {}
    name: str | None
    if scope_kind == "unit":
        staff = await unit_staff(conn, scope_id, on)
        name = await scope_name(conn, scope_kind, scope_id)
    else:
        name, departments = await named_departments(conn, scope_kind, scope_id)
        by_department = await staff_by_department(conn, [d for d, _ in departments], on)
        staff = total_staff(by_department.values())
    if scope_kind == "department":
        rows = await conn.fetch(
            "SELECT unit_id, name FROM reporting_units WHERE department_code = $1 ORDER BY unit_id",
            scope_id,
        )
        units = [(r["unit_id"], r["name"]) for r in rows]
    child_kind, parts = {
        "province": ("department", departments),
        "ministry": ("department", departments),
        "department": ("unit", units),
    }.get(scope_kind, (None, []))
    sf = await scope_figures(
        conn,
        scope_kind,
        scope_id,
        year,
        campaign_id=campaign_id,
        as_of=as_of,
        child_kind=child_kind,
        children=[c for c, _ in parts],
    )
    f = sf.total
    summary = _summary(f, staff)
    summary.pop("_awarded")
    codes = [d for d, _ in departments]
    by_code: Mapping[str, Figures] = {scope_id: f} if scope_kind == "department" else sf.children
    attainment = await _attainment(conn, codes, year, by_code, by_department) if codes else []
    children = [_child(child_kind or "", c, name, sf.children.get(c, {})) for c, name in parts]
    periods = {
        label: {f"{fig}|{key}" if key else fig: c for (fig, key), (c, _) in sorted(pf.items())}
        for label, pf in sf.periods.items()
    }
    return Rollup(
        scope=ScopeRef(
            kind=scope_kind,
            id=scope_id,
            name=name or scope_id,
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
        registrations=figure_sum(f, "registrations.units")
        + figure_sum(f, "registrations.individuals"),
        awards=figure_sum(f, "awards"),
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
