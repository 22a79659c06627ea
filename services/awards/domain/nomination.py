"""The nomination (hồ sơ đề nghị khen thưởng) aggregate: its state from its events, and the
decisions taken on it. Pure: the kernel loads the events and appends what these return; an
input that may not happen is refused with the kernel's :class:`Refused`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from contracts.awards import (
    AwardFlaggedForReview,
    AwardImported,
    AwardRevoked,
    DecisionIssued,
    NominationApproved,
    NominationForwarded,
    NominationRejected,
    NominationResumed,
    NominationReturned,
    NominationSubmitted,
    NominationSuspended,
    NominationWithdrawn,
)
from contracts.base import EventData
from contracts.common import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    RejectionReason,
    SubjectKind,
)
from services.awards.rules.authority import TITLE_NAMES
from services.awards.rules.base import Verdict, as_reasons, refusal, vn_date
from services.awards.rules.money import cash_for
from services.awards.rules.procedure import dossier_on_time
from thidua.es.rejections import Refused as Refused  # the refusal tests and callers catch


class Status(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    SUSPENDED = "suspended"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"


DECIDED = frozenset({Status.APPROVED, Status.REJECTED, Status.REVOKED})
PENDING = frozenset({Status.SUBMITTED, Status.SUSPENDED})


@dataclass(frozen=True)
class Nomination:
    nomination_id: str
    version: int = 0
    status: Status | None = None
    dossier: NominationSubmitted | None = None
    case_id: str | None = None
    imported: AwardImported | None = None
    """A title from the department's records before the system (no dossier)."""
    withdrawn_on: date | None = None
    forwarded_to: str | None = None
    """The board the dossier was forwarded to (issue 17), if its title is the board's."""
    flagged_by: frozenset[str] = frozenset()
    """The corrections (event ids) that flagged its award for review: one flag each."""
    approval: NominationApproved | None = None
    """The award, once decided: its decision and cash (a revocation recovers the cash)."""

    def apply(self, event: EventData) -> Nomination:
        version = self.version + 1
        match event:
            case NominationSubmitted():
                return replace(
                    self, version=version, status=Status.SUBMITTED, dossier=event, case_id=None
                )
            case NominationReturned():
                return replace(self, version=version, status=Status.RETURNED)
            case NominationSuspended():
                return replace(
                    self, version=version, status=Status.SUSPENDED, case_id=event.case_id
                )
            case NominationResumed():
                return replace(self, version=version, status=Status.SUBMITTED, case_id=None)
            case NominationApproved():
                return replace(self, version=version, status=Status.APPROVED, approval=event)
            case NominationRejected():
                return replace(self, version=version, status=Status.REJECTED)
            case AwardRevoked():
                return replace(self, version=version, status=Status.REVOKED)
            case AwardImported():
                return replace(self, version=version, status=Status.APPROVED, imported=event)
            case NominationWithdrawn():
                return replace(
                    self, version=version, status=Status.WITHDRAWN, withdrawn_on=event.withdrawn_on
                )
            case NominationForwarded():
                return replace(self, version=version, forwarded_to=event.board_code)
            case AwardFlaggedForReview():
                flagged = self.flagged_by | {event.cause_event_id}
                return replace(self, version=version, flagged_by=flagged)
        return replace(self, version=version)


def replay(nomination_id: str, events: Iterable[EventData]) -> Nomination:
    state = Nomination(nomination_id)
    for event in events:
        state = state.apply(event)
    return state


def title_fits_nominee(dossier: NominationSubmitted) -> list[RejectionReason]:
    """LĐTT and CSTĐ are for individuals; TTLĐTT, TTLĐXS and flags for collectives."""
    allowed = (
        INDIVIDUAL_TITLES if dossier.nominee_kind is SubjectKind.INDIVIDUAL else COLLECTIVE_TITLES
    )
    if dossier.title in allowed:
        return []
    who = "cá nhân" if dossier.nominee_kind is SubjectKind.INDIVIDUAL else "tập thể"
    return refusal(
        "title_not_for_nominee_kind",
        f"Danh hiệu {TITLE_NAMES[dossier.title]} không xét cho {who}",
        "title",
    )


def submit(
    state: Nomination,
    dossier: NominationSubmitted,
    *,
    dossier_deadline: date | None,
    open_case: str | None,
    today: date,
) -> list[EventData]:
    """Receive a dossier: late ones are returned (Quy tắc 3), those under an open case are
    suspended (Quy tắc 18). A returned dossier may be submitted again."""
    if state.status is Status.WITHDRAWN:
        raise Refused(as_reasons(_withdrawn(state, "; gửi hồ sơ mới với mã hồ sơ khác")))
    if state.status not in (None, Status.RETURNED):
        raise Refused(
            as_reasons(
                refusal(
                    "nomination_exists",
                    f"Hồ sơ {dossier.nomination_id} đã được tiếp nhận trước đó",
                    "nomination_id",
                )
            )
        )
    fit = title_fits_nominee(dossier)
    if fit:
        raise Refused(as_reasons(fit))
    late = dossier_on_time(dossier, dossier_deadline)
    if late:
        returned = NominationReturned(
            nomination_id=dossier.nomination_id, returned_on=today, late=True, reasons=late
        )
        return [dossier, returned]
    if open_case is not None:
        suspended = NominationSuspended(
            nomination_id=dossier.nomination_id, case_id=open_case, suspended_on=today
        )
        return [dossier, suspended]
    return [dossier]


def open_for_vote(state: Nomination) -> list[RejectionReason]:
    if state.status in (Status.SUBMITTED, Status.SUSPENDED):
        return []
    return _not_open(state)


def open_for_decision(state: Nomination) -> list[RejectionReason]:
    if state.status is Status.SUBMITTED:
        return []
    if state.status is Status.SUSPENDED:
        return refusal(
            "nomination_suspended",
            f"Hồ sơ {state.nomination_id} đang tạm dừng xét do vụ việc {state.case_id}",
            "nomination_ids",
        )
    return _not_open(state)


def _not_open(state: Nomination) -> list[RejectionReason]:
    if state.status is None:
        return refusal(
            "unknown_nomination", f"Không có hồ sơ {state.nomination_id}", "nomination_ids"
        )
    if state.status is Status.WITHDRAWN:
        return _withdrawn(state, ", không được xét")
    if state.status is Status.RETURNED:
        return refusal(
            "nomination_returned",
            f"Hồ sơ {state.nomination_id} đã bị trả lại; cần gửi lại hồ sơ",
            "nomination_ids",
        )
    return refusal(
        "nomination_decided",
        f"Hồ sơ {state.nomination_id} đã có kết quả xét ({state.status})",
        "nomination_ids",
    )


def conclude(state: Nomination, decision: DecisionIssued, verdict: Verdict) -> EventData:
    """The decision's effect on one nomination: approved with its cash, or rejected."""
    dossier = state.dossier
    assert dossier is not None
    if not verdict.approved:
        return NominationRejected(
            nomination_id=state.nomination_id,
            rejected_on=decision.issued_on,
            reasons=list(verdict.reasons),
            rule_set=verdict.rule_set,
        )
    cash, coefficient, base = cash_for(dossier.title, decision.issued_on)
    return NominationApproved(
        nomination_id=state.nomination_id,
        department_code=dossier.department_code,
        year=dossier.year,
        title=dossier.title,
        method=dossier.method,
        nominee_kind=dossier.nominee_kind,
        nominee_id=dossier.nominee_id,
        unit_id=dossier.unit_id,
        decision_id=decision.decision_id,
        decision_number=decision.number,
        decision_date=decision.issued_on,
        authority=decision.authority,
        cash_vnd=cash,
        base_salary_vnd=base,
        coefficient=coefficient,
        rule_set=verdict.rule_set,
    )


def revoke(state: Nomination, revocation: AwardRevoked) -> list[EventData]:
    """Quy tắc 24: only an awarded title can be revoked; the chains built on it then break."""
    if state.imported is not None:
        raise Refused(
            as_reasons(
                refusal(
                    "imported_title",
                    f"Danh hiệu {state.nomination_id} được nhập từ lịch sử khen thưởng; "
                    "hệ thống chưa thu hồi được danh hiệu nhập từ lịch sử",
                    "nomination_id",
                )
            )
        )
    if state.status is not Status.APPROVED:
        raise Refused(
            as_reasons(
                refusal(
                    "not_awarded",
                    f"Hồ sơ {state.nomination_id} chưa được khen thưởng hoặc đã bị thu hồi",
                    "nomination_id",
                )
            )
        )
    return [revocation]


def _withdrawn(state: Nomination, then: str) -> list[RejectionReason]:
    on = f" ngày {vn_date(state.withdrawn_on)}" if state.withdrawn_on else ""
    return refusal(
        "nomination_withdrawn",
        f"Hồ sơ {state.nomination_id} đã được rút{on}{then}",
        "nomination_id",
    )


def withdraw(state: Nomination, withdrawal: NominationWithdrawn) -> list[EventData]:
    """Rút hồ sơ: only before the nomination is decided (a title awarded is revoked by a
    decision, ``AwardRevoked``), once, and not before it was received."""
    if state.status is None:
        reasons = refusal(
            "unknown_nomination", f"Không có hồ sơ {state.nomination_id}", "nomination_id"
        )
    elif state.status is Status.WITHDRAWN:
        reasons = _withdrawn(state, " trước đó")
    elif state.status is Status.APPROVED:
        reasons = refusal(
            "nomination_approved",
            f"Hồ sơ {state.nomination_id} đã được khen thưởng: không rút được hồ sơ; "
            "hủy khen thưởng bằng quyết định thu hồi (AwardRevoked)",
            "nomination_id",
        )
    elif state.status in DECIDED:
        reasons = [r.model_copy(update={"field": "nomination_id"}) for r in _not_open(state)]
    elif state.dossier is not None and withdrawal.withdrawn_on < state.dossier.received_on:
        reasons = refusal(
            "withdrawn_before_received",
            f"Ngày rút hồ sơ {vn_date(withdrawal.withdrawn_on)} trước ngày tiếp nhận hồ sơ "
            f"{vn_date(state.dossier.received_on)}",
            "withdrawn_on",
        )
    else:
        return [withdrawal]
    raise Refused(as_reasons(reasons))
