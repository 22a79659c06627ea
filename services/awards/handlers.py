"""Awards' two tables: incoming type → its decision (``decisions.py``, ``cases.py``), with the
payload's department for the kernel's department rule.

``ingress``: what departments submit (dossiers, council votes, decisions, revocations,
exemplary models, conferences). ``registration_facts``: the registration service's accepted
facts, kept in awards' read copy before the batch is decided; a case opened or closed also
suspends or resumes the subject's nominations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from contracts import awards as a
from contracts import registration as r
from contracts.base import EventData
from services.awards import (
    cases,
    conferences,
    consequences,
    corrections,
    decisions,
    funds,
    successors,
)
from services.awards.readmodels import nominations, registration
from services.awards.readmodels.lookups import LOOKUPS
from services.awards.workspace import Folds
from thidua.es.decider import Command, Decide, Decider, Emit

Decision = Callable[[Command[Any], Folds], Sequence[Emit]]

INGRESS: tuple[tuple[type[EventData], Decision, str], ...] = (
    (a.NominationSubmitted, decisions.submit_nomination, "received_on"),
    (a.CouncilVoted, decisions.record_vote, "session_on"),
    (a.DecisionIssued, decisions.issue_decision, "issued_on"),
    (a.AwardRevoked, decisions.revoke_award, "revoked_on"),
    (a.AwardImported, decisions.import_award, "decision_date"),
    (a.ExemplaryModelChosen, decisions.choose_exemplary, "chosen_on"),
    (a.ConferenceHeld, conferences.hold_conference, "held_on"),
    (a.NominationWithdrawn, corrections.withdraw_nomination, "withdrawn_on"),
    (a.ExemplaryModelCorrected, corrections.correct_exemplary, "corrected_on"),
    (a.ExemplaryModelWithdrawn, corrections.withdraw_exemplary, "withdrawn_on"),
    (a.ConferenceCorrected, conferences.correct_conference, "corrected_on"),
    (a.ConferenceReported, conferences.report_conference, "reported_on"),
    (a.FundAllocated, funds.allocate_fund, "allocated_on"),
    (a.FundAdjusted, funds.adjust_fund, "adjusted_on"),
)
"""Each input type, its decision, and the field dating it: a department merged away by that
date is refused naming its successor (``successors.in_force``); earlier facts are its own."""

REGISTRATION_FACTS: tuple[tuple[type[EventData], Decision], ...] = (
    (r.CaseOpened, cases.case_opened),
    (r.CaseClosed, cases.case_closed),
    (r.RatingCorrected, consequences.rating_corrected),
    (r.InitiativeWithdrawn, consequences.initiative_withdrawn),
    (r.ResearchWithdrawn, consequences.research_withdrawn),
)


def _department(payload: Any) -> str:
    department: str = payload.department_code
    return department


def _bind(decide: Decision, folds: Folds) -> Decide:
    return lambda cmd: decide(cmd, folds)


def ingress(folds: Folds | None = None) -> Decider:
    """What departments submit; every payload names its department (rule 29)."""
    table = Decider(lookups=LOOKUPS, read_decisions=nominations.keep)
    shared = folds or Folds()
    for kind, decide, dated_by in INGRESS:
        guarded = successors.in_force(decide, attrgetter(dated_by))
        table.add(kind, _bind(guarded, shared), department=_department)
    return table


def registration_facts(folds: Folds | None = None) -> Decider:
    """The registration service's facts: the read copy first, then cases' effects. A
    correction's consequences read the read copy as of the correction (``inputs_in_order``):
    a later fact of the same batch (another correction) is not yet in it."""
    table = Decider(
        lookups=LOOKUPS,
        read_inputs=registration.keep,
        read_decisions=nominations.keep,
        inputs_in_order=True,
    )
    shared = folds or Folds()
    for kind, decide in REGISTRATION_FACTS:
        table.add(kind, _bind(decide, shared))
    return table
