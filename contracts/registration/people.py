"""People and how they stand: civil servants, public employees and workers (CBCCVCLĐ)
joining, moving between and leaving units, the yearly ratings of people and collectives,
discipline, and the cases that suspend nominations.

Apart from the organisation directory because these are the facts a nominee is judged by
(rating, discipline, open cases), not the shape of the organisation.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from contracts.base import event_type
from contracts.common import (
    CaseKind,
    CaseOutcome,
    DepartmentCode,
    DisciplineLevel,
    DocumentNumber,
    EntityId,
    Rating,
    Sex,
    ShortText,
    SubjectKind,
    Text,
    Year,
)
from contracts.registration.base import RegistrationEvent


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
