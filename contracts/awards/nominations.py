"""A nomination's life: the dossier (hồ sơ đề nghị khen thưởng) and its evidence; returned,
suspended or resumed; the council's vote and each nomination's result; the decision,
approval or rejection; revocation; titles imported from a department's records; and the
provincial board's part when a title is above a director's authority (issue 17, item 3).

Apart from exemplary models, conferences and the fund because these are the facts the title
rules and the consecutive-year chains (DOMAIN.md) are judged on.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from contracts.awards.base import AwardsEvent, NominationEvent
from contracts.base import event_type
from contracts.common import (
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
