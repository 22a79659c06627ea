"""Denominators read from the dimensions on the reference date: listed staff, women, leaders
(by their dated flag), and sections and attached units in force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from services.reporting.queries.models import Staff
from thidua.es.db import Conn


async def departments_of(conn: Conn, scope_kind: str, scope_id: str) -> list[tuple[str, str]]:
    return (await named_departments(conn, scope_kind, scope_id))[1]


async def named_departments(
    conn: Conn, scope_kind: str, scope_id: str
) -> tuple[str | None, list[tuple[str, str]]]:
    """The name of a province, a ministry or a department, and its departments (one round
    trip)."""
    table, key, column = {
        "province": ("reporting_provinces", "province_id", "province_id"),
        "ministry": ("reporting_ministries", "ministry_id", "ministry_id"),
        "department": ("reporting_departments", "department_code", "department_code"),
    }[scope_kind]
    rows = await conn.fetch(
        f"""SELECT s.name AS scope_name, d.department_code, d.name
            FROM (SELECT $1::text AS id) k
            LEFT JOIN {table} s ON s.{key} = k.id
            LEFT JOIN reporting_departments d ON d.{column} = k.id
            ORDER BY d.department_code""",
        scope_id,
    )
    name = rows[0]["scope_name"] if rows else None
    return name, [(r["department_code"], r["name"]) for r in rows if r["department_code"]]


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
    """Listed staff of each department on a date (the sum of its dated staff changes up to
    it), and its sections and attached units in force."""
    rows = await conn.fetch(
        """SELECT d.code AS department_code, coalesce(s.staff, 0) AS staff,
                  coalesce(s.women, 0) AS women, coalesce(s.leaders, 0) AS leaders,
                  coalesce(u.units, 0) AS units
           FROM unnest($1::text[]) AS d(code)
           LEFT JOIN (
               SELECT department_code, sum(staff) AS staff, sum(women) AS women,
                      sum(leaders) AS leaders
               FROM reporting_staff_changes
               WHERE department_code = ANY($1::text[]) AND effective_on <= $2
               GROUP BY department_code) s ON s.department_code = d.code
           LEFT JOIN (
               SELECT department_code, count(*) AS units FROM reporting_units
               WHERE department_code = ANY($1::text[]) AND kind IN ('section', 'attached_unit')
                 AND established_on <= $2 AND (ended_on IS NULL OR ended_on > $2)
               GROUP BY department_code) u ON u.department_code = d.code""",
        departments,
        on,
    )
    found = {r["department_code"]: _staff(r, r["units"]) for r in rows}
    return {code: found[code] for code in departments}


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
