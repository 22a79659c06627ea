"""A fact's lines and the counter deltas they make (pure, no I/O).

A fact's lines are one row of ``reporting_fact_lines``: its placement, its scopes and its
figures (parallel arrays). The counter deltas of many facts are summed per placement, scopes,
figure and key (``Deltas``) before they are written, so a batch or a replay writes each
counter once; the database spreads each sum over the scopes it names.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from services.reporting.facts import (
    CampaignDim,
    Dims,
    Fact,
    PersonDim,
    PhaseDim,
    Placement,
    figures_of,
    placement_of,
)
from services.reporting.readmodels.state import Campaign, ModelState, PersonChange


class LinesRow(NamedTuple):
    """A row of ``reporting_fact_lines``."""

    event_id: str
    year: str
    half: str
    campaign_id: str
    phase: str
    effective_on: date
    unit_id: str | None
    department_code: str | None
    province_id: str | None
    ministry_id: str | None
    figures: tuple[str, ...]
    keys: tuple[str, ...]
    counts: tuple[int, ...]
    amounts: tuple[int, ...]


DeltaKey = tuple[str, str, str, str, str, date, str, str]
"""(department, year, campaign, half, phase, month, figure, key)."""


class Deltas:
    """Counter deltas summed over many facts (count, amount per ``DeltaKey``).

    Counters are kept per department (a province's or a ministry's are its departments'
    summed) and the dated ones per month, so the deltas are summed at that grain here: a
    batch of a department's records sends a few dozen sums instead of one per fact and
    figure. A line without a department counts in no counter (a unit's figures, and one
    campaign's as of a date, are read from the lines). The day counters are summed apart, per
    department, day and reporting year (``day_rows``)."""

    def __init__(self) -> None:
        self.sums: defaultdict[tuple[Any, ...], defaultdict[tuple[str, str], list[int]]] = (
            defaultdict(lambda: defaultdict(lambda: [0, 0]))
        )
        """Placement (department, year, campaign, half, phase, month) → (figure, key) → sums:
        a batch's facts share a few placements, so most lines add to dictionaries keyed by
        two strings."""
        self.days: defaultdict[tuple[Any, ...], defaultdict[tuple[str, str], list[int]]] = (
            defaultdict(lambda: defaultdict(lambda: [0, 0]))
        )
        """(department, day, year) → (figure, key) → sums."""
        self._months: dict[date, date] = {}

    def add_all(self, rows: Iterable[LinesRow], sign: int = 1) -> None:
        """Every line of a model passes here (a replay's 44,300 in 0.11 s where one call per
        line, each month made anew, took 0.16 s)."""
        sums, days, months = self.sums, self.days, self._months
        for row in rows:
            department = row[7]  # department_code
            if department is None:
                continue
            on, year = row[5], row[1]  # effective_on, year
            month = months.get(on)
            if month is None:
                month = months[on] = on.replace(day=1)
            placed = sums[(department, year, row[3], row[2], row[4], month)]
            day = days[(department, on, year)]
            counts, amounts = row[12], row[13]
            if sign != 1:  # a replay and most batches only add
                counts = tuple(sign * c for c in counts)
                amounts = tuple(sign * a for a in amounts)
            # Each (figure, key) is made once, by zip.
            for figure_key, count, amount in zip(
                zip(row[10], row[11], strict=True), counts, amounts, strict=True
            ):
                total = placed[figure_key]
                total[0] += count
                total[1] += amount
                total = day[figure_key]
                total[0] += count
                total[1] += amount

    def rows(self) -> list[tuple[Any, ...]]:
        """The non-zero sums, as ``DeltaKey`` + (count, amount) (the database sorts what it
        writes, so that concurrent writers lock counters in one order)."""
        return _rows(self.sums)

    def day_rows(self) -> list[tuple[Any, ...]]:
        """The non-zero day sums: (department, day, year, figure, key, count, amount)."""
        return _rows(self.days)


def _rows(
    sums: dict[tuple[Any, ...], defaultdict[tuple[str, str], list[int]]],
) -> list[tuple[Any, ...]]:
    return [
        (*placement, figure, key, v[0], v[1])
        for placement, by_key in sums.items()
        for (figure, key), v in by_key.items()
        if v[0] or v[1]
    ]


def campaign_dim(row: Campaign) -> CampaignDim:
    deadlines = json.loads(row.deadlines)
    return CampaignDim(
        row.campaign_id,
        row.year,
        tuple(
            PhaseDim(ph["number"], date.fromisoformat(ph["start"]), date.fromisoformat(ph["end"]))
            for ph in json.loads(row.phases)
        ),
        date.fromisoformat(deadlines["registration"]) if deadlines.get("registration") else None,
        date.fromisoformat(deadlines["dossier"]) if deadlines.get("dossier") else None,
        row.period_end,
    )


def leader_on(history: Sequence[PersonChange], on: date) -> bool:
    """The person's leader flag on ``on``."""
    return flag_on(history, on, "is_leader")


def flag_on(history: Sequence[PersonChange], on: date, flag: str) -> bool:
    """The person's ``flag`` (leader, direct worker) on ``on``: the latest change on or before
    it (the last to arrive among changes of one date), else the earliest change after it."""
    return flags_on(history, on)[_FLAGS.index(flag)]


_FLAGS = ("is_leader", "is_direct_worker")
_FLAG_FIELDS = tuple(PersonChange._fields.index(f) for f in _FLAGS)


def flags_on(history: Sequence[PersonChange], on: date) -> tuple[bool, bool]:
    """Both flags of ``flag_on`` (leader, direct worker) in one pass over the history (every
    fact of a person asks for both)."""
    if len(history) == 1:  # most people: one change, their joining, with both flags
        only = history[0]
        if only.is_leader is not None and only.is_direct_worker is not None:
            return bool(only.is_leader), bool(only.is_direct_worker)
    found: list[bool] = []
    for flag in _FLAG_FIELDS:
        before: PersonChange | None = None
        after: PersonChange | None = None
        for h in history:
            if h[flag] is None:
                continue
            if h.effective_on <= on:
                if before is None or (h.effective_on, h.seq) >= (before.effective_on, before.seq):
                    before = h
            elif after is None or (h.effective_on, -h.seq) < (after.effective_on, -after.seq):
                after = h
        chosen = before or after
        found.append(bool(chosen[flag]) if chosen is not None else False)
    return found[0], found[1]


class DimsOf:
    """Dimensions of facts, read from the batch's state (campaigns parsed once)."""

    def __init__(self, state: ModelState) -> None:
        self.state = state
        self._campaigns: dict[str, CampaignDim | None] = {}
        self.placements: Placements = {}
        """Placements made for ``lines_of`` (a campaign's dimensions are read once here, so a
        campaign's placements do not change)."""

    def campaign(self, campaign_id: str) -> CampaignDim | None:
        if campaign_id not in self._campaigns:
            row = self.state.campaigns.rows.get(campaign_id)
            self._campaigns[campaign_id] = campaign_dim(row) if row else None
        return self._campaigns[campaign_id]

    def __call__(self, fact: Fact) -> Dims:
        s = self.state
        province_id = ministry_id = None
        if fact.department_code:
            department = s.departments.rows.get(fact.department_code)
            if department is not None:
                province_id, ministry_id = department.province_id, department.ministry_id
        campaign = self.campaign(fact.campaign_id) if fact.campaign_id else None
        person = None
        if fact.person_id:
            row = s.people.rows.get(fact.person_id)
            if row is not None:
                history = s.history.get(fact.person_id, ())
                on = fact.effective_on
                if len(history) > 1:  # else the flags are the same on any date
                    as_of = fact.attrs.get("as_of")
                    on = date.fromisoformat(as_of) if as_of else on
                leader, direct = flags_on(history, on)
                person = PersonDim(row.sex, leader, direct)
        return Dims(province_id, ministry_id, campaign, person)


Placements = dict[tuple[int | None, str | None, date], Placement]
"""Placements by (the fact's year, campaign and date), which with the campaign's dimensions
are all a placement depends on (``facts.placement_of``)."""


def lines_of(fact: Fact, dims: Dims, placements: Placements | None = None) -> LinesRow | None:
    """The fact's lines, or None when it counts nowhere. ``placements``: those made already
    with the same dimensions (``DimsOf.placements``; facts share a few hundred)."""
    figures = figures_of(fact, dims)
    if not figures or not (fact.unit_id or fact.department_code or dims.province_id):
        return None
    if placements is None:
        placement = placement_of(fact, dims)
    else:
        key = (fact.year, fact.campaign_id, fact.effective_on)
        found = placements.get(key)
        placement = found if found is not None else placement_of(fact, dims)
        if found is None:
            placements[key] = placement
    names, keys, counts, amounts = zip(*figures, strict=True)
    return LinesRow(
        fact.event_id,
        placement.year,
        placement.half,
        placement.campaign_id or "",
        placement.phase or "",
        fact.effective_on,
        fact.unit_id or None,
        fact.department_code or None,
        dims.province_id,
        dims.ministry_id,
        names,
        keys,
        counts,
        amounts,
    )


def attribute(facts: Iterable[Fact], dims: DimsOf, deltas: Deltas) -> list[LinesRow]:
    """The lines of ``facts`` with the dimensions known now; their deltas go to ``deltas``."""
    placements = dims.placements
    out = [row for fact in facts if (row := lines_of(fact, dims(fact), placements)) is not None]
    deltas.add_all(out)
    return out
