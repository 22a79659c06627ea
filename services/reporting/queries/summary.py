"""What a scope's figures say, section by section (pure): registrations, initiatives,
nominations, dossiers, awards by title, ratings, research, conferences and the board's
figures, and each department's plans of the year measured on its figures.

Apart from the rollup (``rollups.py``), which reads the figures, the staff and the plans on a
connection: these are functions of what it read, like ``conferences.py`` and ``board.py``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from services.reporting.attainment import Basis, attain, percent
from services.reporting.forms import TITLE_LABELS, Figures
from services.reporting.queries.board import summary as board_summary
from services.reporting.queries.conferences import conferences
from services.reporting.queries.figures import award_counts, by_key, figure_sum, of_figure
from services.reporting.queries.models import (
    AttainmentRow,
    Dossiers,
    Initiatives,
    Recognized,
    Registrations,
    Research,
    Staff,
    TitleAwards,
)


def attainment_rows(
    rows: list[Any],
    departments: list[str],
    figures: Mapping[str, Figures],
    staff: dict[str, Staff],
) -> list[AttainmentRow]:
    """Each department's plans of the year (``rows``: ``economy.year_plans``), each target
    measured on the department's figures (titles of the year from every campaign; flags
    awarded anywhere in the department)."""
    plans = defaultdict(list)
    for row in rows:
        plans[row["department_code"]].append(row)
    out: list[AttainmentRow] = []
    for code in departments:
        awarded, non_leaders = award_counts(figures.get(code, {}))
        s = staff[code]
        basis = Basis(s.staff, s.non_leaders, s.units, awarded, non_leaders)
        for row in plans[code]:
            for t in json.loads(row["emulation_targets"]):
                a = attain(
                    t["title"],
                    t["measure"],
                    t["basis"],
                    t["comparator"],
                    Decimal(str(t["value"])),
                    basis,
                )
                out.append(
                    AttainmentRow(
                        department_code=code,
                        campaign_id=row["campaign_id"],
                        label=TITLE_LABELS.get(a.title, a.title),
                        **a.__dict__,
                    )
                )
    return out


def figures_summary(f: Figures, staff: Staff) -> dict[str, object]:
    """The rollup's sections (its fields by name) from a scope's figures and staff, and
    ``_awarded``: the titles awarded by title (net of revocations), which is not a field."""
    awarded, _ = award_counts(f)
    women = by_key(f, "awards.women")
    non_leaders = by_key(f, "awards.non_leaders")
    revoked = by_key(f, "awards.revoked")
    flagged = by_key(f, "awards.flagged_for_review")
    per_title: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, count, amount in of_figure(f, "awards"):
        title, nominee_kind, _, _ = key.split("|")
        per_title[title]["count"] += count
        per_title[title][nominee_kind] += count
        per_title[title]["cash"] += amount
    titles = [
        TitleAwards(
            title=title,
            label=TITLE_LABELS.get(title, title),
            count=v["count"],
            individuals=v["individual"],
            collectives=v["collective"],
            women=women.get(title, 0),
            non_leaders=non_leaders.get(title, 0),
            revoked=revoked.get(title, 0),
            cash_vnd=v["cash"],
            share_of_staff_percent=percent(v["individual"], staff.staff),
            flagged_for_review=flagged.get(title, 0),
        )
        for title, v in sorted(per_title.items())
    ]
    individual_awards = sum(t.individuals for t in titles)
    nominations: dict[str, dict[str, int]] = defaultdict(dict)
    for key, count in by_key(f, "nominations").items():
        title, status = key.split("|")
        if count:
            nominations[title][status] = count
    individuals = figure_sum(f, "registrations.individuals")
    registrations_women = figure_sum(f, "registrations.individuals_women")
    return {
        "registrations": Registrations(
            units=figure_sum(f, "registrations.units"),
            units_on_time=figure_sum(f, "registrations.units_on_time"),
            individuals=individuals,
            individuals_on_time=figure_sum(f, "registrations.individuals_on_time"),
            individuals_women=registrations_women,
            share_of_staff_percent=percent(individuals, staff.staff),
            women_percent=percent(registrations_women, individuals),
        ),
        "initiatives": Initiatives(
            submitted=by_key(f, "initiatives.submitted"),
            recognized=[
                Recognized(kind=k.split("|")[0], level=k.split("|")[1], count=c)
                for k, c in by_key(f, "initiatives.recognized").items()
            ],
            rejected=by_key(f, "initiatives.rejected"),
            withdrawn=by_key(f, "initiatives.withdrawn"),
        ),
        "nominations": dict(sorted(nominations.items())),
        "dossiers": Dossiers(
            received=figure_sum(f, "dossiers.received"),
            late=figure_sum(f, "dossiers.late"),
            late_override=figure_sum(f, "dossiers.late_override"),
            returned=figure_sum(f, "dossiers.returned"),
            returned_late=figure_sum(f, "dossiers.returned_late"),
            return_reasons=by_key(f, "dossiers.return_reasons"),
            withdrawn=figure_sum(f, "dossiers.withdrawn"),
        ),
        "awards": titles,
        "cash_vnd": sum(t.cash_vnd for t in titles),
        "women_percent_of_individual_awards": percent(
            sum(women.get(t.title, 0) for t in titles), individual_awards
        ),
        "exemplary_models": figure_sum(f, "exemplary_models"),
        "exemplary_models_withdrawn": figure_sum(f, "exemplary_models.withdrawn"),
        "discipline": by_key(f, "discipline"),
        "discipline_lifted": by_key(f, "discipline.lifted"),
        "ratings": _ratings(by_key(f, "ratings")),
        "research": Research(
            accepted=by_key(f, "research.accepted"), withdrawn=by_key(f, "research.withdrawn")
        ),
        "conferences": conferences(f),
        "awards_flagged_for_review": sum(flagged.values()),
        **board_summary(f, individual_awards),
        "_awarded": awarded,
    }


def _ratings(counts: Mapping[str, int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for key, n in sorted(counts.items()):
        kind, rating = key.split("|")
        if n:
            out[kind][rating] = n
    return dict(out)
