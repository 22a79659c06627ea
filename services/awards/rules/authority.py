"""Who may sign the decision for each title (thẩm quyền quyết định khen thưởng)."""

from __future__ import annotations

from contracts.common import AuthorityLevel, OrgLevel, RejectionReason, TitleCode
from services.awards.rules.base import refusal

A = AuthorityLevel

_HEADS = frozenset({A.UNIT_HEAD, A.COMMUNE_CHAIR, A.DEPARTMENT_DIRECTOR})
_BY_LEVEL = {
    OrgLevel.PROVINCE: frozenset({A.PROVINCIAL_CHAIR}),
    OrgLevel.MINISTRY: frozenset({A.MINISTER}),
    None: frozenset({A.PROVINCIAL_CHAIR, A.MINISTER}),
}

TITLE_NAMES = {
    TitleCode.LDTT: "Lao động tiên tiến",
    TitleCode.CSTDCS: "Chiến sĩ thi đua cơ sở",
    TitleCode.CSTD_BO_TINH: "Chiến sĩ thi đua cấp bộ, tỉnh",
    TitleCode.CSTD_TOAN_QUOC: "Chiến sĩ thi đua toàn quốc",
    TitleCode.TTLDTT: "Tập thể lao động tiên tiến",
    TitleCode.TTLDXS: "Tập thể lao động xuất sắc",
    TitleCode.CO_THI_DUA: "Cờ thi đua cấp bộ, tỉnh",
    TitleCode.BANG_KHEN: "Bằng khen cấp bộ, tỉnh",
    TitleCode.GIAY_KHEN: "Giấy khen",
}

AUTHORITY_NAMES = {
    A.UNIT_HEAD: "Thủ trưởng đơn vị",
    A.COMMUNE_CHAIR: "Chủ tịch UBND cấp xã",
    A.DEPARTMENT_DIRECTOR: "Giám đốc Sở",
    A.PROVINCIAL_CHAIR: "Chủ tịch UBND tỉnh",
    A.MINISTER: "Bộ trưởng",
    A.PRIME_MINISTER: "Thủ tướng Chính phủ",
    A.PRESIDENT: "Chủ tịch nước",
}


def competent_authorities(title: TitleCode, level: OrgLevel | None) -> frozenset[AuthorityLevel]:
    """Who signs ``title`` (conferred at ``level`` for flags, Bằng khen and CSTĐ bộ/tỉnh)."""
    if title in {TitleCode.LDTT, TitleCode.CSTDCS, TitleCode.TTLDTT, TitleCode.GIAY_KHEN}:
        return _HEADS
    if title is TitleCode.CSTD_TOAN_QUOC:
        return frozenset({A.PRIME_MINISTER})
    return _BY_LEVEL.get(level, _BY_LEVEL[None])


def decided_by_the_board(title: TitleCode, level: OrgLevel | None) -> bool:
    """Quy tắc 22, "anything else is forwarded upward": a title the provincial chair decides
    (TTLĐXS, Bằng khen, Cờ thi đua and CSTĐ of the province, through its council where a vote
    is needed) goes to the province's board (Ban TĐKT tỉnh), which alone votes on and decides
    it. A ministry's titles (``level`` ministry) and CSTĐ toàn quốc are not the board's: no
    ministry or central channel exists yet, so those stay as they were."""
    return A.PROVINCIAL_CHAIR in competent_authorities(title, level) and level is not (
        OrgLevel.MINISTRY
    )


def signer_may_decide(
    authority: AuthorityLevel, title: TitleCode, level: OrgLevel | None, field: str
) -> list[RejectionReason]:
    """Quy tắc 22 — Luật TĐKT 06/2022/QH15, Điều 80 (thẩm quyền quyết định khen thưởng);
    Luật TĐKT 2003 (sửa đổi 2013), Điều 77. A department director signs only LĐTT, CSTĐCS,
    TTLĐTT and Giấy khen; TTLĐXS and Bằng khen tỉnh go to the provincial chair; flags and
    CSTĐ tỉnh through the provincial council to the chair; CSTĐ toàn quốc to the Prime Minister.
    """
    allowed = competent_authorities(title, level)
    if authority in allowed:
        return []
    who = ", ".join(sorted(AUTHORITY_NAMES[a] for a in allowed))
    return refusal(
        "authority_exceeded",
        f"{AUTHORITY_NAMES[authority]} không có thẩm quyền quyết định danh hiệu "
        f"{TITLE_NAMES[title]}; phải trình {who}",
        field,
    )
