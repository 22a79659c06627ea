"""Decisions on economic results (issue 17): on the department's own campaign, as the plan stood
on the fact's date (``reported_on``, ``corrected_on``). A merged-away department is refused by
the kernel's ``require_speaking``; its successor reports on a campaign transferred to it."""

from __future__ import annotations

from datetime import date

from contracts.registration import (
    EconomicResult,
    EconomicResultCorrected,
    EconomicResultReported,
    indicator_key,
)
from services.registration import streams
from services.registration.decisions.directory import own_campaign
from services.registration.domain import campaigns, economy
from services.registration.registrar import Registrar
from thidua.es.decider import Emit


def _checked(cmd: Registrar, p: EconomicResult, day: date) -> str:
    """The result's stream, once the campaign, indicator, unit and period are the plan's."""
    stream = streams.economic_result(
        p.campaign_id, indicator_key(p.indicator), p.period.start, p.period.end
    )
    cmd.cmd.need(stream, streams.campaign(p.campaign_id))
    plan = economy.plan_on(cmd.history(streams.campaign(p.campaign_id))[0], day)
    if plan is None or own_campaign(cmd, p.campaign_id) is None:
        raise campaigns.unknown_campaign(p.campaign_id)
    economy.target_for(plan, p, day)
    return stream


def economic_result_reported(cmd: Registrar, p: EconomicResultReported) -> list[Emit]:
    stream = _checked(cmd, p, p.reported_on)
    return cmd.emit(stream, economy.decide_report(cmd.history(stream)[0], p))


def economic_result_corrected(cmd: Registrar, p: EconomicResultCorrected) -> list[Emit]:
    stream = _checked(cmd, p, p.corrected_on)
    return cmd.emit(stream, economy.decide_correct(cmd.history(stream)[0], p))
