"""The provincial board's figures of a rollup (issue 17, DOMAIN §6 "Reports the boards need"):
processing days per dossier, vote results, and the share of direct workers among individual
awards, from the counters (``facts.figures_of``): a province's are its departments' summed,
like every other figure."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from services.reporting.attainment import percent
from services.reporting.forms import TITLE_LABELS, Figures
from services.reporting.queries.figures import by_key
from services.reporting.queries.models import ProcessingDays, VoteResults


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
    for (figure, key), (count, amount) in f.items():
        if figure != "dossiers.processing_days" or not count:
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
    for (figure, key), (count, amount) in f.items():
        if figure != "votes" or not count:
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
