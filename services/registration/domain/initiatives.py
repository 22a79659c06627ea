"""Initiatives (sáng kiến): submission, the initiative council's vote, recognition or rejection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from fractions import Fraction

from contracts.base import EventData
from contracts.common import Scope
from contracts.registration import (
    InitiativeDetailsCorrected,
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
    InitiativeWithdrawn,
)
from services.registration.domain.common import decide_correction, not_before, refuse, vn_date

SCOPE_RANK = {Scope.UNIT: 0, Scope.MINISTRY_PROVINCE: 1, Scope.NATIONAL: 2}


@dataclass(frozen=True)
class CouncilRule:
    """Recognition needs this share of all council members in favour (DOMAIN rule 17)."""

    approval: Fraction = Fraction(2, 3)

    def approves(self, review: InitiativeReviewed) -> bool:
        return Fraction(review.approve_votes, review.members_total) >= self.approval


CORRECTED_FIELDS = ("unit_id", "title", "kind", "scope", "authors", "summary")
"""What an InitiativeDetailsCorrected restates of the submission."""


@dataclass(frozen=True)
class Initiative:
    submitted: InitiativeSubmitted
    reviews: tuple[InitiativeReviewed, ...] = ()
    recognized: InitiativeRecognized | None = None
    rejected: InitiativeRejected | None = None
    corrected: InitiativeDetailsCorrected | None = None
    withdrawn: InitiativeWithdrawn | None = None

    @property
    def details(self) -> InitiativeSubmitted:
        """The submission as last corrected."""
        if self.corrected is None:
            return self.submitted
        changes = {f: getattr(self.corrected, f) for f in CORRECTED_FIELDS}
        return self.submitted.model_copy(update=changes)

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
            state = replace(state, reviews=(*state.reviews, p))
        elif isinstance(p, InitiativeRecognized):
            state = replace(state, recognized=p)
        elif isinstance(p, InitiativeRejected):
            state = replace(state, recognized=None, rejected=p)
        elif isinstance(p, InitiativeDetailsCorrected):
            state = replace(state, corrected=p)
        elif isinstance(p, InitiativeWithdrawn):
            state = replace(state, withdrawn=p)
    return state


def unknown_initiative(initiative_id: str) -> Exception:
    return refuse("initiative.unknown", f"Không có sáng kiến mã {initiative_id}", "initiative_id")


def known(state: Initiative | None, initiative_id: str) -> Initiative:
    """An initiative submitted and not withdrawn: the only one that can change."""
    if state is None:
        raise unknown_initiative(initiative_id)
    if state.withdrawn is not None:
        raise refuse(
            "initiative.withdrawn",
            f"Sáng kiến {initiative_id} đã bị rút ngày {vn_date(state.withdrawn.withdrawn_on)}",
            "initiative_id",
        )
    return state


def decide_submit(state: Initiative | None, submission: InitiativeSubmitted) -> list[EventData]:
    if state is not None:
        if state.submitted == submission:
            return []
        raise refuse(
            "initiative.already_submitted",
            f"Sáng kiến {submission.initiative_id} đã được nộp với nội dung khác; để sửa, gửi"
            " sự kiện đính chính InitiativeDetailsCorrected (hoặc InitiativeWithdrawn để rút)",
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
    state = known(state, review.initiative_id)
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
    state = known(state, recognition.initiative_id)
    if state.rejected is not None:
        raise _already_decided(state)
    if SCOPE_RANK[recognition.level] > SCOPE_RANK[state.details.scope]:
        raise refuse(
            "initiative.level_above_scope",
            f"Cấp công nhận {recognition.level} cao hơn phạm vi ảnh hưởng đã đăng ký "
            f"{state.details.scope}",
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
    state = known(state, rejection.initiative_id)
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


def decide_correct(
    state: Initiative | None, correction: InitiativeDetailsCorrected
) -> list[EventData]:
    """Đính chính hồ sơ sáng kiến, by the rules of its submission: not below a level it was
    recognised at, not before it was submitted, changing something."""
    state = known(state, correction.initiative_id)
    recognized = state.recognized
    if recognized is not None and SCOPE_RANK[recognized.level] > SCOPE_RANK[correction.scope]:
        raise refuse(
            "initiative.level_above_scope",
            f"Sáng kiến đã được công nhận cấp {recognized.level}, cao hơn phạm vi ảnh hưởng "
            f"đính chính {correction.scope}",
            "scope",
        )
    not_before(
        correction.corrected_on, state.submitted.submitted_on,
        "initiative.corrected_before_submission", "ngày nộp sáng kiến", "corrected_on",
    )  # fmt: skip
    current = state.details
    unchanged = all(getattr(current, f) == getattr(correction, f) for f in CORRECTED_FIELDS)
    what = f"sáng kiến {correction.initiative_id}"
    return decide_correction(state.corrected, correction, unchanged, "initiative.unchanged", what)


def decide_withdraw(state: Initiative | None, withdrawal: InitiativeWithdrawn) -> list[EventData]:
    """Rút sáng kiến: once, not before its submission; it stops counting as evidence."""
    if state is not None and state.withdrawn == withdrawal:
        return []
    if state is not None and state.withdrawn is not None:
        raise refuse(
            "initiative.already_withdrawn",
            f"Sáng kiến {withdrawal.initiative_id} đã bị rút ngày "
            f"{vn_date(state.withdrawn.withdrawn_on)}",
            "initiative_id",
        )
    state = known(state, withdrawal.initiative_id)
    not_before(
        withdrawal.withdrawn_on, state.submitted.submitted_on,
        "initiative.withdrawn_before_submission", "ngày nộp sáng kiến", "withdrawn_on",
    )  # fmt: skip
    return [withdrawal]
