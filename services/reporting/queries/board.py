"""The provincial board's figures of a rollup (issue 17, DOMAIN §6 "Reports the boards need"):
processing days per dossier, vote results, and the share of direct workers among individual
awards, from the counters (``facts.figures_of``): a province's are its departments' summed,
like every other figure."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from services.reporting.attainment import percent
from services.reporting.forms import TITLE_LABELS, Figures
from services.reporting.queries.figures import by_key, of_figure
from services.reporting.queries.models import (
    BlocRank,
    BlocStanding,
    ProcessingDays,
    VoteResults,
    vn_date,
)
from thidua.es.db import Conn


def _one_decimal(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def processing_days(f: Figures) -> list[ProcessingDays]:
    """``dossiers.processing_days`` is keyed ``title|days`` (amount: the days), so the counts
    sum across departments and dates and the longest is the largest key still counted."""
    dossiers: dict[str, int] = defaultdict(int)
    days: dict[str, int] = defaultdict(int)
    longest: dict[str, int] = {}
    for key, count, amount in of_figure(f, "dossiers.processing_days"):
        if not count:
            continue
        title, _, spent = key.partition("|")
        dossiers[title] += count
        days[title] += amount
        longest[title] = max(longest.get(title, 0), int(spent))
    return [
        ProcessingDays(
            title=title,
            label=TITLE_LABELS.get(title, title),
            dossiers=n,
            average_days=_one_decimal(days[title], n),
            max_days=longest.get(title),
        )
        for title, n in sorted(dossiers.items())
    ]


def votes(f: Figures) -> list[VoteResults]:
    """``votes`` is keyed ``title|reached`` or ``title|below`` (amount: yes share, per mille)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, count, amount in of_figure(f, "votes"):
        if not count:
            continue
        title, _, outcome = key.partition("|")
        counts[title][outcome] += count
        counts[title]["permille"] += amount
    return [
        VoteResults(
            title=title,
            label=TITLE_LABELS.get(title, title),
            voted=c["reached"] + c["below"],
            reached=c["reached"],
            below=c["below"],
            average_yes_percent=_one_decimal(c["permille"], (c["reached"] + c["below"]) * 10),
        )
        for title, c in sorted(counts.items())
    ]


def summary(f: Figures, individual_awards: int) -> dict[str, object]:
    direct = sum(by_key(f, "awards.direct_workers").values())
    return {
        "direct_worker_awards": direct,
        "direct_workers_percent_of_individual_awards": percent(direct, individual_awards),
        "processing_days": processing_days(f),
        "votes": votes(f),
    }


_BLOCS = """
SELECT r.bloc_id, coalesce(b.name, r.bloc_id) AS name, r.ranked_on, r.ranking, r.leader_id,
       EXISTS (SELECT 1 FROM reporting_nominations n
               WHERE n.title = 'CO_THI_DUA' AND n.status = 'approved' AND n.year = r.year
                 AND n.nominee_id = r.leader_id) AS flag_awarded
FROM reporting_bloc_rankings r LEFT JOIN reporting_blocs b USING (bloc_id)
WHERE r.year = $2 AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(r.ranking) m
    LEFT JOIN reporting_units u ON u.unit_id = m ->> 'member_id'
    JOIN reporting_departments d ON d.department_code = CASE
        WHEN m ->> 'member_kind' = 'unit' THEN u.department_code ELSE m ->> 'member_id' END
    WHERE d.province_id = $1)
ORDER BY name, r.bloc_id"""


async def bloc_standings(conn: Conn, province_id: str, year: int) -> list[BlocStanding]:
    """The blocs with a member in ``province_id`` ranked for ``year``, each with its leader
    and whether the leader was awarded the flag (Cờ thi đua) of that year."""
    rows = await conn.fetch(_BLOCS, province_id, year)
    names = await _member_names(conn, [r["ranking"] for r in rows])
    out = []
    for r in rows:
        ranking = [
            BlocRank(
                rank=m["rank"],
                member_kind=m["member_kind"],
                member_id=m["member_id"],
                name=names.get(m["member_id"], m["member_id"]),
                score=Decimal(str(m["score"])) if m.get("score") is not None else None,
            )
            for m in json.loads(r["ranking"])
        ]
        out.append(
            BlocStanding(
                bloc_id=r["bloc_id"],
                name=r["name"],
                ranked_on=r["ranked_on"],
                ranked_on_label=vn_date(r["ranked_on"]) or "",
                leader_id=r["leader_id"],
                leader_name=names.get(r["leader_id"], r["leader_id"]),
                flag_awarded=r["flag_awarded"],
                ranking=ranking,
            )
        )
    return out


async def _member_names(conn: Conn, rankings: list[str]) -> dict[str, str]:
    ids = sorted({m["member_id"] for text in rankings for m in json.loads(text)})
    if not ids:
        return {}
    rows = await conn.fetch(
        """SELECT department_code AS id, name FROM reporting_departments
           WHERE department_code = ANY($1::text[])
           UNION ALL
           SELECT unit_id, name FROM reporting_units WHERE unit_id = ANY($1::text[])""",
        ids,
    )
    return {r["id"]: r["name"] for r in rows}
