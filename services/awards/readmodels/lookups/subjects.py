"""Lookups of what an input names, in the read copy of registration's facts: whose a person or
unit is, a campaign as launched, a subject's open case and a case's subject, a person's name
and sex, an initiative, a research topic.

Apart from ``years.py``: these are asked by the ids an input carries, at reception as well as
at a decision; those are what a decision judges of one nominee's year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.common import CampaignKind, Scope, Sex
from contracts.registration import ConferencePlan
from services.awards.domain.facts import Campaign, Initiative, Research
from thidua.es.db import Conn


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


async def case_subject(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        "SELECT case_id, subject_id FROM rc_cases WHERE case_id = ANY($1::text[])", keys
    )
    return {r["case_id"]: r["subject_id"] for r in rows}


async def person(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    """person id → (full name, sex)."""
    rows = await conn.fetch(
        "SELECT person_id, full_name, sex FROM rc_people WHERE person_id = ANY($1::text[])", keys
    )
    return {r["person_id"]: (r["full_name"], Sex(r["sex"])) for r in rows}


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
