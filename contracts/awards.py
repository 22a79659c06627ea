"""Facts owned by the awards service: nominations (dossiers), council votes, decisions,
awarded titles, revocations, exemplary models and conferences.

Departments' systems propose dossiers, votes, decisions, revocations, exemplary models and
conferences on their ingress topic; the awards service alone decides whether a nomination is
returned, suspended, approved or rejected (those types are not ``submittable``).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from contracts.base import EventData, event_type
from contracts.common import (
    MAX_VND,
    AuthorityLevel,
    AwardMethod,
    CouncilLevel,
    Count,
    DepartmentCode,
    DocumentNumber,
    DocumentRef,
    EntityId,
    NonNegativeQuantity,
    OrgLevel,
    OrgRef,
    Period,
    Rating,
    RejectionReason,
    ShortText,
    Signer,
    SubjectKind,
    Text,
    TitleCode,
    Value,
    Vnd,
    Year,
)


class AwardsEvent(EventData):
    service: ClassVar[str] = "awards"


class NominationEvent(AwardsEvent):
    nomination_id: EntityId


class Evidence(Value):
    """Evidence in the dossier (minh chứng): the year's rating, HTXSNV, recognised initiatives,
    accepted research. Each initiative supports at most one award."""

    rating: Rating | None = None
    htxsnv: bool = Field(default=False, description="Hoàn thành xuất sắc nhiệm vụ in the year.")
    initiative_ids: list[EntityId] = Field(default_factory=list)
    research_ids: list[EntityId] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(
        default_factory=list, description="Báo cáo thành tích, biên bản họp, ..."
    )


class LateOverride(Value):
    """Accepts a dossier received after the deadline (recorded exception)."""

    reason: Text
    approved_by: ShortText
    approved_on: date | None = None


@event_type
class NominationSubmitted(NominationEvent):
    """A nomination dossier (hồ sơ đề nghị khen thưởng) received by the standing body."""

    event_name: ClassVar[str] = "NominationSubmitted"
    department_code: DepartmentCode
    campaign_id: EntityId | None = Field(default=None, description="Null for sudden awards.")
    year: Year
    title: TitleCode
    conferring_level: OrgLevel | None = Field(
        default=None, description="Whose title: ministry or province (flags, Bằng khen, CSTĐ)."
    )
    method: AwardMethod = AwardMethod.REGULAR
    nominee_kind: SubjectKind
    nominee_id: EntityId = Field(description="Person id, unit id or department code.")
    unit_id: EntityId | None = Field(default=None, description="The nominee's unit.")
    achievement: Text | None = Field(default=None, description="Tóm tắt thành tích.")
    evidence: Evidence = Field(default_factory=Evidence)
    received_on: date
    late_override: LateOverride | None = None


@event_type
class NominationReturned(NominationEvent):
    """Trả hồ sơ: late or incomplete; the department may resubmit."""

    event_name: ClassVar[str] = "NominationReturned"
    submittable: ClassVar[bool] = False
    returned_on: date
    late: bool
    reasons: list[RejectionReason] = Field(min_length=1)


@event_type
class NominationSuspended(NominationEvent):
    """Frozen while a discipline case, investigation or complaint is open."""

    event_name: ClassVar[str] = "NominationSuspended"
    submittable: ClassVar[bool] = False
    case_id: EntityId
    suspended_on: date


@event_type
class NominationResumed(NominationEvent):
    """The case that suspended the nomination is closed."""

    event_name: ClassVar[str] = "NominationResumed"
    submittable: ClassVar[bool] = False
    case_id: EntityId
    resumed_on: date


class Ballot(Value):
    """Yes votes for one nomination in a council session (bỏ phiếu kín)."""

    nomination_id: EntityId
    yes_votes: Count


@event_type
class CouncilVoted(AwardsEvent):
    """A session of an emulation council (HĐTĐKT) and its secret-ballot results."""

    event_name: ClassVar[str] = "CouncilVoted"
    session_id: EntityId
    department_code: DepartmentCode
    council_level: CouncilLevel
    members_total: int = Field(ge=1, description="All members of the council.")
    members_present: Count
    session_on: date
    results: list[Ballot] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CouncilVoted:
        if self.members_present > self.members_total:
            raise ValueError("more members present than the council has")
        if any(b.yes_votes > self.members_present for b in self.results):
            raise ValueError("more yes votes than members present")
        return self


@event_type
class DecisionIssued(AwardsEvent):
    """An award decision (quyết định khen thưởng) covering one or more nominations."""

    event_name: ClassVar[str] = "DecisionIssued"
    decision_id: EntityId
    department_code: DepartmentCode
    number: DocumentNumber
    issued_on: date
    issuer: OrgRef
    signer: Signer | None = None
    authority: AuthorityLevel
    nomination_ids: list[EntityId] = Field(min_length=1)


@event_type
class NominationApproved(NominationEvent):
    """The title is awarded: the decision covers it and every rule in force holds.
    Cash = coefficient * base salary in force on the decision date."""

    event_name: ClassVar[str] = "NominationApproved"
    submittable: ClassVar[bool] = False
    department_code: DepartmentCode
    year: Year
    title: TitleCode
    method: AwardMethod = AwardMethod.REGULAR
    nominee_kind: SubjectKind
    nominee_id: EntityId
    unit_id: EntityId | None = None
    decision_id: EntityId | None = None
    decision_number: DocumentNumber
    decision_date: date
    authority: AuthorityLevel
    cash_vnd: Vnd
    base_salary_vnd: Vnd = Field(description="Mức lương cơ sở, e.g. 2340000 from NĐ 73/2024.")
    coefficient: NonNegativeQuantity = Field(description="Hệ số, e.g. 0.3 for LĐTT.")
    rule_set: ShortText | None = Field(default=None, description="Rule set applied.")


@event_type
class NominationRejected(NominationEvent):
    """The nomination fails a rule in force (or the council vote); reasons carry codes."""

    event_name: ClassVar[str] = "NominationRejected"
    submittable: ClassVar[bool] = False
    rejected_on: date
    reasons: list[RejectionReason] = Field(min_length=1)
    rule_set: ShortText | None = None


@event_type
class AwardRevoked(NominationEvent):
    """Thu hồi / hủy bỏ quyết định: cancels the title and the chains built on it."""

    event_name: ClassVar[str] = "AwardRevoked"
    department_code: DepartmentCode
    decision_number: DocumentNumber = Field(description="The revoking decision.")
    revoked_on: date
    reason: Text


@event_type
class AwardImported(NominationEvent):
    """A title awarded before the department used this system (nhập lịch sử khen thưởng), from
    its records: it counts in the consecutive-year chains (CSTĐCS for CSTĐ bộ/tỉnh, …) like an
    approval. ``nomination_id`` is stable per record, so importing the same file again changes
    nothing."""

    event_name: ClassVar[str] = "AwardImported"
    department_code: DepartmentCode
    year: Year
    title: TitleCode
    nominee_kind: SubjectKind
    nominee_id: EntityId
    unit_id: EntityId | None = None
    decision_number: DocumentNumber
    decision_date: date

    @model_validator(mode="after")
    def _decided_in_or_after_the_year(self) -> AwardImported:
        if self.decision_date.year < self.year:
            raise ValueError("the decision cannot predate the year it rewards")
        return self


class ExemplaryModelFields(AwardsEvent):
    exemplary_id: EntityId
    department_code: DepartmentCode
    year: Year
    subject_kind: SubjectKind
    subject_id: EntityId = Field(description="Person id or unit id.")
    unit_id: EntityId | None = None
    campaign_id: EntityId | None = None
    achievement: Text | None = None
    chosen_on: date


@event_type
class ExemplaryModelChosen(ExemplaryModelFields):
    """Điển hình tiên tiến: proposed by the standing body, agreed by the council, chosen by
    the director."""

    event_name: ClassVar[str] = "ExemplaryModelChosen"


class ConferenceFields(AwardsEvent):
    conference_id: EntityId
    department_code: DepartmentCode
    kind: Literal["exemplary_models", "emulation_congress"]
    level: OrgLevel
    format: Literal["plenary", "delegates"] = Field(
        description="Hội nghị toàn thể (under 200 staff) or hội nghị đại biểu."
    )
    organiser_unit_id: EntityId | None = Field(default=None, description="For unit level.")
    held_on: date
    delegates_total: Count
    exemplary_delegates: Count
    guest_delegates: Count
    staff_count: Count | None = None
    report_due: date
    review_period: Period | None = Field(default=None, description="e.g. 2015-2020.")
    campaign_id: EntityId | None = None

    @model_validator(mode="after")
    def _delegates_add_up(self) -> ConferenceFields:
        if self.exemplary_delegates + self.guest_delegates > self.delegates_total:
            raise ValueError("exemplary and guest delegates exceed the total")
        return self


@event_type
class ConferenceHeld(ConferenceFields):
    """Hội nghị điển hình tiên tiến or Đại hội thi đua yêu nước. Department level: at most
    150 delegates, ~70% exemplary / ~30% guests; report within 14 days."""

    event_name: ClassVar[str] = "ConferenceHeld"


# --- corrections and retractions (issue 15) ----------------------------------------------------


@event_type
class NominationWithdrawn(NominationEvent):
    """Rút hồ sơ đề nghị khen thưởng, before it is decided (an approved title is revoked with
    AwardRevoked instead)."""

    event_name: ClassVar[str] = "NominationWithdrawn"
    department_code: DepartmentCode
    withdrawn_on: date
    reason: Text = Field(description="Lý do rút hồ sơ.")


@event_type
class ExemplaryModelCorrected(ExemplaryModelFields):
    """Đính chính điển hình tiên tiến: the choice in full as it should have been recorded."""

    event_name: ClassVar[str] = "ExemplaryModelCorrected"
    corrected_on: date
    reason: Text = Field(description="Lý do đính chính.")


@event_type
class ExemplaryModelWithdrawn(AwardsEvent):
    """Hủy công nhận điển hình tiên tiến."""

    event_name: ClassVar[str] = "ExemplaryModelWithdrawn"
    exemplary_id: EntityId
    department_code: DepartmentCode
    withdrawn_on: date
    reason: Text = Field(description="Lý do hủy.")


@event_type
class ConferenceCorrected(ConferenceFields):
    """Đính chính hội nghị: the conference in full as it should have been recorded."""

    event_name: ClassVar[str] = "ConferenceCorrected"
    corrected_on: date
    reason: Text = Field(description="Lý do đính chính.")


@event_type
class AwardFlaggedForReview(NominationEvent):
    """A title already decided rests on a fact that was since corrected or retracted (a
    withdrawn initiative, a lowered rating...): the award is not changed, the department and
    the board are told to review it (xem xét lại)."""

    event_name: ClassVar[str] = "AwardFlaggedForReview"
    submittable: ClassVar[bool] = False
    department_code: DepartmentCode
    flagged_on: date
    cause_type: ShortText = Field(description="The CloudEvents type of the correction.")
    cause_event_id: ShortText = Field(description="The id of the correction's event.")
    reasons: list[RejectionReason] = Field(min_length=1)


# --- conference reports (issue 17, item 1) -----------------------------------------------------


@event_type
class ConferenceReported(AwardsEvent):
    """Báo cáo kết quả hội nghị: the organiser's report of a conference it held, due on the
    conference's ``report_due`` (e.g. 2 weeks after it, Khánh Hòa 2020). Sent once."""

    event_name: ClassVar[str] = "ConferenceReported"
    conference_id: EntityId
    department_code: DepartmentCode
    reported_on: date = Field(description="Ngày gửi báo cáo.")
    document_number: DocumentNumber | None = Field(
        default=None, description="Số, ký hiệu của báo cáo, e.g. 45/BC-SCT."
    )
    summary: Text | None = Field(default=None, description="Trích yếu, kết quả chính.")


# --- the provincial board (issue 17, item 3) ---------------------------------------------------


@event_type
class NominationForwarded(NominationEvent):
    """Chuyển hồ sơ lên Ban Thi đua - Khen thưởng tỉnh: the title is above a director's
    authority (DOMAIN rule 22), so the dossier the department received goes to its province's
    board, whose council (HĐTĐKT tỉnh) votes and whose chair (Chủ tịch UBND tỉnh) decides, on
    the board's ingress (``<province>-board``). The department may no longer vote on or decide
    it; it may still withdraw it."""

    event_name: ClassVar[str] = "NominationForwarded"
    submittable: ClassVar[bool] = False
    department_code: DepartmentCode = Field(description="The proposing department.")
    board_code: DepartmentCode = Field(description="The board's code, e.g. gia-lai-board.")
    province_id: EntityId
    title: TitleCode
    forwarded_on: date


@event_type
class NominationVoted(NominationEvent):
    """One nomination's result in a council session (kết quả bỏ phiếu), on the nomination's own
    stream so that a reader sees it in order with the dossier: the yes votes, the council's
    size and whether they reach the share of all members the rule set in force requires
    (DOMAIN rule 15: 80% for CSTĐCS and flags, 90% for CSTĐ; no threshold: reached). A result
    below it is followed by ``NominationRejected``."""

    event_name: ClassVar[str] = "NominationVoted"
    submittable: ClassVar[bool] = False
    session_id: EntityId
    department_code: DepartmentCode = Field(description="The council's: a department or a board.")
    council_level: CouncilLevel
    members_total: int = Field(ge=1)
    members_present: Count
    yes_votes: Count
    threshold_percent: NonNegativeQuantity | None = Field(
        default=None, description="Share of all members needed, in percent (None: no threshold)."
    )
    reached: bool
    voted_on: date
    expected_cash_vnd: Vnd | None = Field(
        default=None,
        description="Tiền thưởng dự kiến if decided (base salary on the vote's day): what the "
        "dossier commits of its council's commendation fund until decided (issue 18).",
    )


# --- the commendation fund (issue 18, item 4) --------------------------------------------------


class FundFields(AwardsEvent):
    """A commendation fund (quỹ thi đua, khen thưởng) is its owner's for one budget year: a
    department's (``sct-gialai``) or its province's, kept by the board (``gia-lai-board``).
    The owner sends its own fund's facts, on its own ingress."""

    department_code: DepartmentCode = Field(
        description="The fund's owner: a department's code or a board's (<province>-board)."
    )
    year: Year = Field(description="Năm ngân sách: the decisions of this year draw on it.")


@event_type
class FundAllocated(FundFields):
    """Giao dự toán quỹ thi đua, khen thưởng: the fund of the year, once (change it with
    ``FundAdjusted``). When the regular expenditure of the budget it is formed from is
    declared, the rule set in force caps the fund at a share of it (NĐ 91/2017 Điều 65,
    NĐ 152/2025 Điều 46: at most 1.0% in lowland provinces and cities, 1.5% in upland ones)."""

    event_name: ClassVar[str] = "FundAllocated"
    amount_vnd: Vnd = Field(description="Số tiền giao, VND.")
    legal_basis: DocumentRef = Field(description="Quyết định giao dự toán.")
    allocated_on: date
    regular_expenditure_vnd: Vnd | None = Field(
        default=None, description="Chi ngân sách thường xuyên of the budget level, if declared."
    )
    upland: bool = Field(
        default=False,
        description="Tỉnh miền núi, trung du, Tây Nguyên, vùng sâu, vùng xa, hải đảo (1.5%).",
    )


@event_type
class FundAdjusted(FundFields):
    """Điều chỉnh quỹ: more (bổ sung) or less (cắt giảm) than allocated, with its basis."""

    event_name: ClassVar[str] = "FundAdjusted"
    delta_vnd: int = Field(
        ge=-MAX_VND, le=MAX_VND, description="Số tiền điều chỉnh, VND: + bổ sung, - giảm."
    )
    reason: Text = Field(description="Lý do điều chỉnh.")
    legal_basis: DocumentRef
    adjusted_on: date

    @model_validator(mode="after")
    def _changes_something(self) -> FundAdjusted:
        if self.delta_vnd == 0:
            raise ValueError("an adjustment of 0 VND changes nothing")
        return self


class FundDraw(FundFields):
    decision_id: EntityId
    decision_number: DocumentNumber
    decided_on: date
    amount_vnd: Vnd = Field(description="Tiền thưởng của quyết định, VND.")
    balance_vnd: int = Field(
        ge=-MAX_VND, le=MAX_VND, description="Số dư của quỹ sau quyết định (âm: bội chi)."
    )


@event_type
class FundDrawn(FundDraw):
    """The cash of a decision (the sum of its awards' ``cash_vnd``) drawn on its issuer's fund
    of the year; only once that fund is allocated."""

    event_name: ClassVar[str] = "FundDrawn"
    submittable: ClassVar[bool] = False


@event_type
class FundOverdrawn(FundDraw):
    """Bội chi quỹ: the decision is recorded (the law does not stop it), and flagged: its cash
    exceeds what was left of the fund."""

    event_name: ClassVar[str] = "FundOverdrawn"
    submittable: ClassVar[bool] = False
    available_vnd: int = Field(
        ge=-MAX_VND, le=MAX_VND, description="Số dư trước quyết định (đã giao - đã chi)."
    )


@event_type
class FundRecovered(FundDraw):
    """Thu hồi tiền thưởng: an award revoked (``AwardRevoked``) whose decision drew on a
    tracked fund gives its cash back to that fund (its issuer's, of the year it was drawn):
    Luật Thi đua, khen thưởng 2022, Chương VII, khoản 2: the decision is annulled and the
    award's objects and cash are recovered. ``amount_vnd`` is the award's cash, the
    ``decision_*`` fields the decision that drew it, ``balance_vnd`` the fund's after it."""

    event_name: ClassVar[str] = "FundRecovered"
    submittable: ClassVar[bool] = False
    nomination_id: EntityId = Field(description="The revoked award.")
    revoked_by: DocumentNumber = Field(description="Số quyết định thu hồi.")
    recovered_on: date = Field(description="Ngày thu hồi (of the revoking decision).")
