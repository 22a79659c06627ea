"""Raw figures of a scope for a year: the scope's own, its periods' and its parts', read in one
round trip where it can.

A department's figures come from its ``reporting_counters`` (live) or, as of a date D, from
its ``reporting_dated_counters`` of the months before D's and its ``reporting_day_counters``
from the first of D's month to D; a province's or a ministry's are those
of its departments summed (the same rows give its parts); a unit's, and one campaign's as of
a date, come from their lines.

Figures map (figure, key) to (count, amount). A year's figures are the reporting year's; a
half-year's are those dated in it (whatever their reporting year); a phase's, those of the
campaign in that phase. Zero figures are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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

Row = Sequence[Any]
"""(part: year, period or child; its label; figure; key; count; amount), a tuple or a record."""
Entry = tuple[str, int, int]
"""One key of a figure: (key, count, amount)."""


class Figs(dict[tuple[str, str], tuple[int, int]]):
    """Figures as a query sums them, with their entries listed by figure when first asked
    (``of_figure``): a rollup reads some thirty figures of each sum, and each scan of the
    whole sum (hundreds of keys) cost more than the index."""

    _by_figure: dict[str, list[Entry]] | None = None

    def of_figure(self, figure: str) -> list[Entry]:
        if self._by_figure is None:
            index: dict[str, list[Entry]] = {}
            for (fig, key), (count, amount) in self.items():
                found = index.get(fig)
                if found is None:
                    index[fig] = [(key, count, amount)]
                else:
                    found.append((key, count, amount))
            self._by_figure = index
        return self._by_figure.get(figure, [])


def of_figure(f: Figures, figure: str) -> list[Entry]:
    """The entries of one figure of ``f``: (key, count, amount)."""
    if isinstance(f, Figs):
        return f.of_figure(figure)
    return [(key, c, a) for (fig, key), (c, a) in f.items() if fig == figure]


@dataclass
class ScopeFigures:
    total: Figs = field(default_factory=Figs)
    periods: dict[str, Figs] = field(default_factory=dict)
    """``half:2018-H1``, ``phase:2`` (phases only for one campaign), in that order."""
    children: dict[str, Figs] = field(default_factory=dict)
    departments: dict[str, Figs] = field(default_factory=dict)
    """Each department summed (the scope's, or a province's, a ministry's)."""


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
    departments: Sequence[str] | None = None,
) -> ScopeFigures:
    """The year's figures of a scope, of its half-years (and phases, for one campaign), and of
    each of its ``children`` (departments of a province or a ministry, units of a department).
    ``departments``: the departments summed, if not the scope's own (a report with its
    predecessors); a unit child counts only its lines of those departments (a unit transferred
    to a successor counts in each department for its own time there)."""
    campaign = campaign_id or ALL_CAMPAIGNS
    labels = period_labels(year, campaign_id)
    rows: list[Row] = []
    if departments is None:
        departments = [scope_id] if scope_kind == "department" else list(children)
    departments = list(departments)
    if scope_kind == "unit":
        rows = await _lines(conn, "unit_id", [scope_id], year, campaign, as_of, labels)
    elif as_of is not None and campaign_id:
        rows = await _lines(conn, "department_code", departments, year, campaign, as_of, labels)
    else:
        table = "reporting_counters" if as_of is None else "reporting_dated_counters"
        wanted = [w for d in departments for w in _wanted("department", d, year, labels, d)]
        rows = await _counters(conn, table, wanted, campaign, as_of)
        if as_of is not None:
            rows += await _month_lines(conn, departments, year, labels, as_of)
    if child_kind == "unit" and children:
        rows += await _lines(
            conn, "unit_id", children, year, campaign, as_of, [], "child", within=departments
        )
    return _collect(rows, labels, per_department=scope_kind != "unit", children_are=child_kind)


def _wanted(kind: str, id_: str, year: int, labels: list[str], label: str) -> list[tuple[Any, ...]]:
    """The counters of one scope: its year (labelled ``label``) and its periods."""
    out: list[tuple[Any, ...]] = [(kind, id_, "year", str(year), "year", label)]
    for period in labels:
        period_kind, _, period_id = period.partition(":")
        out.append((kind, id_, period_kind, period_id, "period", period))
    return out


def _collect(
    rows: list[Row], labels: list[str], *, per_department: bool, children_are: str | None
) -> ScopeFigures:
    """The rows summed into the scope's year, its periods, each department and each child (a
    department child's figures are its department's)."""
    total: dict[tuple[str, str], list[int]] = {}
    parts: dict[tuple[str, str], dict[tuple[str, str], list[int]]] = {}
    for part, label, figure, key, count, amount in rows:  # hundreds of rows a rollup
        k = (figure, key)
        if part == "year":
            _add(total, k, count, amount)
            if not per_department:
                continue
            part = "department"
        sums = parts.get((part, label))
        if sums is None:
            sums = parts[(part, label)] = {}
        _add(sums, k, count, amount)
    out = ScopeFigures(total=_kept(total))
    for (part, label), sums in parts.items():
        kept = _kept(sums)
        if part == "child":
            out.children[label] = kept
        elif part == "department":
            out.departments[label] = kept
            if children_are == "department":
                out.children[label] = kept
        elif kept:
            out.periods[label] = kept
    out.periods = {p: out.periods[p] for p in labels if p in out.periods}
    return out


def _add(
    sums: dict[tuple[str, str], list[int]], k: tuple[str, str], count: int, amount: int
) -> None:
    found = sums.get(k)
    if found is None:
        sums[k] = [count, amount]
    else:
        found[0] += count
        found[1] += amount


def _kept(sums: dict[tuple[str, str], list[int]]) -> Figs:
    """The sums that are not zero."""
    return Figs((k, (v[0], v[1])) for k, v in sums.items() if v[0] or v[1])


async def _counters(
    conn: Conn, table: str, wanted: list[tuple[Any, ...]], campaign: str, as_of: date | None
) -> list[Row]:
    """The counters (the dated counters up to ``as_of``) of each part and label, by figure
    and key, not summed: ``_collect`` sums every row anyway, and grouping them here first
    (sort, then numeric sums) took longer than the join (4.0 against 2.2 ms for a ministry's
    906 counters)."""
    if not wanted:  # a scope without departments: nothing to sum
        return []
    # Dated counters hold all campaigns as "*"; counters, each campaign (all = their sum).
    campaigns, until = "$7 = '*' OR c.campaign_id = $7", ""
    if as_of is not None:  # the months before the date's (its own month: _month_lines)
        campaigns, until = "c.campaign_id = $7", "AND c.effective_on < $8"
    rows: list[Any] = await conn.fetch(
        f"""SELECT q.part, q.label, c.figure, c.key, c.count, c.amount
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                 AS q(kind, id, pkind, pid, part, label)
            JOIN {table} c ON c.scope_kind = q.kind AND c.scope_id = q.id
                 AND c.period_kind = q.pkind AND c.period_id = q.pid {until}
            WHERE {campaigns}""",
        *([list(column) for column in zip(*wanted, strict=True)]),
        campaign,
        *([] if as_of is None else [as_of.replace(day=1)]),
    )
    return rows  # records unpack as rows do


SUMS = "u.figure, u.key, sum(u.count)::bigint, sum(u.amount)::bigint"
"""A line item's figure and key, and its counts and amounts summed."""


def _items(columns: str, where: str) -> str:
    """The items of the lines that match ``where`` (``l``), with ``columns`` of their line, as
    a table ``u`` (figure, key, count, amount). The arrays are unnested in the select list
    (one ProjectSet over the lines): ``unnest(a, b, c, d)`` in FROM runs a function scan per
    line, which took twice as long (11 against 5 ms over a month's 1,560 lines)."""
    return f"""(SELECT {columns}, unnest(l.figures) AS figure, unnest(l.keys) AS key,
                       unnest(l.counts) AS count, unnest(l.amounts) AS amount
                FROM reporting_fact_lines l WHERE {where}) u"""


async def _month_lines(
    conn: Conn, departments: Sequence[str], year: int, labels: list[str], as_of: date
) -> list[Row]:
    """The departments' figures dated from the first of the as-of date's month up to it (the
    dated counters hold whole months), from their day counters: of the year, and of that
    month's half-year."""
    half = f"half:{as_of.year}-H{1 if as_of.month <= 6 else 2}"
    rows = await conn.fetch(
        """SELECT c.department_code, c.year = $2 AS of_year, c.figure, c.key,
                  sum(c.count)::bigint, sum(c.amount)::bigint
           FROM reporting_day_counters c
           WHERE c.department_code = ANY($1::text[]) AND c.effective_on BETWEEN $3 AND $4
           GROUP BY 1, 2, 3, 4""",
        list(departments),
        str(year),
        as_of.replace(day=1),
        as_of,
    )
    out: list[Row] = []
    for department, of_year, figure, key, count, amount in rows:
        if of_year:
            out.append(("year", department, figure, key, count, amount))
        if half in labels:
            out.append(("period", half, figure, key, count, amount))
    return out


async def _lines(
    conn: Conn,
    column: str,
    ids: Sequence[str],
    year: int,
    campaign: str,
    as_of: date | None,
    labels: list[str],
    part: str = "year",
    *,
    within: Sequence[str] | None = None,
) -> list[Row]:
    """Sums of the lines of ``ids`` (units or departments; up to ``as_of`` if given; of the
    departments ``within`` only, if given): of the year (as ``part``, labelled by id), of
    each half-year and phase in ``labels``."""
    until = "AND $3::date IS NULL" if as_of is None else "AND l.effective_on <= $3"
    if within is not None:
        until += " AND l.department_code = ANY($7::text[])"
    # One campaign: its lines (through its index), whatever the scope.
    one = "AND $5::text = '*'" if campaign == ALL_CAMPAIGNS else "AND l.campaign_id = $5"
    halves = [p.partition(":")[2] for p in labels if p.startswith("half:")]
    phases = [p.partition(":")[2] for p in labels if p.startswith("phase:")]
    of = f"l.{column} = ANY($1::text[]) {until} {one}"
    parts = [
        f"""SELECT '{part}', u.{column}, {SUMS}
            FROM {_items(f"l.{column}", f"{of} AND l.year = $2")} GROUP BY 1, 2, 3, 4""",
        f"""SELECT 'period', 'half:' || u.half, {SUMS}
            FROM {_items("l.half", f"{of} AND l.half = ANY($4::text[])")} GROUP BY 1, 2, 3, 4""",
        f"""SELECT 'period', 'phase:' || u.phase, {SUMS}
            FROM {_items("l.phase", f"{of} AND l.phase = ANY($6::text[])")} GROUP BY 1, 2, 3, 4""",
    ]
    rows = await conn.fetch(
        " UNION ALL ".join(f"({p})" for p in parts),
        list(ids),
        str(year),
        as_of,
        halves,
        campaign,
        phases,
        *([] if within is None else [list(within)]),
    )
    return [tuple(r) for r in rows]


def figure_sum(f: Figures, figure: str, key: str | None = None) -> int:
    return sum(c for k, c, _ in of_figure(f, figure) if key is None or k == key)


def by_key(f: Figures, figure: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for key, count, _ in of_figure(f, figure):
        if count:
            out[key] += count
    return dict(sorted(out.items()))


def award_counts(f: Figures) -> tuple[dict[str, int], dict[str, int]]:
    """Titles awarded (net of revocations) by title, and those to non-leaders."""
    awarded: dict[str, int] = defaultdict(int)
    for key, count, _ in of_figure(f, "awards"):
        awarded[key.split("|")[0]] += count
    return dict(awarded), by_key(f, "awards.non_leaders")
