"""What a review report reads (read-only): the campaign from the model
(``reporting_campaigns``), its figures through ``services.reporting.queries`` (the
department's rollup of the campaign, up to the review's date), the titles decided with their
holders' names, and the plan's own text (issuer's abbreviation, signer, "Nơi nhận", economic
targets), which the model does not keep, from the audit trail's CampaignLaunched and
CampaignAmended facts. A trail that has not read the plan yet leaves those parts out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.registration import CampaignAmended, CampaignLaunched, indicator_key
from services.reporting import queries
from services.reporting.documents.awarded import trail_schema
from services.reporting.documents.review_data import (
    AwardLine,
    EconomicLine,
    Kind,
    PhaseInfo,
    Plan,
    Review,
)
from thidua.es.db import Conn

AMENDABLE_TEXT = ("economic_targets", "recipients", "signer")
"""Fields of the plan's text an amendment may replace (the model keeps the others)."""


@dataclass(frozen=True)
class CampaignRow:
    campaign_id: str
    department_code: str
    year: int
    plan: Plan


class NoSuchPhase(LookupError):
    """The plan has no such phase (đợt): a sơ kết of it cannot be made."""


async def campaign(conn: Conn, campaign_id: str, control_schema: str | None) -> CampaignRow | None:
    """The campaign as a report names it; None if the model does not know it."""
    row = await conn.fetchrow(
        """SELECT campaign_id, department_code, number, title, year, period_start, period_end,
                  phases, deadlines
           FROM reporting_campaigns WHERE campaign_id = $1""",
        campaign_id,
    )
    if row is None:
        return None
    line = await queries.lineage(conn, "department", row["department_code"])
    text = await plan_text(conn, campaign_id, control_schema)
    phases = tuple(
        PhaseInfo(
            int(p["number"]),
            p.get("name"),
            date.fromisoformat(p["start"]),
            date.fromisoformat(p["end"]),
        )
        for p in json.loads(row["phases"])
    )
    deadlines = {k: date.fromisoformat(v) for k, v in json.loads(row["deadlines"]).items() if v}
    signer = text.signer if text else None
    plan = Plan(
        campaign_id=campaign_id,
        title=row["title"],
        year=row["year"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        department_name=line.department_name or row["department_code"],
        province_name=line.province_name,
        number=row["number"],
        document_kind=text.document_kind.value if text else "KH",
        issued_on=text.issued_on if text else None,
        abbreviation=text.issuer.abbreviation if text else None,
        theme=text.theme if text else None,
        slogan=text.slogan if text else None,
        phases=tuple(sorted(phases, key=lambda p: p.number)),
        deadlines=deadlines,
        economic_targets=tuple(
            EconomicLine(
                t.indicator,
                t.unit_of_measure,
                Decimal(str(t.value)),
                None if t.growth_percent is None else Decimal(str(t.growth_percent)),
                t.note,
            )
            for t in (text.economic_targets if text else [])
        ),
        recipients=tuple(text.recipients) if text else (),
        signer_name=signer.name if signer else None,
        signer_position=signer.position if signer else None,
        signer_on_behalf_of=signer.on_behalf_of if signer else None,
    )
    return CampaignRow(campaign_id, row["department_code"], row["year"], plan)


async def plan_text(
    conn: Conn, campaign_id: str, control_schema: str | None
) -> CampaignLaunched | None:
    """The plan as launched, with its amendments' text fields, from the audit trail beside
    the model (read in the same snapshot); None while the trail has not read it."""
    schema = await trail_schema(conn, control_schema)
    if schema is None:
        return None
    rows = await conn.fetch(
        f"""SELECT e.type, e.data FROM "{schema}".audit_subjects s
            JOIN "{schema}".audit_events e USING (event_id)
            WHERE s.subject_kind = 'campaign' AND s.subject_id = $1 AND e.kind = 'fact'
              AND e.type = ANY($2::text[])
            ORDER BY e.occurred_at, e.topic, e.kafka_partition, e.kafka_offset""",
        campaign_id,
        [CampaignLaunched.type_name(), CampaignAmended.type_name()],
    )
    launched: dict[str, Any] | None = None
    for row in rows:
        data = json.loads(row["data"])
        if row["type"] == CampaignLaunched.type_name():
            launched = launched or data
        elif launched is not None:
            launched.update({k: data[k] for k in AMENDABLE_TEXT if data.get(k) is not None})
    return CampaignLaunched.model_validate(launched) if launched else None


async def awards(conn: Conn, campaign_id: str, until: date | None) -> tuple[AwardLine, ...]:
    """The titles decided for the campaign and still in force (up to ``until``), with the
    names of who holds them, by title, decision date and name."""
    rows = await conn.fetch(
        """SELECT n.title, n.nominee_kind,
                  coalesce(p.full_name, u.name, d.name, n.nominee_id) AS name,
                  w.name AS unit, f.attrs->>'decision_number' AS decision_number,
                  f.effective_on
           FROM reporting_nominations n
           JOIN reporting_facts f ON f.event_id = n.award_event_id
           LEFT JOIN reporting_people p
                  ON n.nominee_kind = 'individual' AND p.person_id = n.nominee_id
           LEFT JOIN reporting_units u
                  ON n.nominee_kind <> 'individual' AND u.unit_id = n.nominee_id
           LEFT JOIN reporting_departments d ON d.department_code = n.nominee_id
           LEFT JOIN reporting_units w ON w.unit_id = n.unit_id AND n.nominee_kind = 'individual'
           WHERE n.campaign_id = $1 AND n.status = 'approved'
             AND ($2::date IS NULL OR f.effective_on <= $2)
           ORDER BY n.title, f.effective_on, 3""",
        campaign_id,
        until,
    )
    return tuple(
        AwardLine(r["title"], r["nominee_kind"], r["name"], r["unit"], r["decision_number"], r[5])
        for r in rows
    )


def with_actuals(plan: Plan, lines: Sequence[queries.EconomicLine]) -> Plan:
    """The plan's economic targets with what the department reported for them (issue 17): the
    rollup's line of the same indicator in the same unit."""
    found = {
        (indicator_key(e.indicator), indicator_key(e.unit_of_measure)): e
        for e in lines
        if e.campaign_id == plan.campaign_id
    }
    targets = []
    for t in plan.economic_targets:
        e = found.get((indicator_key(t.indicator), indicator_key(t.unit_of_measure)))
        if e is not None:
            t = replace(t, actual=e.actual, actual_growth_percent=e.growth_percent)
        targets.append(t)
    return replace(plan, economic_targets=tuple(targets))


async def review(
    conn: Conn,
    found: CampaignRow,
    kind: Kind,
    phase: int | None,
    today: date,
) -> Review:
    """The review of ``found``: a sơ kết of ``phase`` is cut at the phase's end (or today, if
    the phase has not ended) and dated so; a tổng kết counts every fact of the campaign and is
    dated on the plan's review date (else the period's end), or today if that is still ahead."""
    plan = found.plan
    cut_off: date | None = None
    if kind == "so-ket":
        chosen = next((p for p in plan.phases if p.number == phase), None)
        if chosen is None:
            raise NoSuchPhase(phase)
        cut_off = min(chosen.end, today)
        issued = cut_off
    else:
        issued = min(plan.deadlines.get("review") or plan.period_end, today)
    rollup = await queries.department_rollup(
        conn, found.department_code, found.year, as_of=cut_off, campaign_id=found.campaign_id
    )
    return Review(
        kind=kind,
        plan=with_actuals(plan, rollup.economy.lines),
        issued_on=issued,
        cut_off=cut_off,
        rollup=rollup,
        awards=await awards(conn, found.campaign_id, cut_off),
        phase=phase if kind == "so-ket" else None,
        figures_on=today,
    )
