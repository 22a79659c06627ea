"""Registration's decisions: for each fact a department submits, the streams it reads and the
facts it appends, as a table the kernel runs (``decider``).

Every decision is pure: it reads streams through a :class:`Registrar` (loaded by the kernel, in
batches) and returns what to append, or raises a refusal. The producing department is the
ingress topic's; facts about another department's units, people, campaigns or initiatives are
refused (DOMAIN rule 29).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from contracts.base import EventData
from contracts.registration import (
    BlocFormed,
    BlocLeaderDesignated,
    BlocRanked,
    CampaignAmended,
    CampaignClosed,
    CampaignLaunched,
    CampaignTransferred,
    CaseClosed,
    CaseOpened,
    DepartmentDissolved,
    DepartmentMerged,
    DepartmentRegistered,
    DepartmentRenamed,
    DisciplineImposed,
    DisciplineLifted,
    EconomicResultCorrected,
    EconomicResultReported,
    IndividualRegistered,
    InitiativeDetailsCorrected,
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    MinistryDissolved,
    MinistryMerged,
    MinistryRegistered,
    MinistryRenamed,
    OrganisationContactSet,
    PerformanceRated,
    PersonDetailsCorrected,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
    ProvinceDissolved,
    ProvinceMerged,
    ProvinceRegistered,
    ProvinceRenamed,
    RatingCorrected,
    RegistrationWithdrawn,
    ResearchAccepted,
    ResearchWithdrawn,
    UnitDissolved,
    UnitEstablished,
    UnitMerged,
    UnitRegistered,
    UnitRenamed,
    UnitTransferred,
)
from services.registration.decisions.corrections import (
    discipline_lifted,
    initiative_details_corrected,
    initiative_withdrawn,
    person_details_corrected,
    rating_corrected,
    research_withdrawn,
)
from services.registration.decisions.directory import (
    bloc_formed,
    bloc_leader_designated,
    bloc_ranked,
    campaign_amended,
    campaign_closed,
    campaign_launched,
    contact_set,
    department_registered,
    ministry_registered,
    person_joined,
    person_left,
    person_role_changed,
    person_transferred,
    province_registered,
    unit_dissolved,
    unit_established,
    unit_merged,
    unit_renamed,
)
from services.registration.decisions.economy import (
    economic_result_corrected,
    economic_result_reported,
)
from services.registration.decisions.organisations import (
    campaign_transferred,
    organisation_changed,
    unit_transferred,
)
from services.registration.decisions.participation import (
    case_closed,
    case_opened,
    discipline_imposed,
    individual_registered,
    initiative_recognized,
    initiative_rejected,
    initiative_reviewed,
    initiative_submitted,
    performance_rated,
    registration_withdrawn,
    research_accepted,
    unit_registered,
)
from services.registration.registrar import Registrar, Settings
from thidua.es.decider import Command, Decider, Emit

__all__ = ["TABLE", "Settings", "decider"]

# --- the table -------------------------------------------------------------------------------


def _code(p: Any) -> str:
    return str(p.department_code)


Decision = Callable[[Registrar, Any], list[Emit]]

TABLE: list[tuple[type[EventData], Decision, Callable[[Any], str] | None]] = [
    (MinistryRegistered, ministry_registered, None),
    (ProvinceRegistered, province_registered, None),
    # The board places a department, not the department itself (``domain.boards``).
    (DepartmentRegistered, department_registered, None),
    # Lifecycles (issue 16): boards only, each judged on its effective date.
    *(
        (kind, organisation_changed, None)
        for kind in (
            MinistryRenamed,
            MinistryMerged,
            MinistryDissolved,
            ProvinceRenamed,
            ProvinceMerged,
            ProvinceDissolved,
            DepartmentRenamed,
            DepartmentMerged,
            DepartmentDissolved,
        )
    ),
    # The successor (or its board) takes a merged-away department's units and campaigns over.
    (UnitTransferred, unit_transferred, None),
    (CampaignTransferred, campaign_transferred, None),
    (UnitEstablished, unit_established, _code),
    (UnitRenamed, unit_renamed, None),
    (UnitMerged, unit_merged, None),
    (UnitDissolved, unit_dissolved, None),
    (BlocFormed, bloc_formed, None),
    (BlocLeaderDesignated, bloc_leader_designated, None),
    (BlocRanked, bloc_ranked, None),
    (PersonJoined, person_joined, _code),
    (PersonTransferred, person_transferred, None),
    (PersonRoleChanged, person_role_changed, None),
    (PersonLeft, person_left, None),
    (OrganisationContactSet, contact_set, None),
    (CampaignLaunched, campaign_launched, _code),
    (CampaignAmended, campaign_amended, None),
    (CampaignClosed, campaign_closed, None),
    (UnitRegistered, unit_registered, _code),
    (IndividualRegistered, individual_registered, _code),
    (RegistrationWithdrawn, registration_withdrawn, _code),
    (InitiativeSubmitted, initiative_submitted, _code),
    (InitiativeReviewed, initiative_reviewed, None),
    (InitiativeRecognized, initiative_recognized, None),
    (InitiativeRejected, initiative_rejected, None),
    (ResearchAccepted, research_accepted, _code),
    (PerformanceRated, performance_rated, _code),
    (DisciplineImposed, discipline_imposed, _code),
    (CaseOpened, case_opened, _code),
    (CaseClosed, case_closed, None),
    # Corrections and withdrawals: the same department rule as the facts they change.
    (PersonDetailsCorrected, person_details_corrected, _code),
    (RatingCorrected, rating_corrected, _code),
    (InitiativeDetailsCorrected, initiative_details_corrected, _code),
    (InitiativeWithdrawn, initiative_withdrawn, _code),
    (ResearchWithdrawn, research_withdrawn, _code),
    (DisciplineLifted, discipline_lifted, _code),
    # Economic results (issue 17): the department's own campaign's targets.
    (EconomicResultReported, economic_result_reported, _code),
    (EconomicResultCorrected, economic_result_corrected, _code),
]
"""Incoming type → its decision → the payload's department (checked by the kernel)."""


def decider(settings: Settings | None = None) -> Decider:
    """Registration's table, with its configurable rules."""
    chosen = settings or Settings()
    table = Decider()
    for kind, decide, department in TABLE:
        table.add(kind, _bound(decide, chosen), department=department)
    return table


def _bound(decide: Decision, settings: Settings) -> Callable[[Command[Any]], Sequence[Emit]]:
    def run(command: Command[Any]) -> Sequence[Emit]:
        registrar = Registrar(command, settings)
        # Registration reads department ingress topics only, and judges each fact against
        # its sender as it stood on the fact's day (a merged-away department is refused).
        registrar.require_speaking()
        return decide(registrar, command.payload)

    return run
