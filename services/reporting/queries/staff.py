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


_UNIT_TRANSFERRED = "t.kind = 'unit' AND t.change = 'transferred'"
_DEPARTMENT_OF_UNIT = f"""coalesce((
               SELECT t.into_code FROM reporting_lifecycle t
               WHERE {_UNIT_TRANSFERRED} AND t.code = u.unit_id AND t.effective_on <= $2
               ORDER BY t.effective_on DESC, t.event_id DESC LIMIT 1), u.department_code)"""
"""A unit's department on the date $2: the last transfer's successor by then (issue 16), else
the department it was established in."""


async def staff_by_department(
    conn: Conn, departments: list[str], on: date, *, transfers: bool = True
) -> dict[str, Staff]:
    """Listed staff of each department on a date (the sum of its dated staff changes up to
    it), and its sections and attached units in force; a person belongs to the department of
    their unit on the date, so the staff of a unit transferred to a successor department
    (``UnitTransferred``) count there from the transfer's date (``_moved``; ``transfers``
    False: the caller knows no unit was ever transferred, and the query is saved)."""
    rows = await conn.fetch(
        f"""SELECT d.code AS department_code, coalesce(s.staff, 0) AS staff,
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
               SELECT department_code, count(*) AS units FROM (
                   SELECT {_DEPARTMENT_OF_UNIT} AS department_code FROM reporting_units u
                   WHERE (u.department_code = ANY($1::text[]) OR u.unit_id IN (
                            SELECT t.code FROM reporting_lifecycle t
                            WHERE {_UNIT_TRANSFERRED} AND t.into_code = ANY($1::text[])))
                     AND u.kind IN ('section', 'attached_unit')
                     AND u.established_on <= $2 AND (u.ended_on IS NULL OR u.ended_on > $2)
               ) x GROUP BY department_code) u ON u.department_code = d.code""",
        departments,
        on,
    )
    found = {r["department_code"]: _staff(r, r["units"]) for r in rows}
    for home, now, moved in await _moved(conn, departments, on) if transfers else []:
        for code, sign in ((home, -1), (now, 1)):
            if code in found:
                found[code] = _add(found[code], moved, sign)
    return {code: found[code] for code in departments}


async def _moved(conn: Conn, departments: list[str], on: date) -> list[tuple[str, str, Staff]]:
    """People listed on ``on`` whose unit had by then been transferred away from the department
    they joined in: (that department, the unit's department now, how many, women, leaders).
    Only people of departments that ever gave a unit away are looked at."""
    rows = await conn.fetch(
        f"""SELECT p.department_code AS home, t.into_code AS now, count(*) AS staff,
                  count(*) FILTER (WHERE p.sex = 'female') AS women,
                  count(*) FILTER (WHERE coalesce(l.is_leader, false)) AS leaders
           FROM reporting_people p
           {_LEADER_ON}
           JOIN LATERAL (
               SELECT h.unit_id FROM reporting_person_history h
               WHERE h.person_id = p.person_id AND h.unit_id IS NOT NULL
                 AND h.effective_on <= $2
               ORDER BY h.effective_on DESC, h.seq DESC LIMIT 1) u ON true
           JOIN LATERAL (
               SELECT t.into_code FROM reporting_lifecycle t
               WHERE {_UNIT_TRANSFERRED} AND t.code = u.unit_id AND t.effective_on <= $2
               ORDER BY t.effective_on DESC, t.event_id DESC LIMIT 1) t ON true
           WHERE p.department_code IN (
                   SELECT t.from_code FROM reporting_lifecycle t WHERE {_UNIT_TRANSFERRED})
             AND {_LISTED_ON} AND t.into_code <> p.department_code
             AND (p.department_code = ANY($1::text[]) OR t.into_code = ANY($1::text[]))
           GROUP BY 1, 2""",
        departments,
        on,
    )
    return [(r["home"], r["now"], _staff(r, 0)) for r in rows]


def _add(a: Staff, b: Staff, sign: int) -> Staff:
    return Staff(
        staff=a.staff + sign * b.staff,
        women=a.women + sign * b.women,
        leaders=a.leaders + sign * b.leaders,
        non_leaders=a.non_leaders + sign * b.non_leaders,
        units=a.units,
    )


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
           JOIN reporting_units un ON un.unit_id = $1 AND p.department_code = ANY(
               un.department_code || ARRAY(
                   SELECT t.into_code FROM reporting_lifecycle t
                   WHERE t.kind = 'unit' AND t.change = 'transferred' AND t.code = $1))
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


async def units_of(
    conn: Conn, departments: list[str], year: int, on: date
) -> list[tuple[str, str, str]]:
    """The units of ``departments`` in ``year``: (unit, name, its department), those whose
    department on 01/01 of the year or on the reference date ``on`` is one of them (a unit
    transferred to a successor department during the year is listed in both)."""
    rows = await conn.fetch(
        f"""SELECT u.unit_id, u.name,
                  {_DEPARTMENT_OF_UNIT.replace("$2", "$3")} AS at_start,
                  {_DEPARTMENT_OF_UNIT} AS at_end
           FROM reporting_units u
           WHERE u.department_code = ANY($1::text[]) OR u.unit_id IN (
                 SELECT t.code FROM reporting_lifecycle t
                 WHERE {_UNIT_TRANSFERRED} AND t.into_code = ANY($1::text[]))
           ORDER BY u.unit_id""",
        departments,
        on,
        date(year, 1, 1),
    )
    wanted = set(departments)
    return [
        (r["unit_id"], r["name"], r["at_end"] if r["at_end"] in wanted else r["at_start"])
        for r in rows
        if r["at_end"] in wanted or r["at_start"] in wanted
    ]


def reference_date(year: int, as_of: date | None) -> date:
    end = date(year, 12, 31)
    return min(end, as_of) if as_of else end
