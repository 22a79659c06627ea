"""Economic targets and results folded into the batch's state (pure, issue 17): one row per
event (``reporting_economy``), so the model depends only on the set of events; which targets
and which figures are in force on a date is the query's choice (``queries/economy.py``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from contracts import registration as rg
from contracts.base import EventData
from services.reporting.readmodels.state import Economic, ModelState


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def targets(s: ModelState, event_id: str, type_: str, p: rg.CampaignEvent) -> None:
    """The targets a launch sets, or an amendment replaces (on its date)."""
    if isinstance(p, rg.CampaignLaunched):
        on, listed = p.issued_on or p.period.start, p.economic_targets
    elif isinstance(p, rg.CampaignAmended) and p.economic_targets is not None:
        on, listed = p.amended_on, p.economic_targets
    else:
        return
    data = _json([t.model_dump(mode="json") for t in listed])
    s.economy.put(
        event_id, Economic(event_id, "targets", p.campaign_id, on, None, None, None, data)
    )


def result(s: ModelState, event_id: str, type_: str, p: rg.EconomicResult) -> None:
    """A result as reported or corrected: the figures, from the fact's date."""
    if isinstance(p, rg.EconomicResultCorrected):
        kind, on = "corrected", p.corrected_on
    elif isinstance(p, rg.EconomicResultReported):
        kind, on = "reported", p.reported_on
    else:
        return
    figures = p.model_dump(
        mode="json",
        include={"department_code", "value", "unit_of_measure", "previous_value",
                 "growth_percent", "note"},
    )  # fmt: skip
    row = Economic(
        event_id, kind, p.campaign_id, on, rg.indicator_key(p.indicator), p.period.start,
        p.period.end, _json(figures),
    )  # fmt: skip
    s.economy.put(event_id, row)


HANDLERS: dict[type[EventData], Callable[[ModelState, str, str, Any], None]] = {
    rg.EconomicResultReported: result,
    rg.EconomicResultCorrected: result,
}
