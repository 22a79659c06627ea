"""Facts owned by the registration service.

The organisation directory, campaigns (plans), registrations, initiatives, research, yearly
ratings and discipline. Departments' systems propose these on their ingress topic; the
registration service re-publishes the accepted ones on ``thidua.registration.events``.

Import them from here (``from contracts import registration as rg``, then
``rg.UnitRegistered``): importing the package imports every submodule, which registers its
types in ``contracts.EVENT_TYPES``. They live in:

- ``base``: ``RegistrationEvent``, the base of every type here;
- ``organisations``: ministries, provinces, departments and units, their changes over time
  (renamed, merged, dissolved), what passes to a successor, contacts;
- ``blocs``: emulation blocs, their leaders and the board's yearly ranking;
- ``people``: staff joining, moving and leaving, yearly ratings, discipline and cases;
- ``campaigns``: plans (``CampaignLaunched`` and its parts), amendments, closing, and the
  economic results reported against a plan's targets (``indicator_key``);
- ``registrations``: registrations for a campaign, initiatives and research;
- ``corrections``: corrections and retractions of the facts above (issue 15).
"""

from contracts.registration.base import RegistrationEvent
from contracts.registration.blocs import (
    BlocFormed,
    BlocLeaderDesignated,
    BlocMember,
    BlocRank,
    BlocRanked,
)
from contracts.registration.campaigns import (
    MAX_REPORT_DUE_DAYS,
    CampaignAmended,
    CampaignClosed,
    CampaignEvent,
    CampaignLaunched,
    ConferencePlan,
    ConferenceRule,
    Deadlines,
    EconomicResult,
    EconomicResultCorrected,
    EconomicResultReported,
    EconomicTarget,
    EmulationTarget,
    Phase,
    indicator_key,
)
from contracts.registration.corrections import (
    DisciplineLifted,
    InitiativeDetailsCorrected,
    InitiativeWithdrawn,
    PersonDetailsCorrected,
    RatingCorrected,
    ResearchWithdrawn,
)
from contracts.registration.organisations import (
    CampaignTransferred,
    DepartmentChange,
    DepartmentDissolved,
    DepartmentMerged,
    DepartmentRegistered,
    DepartmentRenamed,
    MinistryChange,
    MinistryDissolved,
    MinistryMerged,
    MinistryRegistered,
    MinistryRenamed,
    OrganisationContactSet,
    OrgChange,
    ProvinceChange,
    ProvinceDissolved,
    ProvinceMerged,
    ProvinceRegistered,
    ProvinceRenamed,
    SuccessionEvent,
    UnitDissolved,
    UnitEstablished,
    UnitEvent,
    UnitMerged,
    UnitRenamed,
    UnitTransferred,
)
from contracts.registration.people import (
    CaseClosed,
    CaseEvent,
    CaseOpened,
    DisciplineImposed,
    PerformanceRated,
    PersonEvent,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
)
from contracts.registration.registrations import (
    IndividualRegistered,
    InitiativeEvent,
    InitiativePledge,
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
    Registration,
    RegistrationWithdrawn,
    ResearchAccepted,
    ResearchTopic,
    UnitRegistered,
)

__all__ = [
    "MAX_REPORT_DUE_DAYS",
    "BlocFormed",
    "BlocLeaderDesignated",
    "BlocMember",
    "BlocRank",
    "BlocRanked",
    "CampaignAmended",
    "CampaignClosed",
    "CampaignEvent",
    "CampaignLaunched",
    "CampaignTransferred",
    "CaseClosed",
    "CaseEvent",
    "CaseOpened",
    "ConferencePlan",
    "ConferenceRule",
    "Deadlines",
    "DepartmentChange",
    "DepartmentDissolved",
    "DepartmentMerged",
    "DepartmentRegistered",
    "DepartmentRenamed",
    "DisciplineImposed",
    "DisciplineLifted",
    "EconomicResult",
    "EconomicResultCorrected",
    "EconomicResultReported",
    "EconomicTarget",
    "EmulationTarget",
    "IndividualRegistered",
    "InitiativeDetailsCorrected",
    "InitiativeEvent",
    "InitiativePledge",
    "InitiativeRecognized",
    "InitiativeRejected",
    "InitiativeReviewed",
    "InitiativeSubmitted",
    "InitiativeWithdrawn",
    "MinistryChange",
    "MinistryDissolved",
    "MinistryMerged",
    "MinistryRegistered",
    "MinistryRenamed",
    "OrgChange",
    "OrganisationContactSet",
    "PerformanceRated",
    "PersonDetailsCorrected",
    "PersonEvent",
    "PersonJoined",
    "PersonLeft",
    "PersonRoleChanged",
    "PersonTransferred",
    "Phase",
    "ProvinceChange",
    "ProvinceDissolved",
    "ProvinceMerged",
    "ProvinceRegistered",
    "ProvinceRenamed",
    "RatingCorrected",
    "Registration",
    "RegistrationEvent",
    "RegistrationWithdrawn",
    "ResearchAccepted",
    "ResearchTopic",
    "ResearchWithdrawn",
    "SuccessionEvent",
    "UnitDissolved",
    "UnitEstablished",
    "UnitEvent",
    "UnitMerged",
    "UnitRegistered",
    "UnitRenamed",
    "UnitTransferred",
    "indicator_key",
]
