"""Awards' decisions on a department's corrections of what it submitted (issue 15): a dossier
withdrawn before it is decided, an exemplary model corrected or withdrawn, a conference
corrected. Each is checked by the rules of the fact it corrects; the facts corrected stay in
their streams (an "as of" report before the correction still shows them). Pure, like
``decisions.py``; the department rule is the kernel's (``handlers.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts import awards as a
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.domain import nomination as n
from services.awards.domain import records
from services.awards.senders import departments_nomination
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command, Emit


def withdraw_nomination(cmd: Command[a.NominationWithdrawn], folds: Folds) -> list[Emit]:
    """Rút hồ sơ: a council vote or a decision naming it afterwards is refused
    (``awards.nomination_withdrawn``); an approved title is revoked, not withdrawn."""
    withdrawal = cmd.payload
    ws, stream, state = departments_nomination(
        cmd, withdrawal.nomination_id, withdrawal.withdrawn_on, folds
    )
    ws.emit(stream, agg.NOMINATION, *n.withdraw(state, withdrawal))
    return ws.emits


def _correct(
    cmd: Command[a.ExemplaryModelCorrected] | Command[a.ConferenceCorrected],
    stream: str,
    kind: records.Kind,
    folds: Folds,
) -> list[Emit]:
    require(cmd, [stream])
    ws = Workspace(cmd, folds)
    ws.emit(stream, agg.RECORD, *records.correct(ws.state(stream, agg.RECORD), cmd.payload, kind))
    return ws.emits


def correct_exemplary(cmd: Command[a.ExemplaryModelCorrected], folds: Folds) -> list[Emit]:
    return _correct(cmd, streams.exemplary(cmd.payload.exemplary_id), records.EXEMPLARY, folds)


def on_record(
    cmd: Command[Any], stream: str, folds: Folds, step: Callable[[records.Record, Any], Any]
) -> list[Emit]:
    """``step`` of a recorded exemplary model or conference (a withdrawal, a report): the
    facts it returns from the record as it stands, or its refusal."""
    require(cmd, [stream])
    ws = Workspace(cmd, folds)
    ws.emit(stream, agg.RECORD, *step(ws.state(stream, agg.RECORD), cmd.payload))
    return ws.emits


def withdraw_exemplary(cmd: Command[a.ExemplaryModelWithdrawn], folds: Folds) -> list[Emit]:
    stream = streams.exemplary(cmd.payload.exemplary_id)
    return on_record(cmd, stream, folds, records.withdraw_exemplary)
