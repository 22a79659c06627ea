"""Corrections and retractions of registration facts (issue 15).

A department corrects a fact it submitted by sending the corrected fact in full, with the
date of the correction and a reason (đính chính); it retracts one with a withdrawal. Each is
checked by the same rules as the fact it corrects. The original fact stays in the store: a
report "as of" a date before the correction shows it.

Apart from the facts they correct because they share these rules, and each names a fact of
another part of the package (a person, a rating, an initiative, research, a discipline).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from contracts.base import event_type
from contracts.common import (
    DepartmentCode,
    DocumentNumber,
    EntityId,
    InitiativeKind,
    LongText,
    Person,
    Rating,
    Scope,
    Sex,
    ShortText,
    SubjectKind,
    Text,
    Year,
)
from contracts.registration.base import RegistrationEvent
from contracts.registration.people import PersonEvent
from contracts.registration.registrations import InitiativeEvent


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
