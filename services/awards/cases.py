"""Decisions on the registration service's facts: a case opened about a nominee suspends
their pending nominations (Quy tắc 18); its closing resumes them, or leaves them suspended
under another case still open. Every other registration fact only updates awards' read copy
(``readmodels.registration``), before the batch's decisions."""

from __future__ import annotations

from contracts import awards as a
from contracts import registration as r
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.domain.nomination import Status
from services.awards.readmodels import lookups as lk
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command, Emit


def _nominations_of(cmd: Command[r.CaseOpened] | Command[r.CaseClosed], subject: str) -> list[str]:
    require(cmd, lookups={lk.NOMINATIONS_OF: [subject], lk.OPEN_CASE: [subject]})
    ids: tuple[str, ...] = cmd.lookup(lk.NOMINATIONS_OF, subject) or ()
    require(cmd, [streams.nomination(i) for i in ids])
    return list(ids)


def case_opened(cmd: Command[r.CaseOpened], folds: Folds) -> list[Emit]:
    case = cmd.payload
    ws = Workspace(cmd, folds)
    for nomination_id in _nominations_of(cmd, case.subject_id):
        stream = streams.nomination(nomination_id)
        if ws.state(stream, agg.NOMINATION).status is Status.SUBMITTED:
            suspended = a.NominationSuspended(
                nomination_id=nomination_id, case_id=case.case_id, suspended_on=case.opened_on
            )
            ws.emit(stream, agg.NOMINATION, suspended)
    return ws.emits


def case_closed(cmd: Command[r.CaseClosed], folds: Folds) -> list[Emit]:
    closed = cmd.payload
    require(cmd, lookups={lk.CASE_SUBJECT: [closed.case_id]})
    subject: str | None = cmd.lookup(lk.CASE_SUBJECT, closed.case_id)
    if subject is None:
        return []
    ws = Workspace(cmd, folds)
    for nomination_id in _nominations_of(cmd, subject):
        stream = streams.nomination(nomination_id)
        state = ws.state(stream, agg.NOMINATION)
        if state.status is not Status.SUSPENDED or state.case_id != closed.case_id:
            continue
        if state.dossier is None:
            continue
        other = cmd.lookup(lk.OPEN_CASE, state.dossier.nominee_id)
        if other is not None:
            fact: a.NominationEvent = a.NominationSuspended(
                nomination_id=nomination_id, case_id=other, suspended_on=closed.closed_on
            )
        else:
            fact = a.NominationResumed(
                nomination_id=nomination_id, case_id=closed.case_id, resumed_on=closed.closed_on
            )
        ws.emit(stream, agg.NOMINATION, fact)
    return ws.emits
