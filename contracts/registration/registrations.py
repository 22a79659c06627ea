"""Registrations for a campaign (đăng ký thi đua) with the initiatives and research topics
they pledge, and the initiatives and research themselves: submitted, voted on by a council,
recognised or rejected, accepted.

Apart from the campaigns because these are the answers of units and people to a plan, and the
evidence (initiatives, research) that their nominations cite.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from contracts.base import event_type
from contracts.common import (
    Count,
    DepartmentCode,
    DocumentRef,
    EntityId,
    InitiativeKind,
    LongText,
    Person,
    RejectionReason,
    Scope,
    SubjectKind,
    Text,
    TitleCode,
    Value,
)
from contracts.registration.base import RegistrationEvent
from contracts.registration.campaigns import CampaignEvent

# --- registrations ---------------------------------------------------------------------------


class ResearchTopic(Value):
    """A research topic (đề tài nghiên cứu khoa học) committed at registration."""

    title: Text
    research_id: EntityId | None = None


class InitiativePledge(Value):
    """An initiative or solution (sáng kiến, giải pháp) committed at registration."""

    title: Text
    kind: InitiativeKind | None = None
    initiative_id: EntityId | None = None


class Registration(CampaignEvent):
    department_code: DepartmentCode
    titles: list[TitleCode] = Field(default_factory=list, description="Danh hiệu đăng ký.")
    research_topics: list[ResearchTopic] = Field(default_factory=list)
    initiatives: list[InitiativePledge] = Field(default_factory=list)
    registered_on: date


@event_type
class UnitRegistered(Registration):
    """A unit registers for a campaign (đăng ký thi đua của tập thể)."""

    event_name: ClassVar[str] = "UnitRegistered"
    unit_id: EntityId


@event_type
class IndividualRegistered(Registration):
    """A person registers for a campaign (đăng ký thi đua của cá nhân)."""

    event_name: ClassVar[str] = "IndividualRegistered"
    person_id: EntityId
    unit_id: EntityId


@event_type
class RegistrationWithdrawn(CampaignEvent):
    """Rút đăng ký: the registrant is no longer considered for the campaign's titles."""

    event_name: ClassVar[str] = "RegistrationWithdrawn"
    department_code: DepartmentCode
    registrant_kind: SubjectKind
    registrant_id: EntityId = Field(description="Person id or unit id.")
    withdrawn_on: date
    reason: Text | None = None


# --- initiatives and research ----------------------------------------------------------------


class InitiativeEvent(RegistrationEvent):
    initiative_id: EntityId


@event_type
class InitiativeSubmitted(InitiativeEvent):
    """An initiative put to the initiative council (Hội đồng sáng kiến)."""

    event_name: ClassVar[str] = "InitiativeSubmitted"
    department_code: DepartmentCode
    unit_id: EntityId
    title: Text
    kind: InitiativeKind
    scope: Scope = Field(description="Claimed scope of effect (phạm vi ảnh hưởng).")
    authors: list[Person] = Field(min_length=1)
    campaign_id: EntityId | None = None
    submitted_on: date
    applied_since: date | None = Field(default=None, description="Ngày áp dụng lần đầu.")
    summary: LongText | None = None


@event_type
class InitiativeReviewed(InitiativeEvent):
    """The initiative council voted; recognition needs ≥2/3 of all members (configurable)."""

    event_name: ClassVar[str] = "InitiativeReviewed"
    members_total: int = Field(ge=1, description="All members of the council.")
    members_present: Count
    approve_votes: Count
    reviewed_on: date

    @model_validator(mode="after")
    def _consistent(self) -> InitiativeReviewed:
        if self.members_present > self.members_total:
            raise ValueError("more members present than the council has")
        if self.approve_votes > self.members_present:
            raise ValueError("more votes in favour than members present")
        return self


@event_type
class InitiativeRecognized(InitiativeEvent):
    """Công nhận sáng kiến at a level; one initiative supports at most one award."""

    event_name: ClassVar[str] = "InitiativeRecognized"
    level: Scope
    recognized_on: date
    decision: DocumentRef | None = None


@event_type
class InitiativeRejected(InitiativeEvent):
    """Không công nhận sáng kiến."""

    event_name: ClassVar[str] = "InitiativeRejected"
    rejected_on: date
    reasons: list[RejectionReason] = Field(min_length=1)


@event_type
class ResearchAccepted(RegistrationEvent):
    """A research topic accepted (nghiệm thu đề tài khoa học): evidence for CSTĐCS."""

    event_name: ClassVar[str] = "ResearchAccepted"
    research_id: EntityId
    department_code: DepartmentCode
    unit_id: EntityId
    title: Text
    authors: list[Person] = Field(min_length=1)
    level: Scope
    accepted_on: date
    campaign_id: EntityId | None = None
    decision: DocumentRef | None = None
