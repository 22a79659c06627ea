"""Exemplary models (điển hình tiên tiến) and conferences: recorded once, then only corrected
in full (đính chính) or, for an exemplary model, withdrawn (hủy công nhận). Pure: each
correction is checked against the record as it stands, by the rules of the fact it corrects
(the contract's own checks, the department, the record's existence)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from contracts.awards import (
    ConferenceCorrected,
    ConferenceFields,
    ConferenceReported,
    ExemplaryModelCorrected,
    ExemplaryModelFields,
    ExemplaryModelWithdrawn,
)
from contracts.base import EventData
from contracts.common import RejectionReason
from services.awards.rules.base import as_reasons, refusal, vn_date
from thidua.es.rejections import Refused

Fields = ExemplaryModelFields | ConferenceFields
_SAME = {"event_name", "corrected_on", "reason"}
"""What a correction carries beside the record's own fields."""


@dataclass(frozen=True)
class Record:
    recorded: Fields | None = None
    """The record as last corrected."""
    withdrawn_on: date | None = None
    reported_on: date | None = None
    """A conference's report received (issue 17)."""


def evolve(state: Record, event: EventData) -> Record:
    if isinstance(event, ExemplaryModelWithdrawn):
        return replace(state, withdrawn_on=event.withdrawn_on)
    if isinstance(event, ConferenceReported):
        return replace(state, reported_on=event.reported_on)
    if isinstance(event, ExemplaryModelFields | ConferenceFields):
        return replace(state, recorded=event)
    return state


@dataclass(frozen=True)
class Kind:
    """How refusals name one kind of record: its code and its name in Vietnamese."""

    code: str
    name: str
    id_field: str


EXEMPLARY = Kind("exemplary_model", "điển hình tiên tiến", "exemplary_id")
CONFERENCE = Kind("conference", "hội nghị", "conference_id")


def _fields(fact: Fields) -> dict[str, object]:
    return {k: v for k, v in fact.model_dump().items() if k not in _SAME}


def _standing(state: Record, kind: Kind, record_id: str, department: str) -> Fields:
    """The record a correction or withdrawal is about: known, the department's, in force."""
    reasons: list[RejectionReason] = []
    recorded = state.recorded
    if recorded is None:
        reasons = refusal(f"unknown_{kind.code}", f"Chưa có {kind.name} {record_id}", kind.id_field)
    elif recorded.department_code != department:
        reasons = refusal(
            f"foreign_{kind.code}",
            f"{kind.name.capitalize()} {record_id} thuộc Sở '{recorded.department_code}'",
            kind.id_field,
        )
    elif state.withdrawn_on is not None:
        reasons = refusal(
            f"{kind.code}_withdrawn",
            f"{kind.name.capitalize()} {record_id} đã bị hủy ngày {vn_date(state.withdrawn_on)}",
            kind.id_field,
        )
    if reasons:
        raise Refused(as_reasons(reasons))
    assert recorded is not None
    return recorded


def correct(
    state: Record, correction: ExemplaryModelCorrected | ConferenceCorrected, kind: Kind
) -> list[EventData]:
    """Đính chính: the record in full as it should have been; one that changes nothing is
    refused (a repeat under the same event id is the inbox's, not this)."""
    record_id = str(getattr(correction, kind.id_field))
    recorded = _standing(state, kind, record_id, correction.department_code)
    if _fields(recorded) == _fields(correction):
        raise Refused(
            as_reasons(
                refusal(
                    "correction_changes_nothing",
                    f"Nội dung đính chính {kind.name} {record_id} trùng với nội dung đã ghi nhận",
                    None,
                )
            )
        )
    return [correction]


def withdraw_exemplary(state: Record, withdrawal: ExemplaryModelWithdrawn) -> list[EventData]:
    """Hủy công nhận: once, not before the model was chosen."""
    chosen = _standing(state, EXEMPLARY, withdrawal.exemplary_id, withdrawal.department_code)
    assert isinstance(chosen, ExemplaryModelFields)
    if withdrawal.withdrawn_on < chosen.chosen_on:
        raise Refused(
            as_reasons(
                refusal(
                    "withdrawn_before_recorded",
                    f"Ngày hủy {vn_date(withdrawal.withdrawn_on)} trước ngày công nhận "
                    f"{vn_date(chosen.chosen_on)}",
                    "withdrawn_on",
                )
            )
        )
    return [withdrawal]


def report_conference(state: Record, report: ConferenceReported) -> list[EventData]:
    """Báo cáo kết quả hội nghị: of a conference known and the department's, once, not before
    the conference was held."""
    held = _standing(state, CONFERENCE, report.conference_id, report.department_code)
    assert isinstance(held, ConferenceFields)
    reasons: list[RejectionReason] = []
    if state.reported_on is not None:
        reasons = refusal(
            "conference_already_reported",
            f"Hội nghị {report.conference_id} đã được báo cáo ngày {vn_date(state.reported_on)}",
            "conference_id",
        )
    elif report.reported_on < held.held_on:
        reasons = refusal(
            "conference_reported_before_held",
            f"Ngày báo cáo {vn_date(report.reported_on)} trước ngày tổ chức hội nghị "
            f"{vn_date(held.held_on)}",
            "reported_on",
        )
    if reasons:
        raise Refused(as_reasons(reasons))
    return [report]
