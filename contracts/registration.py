"""Facts owned by the registration service.

The organisation directory, campaigns (plans), registrations, initiatives, research, yearly
ratings and discipline. Departments' systems propose these on their ingress topic; the
registration service re-publishes the accepted ones on ``thidua.registration.events``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Literal

from pydantic import AnyHttpUrl, Field, model_validator

from contracts.base import EventData, event_type
from contracts.common import (
    CampaignKind,
    CaseKind,
    CaseOutcome,
    Comparator,
    Count,
    DepartmentCode,
    DisciplineLevel,
    DocumentNumber,
    DocumentRef,
    DurationDays,
    Email,
    EntityId,
    FieldPath,
    InitiativeKind,
    LongText,
    NonNegativeQuantity,
    OrgKind,
    OrgLevel,
    OrgRef,
    Percent,
    Period,
    Person,
    PlanDocumentKind,
    Quantity,
    Rating,
    RejectionReason,
    Scope,
    Sex,
    ShortText,
    Signer,
    SubjectKind,
    TargetBasis,
    TargetMeasure,
    Text,
    TitleCode,
    UnitKind,
    Value,
    Year,
)


class RegistrationEvent(EventData):
    service: ClassVar[str] = "registration"


# --- directory -------------------------------------------------------------------------------


@event_type
class MinistryRegistered(RegistrationEvent):
    """A ministry (Bộ) and the sector (ngành) it heads."""

    event_name: ClassVar[str] = "MinistryRegistered"
    ministry_id: EntityId
    name: ShortText = Field(description="e.g. Bộ Công Thương.")
    sector_code: EntityId = Field(description="Sector (ngành), e.g. cong-thuong.")
    established_on: date | None = Field(
        default=None, description="Ngày thành lập; null: existed before any recorded fact."
    )
    legal_basis: DocumentRef | None = Field(default=None, description="Văn bản thành lập.")


@event_type
class ProvinceRegistered(RegistrationEvent):
    """A province or centrally-run city (tỉnh, thành phố trực thuộc trung ương)."""

    event_name: ClassVar[str] = "ProvinceRegistered"
    province_id: EntityId
    name: ShortText = Field(description="e.g. Gia Lai.")
    established_on: date | None = Field(
        default=None, description="Ngày thành lập; null: existed before any recorded fact."
    )
    legal_basis: DocumentRef | None = Field(default=None, description="Văn bản thành lập.")


@event_type
class DepartmentRegistered(RegistrationEvent):
    """A department (Sở): in exactly one province and one sector (its ministry)."""

    event_name: ClassVar[str] = "DepartmentRegistered"
    department_code: DepartmentCode
    name: ShortText = Field(description="e.g. Sở Công Thương Gia Lai.")
    province_id: EntityId
    ministry_id: EntityId
    established_on: date | None = Field(
        default=None, description="Ngày thành lập; null: existed before any recorded fact."
    )
    legal_basis: DocumentRef | None = Field(default=None, description="Văn bản thành lập.")


# --- lifecycles of ministries, provinces and departments (issue 16, DOMAIN.md §8) ------------
#
# Each is effective-dated: a fact is judged against the organisation as it stood on the fact's
# own date. A merged-away organisation keeps its history; its successor is named by the merger.


class OrgChange(RegistrationEvent):
    effective_on: date = Field(description="Ngày có hiệu lực.")
    legal_basis: DocumentRef | None = Field(
        default=None, description="Căn cứ pháp lý, e.g. Nghị quyết 202/2025/QH15."
    )


class MinistryChange(OrgChange):
    ministry_id: EntityId


@event_type
class MinistryRenamed(MinistryChange):
    """Đổi tên Bộ."""

    event_name: ClassVar[str] = "MinistryRenamed"
    name: ShortText


@event_type
class MinistryMerged(MinistryChange):
    """``ministry_id`` is merged into ``into_ministry_id`` (hợp nhất, sáp nhập Bộ) and ceases to
    exist; its sector's departments report to the successor from ``effective_on``."""

    event_name: ClassVar[str] = "MinistryMerged"
    into_ministry_id: EntityId
    legal_basis: DocumentRef = Field(description="Căn cứ pháp lý.")


@event_type
class MinistryDissolved(MinistryChange):
    """Giải thể Bộ."""

    event_name: ClassVar[str] = "MinistryDissolved"
    reason: Text | None = None


class ProvinceChange(OrgChange):
    province_id: EntityId


@event_type
class ProvinceRenamed(ProvinceChange):
    """Đổi tên tỉnh, thành phố."""

    event_name: ClassVar[str] = "ProvinceRenamed"
    name: ShortText


@event_type
class ProvinceMerged(ProvinceChange):
    """``province_id`` is merged into ``into_province_id`` (sắp xếp đơn vị hành chính cấp tỉnh,
    e.g. Bạc Liêu into Cà Mau on 01/07/2025) and ceases to exist."""

    event_name: ClassVar[str] = "ProvinceMerged"
    into_province_id: EntityId
    legal_basis: DocumentRef = Field(description="Căn cứ pháp lý, e.g. Nghị quyết 202/2025/QH15.")


@event_type
class ProvinceDissolved(ProvinceChange):
    """Giải thể tỉnh."""

    event_name: ClassVar[str] = "ProvinceDissolved"
    reason: Text | None = None


class DepartmentChange(OrgChange):
    department_code: DepartmentCode


@event_type
class DepartmentRenamed(DepartmentChange):
    """Đổi tên Sở (e.g. Sở Nông nghiệp và PTNT → Sở Nông nghiệp và Môi trường)."""

    event_name: ClassVar[str] = "DepartmentRenamed"
    name: ShortText


@event_type
class DepartmentMerged(DepartmentChange):
    """``department_code`` is merged into ``into_department_code`` (e.g. Sở KH&ĐT into Sở Tài
    chính) and ceases to exist: its ingress refuses facts dated from ``effective_on``, naming
    the successor, whose identity takes over."""

    event_name: ClassVar[str] = "DepartmentMerged"
    into_department_code: DepartmentCode
    legal_basis: DocumentRef = Field(description="Căn cứ pháp lý.")


@event_type
class DepartmentDissolved(DepartmentChange):
    """Giải thể Sở."""

    event_name: ClassVar[str] = "DepartmentDissolved"
    reason: Text | None = None


class SuccessionEvent(RegistrationEvent):
    from_department_code: DepartmentCode = Field(description="The merged-away department.")
    to_department_code: DepartmentCode = Field(description="Its successor.")
    effective_on: date


@event_type
class UnitTransferred(SuccessionEvent):
    """A unit, with its staff and their history, passes to the successor department (tiếp nhận
    nguyên trạng đơn vị)."""

    event_name: ClassVar[str] = "UnitTransferred"
    unit_id: EntityId


@event_type
class CampaignTransferred(SuccessionEvent):
    """An open campaign passes to the successor department, which runs it from then on."""

    event_name: ClassVar[str] = "CampaignTransferred"
    campaign_id: EntityId


class UnitEvent(RegistrationEvent):
    unit_id: EntityId


@event_type
class UnitEstablished(UnitEvent):
    """A unit of a department: section, attached unit, enterprise, commune... (đơn vị)."""

    event_name: ClassVar[str] = "UnitEstablished"
    department_code: DepartmentCode
    name: ShortText
    kind: UnitKind
    parent_unit_id: EntityId | None = Field(default=None, description="Enclosing unit, if any.")
    established_on: date
    headcount: Count | None = Field(
        default=None, description="Staff count (quân số) where people are not listed one by one."
    )


@event_type
class UnitRenamed(UnitEvent):
    """Đổi tên đơn vị."""

    event_name: ClassVar[str] = "UnitRenamed"
    name: ShortText
    effective_on: date


@event_type
class UnitMerged(UnitEvent):
    """``unit_id`` is merged into ``into_unit_id`` (sáp nhập) and ceases to exist."""

    event_name: ClassVar[str] = "UnitMerged"
    into_unit_id: EntityId
    effective_on: date


@event_type
class UnitDissolved(UnitEvent):
    """Giải thể đơn vị."""

    event_name: ClassVar[str] = "UnitDissolved"
    effective_on: date
    reason: Text | None = None


class BlocMember(Value):
    """A member of an emulation bloc: a department or a unit (e.g. an enterprise)."""

    member_kind: Literal["department", "unit"]
    member_id: EntityId = Field(description="Department code or unit id.")


@event_type
class BlocFormed(RegistrationEvent):
    """An emulation bloc or cluster (Khối / Cụm thi đua) and its members."""

    event_name: ClassVar[str] = "BlocFormed"
    bloc_id: EntityId
    name: ShortText = Field(description="e.g. Khối thi đua các sở, ngành kinh tế tỉnh.")
    organiser: OrgRef = Field(description="Who organises the bloc, e.g. UBND tỉnh.")
    level: OrgLevel = Field(description="Level of the organiser (province, ministry, ...).")
    members: list[BlocMember] = Field(default_factory=list)
    formed_on: date


@event_type
class BlocLeaderDesignated(RegistrationEvent):
    """The bloc leader (Trưởng khối) for one year: the candidate for the yearly flag."""

    event_name: ClassVar[str] = "BlocLeaderDesignated"
    bloc_id: EntityId
    year: Year
    leader: BlocMember
    designated_on: date


class PersonEvent(RegistrationEvent):
    person_id: EntityId


@event_type
class PersonJoined(PersonEvent):
    """A civil servant, public employee or worker (CBCCVCLĐ) joins a unit."""

    event_name: ClassVar[str] = "PersonJoined"
    department_code: DepartmentCode
    unit_id: EntityId
    full_name: ShortText
    sex: Sex
    birth_year: Year | None = None
    position: ShortText | None = Field(default=None, description="Chức vụ.")
    is_leader: bool = Field(
        default=False, description="Lãnh đạo: excluded from some percentage targets."
    )
    is_direct_worker: bool = Field(
        default=False, description="Người trực tiếp lao động, sản xuất, công tác."
    )
    joined_on: date


@event_type
class PersonTransferred(PersonEvent):
    """Moves between units of the same department (điều động); across departments the old
    department states PersonLeft and the new one PersonJoined."""

    event_name: ClassVar[str] = "PersonTransferred"
    from_unit_id: EntityId
    to_unit_id: EntityId
    effective_on: date


@event_type
class PersonRoleChanged(PersonEvent):
    """New position, leader flag or direct-worker flag (bổ nhiệm, thôi giữ chức vụ...)."""

    event_name: ClassVar[str] = "PersonRoleChanged"
    position: ShortText | None = None
    is_leader: bool
    is_direct_worker: bool
    effective_on: date


@event_type
class PersonLeft(PersonEvent):
    """Leaves the department: retired (nghỉ hưu), resigned (thôi việc), transferred out
    (chuyển công tác), deceased, other."""

    event_name: ClassVar[str] = "PersonLeft"
    unit_id: EntityId
    left_on: date
    reason: Literal["retired", "resigned", "transferred_out", "deceased", "other"] | None = None


@event_type
class OrganisationContactSet(RegistrationEvent):
    """Where an organisation wants to be told about its facts (email, webhook)."""

    event_name: ClassVar[str] = "OrganisationContactSet"
    org_kind: OrgKind
    org_id: EntityId = Field(description="Department code, unit id, province id, ...")
    email: Email | None = None
    webhook_url: AnyHttpUrl | None = Field(default=None, description="HTTPS endpoint for POSTs.")
    mail_digest: bool | None = Field(
        default=None,
        description="True: the organisation is mailed once a day, a digest of everything since"
        " the last one, instead of a mail per notification (issue 18); the organisation sets"
        " it with its contact. Absent or false: each notification at once.",
    )


# --- campaigns -------------------------------------------------------------------------------


class Phase(Period):
    """An emulation wave (đợt thi đua) inside the plan period."""

    number: int = Field(ge=1, description="1 for đợt thứ nhất, ...")
    name: Text | None = None


class EconomicTarget(Value):
    """Chỉ tiêu kinh tế, e.g. industrial output 19,663 bn VND, +8.76%."""

    indicator: ShortText = Field(description="e.g. Giá trị sản xuất công nghiệp.")
    unit_of_measure: ShortText = Field(description="Đơn vị tính, e.g. tỷ đồng, triệu USD.")
    value: Quantity
    growth_percent: Quantity | None = Field(
        default=None, description="Change on the previous year in %, negative for a decrease."
    )
    note: Text | None = Field(default=None, description="e.g. theo giá so sánh 2010.")


class EmulationTarget(Value):
    """Chỉ tiêu thi đua on a title, e.g. ≥30% of sections TTLĐXS. Targets warn, never reject."""

    title: TitleCode
    measure: TargetMeasure
    value: NonNegativeQuantity
    comparator: Comparator = Comparator.GTE
    basis: TargetBasis
    note: Text | None = None

    @model_validator(mode="after")
    def _percent_range(self) -> EmulationTarget:
        if self.measure is TargetMeasure.PERCENT and self.value > 100:
            raise ValueError("a percentage target is at most 100")
        return self


class Deadlines(Value):
    """Deadlines set by the plan; each optional."""

    registration: date | None = Field(default=None, description="Hạn đăng ký thi đua.")
    dossier: date | None = Field(default=None, description="Hạn gửi hồ sơ đề nghị khen thưởng.")
    review: date | None = Field(default=None, description="Ngày xét khen thưởng / tổng kết.")


MAX_REPORT_DUE_DAYS = 366
"""A conference report due more than a year after the conference is a typo."""


class ConferenceRule(Value):
    """The conferences a plan orders at one level (DOMAIN rule 25), e.g. Khánh Hòa 2020:
    units hold theirs in Quý I (under 200 staff all staff attend, over 200 delegates), the
    department holds its own in May with at most 150 delegates; ~70% of the delegates are
    exemplary models and ~30% guests; each reports 2 weeks after its conference."""

    level: OrgLevel = Field(description="Cấp tổ chức hội nghị: unit (cơ sở), department (Sở)…")
    forms: list[ShortText] = Field(
        default_factory=list,
        description="Hình thức tổ chức, e.g. “Hội nghị điển hình tiên tiến”, “Hội nghị "
        "biểu dương người tốt, việc tốt”.",
    )
    held_within: Period | None = Field(
        default=None, description="Thời gian tổ chức, e.g. Quý I năm 2020."
    )
    duration_days: DurationDays | None = Field(
        default=None, description="Thời lượng in days, e.g. 0.5 (1/2 ngày)."
    )
    max_delegates: Count | None = Field(
        default=None,
        ge=1,
        description="Số lượng tối đa đại biểu, e.g. 150; null: the organiser decides.",
    )
    exemplary_share_percent: Percent | None = Field(
        default=None, description="Share of exemplary-model delegates, e.g. 70."
    )
    guest_share_percent: Percent | None = Field(
        default=None, description="Share of guest delegates (khách mời), e.g. 30."
    )
    shares_approximate: bool = Field(
        default=False, description="The plan gives the shares as approximate (khoảng 70%)."
    )
    delegates_above_staff: Count | None = Field(
        default=None,
        ge=1,
        description="An organiser with more staff than this holds a delegates' conference "
        "(hội nghị đại biểu), one with fewer a plenary (hội nghị toàn thể), e.g. 200.",
    )
    report_due_days: Count | None = Field(
        default=None,
        ge=1,
        le=MAX_REPORT_DUE_DAYS,
        description="The organiser reports this many days after its conference, e.g. 14 "
        "(sau 02 tuần kể từ ngày tổ chức Hội nghị).",
    )

    @model_validator(mode="after")
    def _shares_add_up(self) -> ConferenceRule:
        shares = (self.exemplary_share_percent, self.guest_share_percent)
        if None not in shares and sum(s for s in shares if s is not None) != 100:
            raise ValueError("the exemplary and guest shares add up to 100")
        return self

    def format_for(self, staff: int) -> Literal["plenary", "delegates"] | None:
        """The conference an organiser of ``staff`` people holds; None when the plan leaves
        it open (no threshold, or exactly at it)."""
        threshold = self.delegates_above_staff
        if threshold is None or staff == threshold:
            return None
        return "delegates" if staff > threshold else "plenary"

    def report_due(self, held_on: date) -> date | None:
        """The day the conference's report is due, if the plan sets a delay."""
        if self.report_due_days is None:
            return None
        return held_on + timedelta(days=self.report_due_days)


class ConferencePlan(Value):
    """The conferences a campaign's plan organises: Hội nghị điển hình tiên tiến or Đại hội
    thi đua yêu nước, one rule per level. ``ConferenceHeld`` is checked against it."""

    kind: Literal["exemplary_models", "emulation_congress"]
    levels: list[ConferenceRule] = Field(min_length=1, max_length=len(OrgLevel))

    @model_validator(mode="after")
    def _one_rule_per_level(self) -> ConferencePlan:
        levels = [rule.level for rule in self.levels]
        if len(set(levels)) != len(levels):
            raise ValueError("one conference rule per level")
        return self

    def rule_for(self, level: OrgLevel) -> ConferenceRule | None:
        return next((rule for rule in self.levels if rule.level is level), None)


class CampaignEvent(RegistrationEvent):
    campaign_id: EntityId


@event_type
class CampaignLaunched(CampaignEvent):
    """A campaign (phong trào thi đua) launched by a plan (Kế hoạch) or directive (Chỉ thị)."""

    event_name: ClassVar[str] = "CampaignLaunched"
    department_code: DepartmentCode
    number: DocumentNumber | None = Field(
        default=None, description="Số hiệu, e.g. 53/KH-SCT; null when the document has none."
    )
    document_kind: PlanDocumentKind = PlanDocumentKind.KH
    issued_on: date | None = Field(default=None, description="Ngày ban hành.")
    issuer: OrgRef = Field(description="Cơ quan ban hành.")
    signer: Signer | None = None
    launching_level: OrgLevel = Field(
        default=OrgLevel.DEPARTMENT, description="Cấp phát động (for form 0601.N)."
    )
    parents: list[DocumentRef] = Field(
        default_factory=list, description="Documents it implements (văn bản căn cứ)."
    )
    title: Text = Field(description="Trích yếu.")
    theme: Text | None = Field(default=None, description="Chủ đề.")
    slogan: Text | None = Field(default=None, description="Khẩu hiệu.")
    kind: CampaignKind
    year: Year
    period: Period
    sub_movements: list[Text] = Field(default_factory=list, description="Phong trào cụ thể.")
    phases: list[Phase] = Field(default_factory=list)
    economic_targets: list[EconomicTarget] = Field(default_factory=list)
    emulation_targets: list[EmulationTarget] = Field(default_factory=list)
    qualitative_targets: list[Text] = Field(
        default_factory=list, description="Other targets, stated in words."
    )
    deadlines: Deadlines = Field(default_factory=Deadlines)
    participants: Text | None = Field(default=None, description="Đối tượng tham gia.")
    recipients: list[ShortText] = Field(default_factory=list, description="Nơi nhận.")
    conference: ConferencePlan | None = Field(
        default=None, description="Hội nghị điển hình tiên tiến / Đại hội thi đua the plan orders."
    )
    inferred: list[FieldPath] = Field(
        default_factory=list,
        max_length=200,
        description="Fields not read from the document but inferred (e.g. the period of a plan "
        "that states none, the issuer's full name), by path from the payload's root.",
    )

    @model_validator(mode="after")
    def _inferred_fields_are_the_plans(self) -> CampaignLaunched:
        """Each mark names a field of the plan (its first segment; what lies below may be left
        out of a copy of the plan, as a derived plan drops a phase), and each only once."""
        fields = set(type(self).model_fields) - {"inferred"}
        for index, path in enumerate(self.inferred):
            if path.split(".")[0] not in fields:
                raise ValueError(f"inferred.{index}: {path} names no field of the plan")
        if len(set(self.inferred)) != len(self.inferred):
            raise ValueError("inferred lists a field twice")
        return self


@event_type
class CampaignAmended(CampaignEvent):
    """Changes a launched campaign: each field given replaces the previous value entirely;
    fields left null stay as they were."""

    event_name: ClassVar[str] = "CampaignAmended"
    amended_on: date
    document: DocumentRef | None = Field(default=None, description="The amending document.")
    title: Text | None = None
    theme: Text | None = None
    slogan: Text | None = None
    period: Period | None = None
    sub_movements: list[Text] | None = None
    phases: list[Phase] | None = None
    economic_targets: list[EconomicTarget] | None = None
    emulation_targets: list[EmulationTarget] | None = None
    qualitative_targets: list[Text] | None = None
    deadlines: Deadlines | None = None
    recipients: list[ShortText] | None = None


@event_type
class CampaignClosed(CampaignEvent):
    """The campaign ended (tổng kết) or was cancelled."""

    event_name: ClassVar[str] = "CampaignClosed"
    closed_on: date
    cancelled: bool = False
    summary_document: DocumentRef | None = Field(default=None, description="Báo cáo tổng kết.")


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


# --- ratings and discipline ------------------------------------------------------------------


@event_type
class PerformanceRated(RegistrationEvent):
    """Yearly rating (đánh giá, xếp loại) of a person or a collective."""

    event_name: ClassVar[str] = "PerformanceRated"
    department_code: DepartmentCode
    subject_kind: SubjectKind
    subject_id: EntityId = Field(description="Person id or unit id.")
    unit_id: EntityId | None = Field(default=None, description="The person's unit.")
    year: Year
    rating: Rating
    rated_on: date | None = None


@event_type
class DisciplineImposed(RegistrationEvent):
    """Kỷ luật: awards are frozen meanwhile; after it only later achievements count."""

    event_name: ClassVar[str] = "DisciplineImposed"
    person_id: EntityId
    department_code: DepartmentCode
    unit_id: EntityId
    level: DisciplineLevel
    imposed_on: date
    decision_number: DocumentNumber | None = None
    case_id: EntityId | None = None
    effective_until: date | None = None


class CaseEvent(RegistrationEvent):
    case_id: EntityId


@event_type
class CaseOpened(CaseEvent):
    """A discipline, investigation or complaint case: suspends nominations of its subject."""

    event_name: ClassVar[str] = "CaseOpened"
    kind: CaseKind
    department_code: DepartmentCode
    subject_kind: SubjectKind
    subject_id: EntityId = Field(description="Person id or unit id.")
    opened_on: date
    summary: Text | None = None


@event_type
class CaseClosed(CaseEvent):
    """The case ended; suspended nominations resume."""

    event_name: ClassVar[str] = "CaseClosed"
    closed_on: date
    outcome: CaseOutcome
    summary: Text | None = None


# --- corrections and retractions (issue 15) ----------------------------------------------------
# A department corrects a fact it submitted by sending the corrected fact in full, with the
# date of the correction and a reason (đính chính); it retracts one with a withdrawal. Each is
# checked by the same rules as the fact it corrects. The original fact stays in the store: a
# report "as of" a date before the correction shows it.


@event_type
class PersonDetailsCorrected(PersonEvent):
    """Đính chính thông tin cán bộ: name, sex, birth year or joining date recorded wrongly.
    Moves between units and role changes keep their own events."""

    event_name: ClassVar[str] = "PersonDetailsCorrected"
    department_code: DepartmentCode
    full_name: ShortText
    sex: Sex
    birth_year: Year | None = None
    joined_on: date
    corrected_on: date
    reason: Text = Field(description="Lý do đính chính.")


@event_type
class RatingCorrected(RegistrationEvent):
    """Đính chính kết quả đánh giá, xếp loại of one subject for one year: the rating that
    replaces the one recorded. Pending nominations that rely on it are judged again."""

    event_name: ClassVar[str] = "RatingCorrected"
    department_code: DepartmentCode
    subject_kind: SubjectKind
    subject_id: EntityId = Field(description="Person id or unit id.")
    unit_id: EntityId | None = Field(default=None, description="The person's unit.")
    year: Year
    rating: Rating
    corrected_on: date
    reason: Text = Field(description="Lý do đính chính.")


@event_type
class InitiativeDetailsCorrected(InitiativeEvent):
    """Đính chính hồ sơ sáng kiến: title, kind, claimed scope, authors or summary."""

    event_name: ClassVar[str] = "InitiativeDetailsCorrected"
    department_code: DepartmentCode
    unit_id: EntityId
    title: Text
    kind: InitiativeKind
    scope: Scope
    authors: list[Person] = Field(min_length=1)
    summary: LongText | None = None
    corrected_on: date
    reason: Text = Field(description="Lý do đính chính.")


@event_type
class InitiativeWithdrawn(InitiativeEvent):
    """Rút / hủy sáng kiến: it no longer counts as evidence; an award already decided on it is
    flagged for review (not changed)."""

    event_name: ClassVar[str] = "InitiativeWithdrawn"
    department_code: DepartmentCode
    withdrawn_on: date
    reason: Text = Field(description="Lý do rút.")


@event_type
class ResearchWithdrawn(RegistrationEvent):
    """Hủy kết quả nghiệm thu đề tài: it no longer counts as evidence."""

    event_name: ClassVar[str] = "ResearchWithdrawn"
    research_id: EntityId
    department_code: DepartmentCode
    withdrawn_on: date
    reason: Text = Field(description="Lý do hủy.")


@event_type
class DisciplineLifted(RegistrationEvent):
    """Xóa / hủy kỷ luật: the discipline imposed on ``imposed_on`` ends on ``lifted_on``. With
    ``annulled`` the decision is cancelled as if never made (hủy quyết định kỷ luật): the
    achievements before it count again."""

    event_name: ClassVar[str] = "DisciplineLifted"
    person_id: EntityId
    department_code: DepartmentCode
    imposed_on: date = Field(description="Which discipline: the day it was imposed.")
    lifted_on: date
    annulled: bool = False
    decision_number: DocumentNumber | None = None
    reason: Text = Field(description="Lý do.")


# --- economic results (issue 17, item 2) -------------------------------------------------------
# A department reports the actual value of one of its plan's economic targets for a period (kết
# quả thực hiện chỉ tiêu kinh tế); reporting compares it with the target. A (campaign,
# indicator, period) is reported once: a second, different report is refused, naming
# ``EconomicResultCorrected`` (đính chính), which replaces the figures from its date.


def indicator_key(text: str) -> str:
    """How indicators and units of measure are matched: case and spacing do not matter
    (“Tỷ đồng” is “tỷ  đồng”)."""
    return " ".join(text.casefold().split())


class EconomicResult(CampaignEvent):
    department_code: DepartmentCode
    indicator: ShortText = Field(
        description="A target's indicator as the plan in force on the report's date names it, "
        "e.g. Giá trị sản xuất công nghiệp."
    )
    period: Period = Field(
        description="The period the figure covers, inside the plan's period: the year "
        "(01/01-31/12), a half-year, a phase (đợt), cumulative from its start."
    )
    value: Quantity = Field(description="Giá trị thực hiện, in the target's unit.")
    unit_of_measure: ShortText = Field(description="Đơn vị tính: the target's, e.g. tỷ đồng.")
    previous_value: Quantity | None = Field(
        default=None, description="The same period of the previous year (cùng kỳ năm trước)."
    )
    growth_percent: Quantity | None = Field(
        default=None,
        description="Growth on the same period of the previous year in % as the department "
        "states it (negative: a decrease); used when ``previous_value`` is not given.",
    )
    note: Text | None = Field(default=None, description="e.g. ước thực hiện, số liệu sơ bộ.")


@event_type
class EconomicResultReported(EconomicResult):
    """Báo cáo kết quả thực hiện chỉ tiêu kinh tế: a target's actual value for a period."""

    event_name: ClassVar[str] = "EconomicResultReported"
    reported_on: date


@event_type
class EconomicResultCorrected(EconomicResult):
    """Đính chính kết quả thực hiện chỉ tiêu kinh tế: the figures that replace those reported
    for the same campaign, indicator and period, from ``corrected_on``."""

    event_name: ClassVar[str] = "EconomicResultCorrected"
    corrected_on: date
    reason: Text = Field(description="Lý do đính chính.")


# --- the provincial board (issue 17, item 3) ---------------------------------------------------


class BlocRank(BlocMember):
    """One member's place in its bloc's ranking for a year."""

    rank: int = Field(ge=1, description="1: the bloc's leader of the year (Trưởng khối).")
    score: NonNegativeQuantity | None = Field(default=None, description="Điểm chấm thi đua.")


@event_type
class BlocRanked(RegistrationEvent):
    """Kết quả chấm điểm, xếp hạng thi đua của khối trong năm, published by the board of the
    bloc's province: the member ranked first leads the bloc that year, the one the province's
    flag (Cờ thi đua tỉnh) may go to (DOMAIN rule 14)."""

    event_name: ClassVar[str] = "BlocRanked"
    bloc_id: EntityId
    year: Year
    ranked_on: date
    ranking: list[BlocRank] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> BlocRanked:
        members = [(r.member_kind, r.member_id) for r in self.ranking]
        if len(set(members)) != len(members):
            raise ValueError("a member is ranked twice")
        ranks = [r.rank for r in self.ranking]
        if len(set(ranks)) != len(ranks):
            raise ValueError("two members share a rank")
        if min(ranks) != 1:
            raise ValueError("nobody is ranked first")
        return self

    @property
    def leader(self) -> BlocMember:
        first = min(self.ranking, key=lambda r: r.rank)
        return BlocMember(member_kind=first.member_kind, member_id=first.member_id)
