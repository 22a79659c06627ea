"""Awards' two tables: incoming type → its decision (``decisions.py``, ``cases.py``), with the
payload's department for the kernel's department rule.

``ingress``: what departments submit (dossiers, council votes, decisions, revocations,
exemplary models, conferences). ``registration_facts``: the registration service's accepted
facts, kept in awards' read copy before the batch is decided; a case opened or closed also
suspends or resumes the subject's nominations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from contracts import awards as a
from contracts import registration as r
from contracts.base import EventData
from services.awards import cases, consequences, corrections, decisions
from services.awards.readmodels import nominations, registration
from services.awards.readmodels.lookups import LOOKUPS
from services.awards.workspace import Folds
from thidua.es.decider import Command, Decide, Decider, Emit

Decision = Callable[[Command[Any], Folds], Sequence[Emit]]

INGRESS: tuple[tuple[type[EventData], Decision], ...] = (
    (a.NominationSubmitted, decisions.submit_nomination),
    (a.CouncilVoted, decisions.record_vote),
    (a.DecisionIssued, decisions.issue_decision),
    (a.AwardRevoked, decisions.revoke_award),
    (a.AwardImported, decisions.import_award),
    (a.ExemplaryModelChosen, decisions.choose_exemplary),
    (a.ConferenceHeld, decisions.hold_conference),
    (a.NominationWithdrawn, corrections.withdraw_nomination),
    (a.ExemplaryModelCorrected, corrections.correct_exemplary),
    (a.ExemplaryModelWithdrawn, corrections.withdraw_exemplary),
    (a.ConferenceCorrected, corrections.correct_conference),
)

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
    for kind, decide in INGRESS:
        table.add(kind, _bind(decide, shared), department=_department)
    return table


def registration_facts(folds: Folds | None = None) -> Decider:
    """The registration service's facts: the read copy first, then cases' effects."""
    table = Decider(lookups=LOOKUPS, read_inputs=registration.keep, read_decisions=nominations.keep)
    shared = folds or Folds()
    for kind, decide in REGISTRATION_FACTS:
        table.add(kind, _bind(decide, shared))
    return table
