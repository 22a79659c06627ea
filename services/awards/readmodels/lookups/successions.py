"""Lookups of the restructuring: the departments' mergers and names (issue 16), the units and
campaigns transferred to a successor, each department's province and the provinces' mergers
(issue 17: the board), and whether a fund's owner is known (issue 18).

Apart because they answer who speaks for whom on a day, not what a nominee did; most are asked
with the one key ``ALL``, once per batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.topics import BOARD_SUFFIX
from services.awards.domain.boards import Provinces
from services.awards.domain.successors import Departments, Transfer
from services.awards.readmodels.lookups.params import columns
from thidua.es.db import Conn
from thidua.es.succession import Merger, Successions


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
        *columns(keys, 2),
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
