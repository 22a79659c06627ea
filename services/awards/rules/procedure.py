"""Rules on the procedure rather than the nominee: deadlines, council sessions, ties."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from contracts.awards import NominationSubmitted
from contracts.common import CouncilLevel, RejectionReason, TitleCode
from services.awards.rules.base import Params, refusal, vn_date


def dossier_on_time(dossier: NominationSubmitted, deadline: date | None) -> list[RejectionReason]:
    """Quy tắc 3 — Kế hoạch thi đua (hạn gửi hồ sơ, e.g. 10/12/2018) và NĐ 98/2023/NĐ-CP: hồ sơ
    gửi sau hạn bị trả lại, trừ khi có ý kiến chấp thuận được ghi nhận."""
    if deadline is None or dossier.received_on <= deadline:
        return []
    if dossier.late_override is not None:
        return []
    return refusal(
        "dossier_late",
        f"Hồ sơ nhận ngày {vn_date(dossier.received_on)}, sau hạn {vn_date(deadline)}: "
        "trả lại hồ sơ",
        "received_on",
    )


def council_may_decide(
    level: CouncilLevel, members_total: int, members_present: int, params: Params
) -> list[RejectionReason]:
    """Quy tắc 16 — NĐ 98/2023/NĐ-CP (phiên họp Hội đồng TĐKT tỉnh cần ≥80% thành viên dự)."""
    if level is not CouncilLevel.PROVINCE:
        return []
    minimum = params.council_min_attendance_percent
    if members_present * 100 >= minimum * members_total:
        return []
    return refusal(
        "council_quorum_not_met",
        f"Phiên họp có {members_present}/{members_total} thành viên dự, dưới {minimum}%: "
        "không đủ điều kiện xét khen thưởng",
        "members_present",
    )


_ORDER = {
    TitleCode.LDTT: 0,
    TitleCode.GIAY_KHEN: 0,
    TitleCode.CSTDCS: 1,
    TitleCode.TTLDTT: 2,
    TitleCode.BANG_KHEN: 3,
    TitleCode.TTLDXS: 3,
    TitleCode.CSTD_BO_TINH: 4,
    TitleCode.CO_THI_DUA: 4,
    TitleCode.CSTD_TOAN_QUOC: 5,
}


@dataclass(frozen=True)
class Candidate:
    """One nomination of a decision, with what orders it."""

    nomination_id: str
    title: TitleCode
    vote_share: Fraction | None = None
    woman: bool = False
    """A woman, or a collective with at least 70% women."""


def award_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Quy tắc 20 — Luật TĐKT 06/2022/QH15, Điều 5 (ưu tiên nữ khi có thành tích như nhau).

    Prerequisites first (LĐTT before CSTĐCS before the collectives built on them), then by vote
    share; on equal shares women (or collectives with ≥70% women) come first, so when a quota
    binds the tie goes to them.
    """
    return sorted(
        candidates,
        key=lambda c: (
            _ORDER[c.title],
            -(c.vote_share or Fraction(0)),
            not c.woman,
            c.nomination_id,
        ),
    )
