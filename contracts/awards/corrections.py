"""Corrections and retractions of awards facts (issue 15): a dossier withdrawn before it is
decided, an exemplary model or a conference corrected in full or withdrawn, and a decided
award flagged for review when a fact it rests on was since corrected or retracted.

Apart from the facts they correct because, as in ``contracts.registration.corrections``, a
correction restates the fact in full with its date and a reason and is checked by the same
rules, while the original fact stays in the store.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field

from contracts.awards.base import AwardsEvent, NominationEvent
from contracts.awards.exemplary import ConferenceFields, ExemplaryModelFields
from contracts.base import event_type
from contracts.common import DepartmentCode, EntityId, RejectionReason, ShortText, Text


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
