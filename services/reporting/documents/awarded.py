"""What a decision awarded, read (read-only) for its draft, its certificates and their public
verification: the decision (DecisionIssued) and the titles it granted (NominationApproved with
its ``decision_id``) from the audit trail, which keeps every fact as it was; the names of the
people, units and departments from the reporting model (read in the same snapshot); whether
each title was revoked since (AwardRevoked); and the legal bases of the rule set the awards
service applied (``services.awards.rules.rulesets``).

A certificate's short code is the first 12 hex digits of the SHA-256 of its nomination id
(``certificate_code``), so the verification page finds a title by its code without a table of
its own: PostgreSQL computes the same digest over the trail's nominations.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.awards import AwardRevoked, DecisionIssued, NominationApproved
from services.awards.rules.base import RuleSet
from services.awards.rules.rulesets import RULE_SETS
from services.reporting import queries
from services.reporting.audit.queries import AUDIT_SUFFIX, audit_schema
from thidua.es.db import Conn, checked_schema

CODE_DIGITS = 12


@dataclass(frozen=True)
class Awardee:
    """One title the decision granted, with who holds it."""

    nomination_id: str
    title: str
    year: int
    nominee_kind: str
    name: str
    unit: str | None
    """The person's unit; a collective's department."""
    cash_vnd: int
    coefficient: Decimal
    base_salary_vnd: int
    revoked_on: date | None = None
    revoked_by: str | None = None
    """The number of the decision that revoked the title."""

    @property
    def code(self) -> str:
        return certificate_code(self.nomination_id)


@dataclass(frozen=True)
class Decision:
    """A decision on awards (quyết định khen thưởng) as the trail holds it."""

    decision_id: str
    department_code: str
    department_name: str
    province_id: str | None
    province_name: str | None
    number: str
    issued_on: date
    issuer_name: str
    issuer_abbreviation: str | None
    signer_name: str | None
    signer_position: str | None
    signer_on_behalf_of: str | None
    authority: str
    rule_set: RuleSet
    awardees: tuple[Awardee, ...]

    @property
    def cash_vnd(self) -> int:
        return sum(a.cash_vnd for a in self.awardees)


def certificate_code(nomination_id: str) -> str:
    """``3F2A-91C0-7B4E``: the certificate's short code (12 hex digits of the SHA-256 of the
    nomination id, in groups of four)."""
    digest = hashlib.sha256(nomination_id.encode()).hexdigest()[:CODE_DIGITS].upper()
    return "-".join(digest[i : i + 4] for i in range(0, CODE_DIGITS, 4))


def normal_code(text: str) -> str | None:
    """A code as typed (any case, with or without dashes or spaces), as 12 hex digits; None if
    it cannot be one."""
    digits = "".join(c for c in text.upper() if c not in "- ")
    if len(digits) != CODE_DIGITS or any(c not in "0123456789ABCDEF" for c in digits):
        return None
    return digits


def rule_set_of(name: str | None, day: date) -> RuleSet:
    """The rule set the awards service named, else the one in force on ``day``."""
    named = next((r for r in RULE_SETS if r.name == name), None)
    return named or next(r for r in RULE_SETS if r.in_force_on(day))


async def trail_schema(conn: Conn, control_schema: str | None) -> str | None:
    """The audit trail's schema beside the model being read; None while it does not exist."""
    if control_schema is not None:
        schema = audit_schema(control_schema)
    else:
        schema = f"{await conn.fetchval('SELECT current_schema()')}{AUDIT_SUFFIX}"
    schema = checked_schema(schema)
    if not await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f'"{schema}".audit_events'):
        return None
    return schema


async def _facts(
    conn: Conn, schema: str, kind: str, ids: list[str], types: list[str]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(subject id, type, data) of the facts of these types about these subjects, in order."""
    rows = await conn.fetch(
        f"""SELECT s.subject_id, e.type, e.data FROM "{schema}".audit_subjects s
            JOIN "{schema}".audit_events e USING (event_id)
            WHERE s.subject_kind = $1 AND s.subject_id = ANY($2::text[]) AND e.kind = 'fact'
              AND e.type = ANY($3::text[])
            ORDER BY e.occurred_at, e.topic, e.kafka_partition, e.kafka_offset""",
        kind,
        ids,
        types,
    )
    return [(r["subject_id"], r["type"], json.loads(r["data"])) for r in rows]


async def decision(conn: Conn, decision_id: str, control_schema: str | None) -> Decision | None:
    """The decision and every title it granted; None if the trail knows no such decision."""
    schema = await trail_schema(conn, control_schema)
    if schema is None:
        return None
    issued: DecisionIssued | None = None
    approved: dict[str, NominationApproved] = {}
    for _, kind, data in await _facts(
        conn,
        schema,
        "decision",
        [decision_id],
        [DecisionIssued.type_name(), NominationApproved.type_name()],
    ):
        if kind == DecisionIssued.type_name():
            issued = DecisionIssued.model_validate(data)
        else:
            approval = NominationApproved.model_validate(data)
            approved[approval.nomination_id] = approval
    if not approved and issued is None:
        return None
    revoked: dict[str, AwardRevoked] = {}
    for nomination, _, data in await _facts(
        conn, schema, "nomination", list(approved), [AwardRevoked.type_name()]
    ):
        revoked.setdefault(nomination, AwardRevoked.model_validate(data))
    first = next(iter(approved.values()), None)
    department = issued.department_code if issued else first.department_code if first else ""
    line = await queries.lineage(conn, "department", department)
    names = await _names(conn, list(approved.values()))
    awardees = tuple(
        Awardee(
            nomination_id=a.nomination_id,
            title=a.title,
            year=a.year,
            nominee_kind=a.nominee_kind,
            name=names[a.nomination_id][0],
            unit=names[a.nomination_id][1],
            cash_vnd=a.cash_vnd,
            coefficient=Decimal(str(a.coefficient)),
            base_salary_vnd=a.base_salary_vnd,
            revoked_on=revoked[a.nomination_id].revoked_on if a.nomination_id in revoked else None,
            revoked_by=(
                revoked[a.nomination_id].decision_number if a.nomination_id in revoked else None
            ),
        )
        for a in approved.values()
    )
    number = issued.number if issued else first.decision_number if first else ""
    issued_on = issued.issued_on if issued else first.decision_date if first else date.min
    signer = issued.signer if issued else None
    department_name = line.department_name or department
    return Decision(
        decision_id=decision_id,
        department_code=department,
        department_name=department_name,
        province_id=line.province_id,
        province_name=line.province_name,
        number=number,
        issued_on=issued_on,
        issuer_name=issued.issuer.name if issued else department_name,
        issuer_abbreviation=(issued.issuer.abbreviation if issued else None)
        or _abbreviation(number),
        signer_name=signer.name if signer else None,
        signer_position=signer.position if signer else None,
        signer_on_behalf_of=signer.on_behalf_of if signer else None,
        authority=str(issued.authority if issued else first.authority if first else ""),
        rule_set=rule_set_of(first.rule_set if first else None, issued_on),
        awardees=tuple(sorted(awardees, key=_order)),
    )


def _order(a: Awardee) -> tuple[int, str, str, str]:
    return (0 if a.nominee_kind == "individual" else 1, a.title, a.unit or "", a.name)


def _abbreviation(number: str) -> str | None:
    """``101/QĐ-SCT`` → ``SCT``."""
    _, _, tail = number.partition("-")
    return tail or None


async def _names(
    conn: Conn, approvals: list[NominationApproved]
) -> dict[str, tuple[str, str | None]]:
    """Each nomination's (name, unit) from the model: a person's name and unit, a unit's
    name and its department's, a department's name and its province's."""
    rows = await conn.fetch(
        """SELECT x.nomination_id,
                  coalesce(p.full_name, u.name, d.name, x.nominee_id) AS name,
                  coalesce(w.name, ud.name, dp.name) AS unit
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                AS x(nomination_id, nominee_kind, nominee_id, unit_id)
           LEFT JOIN reporting_people p
                  ON x.nominee_kind = 'individual' AND p.person_id = x.nominee_id
           LEFT JOIN reporting_units u
                  ON x.nominee_kind <> 'individual' AND u.unit_id = x.nominee_id
           LEFT JOIN reporting_departments d
                  ON x.nominee_kind <> 'individual' AND d.department_code = x.nominee_id
           LEFT JOIN reporting_units w
                  ON x.nominee_kind = 'individual' AND w.unit_id = x.unit_id
           LEFT JOIN reporting_departments ud ON ud.department_code = u.department_code
           LEFT JOIN reporting_provinces dp ON dp.province_id = d.province_id""",
        [a.nomination_id for a in approvals],
        [str(a.nominee_kind) for a in approvals],
        [a.nominee_id for a in approvals],
        [a.unit_id for a in approvals],
    )
    return {r["nomination_id"]: (r["name"], r["unit"]) for r in rows}


async def nomination_of_code(conn: Conn, code: str, control_schema: str | None) -> str | None:
    """The nomination whose certificate carries ``code`` (12 hex digits), if the trail has
    an approval of it."""
    schema = await trail_schema(conn, control_schema)
    if schema is None:
        return None
    found: str | None = await conn.fetchval(
        f"""SELECT DISTINCT s.subject_id FROM "{schema}".audit_subjects s
            JOIN "{schema}".audit_events e USING (event_id)
            WHERE s.subject_kind = 'nomination' AND e.type = $2 AND e.kind = 'fact'
              AND upper(left(encode(sha256(convert_to(s.subject_id, 'UTF8')), 'hex'), $3)) = $1
            LIMIT 1""",
        code,
        NominationApproved.type_name(),
        CODE_DIGITS,
    )
    return found


async def decision_of_nomination(
    conn: Conn, nomination_id: str, control_schema: str | None
) -> str | None:
    """The decision that granted the nomination's title (its latest approval's)."""
    schema = await trail_schema(conn, control_schema)
    if schema is None:
        return None
    approvals = await _facts(
        conn, schema, "nomination", [nomination_id], [NominationApproved.type_name()]
    )
    ids = [data.get("decision_id") for _, _, data in approvals if data.get("decision_id")]
    return str(ids[-1]) if ids else None


async def certificate(
    conn: Conn, code: str, control_schema: str | None
) -> tuple[Decision, Awardee] | None:
    """The decision and the title a certificate's code (12 hex digits) stands for."""
    nomination = await nomination_of_code(conn, code, control_schema)
    if nomination is None:
        return None
    decision_id = await decision_of_nomination(conn, nomination, control_schema)
    found = None if decision_id is None else await decision(conn, decision_id, control_schema)
    if found is None:
        return None
    awardee = next((a for a in found.awardees if a.nomination_id == nomination), None)
    return None if awardee is None else (found, awardee)
