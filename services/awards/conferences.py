"""Awards' decisions on conferences (DOMAIN rule 25, issue 17): a conference held or corrected
is checked against the conference plan of the campaign it names (``rules/conference.py``),
then recorded once or corrected (``domain/records.py``); its report is accepted once. Pure,
like ``decisions.py``; the department rule is the kernel's (``handlers.py``)."""

from __future__ import annotations

from typing import Any

from contracts import awards as a
from contracts.registration import ConferencePlan
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.corrections import on_record
from services.awards.decisions import record_once
from services.awards.domain import records
from services.awards.readmodels import lookups as lk
from services.awards.rules.base import as_reasons
from services.awards.rules.conference import conference_fits_plan
from services.awards.senders import departments_campaign
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command, Emit
from thidua.es.rejections import Refused


def _workspace(cmd: Command[Any], held: a.ConferenceFields, stream: str, folds: Folds) -> Workspace:
    """Load the conference's stream and its campaign; refuse what departs from the plan."""
    campaigns = [held.campaign_id] if held.campaign_id is not None else []
    require(cmd, [stream], {lk.CAMPAIGN: campaigns})
    plan: ConferencePlan | None = None
    if held.campaign_id is not None:
        plan = departments_campaign(cmd, held.campaign_id, held.held_on).conference
    reasons = conference_fits_plan(held, plan)
    if reasons:
        raise Refused(as_reasons(reasons))
    return Workspace(cmd, folds)


def hold_conference(cmd: Command[a.ConferenceHeld], folds: Folds) -> list[Emit]:
    """Recorded once, if it fits its campaign's plan."""
    stream = streams.conference(cmd.payload.conference_id)
    return record_once(_workspace(cmd, cmd.payload, stream, folds), stream)


def correct_conference(cmd: Command[a.ConferenceCorrected], folds: Folds) -> list[Emit]:
    """Đính chính: the conference as corrected must fit the plan too."""
    stream = streams.conference(cmd.payload.conference_id)
    ws = _workspace(cmd, cmd.payload, stream, folds)
    state = ws.state(stream, agg.RECORD)
    ws.emit(stream, agg.RECORD, *records.correct(state, cmd.payload, records.CONFERENCE))
    return ws.emits


def report_conference(cmd: Command[a.ConferenceReported], folds: Folds) -> list[Emit]:
    """Báo cáo kết quả hội nghị: once per conference, by its department."""
    stream = streams.conference(cmd.payload.conference_id)
    return on_record(cmd, stream, folds, records.report_conference)
