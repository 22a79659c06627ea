"""Conferences in a rollup (DOMAIN rule 25, issue 17): held by kind|level, delegates, the
exemplary and guest delegates with the exemplary share, and the reports on time, late and
outstanding (held and not reported as of the reference date)."""

from __future__ import annotations

from services.reporting.attainment import percent
from services.reporting.forms import Figures
from services.reporting.queries.figures import by_key, figure_sum, of_figure
from services.reporting.queries.models import Conferences


def _amount(f: Figures, figure: str) -> int:
    return sum(a for _, _, a in of_figure(f, figure))


def conferences(f: Figures) -> Conferences:
    delegates, exemplary = _amount(f, "conferences"), _amount(f, "conferences.exemplary")
    on_time = figure_sum(f, "conferences.reported_on_time")
    late = figure_sum(f, "conferences.reported_late")
    return Conferences(
        held=by_key(f, "conferences"),
        delegates=delegates,
        exemplary_delegates=exemplary,
        guest_delegates=_amount(f, "conferences.guests"),
        exemplary_share_percent=percent(exemplary, delegates),
        reports_on_time=on_time,
        reports_late=late,
        reports_outstanding=max(figure_sum(f, "conferences") - on_time - late, 0),
    )
