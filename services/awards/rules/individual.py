"""Rules on individuals' titles: LĐTT, CSTĐCS, CSTĐ bộ/tỉnh, CSTĐ toàn quốc, Bằng khen, Giấy khen.

Each rule is a small named function; the first docstring line is its legal basis. Where both
the 2003 law (as amended 2013, with NĐ 91/2017) and the 2022 law apply, both are cited.
"""

from __future__ import annotations

from datetime import date

from contracts.common import (
    DISCIPLINE_RANK,
    RATING_RANK,
    AwardMethod,
    DisciplineLevel,
    Rating,
    RejectionReason,
    Scope,
    SubjectKind,
    TitleCode,
)
from services.awards.domain.chains import consecutive_years, two_consecutive_periods
from services.awards.domain.facts import Facts, Initiative, Research
from services.awards.rules.base import Params, refusal, rule, vn_date

T = TitleCode
_AT_LEAST = {Scope.UNIT: 0, Scope.MINISTRY_PROVINCE: 1, Scope.NATIONAL: 2}
_RATING_NAMES = {
    Rating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.GOOD: "Hoàn thành tốt nhiệm vụ",
    Rating.COMPLETED: "Hoàn thành nhiệm vụ",
    Rating.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}


def _is_author(facts: Facts, ids: frozenset[str], names: frozenset[str]) -> bool:
    if facts.dossier.nominee_id in ids:
        return True
    name = (facts.nominee_name or "").casefold().strip()
    return bool(name) and name in {n.casefold().strip() for n in names}


def _counts_for_year(facts: Facts, registered_on: date | None) -> bool:
    """Rule 2 (DOMAIN.md §5): an initiative or a research topic registered after the plan's
    registration deadline is ignored for the year (an initiative by the day it was submitted,
    a topic by the day a registration first pledged it)."""
    deadline = facts.campaign.registration_deadline if facts.campaign is not None else None
    return deadline is None or registered_on is None or registered_on <= deadline


def _recognised(facts: Facts, level: Scope, *, withdrawn: bool = False) -> list[Initiative]:
    return [
        i
        for i in facts.initiatives
        if i.recognized_level is not None
        and (i.withdrawn_on is not None) is withdrawn
        and _AT_LEAST[i.recognized_level] >= _AT_LEAST[level]
        and _is_author(facts, i.author_ids, i.author_names)
    ]


def _own_initiatives(facts: Facts, level: Scope) -> list[str]:
    return [
        i.initiative_id
        for i in _recognised(facts, level)
        if _counts_for_year(facts, i.submitted_on)
    ]


def _accepted(facts: Facts, level: Scope, *, withdrawn: bool = False) -> list[Research]:
    return [
        r
        for r in facts.research
        if r.level is not None
        and (r.withdrawn_on is not None) is withdrawn
        and _AT_LEAST[r.level] >= _AT_LEAST[level]
        and _is_author(facts, r.author_ids, r.author_names)
    ]


def _own_research(facts: Facts, level: Scope) -> list[str]:
    return [
        r.research_id for r in _accepted(facts, level) if _counts_for_year(facts, r.registered_on)
    ]


def _not_counted(facts: Facts, level: Scope) -> str:
    """Why the nominee's own evidence of ``level`` did not count (rule 2, or withdrawn since),
    as a sentence to append to a refusal; empty when none was too late or withdrawn."""
    late = [
        f"sáng kiến {i.initiative_id} nộp ngày {vn_date(i.submitted_on)}"
        for i in _recognised(facts, level)
        if i.submitted_on is not None and not _counts_for_year(facts, i.submitted_on)
    ] + [
        f"đề tài {r.research_id} đăng ký ngày {vn_date(r.registered_on)}"
        for r in _accepted(facts, level)
        if r.registered_on is not None and not _counts_for_year(facts, r.registered_on)
    ]
    withdrawn = [
        f"sáng kiến {i.initiative_id} đã bị rút ngày {vn_date(i.withdrawn_on)}"
        for i in _recognised(facts, level, withdrawn=True)
        if i.withdrawn_on is not None
    ] + [
        f"đề tài {r.research_id} đã bị hủy kết quả nghiệm thu ngày {vn_date(r.withdrawn_on)}"
        for r in _accepted(facts, level, withdrawn=True)
        if r.withdrawn_on is not None
    ]
    notes = [f"{'; '.join(withdrawn)}: không được tính"] if withdrawn else []
    deadline = facts.campaign.registration_deadline if facts.campaign is not None else None
    if late and deadline is not None:
        notes.insert(
            0,
            f"{'; '.join(late)}: sau hạn đăng ký thi đua ngày {vn_date(deadline)}, không được tính",
        )
    return f" ({'; '.join(notes)})" if notes else ""


def _htxsnv(facts: Facts) -> bool:
    if facts.rating is not None:
        return facts.rating is Rating.EXCELLENT
    return facts.dossier.evidence.htxsnv or facts.dossier.evidence.rating is Rating.EXCELLENT


@rule(1)
def registered_for_the_year(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 8 và Kế hoạch thi đua (không đăng ký thì không xét).

    Sudden awards (đột xuất) need no registration; nor does a department nominated for its
    bloc's flag (bloc membership is its registration).
    """
    d = facts.dossier
    if d.method is AwardMethod.SUDDEN or facts.registered:
        return []
    if d.title is T.CO_THI_DUA and d.nominee_id == d.department_code:
        return []
    return refusal(
        "not_registered",
        f"Không đăng ký thi đua năm {d.year}: không được xét danh hiệu, hình thức khen thưởng",
        "nominee_id",
    )


@rule(4, T.LDTT)
def ldtt_needs_good_rating(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 24; Luật TĐKT 2003 (sđ 2013), Điều 24.

    LĐTT needs a rating of "completed duties well" (hoàn thành tốt nhiệm vụ) or better.
    """
    rating = facts.effective_rating
    if rating is None:
        return refusal(
            "rating_missing", f"Chưa có kết quả đánh giá, xếp loại năm {facts.year}", "evidence"
        )
    if RATING_RANK[rating] >= RATING_RANK[Rating.GOOD]:
        return []
    return refusal(
        "ldtt_rating_too_low",
        f"Xếp loại năm {facts.year} là '{_RATING_NAMES[rating]}', "
        "chưa đạt mức hoàn thành tốt nhiệm vụ",
        "evidence.rating",
    )


@rule(5, T.CSTDCS)
def cstdcs_needs_ldtt(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 23 khoản 1 điểm a; Luật TĐKT 2003 (sđ 2013), Điều 23."""
    if facts.holds(T.LDTT, facts.year):
        return []
    return refusal(
        "cstdcs_without_ldtt", f"Chưa đạt danh hiệu Lao động tiên tiến năm {facts.year}", "title"
    )


@rule(6, T.CSTDCS)
def cstdcs_needs_evidence(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 23 khoản 1 điểm b; NĐ 91/2017/NĐ-CP.

    Evidence: HTXSNV, or the nominee's recognised initiative, or accepted research.
    """
    if _htxsnv(facts) or _own_initiatives(facts, Scope.UNIT) or _own_research(facts, Scope.UNIT):
        return []
    return refusal(
        "cstdcs_without_evidence",
        "Không có minh chứng: hoàn thành xuất sắc nhiệm vụ, sáng kiến được công nhận "
        "hoặc đề tài khoa học đã nghiệm thu của chính người được đề nghị"
        + _not_counted(facts, Scope.UNIT),
        "evidence",
    )


@rule(7, T.CSTDCS)
def cstdcs_within_cap(facts: Facts, params: Params) -> list[RejectionReason]:
    """NĐ 91/2017/NĐ-CP: số CSTĐCS không quá 15% số cá nhân đạt LĐTT (bỏ theo Luật 06/2022)."""
    cap = params.cstdcs_cap_percent
    if cap is None:
        return []
    if (facts.quota.cstdcs + 1) * 100 <= cap * facts.quota.ldtt:
        return []
    return refusal(
        "cstdcs_cap_exceeded",
        f"Vượt tỷ lệ {cap}% Chiến sĩ thi đua cơ sở trên số Lao động tiên tiến năm {facts.year} "
        f"({facts.quota.cstdcs} CSTĐCS / {facts.quota.ldtt} LĐTT)",
        "title",
    )


@rule(8, T.CSTD_BO_TINH)
def cstd_bo_tinh_needs_three_cstdcs(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 22; Luật TĐKT 2003 (sđ 2013), Điều 22: 3 lần liên tục CSTĐCS."""
    reasons: list[RejectionReason] = []
    needed = params.cstd_bo_tinh_consecutive_cstdcs
    run = consecutive_years(facts.titles, T.CSTDCS, facts.year)
    if run < needed:
        reasons += refusal(
            "cstd_chain_broken",
            f"Chưa đủ {needed} năm liên tục đạt Chiến sĩ thi đua cơ sở đến năm {facts.year} "
            f"(liên tục {run} năm)",
            "title",
        )
    if not (
        _own_initiatives(facts, Scope.MINISTRY_PROVINCE)
        or _own_research(facts, Scope.MINISTRY_PROVINCE)
    ):
        reasons += refusal(
            "initiative_scope_too_narrow",
            "Không có sáng kiến hoặc đề tài có phạm vi ảnh hưởng cấp bộ, tỉnh"
            + _not_counted(facts, Scope.MINISTRY_PROVINCE),
            "evidence.initiative_ids",
        )
    return reasons


@rule(9, T.CSTD_TOAN_QUOC)
def cstd_toan_quoc_needs_two_cstd_bo_tinh(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 21; Luật TĐKT 2003 (sđ 2013), Điều 21."""
    reasons: list[RejectionReason] = []
    if not two_consecutive_periods(
        facts.titles, T.CSTD_BO_TINH, facts.year, params.cstd_bo_tinh_period_years
    ):
        reasons += refusal(
            "cstd_chain_broken",
            f"Chưa có 2 lần liên tục đạt Chiến sĩ thi đua cấp bộ, tỉnh đến năm {facts.year}",
            "title",
        )
    if not (_own_initiatives(facts, Scope.NATIONAL) or _own_research(facts, Scope.NATIONAL)):
        reasons += refusal(
            "initiative_scope_too_narrow",
            "Không có sáng kiến hoặc đề tài có phạm vi ảnh hưởng toàn quốc"
            + _not_counted(facts, Scope.NATIONAL),
            "evidence.initiative_ids",
        )
    return reasons


@rule(10)
def initiative_supports_one_award(facts: Facts, params: Params) -> list[RejectionReason]:
    """NĐ 98/2023/NĐ-CP; NĐ 91/2017/NĐ-CP: một sáng kiến chỉ làm căn cứ cho một lần khen thưởng."""
    reasons: list[RejectionReason] = []
    for i, initiative in enumerate(facts.initiatives):
        if initiative.used_by is not None and initiative.used_by != facts.dossier.nomination_id:
            reasons += refusal(
                "initiative_already_used",
                f"Sáng kiến {initiative.initiative_id} đã được dùng để khen thưởng "
                f"(hồ sơ {initiative.used_by})",
                f"evidence.initiative_ids[{i}]",
            )
    return reasons


@rule(11)
def one_award_per_achievement(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 5 (một hình thức khen thưởng cho một thành tích)."""
    d = facts.dossier
    for held in facts.titles:
        if held.revoked or held.title != d.title or held.year != d.year:
            continue
        if held.method != d.method:
            continue
        if d.method is AwardMethod.REGULAR or (held.achievement or "") == (d.achievement or ""):
            return refusal(
                "achievement_already_awarded",
                f"Thành tích năm {d.year} đã được khen thưởng (hồ sơ {held.nomination_id})",
                "title",
            )
    return []


@rule(15, T.CSTDCS, T.CO_THI_DUA, T.CSTD_BO_TINH, T.CSTD_TOAN_QUOC)
def council_vote_threshold(facts: Facts, params: Params) -> list[RejectionReason]:
    """NĐ 98/2023/NĐ-CP (tỷ lệ phiếu bầu của Hội đồng TĐKT): ≥80% CSTĐCS, cờ; ≥90% CSTĐ."""
    needed = params.vote_threshold_percent.get(facts.dossier.title)
    if needed is None:
        return []
    ballot = facts.ballot
    if ballot is None:
        return refusal(
            "vote_missing", "Chưa có kết quả bỏ phiếu của Hội đồng thi đua, khen thưởng", "title"
        )
    if ballot.yes_votes * 100 >= needed * ballot.members_total:
        return []
    return refusal(
        "vote_below_threshold",
        f"Số phiếu đồng ý {ballot.yes_votes}/{ballot.members_total} thành viên Hội đồng, "
        f"chưa đạt {needed}%",
        "title",
    )


@rule(18)
def not_under_case_or_discipline(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 5 và NĐ 98/2023/NĐ-CP: chưa xét khen khi đang xem xét kỷ luật,
    điều tra, khiếu nại; sau kỷ luật chỉ tính thành tích từ sau khi bị kỷ luật."""
    reasons: list[RejectionReason] = []
    if facts.open_case is not None:
        reasons += refusal(
            "nomination_suspended",
            f"Đang có vụ việc {facts.open_case} chưa kết luận: tạm dừng xét khen thưởng",
            "nominee_id",
        )
    for discipline in facts.disciplines:
        if discipline.imposed_on.year >= facts.year:
            # Lifted early (xóa kỷ luật), the years up to it still do not count; only an
            # annulled discipline (not in the facts) is as if never imposed.
            lifted = discipline.lifted_on
            note = f" (đã xóa kỷ luật ngày {vn_date(lifted)})" if lifted is not None else ""
            reasons += refusal(
                "disciplined",
                f"Bị kỷ luật ngày {vn_date(discipline.imposed_on)}{note}: thành tích năm "
                f"{facts.year} không được tính",
                "nominee_id",
            )
    return reasons


@rule(0, T.BANG_KHEN)
def bang_khen_individual_merit(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 74 (Bằng khen bộ, tỉnh cho cá nhân) — DOMAIN §4."""
    d = facts.dossier
    if d.nominee_kind is not SubjectKind.INDIVIDUAL or d.method is not AwardMethod.REGULAR:
        return []
    if consecutive_years(facts.titles, T.CSTDCS, d.year) >= 2:
        return []
    two_years_htxsnv = _htxsnv(facts) and facts.previous_rating is Rating.EXCELLENT
    if two_years_htxsnv and len(_own_initiatives(facts, Scope.UNIT)) >= 2:
        return []
    return refusal(
        "bang_khen_criteria_not_met",
        f"Chưa đạt tiêu chuẩn Bằng khen: 2 năm liên tục Chiến sĩ thi đua cơ sở, hoặc 2 năm "
        f"liên tục hoàn thành xuất sắc nhiệm vụ và 2 sáng kiến được công nhận (đến năm {d.year})",
        "title",
    )


@rule(0, T.GIAY_KHEN)
def giay_khen_needs_good_rating(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 75 (Giấy khen: hoàn thành tốt nhiệm vụ và có thành tích)."""
    if facts.dossier.method is not AwardMethod.REGULAR:
        return []
    rating = facts.effective_rating
    if rating is not None and RATING_RANK[rating] >= RATING_RANK[Rating.GOOD]:
        return []
    return refusal(
        "giay_khen_rating_too_low",
        f"Chưa đạt mức hoàn thành tốt nhiệm vụ năm {facts.year}",
        "evidence.rating",
    )


def serious(level: DisciplineLevel | None) -> bool:
    """Cảnh cáo or above."""
    return level is not None and DISCIPLINE_RANK[level] >= DISCIPLINE_RANK[DisciplineLevel.WARNING]
