"""Economic targets against results (issue 17) of some departments' plans of a year, read from
``reporting_economy``: the targets in force on the reference date (the launch's, or the last
amendment's made by then), each measured by the latest-ending period reported for it, as last
corrected by then (``as_of``: only what was reported or corrected by that date)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.registration import indicator_key
from services.reporting import economy
from services.reporting.queries.models import EconomicLine, Economy, vn_date
from thidua.es.db import Conn

PLANS = """SELECT coalesce(t.into_code, c.department_code) AS department_code, c.campaign_id,
                  c.emulation_targets, c.period_start, c.period_end
           FROM reporting_campaigns c
           LEFT JOIN LATERAL (
               SELECT t.into_code FROM reporting_lifecycle t
               WHERE t.kind = 'campaign' AND t.change = 'transferred'
                 AND t.code = c.campaign_id AND t.effective_on <= $3
               ORDER BY t.effective_on DESC, t.event_id DESC LIMIT 1) t ON true
           WHERE (c.department_code = ANY($1::text[]) OR c.campaign_id IN (
                    SELECT code FROM reporting_lifecycle WHERE kind = 'campaign'
                      AND change = 'transferred' AND into_code = ANY($1::text[])))
             AND c.year = $2 AND NOT c.cancelled
           ORDER BY c.campaign_id"""
"""The departments' plans of a year; a plan transferred to a successor department
(``CampaignTransferred``) is the successor's from the transfer's date."""


async def year_plans(conn: Conn, departments: list[str], year: int, on: date) -> list[Any]:
    return list(await conn.fetch(PLANS, departments, year, on))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def economic_results(
    conn: Conn,
    departments: list[str],
    year: int,
    on: date,
    *,
    as_of: date | None = None,
    campaign_id: str | None = None,
    plans: list[Any] | None = None,
) -> Economy:
    if plans is None:
        plans = await year_plans(conn, departments, year, on)
    # A plan transferred away by the reference date is its successor's (not listed here).
    chosen = [
        p
        for p in plans
        if p["department_code"] in departments
        and (campaign_id is None or p["campaign_id"] == campaign_id)
    ]
    if not chosen:
        return Economy()
    rows = await conn.fetch(
        """SELECT event_id, kind, campaign_id, effective_on, indicator, period_start,
                  period_end, data
           FROM reporting_economy
           WHERE campaign_id = ANY($1::text[]) AND ($2::date IS NULL OR effective_on <= $2)
           ORDER BY campaign_id, effective_on, kind = 'corrected', event_id""",
        [p["campaign_id"] for p in chosen],
        as_of,
    )
    targets: dict[str, list[dict[str, Any]]] = {}
    # (campaign, indicator, start, end) → the figures in force (the last by date).
    figures: dict[tuple[str, str, date, date], dict[str, Any]] = {}
    for row in rows:
        data = json.loads(row["data"])
        if row["kind"] == "targets":
            if row["effective_on"] <= on or row["campaign_id"] not in targets:
                targets[row["campaign_id"]] = data
        else:
            key = (row["campaign_id"], row["indicator"], row["period_start"], row["period_end"])
            figures[key] = data
    results: dict[tuple[str, str], list[economy.Result]] = defaultdict(list)
    for (campaign, indicator, start, end), data in figures.items():
        results[(campaign, indicator)].append(
            economy.Result(
                start=start,
                end=end,
                value=Decimal(str(data["value"])),
                previous_value=_decimal(data.get("previous_value")),
                growth_percent=_decimal(data.get("growth_percent")),
                note=data.get("note"),
            )
        )
    lines = []
    for plan in chosen:
        for t in targets.get(plan["campaign_id"], []):
            target = economy.Target(
                t["indicator"], t["unit_of_measure"], Decimal(str(t["value"])),
                _decimal(t.get("growth_percent")),
            )  # fmt: skip
            found = results.get((plan["campaign_id"], indicator_key(target.indicator)), [])
            lines.append(
                economy.line(
                    plan["department_code"], plan["campaign_id"], target,
                    economy.latest(found), plan["period_start"], plan["period_end"],
                )
            )  # fmt: skip
    return Economy(
        lines=[_line(item) for item in lines],
        totals=economy.totals(lines),
    )


def _line(item: economy.Line) -> EconomicLine:
    result = item.result
    return EconomicLine(
        department_code=item.department_code,
        campaign_id=item.campaign_id,
        indicator=item.target.indicator,
        unit_of_measure=item.target.unit_of_measure,
        target=item.target.value,
        target_growth_percent=item.target.growth_percent,
        actual=result.value if result else None,
        period_start=result.start if result else None,
        period_end=result.end if result else None,
        period_label=f"{vn_date(result.start)} - {vn_date(result.end)}" if result else None,
        note=result.note if result else None,
        attained_percent=item.attained_percent,
        growth_percent=item.growth_percent,
    )
