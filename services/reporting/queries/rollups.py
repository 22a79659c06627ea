"""Rollups: every figure of a unit, a department, a province or a ministry for a year, live or
as of a date, with attainment of the year's targets, half-years (or phases) and the parts.

What the figures say, section by section, is ``summary.py``'s (pure); here the scope, its
departments, staff and plans are read and the answer assembled."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.reporting import lifecycle
from services.reporting.forms import Figures
from services.reporting.lifecycle import Lifecycle
from services.reporting.queries import board, succession
from services.reporting.queries.drilldown import scope_name
from services.reporting.queries.economy import economic_results, year_plans
from services.reporting.queries.figures import (
    ScopeFigures,
    figure_sum,
    of_figure,
    scope_figures,
)
from services.reporting.queries.models import (
    SCOPE_LABELS,
    Child,
    Economy,
    Former,
    MergedInto,
    Part,
    Rollup,
    ScopeRef,
    Staff,
    vn_date,
)
from services.reporting.queries.staff import (
    named_departments,
    reference_date,
    staff_by_department,
    total_staff,
    unit_staff,
    units_of,
)
from services.reporting.queries.succession import lifecycle_rows
from services.reporting.queries.summary import attainment_rows, figures_summary
from thidua.es.db import Conn


async def rollup(
    conn: Conn,
    scope_kind: str,
    scope_id: str,
    year: int,
    *,
    as_of: date | None = None,
    campaign_id: str | None = None,
    with_predecessors: bool = False,
) -> Rollup:
    """Every figure of one scope (unit, department, province, ministry) for a year: the
    organisation as it was that year (its own departments, units and name on the reference
    date); ``with_predecessors``, plus every organisation merged into it (issue 16), each
    part labelled, so the whole is the sum of its parts."""
    on = reference_date(year, as_of)
    departments: list[tuple[str, str]] = []
    units: list[tuple[str, str]] = []
    by_department: dict[str, Staff] = {}
    origins: dict[str, Former] = {}
    """Department (or unit) → the former organisation it came from."""
    formers: list[Former] = []
    successor: MergedInto | None = None
    changes: list[Lifecycle] = []
    name: str | None
    if scope_kind == "unit":
        staff = await unit_staff(conn, scope_id, on)
        name = await scope_name(conn, scope_kind, scope_id)
    else:
        changes = await lifecycle_rows(conn, (*lifecycle.ORG_KINDS, "unit"))
        name, departments = await named_departments(conn, scope_kind, scope_id)
        if name is not None:
            name = lifecycle.name_on(changes, scope_kind, scope_id, name, on)
        formers = await succession.formers(conn, changes, scope_kind, scope_id)
        successor = await succession.merged_into(conn, changes, scope_kind, scope_id)
        for former in formers if with_predecessors else []:
            if scope_kind == "department":
                part = [(former.id, former.name)]
            else:
                part = (await named_departments(conn, scope_kind, former.id))[1]
            departments += part
            origins.update({code: former for code, _ in part})
        named = lifecycle.names(dict(departments), "department", changes, on)
        departments = [(code, named[code]) for code, _ in departments]
        by_department = await staff_by_department(
            conn, [d for d, _ in departments], on, transfers=any(r.kind == "unit" for r in changes)
        )
        staff = total_staff(by_department.values())
    codes = [d for d, _ in departments]
    if scope_kind == "department":
        found = await units_of(conn, codes, year, on)
        units = [(u, unit_name) for u, unit_name, _ in found]
        if with_predecessors:
            origins.update({u: origins[d] for u, _, d in found if d in origins})
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
        departments=codes if scope_kind != "unit" else None,
    )
    f = sf.total
    summary = figures_summary(f, staff)
    summary.pop("_awarded")
    plans = await year_plans(conn, codes, year, on) if codes else []
    attainment = attainment_rows(plans, codes, sf.departments, by_department)
    results = (
        await economic_results(
            conn, codes, year, on, as_of=as_of, campaign_id=campaign_id, plans=plans
        )
        if codes
        else Economy()
    )
    gone = _ended_before(changes, year) if child_kind == "department" else set()
    children = [
        _child(child_kind or "", c, child_name, sf.children.get(c, {}), origins.get(c))
        for c, child_name in parts
        if c not in gone or sf.children.get(c)
    ]
    periods = {
        label: {f"{fig}|{key}" if key else fig: c for (fig, key), (c, _) in sorted(pf.items())}
        for label, pf in sf.periods.items()
    }
    scope = ScopeRef(
        kind=scope_kind, id=scope_id, name=name or scope_id, label=SCOPE_LABELS[scope_kind]
    )
    return Rollup(
        scope=scope,
        year=year,
        campaign_id=campaign_id,
        as_of=as_of,
        as_of_label=vn_date(as_of),
        reference_date=on,
        staff=staff,
        attainment=attainment,
        economy=results,
        periods=periods,
        children=children,
        with_predecessors=with_predecessors and scope_kind != "unit",
        predecessors=formers,
        parts=_parts(scope, formers, departments, origins, sf, by_department)
        if with_predecessors and formers
        else [],
        merged_into=successor,
        blocs=await board.bloc_standings(conn, scope_id, year) if scope_kind == "province" else [],
        **summary,
    )


def _ended_before(changes: list[Lifecycle], year: int) -> set[str]:
    """The departments merged away or dissolved by 01/01 of ``year``: not that year's
    organisations, so not listed as parts of its report (unless they have figures in it)."""
    start = date(year, 1, 1)
    return {
        r.code
        for r in changes
        if r.kind == "department"
        and r.change in ("merged", "dissolved")
        and r.effective_on <= start
    }


def _parts(
    scope: ScopeRef,
    formers: list[Former],
    departments: list[tuple[str, str]],
    origins: Mapping[str, Former],
    sf: ScopeFigures,
    staff: Mapping[str, Staff],
) -> list[Part]:
    """The scope's own share and each former organisation's: their departments summed."""
    out = {
        key: Part(
            id=key, name=name, origin_label=label, registrations=0, awards=0, cash_vnd=0, staff=0
        )
        for key, name, label in [
            (scope.id, scope.name, None),
            *((f.id, f.name, f.label) for f in formers),
        ]
    }
    for code, _ in departments:
        former = origins.get(code)
        part = out[former.id if former else scope.id]
        child = _child("department", code, "", sf.departments.get(code, {}))
        part.registrations += child.registrations
        part.awards += child.awards
        part.cash_vnd += child.cash_vnd
        part.staff += staff[code].staff
    return list(out.values())


def _child(kind: str, id_: str, name: str, f: Figures, origin: Former | None = None) -> Child:
    return Child(
        kind=kind,
        id=id_,
        name=name,
        registrations=figure_sum(f, "registrations.units")
        + figure_sum(f, "registrations.individuals"),
        awards=figure_sum(f, "awards"),
        cash_vnd=sum(a for _, _, a in of_figure(f, "awards")),
        origin=origin.id if origin else None,
        origin_label=origin.label if origin else None,
    )


async def province_rollup(
    conn: Conn,
    province_id: str,
    year: int,
    as_of: date | None = None,
    campaign_id: str | None = None,
    with_predecessors: bool = False,
) -> Rollup:
    """All departments of a province (the territorial axis)."""
    return await rollup(
        conn, "province", province_id, year, as_of=as_of, campaign_id=campaign_id,
        with_predecessors=with_predecessors,
    )  # fmt: skip


async def ministry_rollup(
    conn: Conn,
    ministry_id: str,
    year: int,
    as_of: date | None = None,
    campaign_id: str | None = None,
    with_predecessors: bool = False,
) -> Rollup:
    """The ministry's sector across provinces (every department whose ministry it is)."""
    return await rollup(
        conn, "ministry", ministry_id, year, as_of=as_of, campaign_id=campaign_id,
        with_predecessors=with_predecessors,
    )  # fmt: skip


async def department_rollup(
    conn: Conn,
    department_code: str,
    year: int,
    as_of: date | None = None,
    campaign_id: str | None = None,
    with_predecessors: bool = False,
) -> Rollup:
    return await rollup(
        conn, "department", department_code, year, as_of=as_of, campaign_id=campaign_id,
        with_predecessors=with_predecessors,
    )  # fmt: skip
