"""Exemplary models (điển hình tiên tiến) and the conferences that honour them (Hội nghị
điển hình tiên tiến, Đại hội thi đua yêu nước), with the organiser's report of each
conference (issue 17, item 1).

Apart from nominations because no title is awarded: a model is chosen, a conference held and
reported, and checked against the campaign's conference plan
(``contracts.registration.ConferencePlan``).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from contracts.awards.base import AwardsEvent
from contracts.base import event_type
from contracts.common import (
    Count,
    DepartmentCode,
    DocumentNumber,
    EntityId,
    OrgLevel,
    Period,
    SubjectKind,
    Text,
    Year,
)


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
