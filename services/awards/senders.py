"""Whose an input's campaign and dossiers are: the sender's own, or a predecessor's that had
passed to it by the input's date (issue 16); a dossier forwarded to the provincial board is
the board's to vote on and decide (issue 17, ``boards.py``).

Apart from ``decisions.py`` because the corrections (``corrections.py``) and the conferences
(``conferences.py``) ask the same questions: one check each, refused with the same codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import topics
from contracts.common import RejectionReason
from services.awards import aggregates as agg
from services.awards import boards, streams
from services.awards.domain import nomination as n
from services.awards.domain.facts import Campaign
from services.awards.readmodels import lookups as lk
from services.awards.rules.base import as_reasons, refusal
from services.awards.successors import acts_for, departments
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command
from thidua.es.rejections import Refused, refuse


def same_department(
    cmd: Command[Any], state: n.Nomination, department: str, day: date
) -> list[RejectionReason]:
    """The dossier is the sender's, or a predecessor's that had merged into it by ``day``
    (open dossiers continue under the successor's authority)."""
    if state.dossier is None or state.dossier.department_code == department:
        return []
    if departments(cmd).speaks_for(department, state.dossier.department_code, day):
        return []
    return refusal(
        "foreign_nomination",
        f"Hồ sơ {state.nomination_id} thuộc Sở '{state.dossier.department_code}'",
        "nomination_ids",
    )


def departments_campaign(
    cmd: Command[Any], campaign_id: str, day: date, year: int | None = None
) -> Campaign:
    """The campaign an input of ``day`` names, if it is known and the sender's (or its
    predecessor's, transferred to it by then), and of ``year`` when one is given."""
    found = cmd.lookup(lk.CAMPAIGN, campaign_id)
    if found is None:
        raise refuse(
            "awards.unknown_campaign",
            f"Chưa có phong trào thi đua {campaign_id} trong danh mục",
            "campaign_id",
        )
    owner, campaign = found
    sender = cmd.payload.department_code
    mine = acts_for(cmd, sender, owner, ("campaign", campaign_id), day)
    if not mine or (year is not None and campaign.year != year):
        raise refuse(
            "awards.campaign_mismatch",
            f"Phong trào {campaign_id} là của Sở '{owner}' năm {campaign.year}",
            "campaign_id",
        )
    assert isinstance(campaign, Campaign)
    return campaign


def may_act(
    cmd: Command[Any], state: n.Nomination, sender: str, day: date
) -> list[RejectionReason]:
    """Who may vote on or decide the dossier: its department (or successor), unless its title
    is the provincial board's or the sender is a board (``boards.board_may_act``)."""
    if state.dossier is None:
        return []
    if topics.is_board(sender) or boards.is_forwarded(state.dossier):
        return boards.board_may_act(cmd, state, sender, day)
    return same_department(cmd, state, sender, day)


def departments_nomination(
    cmd: Command[Any], nomination_id: str, day: date, folds: Folds
) -> tuple[Workspace, str, n.Nomination]:
    """The nomination a revocation or a withdrawal (of ``day``) names, if it is the sender's."""
    stream = streams.nomination(nomination_id)
    require(cmd, [stream])
    ws = Workspace(cmd, folds)
    state = ws.state(stream, agg.NOMINATION)
    problems = same_department(cmd, state, cmd.payload.department_code, day)
    if problems:
        raise Refused(as_reasons(p.model_copy(update={"field": "nomination_id"}) for p in problems))
    return ws, stream, state
