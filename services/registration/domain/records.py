"""Records a department keeps of its people: cases (discipline, investigation, complaint),
yearly ratings, accepted research and disciplines, with their corrections and withdrawals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from contracts.base import EventData
from contracts.registration import (
    CaseClosed,
    CaseOpened,
    DisciplineImposed,
    DisciplineLifted,
    PerformanceRated,
    RatingCorrected,
    ResearchAccepted,
    ResearchWithdrawn,
)
from services.registration.domain.common import decide_correction, not_before, refuse, vn_date


@dataclass(frozen=True)
class Case:
    opened: CaseOpened
    closed: CaseClosed | None = None


F = TypeVar("F", bound=EventData)
L = TypeVar("L", bound=EventData)


def fold_pair(
    payloads: Iterable[EventData], first: type[F], last: type[L]
) -> tuple[F, L | None] | None:
    """A stream's fact stated once, and the last fact that changed it (if any)."""
    found: F | None = None
    changed: L | None = None
    for p in payloads:
        if isinstance(p, first) and found is None:
            found = p
        elif isinstance(p, last) and found is not None:
            changed = p
    return None if found is None else (found, changed)


def fold_case(payloads: Iterable[EventData]) -> Case | None:
    pair = fold_pair(payloads, CaseOpened, CaseClosed)
    return None if pair is None else Case(*pair)


def decide_close_case(case: Case, fact: CaseClosed) -> list[EventData]:
    if case.closed is not None:
        if case.closed == fact:
            return []
        raise refuse(
            "case.closed", f"Vụ việc đã kết thúc ngày {vn_date(case.closed.closed_on)}", "case_id"
        )
    if fact.closed_on < case.opened.opened_on:
        raise refuse(
            "case.closed_before_opening",
            f"Ngày kết thúc {vn_date(fact.closed_on)} trước ngày mở vụ việc "
            f"{vn_date(case.opened.opened_on)}",
            "closed_on",
        )
    return [fact]


# --- ratings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One subject's rating for one year, as rated and as last corrected."""

    rated: PerformanceRated
    corrected: RatingCorrected | None = None

    @property
    def current(self) -> PerformanceRated | RatingCorrected:
        return self.corrected or self.rated


def fold_rating(payloads: Iterable[EventData]) -> Rating | None:
    pair = fold_pair(payloads, PerformanceRated, RatingCorrected)
    return None if pair is None else Rating(*pair)


def decide_correct_rating(rating: Rating | None, fact: RatingCorrected) -> list[EventData]:
    """Đính chính xếp loại: only of a rating recorded, on or after it, changing it."""
    if rating is None:
        raise refuse(
            "rating.not_recorded",
            f"Chưa có xếp loại năm {fact.year} của {fact.subject_id} để đính chính"
            " (gửi PerformanceRated)",
            "subject_id",
        )
    current = rating.current
    if isinstance(current, RatingCorrected):
        last_day = current.corrected_on
    else:
        last_day = current.rated_on or date(current.year, 1, 1)
    not_before(
        fact.corrected_on, last_day, "rating.corrected_before_rating", "ngày ghi nhận xếp loại",
        "corrected_on",
    )  # fmt: skip
    unchanged = (current.rating, current.unit_id) == (fact.rating, fact.unit_id)
    what = f"xếp loại năm {fact.year} của {fact.subject_id}"
    return decide_correction(rating.corrected, fact, unchanged, "rating.unchanged", what)


# --- research --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Research:
    accepted: ResearchAccepted
    withdrawn: ResearchWithdrawn | None = None


def fold_research(payloads: Iterable[EventData]) -> Research | None:
    pair = fold_pair(payloads, ResearchAccepted, ResearchWithdrawn)
    return None if pair is None else Research(*pair)


def decide_withdraw_research(research: Research | None, fact: ResearchWithdrawn) -> list[EventData]:
    """Hủy kết quả nghiệm thu: once, on or after the acceptance."""
    if research is None:
        raise refuse("research.unknown", f"Không có đề tài mã {fact.research_id}", "research_id")
    if research.withdrawn is not None:
        if research.withdrawn == fact:
            return []
        raise refuse(
            "research.already_withdrawn",
            f"Kết quả nghiệm thu đề tài {fact.research_id} đã bị hủy ngày "
            f"{vn_date(research.withdrawn.withdrawn_on)}",
            "research_id",
        )
    not_before(
        fact.withdrawn_on, research.accepted.accepted_on, "research.withdrawn_before_acceptance",
        "ngày nghiệm thu", "withdrawn_on",
    )  # fmt: skip
    return [fact]


# --- discipline ------------------------------------------------------------------------------


def decide_lift_discipline(history: Sequence[EventData], fact: DisciplineLifted) -> list[EventData]:
    """Xóa / hủy kỷ luật: of a discipline imposed on ``imposed_on``, once, not before it."""
    imposed = [
        p for p in history if isinstance(p, DisciplineImposed) and p.imposed_on == fact.imposed_on
    ]
    if not imposed:
        raise refuse(
            "discipline.not_imposed",
            f"Không có quyết định kỷ luật ngày {vn_date(fact.imposed_on)} đối với {fact.person_id}",
            "imposed_on",
        )
    lifted = [
        p for p in history if isinstance(p, DisciplineLifted) and p.imposed_on == fact.imposed_on
    ]
    if fact in lifted:
        return []
    if lifted:
        raise refuse(
            "discipline.already_lifted",
            f"Kỷ luật ngày {vn_date(fact.imposed_on)} đã được xóa ngày "
            f"{vn_date(lifted[0].lifted_on)}",
            "imposed_on",
        )
    not_before(
        fact.lifted_on, fact.imposed_on, "discipline.lifted_before_imposed", "ngày kỷ luật",
        "lifted_on",
    )  # fmt: skip
    return [fact]
