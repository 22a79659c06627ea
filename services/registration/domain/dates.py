"""The date a fact speaks of: the day the organisation is judged on (issue 16).

A fact is judged against the organisation as it stood on that day: a department that had
merged away by then no longer speaks, and a unit or a person belongs to the department it was
in on that day. Facts with no date of their own (a contact address) are judged on the day
they were sent.
"""

from __future__ import annotations

from datetime import date

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
    DepartmentRegistered,
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
    MinistryRegistered,
    OrgChange,
    PerformanceRated,
    PersonDetailsCorrected,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
    ProvinceRegistered,
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

_FIELD: dict[type[EventData], str] = {
    UnitEstablished: "established_on",
    UnitRenamed: "effective_on",
    UnitMerged: "effective_on",
    UnitDissolved: "effective_on",
    UnitTransferred: "effective_on",
    CampaignTransferred: "effective_on",
    BlocFormed: "formed_on",
    BlocLeaderDesignated: "designated_on",
    BlocRanked: "ranked_on",
    PersonJoined: "joined_on",
    PersonTransferred: "effective_on",
    PersonRoleChanged: "effective_on",
    PersonLeft: "left_on",
    CampaignAmended: "amended_on",
    CampaignClosed: "closed_on",
    UnitRegistered: "registered_on",
    IndividualRegistered: "registered_on",
    RegistrationWithdrawn: "withdrawn_on",
    InitiativeSubmitted: "submitted_on",
    InitiativeReviewed: "reviewed_on",
    InitiativeRecognized: "recognized_on",
    InitiativeRejected: "rejected_on",
    ResearchAccepted: "accepted_on",
    DisciplineImposed: "imposed_on",
    CaseOpened: "opened_on",
    CaseClosed: "closed_on",
    PersonDetailsCorrected: "corrected_on",
    RatingCorrected: "corrected_on",
    InitiativeDetailsCorrected: "corrected_on",
    InitiativeWithdrawn: "withdrawn_on",
    ResearchWithdrawn: "withdrawn_on",
    DisciplineLifted: "lifted_on",
    MinistryRegistered: "established_on",
    ProvinceRegistered: "established_on",
    DepartmentRegistered: "established_on",
    EconomicResultReported: "reported_on",
    EconomicResultCorrected: "corrected_on",
}


def fact_date(payload: EventData, sent_on: date) -> date | None:
    """The day ``payload`` speaks of (``sent_on``, the envelope's, for an undated fact);
    None for an organisation registered with no founding date (it existed before any
    recorded fact)."""
    if isinstance(payload, OrgChange):
        return payload.effective_on
    if isinstance(payload, PerformanceRated):
        # A year's rating is made at the year's end unless it says when.
        return payload.rated_on or date(payload.year, 12, 31)
    if isinstance(payload, CampaignLaunched):
        return payload.issued_on or payload.period.start
    field = _FIELD.get(type(payload))
    if field is None:
        return sent_on
    day: date | None = getattr(payload, field)
    return day
