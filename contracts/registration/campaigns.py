"""Campaigns (phong trào thi đua): the plan or directive that launches one, with its phases,
targets, deadlines and conferences; its amendments and closing; and the economic results a
department reports against the plan's targets (issue 17, item 2).

Apart because a plan is the largest contract, the one the seed documents fill in full; what
departments answer to it (registrations, initiatives) is in ``registrations``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from contracts.base import event_type
from contracts.common import (
    CampaignKind,
    Comparator,
    Count,
    DepartmentCode,
    DocumentNumber,
    DocumentRef,
    DurationDays,
    EntityId,
    FieldPath,
    NonNegativeQuantity,
    OrgLevel,
    OrgRef,
    Percent,
    Period,
    PlanDocumentKind,
    Quantity,
    ShortText,
    Signer,
    TargetBasis,
    TargetMeasure,
    Text,
    TitleCode,
    Value,
    Year,
)
from contracts.registration.base import RegistrationEvent


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
