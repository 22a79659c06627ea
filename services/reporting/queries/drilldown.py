"""The events behind a figure, the statutory forms, names and the dashboard's choices."""

from __future__ import annotations

from datetime import date

from services.reporting import forms
from services.reporting.forms import Form
from services.reporting.queries.figures import SCOPE_COLUMNS, scope_figures
from services.reporting.queries.models import SCOPE_LABELS, Choice, FactRef, Lineage
from services.reporting.queries.staff import departments_of
from services.reporting.queries.succession import formers, lifecycle_rows
from thidua.auth import Place
from thidua.auth.principal import department_place
from thidua.es.db import Conn

SCOPE_TABLES = {
    "unit": ("reporting_units", "unit_id"),
    "department": ("reporting_departments", "department_code"),
    "province": ("reporting_provinces", "province_id"),
    "ministry": ("reporting_ministries", "ministry_id"),
}
"""The dimension table of each kind of scope, and its key."""


async def scope_exists(conn: Conn, scope_kind: str, scope_id: str) -> bool:
    table, column = SCOPE_TABLES[scope_kind]
    return bool(await conn.fetchval(f"SELECT 1 FROM {table} WHERE {column} = $1", scope_id))


async def scope_place(conn: Conn, scope_kind: str, scope_id: str) -> Place | None:
    """Where a scope sits (its department, province, ministry); None if it is not in the
    model. What the roles' scopes are checked against."""
    if scope_kind in ("unit", "department"):
        key = "u.unit_id" if scope_kind == "unit" else "d.department_code"
        row = await conn.fetchrow(
            f"""SELECT d.department_code, d.province_id, d.ministry_id
                FROM reporting_departments d LEFT JOIN reporting_units u USING (department_code)
                WHERE {key} = $1 LIMIT 1""",
            scope_id,
        )
        if row is None:
            return None
        return department_place(scope_kind, scope_id, row)
    if not await scope_exists(conn, scope_kind, scope_id):
        return None
    return Place(scope_kind, scope_id, **{scope_kind: scope_id})


async def scope_name(conn: Conn, scope_kind: str, scope_id: str) -> str:
    table, column = SCOPE_TABLES[scope_kind]
    name = await conn.fetchval(f"SELECT name FROM {table} WHERE {column} = $1", scope_id)
    return str(name) if name else scope_id


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
        f"""SELECT l.event_id, f.type, u.figure, u.key, u.count, u.amount, l.effective_on
            FROM reporting_fact_lines l JOIN reporting_facts f USING (event_id),
                 unnest(l.figures, l.keys, l.counts, l.amounts) AS u(figure, key, count, amount)
            WHERE l.{SCOPE_COLUMNS[scope_kind]} = $1 AND l.year = $2
              AND ($3::text IS NULL OR u.figure = $3) AND ($4::text IS NULL OR u.key = $4)
              AND ($5::date IS NULL OR l.effective_on <= $5)
            ORDER BY l.effective_on, l.event_id, u.figure, u.key""",
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
    conn: Conn,
    form: str,
    scope_kind: str,
    scope_id: str,
    year: int,
    as_of: date | None = None,
    with_predecessors: bool = False,
) -> Form:
    """Form 0601.N, 0602.N or 0603.N for a province or a ministry and a year; with its
    predecessors, their departments' figures too (named in the form's scope label)."""
    departments = [code for code, _ in await departments_of(conn, scope_kind, scope_id)]
    former = (
        await formers(conn, await lifecycle_rows(conn), scope_kind, scope_id)
        if with_predecessors
        else []
    )
    for older in former:
        departments += [code for code, _ in await departments_of(conn, scope_kind, older.id)]
    figures = await scope_figures(
        conn, scope_kind, scope_id, year, as_of=as_of, child_kind="department", children=departments
    )
    f = figures.total
    label = f"{SCOPE_LABELS[scope_kind]} {await scope_name(conn, scope_kind, scope_id)}"
    if former:
        label += f" ({'; '.join(x.label for x in former)})"
    builder = {"0601.N": forms.form_0601, "0602.N": forms.form_0602, "0603.N": forms.form_0603}
    return builder[form](f, scope_label=label, year=year)


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
        codes = [code for code, _ in await departments_of(conn, scope_kind, scope_id)]
    rows = await conn.fetch(
        """SELECT campaign_id, coalesce(number || ' ', '') || title FROM reporting_campaigns
           WHERE department_code = ANY($1::text[]) AND year = $2 ORDER BY campaign_id""",
        [c for c in codes if c],
        year,
    )
    return [Choice(id=r[0], name=r[1]) for r in rows]


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
