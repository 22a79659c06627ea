"""Initiatives (sáng kiến): submission, the initiative council's vote, recognition or rejection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from contracts.base import EventData
from contracts.common import Scope
from contracts.registration import (
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
)
from services.registration.domain.common import refuse, vn_date

SCOPE_RANK = {Scope.UNIT: 0, Scope.MINISTRY_PROVINCE: 1, Scope.NATIONAL: 2}


@dataclass(frozen=True)
class CouncilRule:
    """Recognition needs this share of all council members in favour (DOMAIN rule 17)."""

    approval: Fraction = Fraction(2, 3)

    def approves(self, review: InitiativeReviewed) -> bool:
        return Fraction(review.approve_votes, review.members_total) >= self.approval


@dataclass(frozen=True)
class Initiative:
    submitted: InitiativeSubmitted
    reviews: tuple[InitiativeReviewed, ...] = ()
    recognized: InitiativeRecognized | None = None
    rejected: InitiativeRejected | None = None

    @property
    def last_review(self) -> InitiativeReviewed | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def decided(self) -> bool:
        return self.recognized is not None or self.rejected is not None


def fold(payloads: Iterable[EventData]) -> Initiative | None:
    state: Initiative | None = None
    for p in payloads:
        if isinstance(p, InitiativeSubmitted):
            state = Initiative(p)
        elif state is None:
            continue
        elif isinstance(p, InitiativeReviewed):
            state = Initiative(state.submitted, (*state.reviews, p), state.recognized)
        elif isinstance(p, InitiativeRecognized):
            state = Initiative(state.submitted, state.reviews, p)
        elif isinstance(p, InitiativeRejected):
            state = Initiative(state.submitted, state.reviews, None, p)
    return state


def unknown_initiative(initiative_id: str) -> Exception:
    return refuse("initiative.unknown", f"Không có sáng kiến mã {initiative_id}", "initiative_id")


def decide_submit(state: Initiative | None, submission: InitiativeSubmitted) -> list[EventData]:
    if state is not None:
        if state.submitted == submission:
            return []
        raise refuse(
            "initiative.already_submitted",
            f"Sáng kiến {submission.initiative_id} đã được nộp với nội dung khác",
            "initiative_id",
        )
    if submission.applied_since is not None and submission.applied_since > submission.submitted_on:
        raise refuse(
            "initiative.applied_after_submission",
            f"Ngày áp dụng {vn_date(submission.applied_since)} sau ngày nộp "
            f"{vn_date(submission.submitted_on)}",
            "applied_since",
        )
    return [submission]


def _already_decided(state: Initiative) -> Exception:
    what = "được công nhận" if state.recognized is not None else "bị từ chối"
    return refuse("initiative.already_decided", f"Sáng kiến đã {what}", "initiative_id")


def decide_review(state: Initiative | None, review: InitiativeReviewed) -> list[EventData]:
    if state is None:
        raise unknown_initiative(review.initiative_id)
    if state.decided:
        raise _already_decided(state)
    if review.reviewed_on < state.submitted.submitted_on:
        raise refuse(
            "initiative.reviewed_before_submission",
            f"Ngày họp Hội đồng sáng kiến {vn_date(review.reviewed_on)} trước ngày nộp "
            f"{vn_date(state.submitted.submitted_on)}",
            "reviewed_on",
        )
    return [review]


def decide_recognize(
    state: Initiative | None, recognition: InitiativeRecognized, rule: CouncilRule
) -> list[EventData]:
    if state is None:
        raise unknown_initiative(recognition.initiative_id)
    if state.rejected is not None:
        raise _already_decided(state)
    if SCOPE_RANK[recognition.level] > SCOPE_RANK[state.submitted.scope]:
        raise refuse(
            "initiative.level_above_scope",
            f"Cấp công nhận {recognition.level} cao hơn phạm vi ảnh hưởng đã đăng ký "
            f"{state.submitted.scope}",
            "level",
        )
    if state.recognized is not None:
        if state.recognized == recognition:
            return []
        if SCOPE_RANK[recognition.level] <= SCOPE_RANK[state.recognized.level]:
            raise refuse(
                "initiative.already_recognized",
                f"Sáng kiến đã được công nhận cấp {state.recognized.level} ngày "
                f"{vn_date(state.recognized.recognized_on)}",
                "level",
            )
        if recognition.decision is None:
            raise refuse(
                "initiative.decision_missing",
                "Công nhận ở cấp cao hơn phải kèm quyết định công nhận",
                "decision",
            )
        return [recognition]
    review = state.last_review
    if review is None:
        raise refuse(
            "initiative.not_reviewed",
            "Sáng kiến chưa được Hội đồng sáng kiến xem xét",
            "initiative_id",
        )
    if not rule.approves(review):
        raise refuse(
            "initiative.insufficient_votes",
            f"Chỉ {review.approve_votes}/{review.members_total} thành viên Hội đồng sáng kiến "
            f"tán thành, chưa đạt tỷ lệ {rule.approval.numerator}/{rule.approval.denominator}",
            "initiative_id",
        )
    if recognition.recognized_on < review.reviewed_on:
        raise refuse(
            "initiative.recognized_before_review",
            f"Ngày công nhận {vn_date(recognition.recognized_on)} trước ngày họp Hội đồng "
            f"{vn_date(review.reviewed_on)}",
            "recognized_on",
        )
    return [recognition]


def decide_reject(
    state: Initiative | None, rejection: InitiativeRejected, rule: CouncilRule
) -> list[EventData]:
    if state is None:
        raise unknown_initiative(rejection.initiative_id)
    if state.rejected is not None and state.rejected == rejection:
        return []
    if state.decided:
        raise _already_decided(state)
    review = state.last_review
    if review is None:
        raise refuse(
            "initiative.not_reviewed",
            "Sáng kiến chưa được Hội đồng sáng kiến xem xét",
            "initiative_id",
        )
    if rule.approves(review):
        raise refuse(
            "initiative.rejection_contradicts_vote",
            f"{review.approve_votes}/{review.members_total} thành viên Hội đồng sáng kiến đã "
            "tán thành: sáng kiến phải được công nhận",
            "initiative_id",
        )
    return [rejection]
