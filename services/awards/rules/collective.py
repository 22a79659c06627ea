"""Rules on collectives' titles: TTLĐTT, TTLĐXS and the emulation flag."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from contracts.common import RATING_RANK, AwardMethod, CampaignKind, Rating, RejectionReason
from contracts.common import TitleCode as T
from services.awards.domain.facts import Facts
from services.awards.rules.base import Params, refusal, rule
from services.awards.rules.individual import serious


def _share_percent(part: int, whole: int) -> Decimal:
    return Decimal(part * 100) / Decimal(whole) if whole else Decimal(0)


def _no_members(facts: Facts) -> list[RejectionReason]:
    return refusal(
        "collective_without_members",
        f"Không có danh sách thành viên của tập thể năm {facts.year} để xét tỷ lệ",
        "nominee_id",
    )


@rule(12, T.TTLDXS)
def ttldxs_members(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 27; Luật TĐKT 2003 (sđ 2013), Điều 27."""
    members = facts.members
    if not members:
        return _no_members(facts)
    reasons: list[RejectionReason] = []
    if facts.effective_rating is not Rating.EXCELLENT:
        reasons += refusal(
            "collective_rating_too_low",
            f"Tập thể chưa hoàn thành xuất sắc nhiệm vụ năm {facts.year}",
            "evidence.rating",
        )
    short = [
        m.person_id
        for m in members
        if m.rating is None or RATING_RANK[m.rating] < RATING_RANK[Rating.COMPLETED]
    ]
    if short:
        reasons += refusal(
            "members_not_all_completed",
            f"{len(short)}/{len(members)} thành viên không (hoặc chưa có kết quả) hoàn thành "
            "nhiệm vụ; yêu cầu 100%",
            "nominee_id",
        )
    ldtt = sum(m.ldtt for m in members)
    share = _share_percent(ldtt, len(members))
    if share < params.ttldxs_min_ldtt_percent:
        reasons += refusal(
            "ldtt_share_too_low",
            f"Tỷ lệ Lao động tiên tiến {ldtt}/{len(members)} ({share:.1f}%) chưa đạt "
            f"{params.ttldxs_min_ldtt_percent}%",
            "nominee_id",
        )
    if not any(m.cstdcs for m in members):
        reasons += refusal(
            "no_cstdcs_member",
            f"Không có cá nhân đạt Chiến sĩ thi đua cơ sở năm {facts.year}",
            "nominee_id",
        )
    return reasons


@rule(13, T.TTLDTT)
def ttldtt_members(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 28 (≥70% LĐTT); NĐ 91/2017/NĐ-CP, Luật 2003 Điều 28 (>50%)."""
    members = facts.members
    if not members:
        return _no_members(facts)
    reasons: list[RejectionReason] = []
    rating = facts.effective_rating
    if rating is None or RATING_RANK[rating] < RATING_RANK[Rating.GOOD]:
        reasons += refusal(
            "collective_rating_too_low",
            f"Tập thể chưa hoàn thành tốt nhiệm vụ năm {facts.year}",
            "evidence.rating",
        )
    ldtt = sum(m.ldtt for m in members)
    share = _share_percent(ldtt, len(members))
    minimum = params.ttldtt_min_ldtt_percent
    enough = share > minimum if params.ttldtt_strictly_more else share >= minimum
    if not enough:
        bound = f"trên {minimum}%" if params.ttldtt_strictly_more else f"từ {minimum}% trở lên"
        reasons += refusal(
            "ldtt_share_too_low",
            f"Tỷ lệ Lao động tiên tiến {ldtt}/{len(members)} ({share:.1f}%) chưa đạt {bound}",
            "nominee_id",
        )
    disciplined = [m.person_id for m in members if serious(m.worst_discipline)]
    if disciplined:
        reasons += refusal(
            "member_disciplined",
            f"Có {len(disciplined)} thành viên bị kỷ luật từ hình thức cảnh cáo trở lên "
            f"năm {facts.year}",
            "nominee_id",
        )
    return reasons


def lasted_years(start: date, end: date, years: int) -> bool:
    """Whether [start, end] covers at least ``years`` whole years."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + years, day=28)
    return end + timedelta(days=1) >= anniversary


@rule(14, T.CO_THI_DUA)
def flag_for_bloc_leader(facts: Facts, params: Params) -> list[RejectionReason]:
    """Luật TĐKT 06/2022/QH15, Điều 26; NĐ 98/2023/NĐ-CP: dẫn đầu khối thi đua, hoặc dẫn đầu
    phong trào thi đua theo chuyên đề từ 03 năm trở lên."""
    if facts.bloc_leader:
        return []
    campaign = facts.campaign
    if (
        facts.dossier.method is AwardMethod.TOPICAL
        and campaign is not None
        and campaign.kind is CampaignKind.TOPICAL
        and campaign.period_start is not None
        and campaign.period_end is not None
        and lasted_years(campaign.period_start, campaign.period_end, params.flag_topical_min_years)
    ):
        return []
    return refusal(
        "flag_not_bloc_leader",
        f"Không phải đơn vị dẫn đầu khối thi đua năm {facts.year}, cũng không dẫn đầu phong trào "
        f"thi đua theo chuyên đề từ {params.flag_topical_min_years} năm trở lên",
        "nominee_id",
    )
