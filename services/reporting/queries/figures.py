"""Raw figures of a scope for a year: the scope's own, its periods' and its parts', read in one
round trip: live from ``reporting_counters``, as of a date D from ``reporting_dated_counters``
(the rows up to D).

Figures map (figure, key) to (count, amount). A year's figures are the reporting year's; a
half-year's are those dated in it (whatever their reporting year); a phase's, those of the
campaign in that phase. Zero figures are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from services.reporting.facts import ALL_CAMPAIGNS
from services.reporting.forms import Figures
from thidua.es.db import Conn

SCOPE_COLUMNS = {
    "unit": "unit_id",
    "department": "department_code",
    "province": "province_id",
    "ministry": "ministry_id",
}
PHASES = ("1", "2", "3", "4")

Figs = dict[tuple[str, str], tuple[int, int]]


@dataclass
class ScopeFigures:
    total: Figs = field(default_factory=dict)
    periods: dict[str, Figs] = field(default_factory=dict)
    """``half:2018-H1``, ``phase:2`` (phases only for one campaign), in that order."""
    children: dict[str, Figs] = field(default_factory=dict)


def period_labels(year: int, campaign_id: str | None) -> list[str]:
    halves = [f"half:{year}-H1", f"half:{year}-H2"]
    return halves + ([f"phase:{p}" for p in PHASES] if campaign_id else [])


async def scope_figures(
    conn: Conn,
    scope_kind: str,
    scope_id: str,
    year: int,
    *,
    campaign_id: str | None = None,
    as_of: date | None = None,
    child_kind: str | None = None,
    children: Sequence[str] = (),
) -> ScopeFigures:
    """The year's figures of a scope, of its half-years (and phases, for one campaign), and of
    each of its ``children`` (departments of a province or a ministry, units of a department)."""
    campaign = campaign_id or ALL_CAMPAIGNS
    rows = await _counted(conn, scope_kind, scope_id, year, campaign, as_of, child_kind, children)
    out = ScopeFigures()
    for part, label, figure, key, count, amount in rows:
        if not (count or amount):
            continue
        if part == "year":
            target = out.total
        else:
            target = (out.periods if part == "period" else out.children).setdefault(label, {})
        target[(figure, key)] = (count, amount)
    order = period_labels(year, campaign_id)
    out.periods = {p: out.periods[p] for p in order if p in out.periods}
    return out


async def _counted(
    conn: Conn,
    scope_kind: str,
    scope_id: str,
    year: int,
    campaign: str,
    as_of: date | None,
    child_kind: str | None,
    children: Sequence[str],
) -> list[tuple[str, str, str, str, int, int]]:
    wanted = [(scope_kind, scope_id, "year", str(year), "year", "")]
    for label in period_labels(year, None if campaign == ALL_CAMPAIGNS else campaign):
        kind, _, pid = label.partition(":")
        wanted.append((scope_kind, scope_id, kind, pid, "period", label))
    if child_kind:
        wanted += [(child_kind, c, "year", str(year), "child", c) for c in children]
    table, until = "reporting_counters", ""
    if as_of is not None:
        table, until = "reporting_dated_counters", "AND c.effective_on <= $8"
    rows = await conn.fetch(
        f"""SELECT q.part, q.label, c.figure, c.key, sum(c.count)::bigint, sum(c.amount)::bigint
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                 AS q(kind, id, pkind, pid, part, label)
            JOIN {table} c ON c.scope_kind = q.kind AND c.scope_id = q.id
                 AND c.period_kind = q.pkind AND c.period_id = q.pid {until}
            WHERE $7 = '*' OR c.campaign_id = $7
            GROUP BY 1, 2, 3, 4""",
        *([list(column) for column in zip(*wanted, strict=True)]),
        campaign,
        *([] if as_of is None else [as_of]),
    )
    return [tuple(r) for r in rows]


def figure_sum(f: Figures, figure: str, key: str | None = None) -> int:
    return sum(c for (fig, k), (c, _) in f.items() if fig == figure and (key is None or k == key))


def by_key(f: Figures, figure: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for (fig, key), (count, _) in f.items():
        if fig == figure and count:
            out[key] += count
    return dict(sorted(out.items()))


def award_counts(f: Figures) -> tuple[dict[str, int], dict[str, int]]:
    """Titles awarded (net of revocations) by title, and those to non-leaders."""
    awarded: dict[str, int] = defaultdict(int)
    for (fig, key), (count, _) in f.items():
        if fig == "awards":
            awarded[key.split("|")[0]] += count
    return dict(awarded), by_key(f, "awards.non_leaders")
