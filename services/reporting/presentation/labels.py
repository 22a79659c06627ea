"""The Vietnamese labels of the model's codes (pure): campaign kinds, initiatives, statuses,
bases, authorities, methods, figures and events, and a counter key's reading.

Apart from the tables: the same labels name a figure on a page, in a download, in a review
report and in the audit trail.
"""

from __future__ import annotations

from services.reporting.forms import LEVEL_LABELS, TITLE_LABELS

KIND_LABELS = {"regular": "Thường xuyên", "topical": "Chuyên đề", "by_wave": "Theo đợt"}
INITIATIVE_LABELS = {
    "management": "Quản lý",
    "technical": "Kỹ thuật",
    "operational": "Tác nghiệp",
    "applied_technology": "Ứng dụng tiến bộ kỹ thuật",
}
INITIATIVE_LEVELS = {
    "unit": "Cấp cơ sở",
    "ministry_province": "Cấp bộ, tỉnh",
    "national": "Toàn quốc",
}
STATUS_LABELS = {
    "submitted": "Đang xét",
    "returned": "Trả hồ sơ",
    "suspended": "Tạm dừng xét",
    "approved": "Đã khen thưởng",
    "rejected": "Không đủ điều kiện",
    "revoked": "Đã thu hồi",
}
BASIS_LABELS = {
    "all_staff": "% tổng số CBCCVCLĐ",
    "staff_excluding_leaders": "% CBCCVCLĐ (không tính lãnh đạo)",
    "units": "% số đơn vị",
    "organisation": "đơn vị",
}
COMPARATOR_SIGNS = {"gte": "≥", "lte": "≤", "eq": "="}
NOMINEE_LABELS = {"individual": "Cá nhân", "collective": "Tập thể"}
AUTHORITY_LABELS = {
    "department_director": "Giám đốc Sở",
    "provincial_chair": "Chủ tịch UBND tỉnh",
    "minister": "Bộ trưởng",
    "prime_minister": "Thủ tướng Chính phủ",
    "president": "Chủ tịch nước",
}
METHOD_LABELS = {
    "regular": "Thường xuyên",
    "topical": "Chuyên đề",
    "sudden": "Đột xuất",
    "dedication": "Quá trình cống hiến",
    "external": "Đối ngoại",
}
FIGURE_LABELS = {
    "registrations.units": "Đăng ký thi đua (tập thể)",
    "registrations.units_on_time": "Đăng ký thi đua đúng hạn (tập thể)",
    "registrations.individuals": "Đăng ký thi đua (cá nhân)",
    "registrations.individuals_on_time": "Đăng ký thi đua đúng hạn (cá nhân)",
    "registrations.individuals_women": "Đăng ký thi đua (cá nhân nữ)",
    "initiatives.submitted": "Sáng kiến đăng ký",
    "initiatives.recognized": "Sáng kiến được công nhận",
    "initiatives.rejected": "Sáng kiến không được công nhận",
    "nominations": "Hồ sơ đề nghị theo trạng thái",
    "dossiers.received": "Hồ sơ đề nghị tiếp nhận",
    "dossiers.late": "Hồ sơ nộp quá hạn",
    "dossiers.late_override": "Hồ sơ quá hạn được chấp thuận",
    "dossiers.returned": "Hồ sơ trả lại",
    "dossiers.returned_late": "Hồ sơ trả lại do quá hạn",
    "dossiers.return_reasons": "Lý do trả hồ sơ",
    "awards": "Khen thưởng",
    "awards.women": "Khen thưởng cá nhân nữ",
    "awards.non_leaders": "Khen thưởng cá nhân không giữ chức vụ lãnh đạo",
    "awards.direct_workers": "Khen thưởng người trực tiếp lao động, công tác",
    "dossiers.processing_days": "Hồ sơ đã xét (số ngày xử lý)",
    "votes": "Kết quả bỏ phiếu",
    "awards.revoked": "Khen thưởng bị thu hồi",
    "campaigns.launched": "Phong trào thi đua phát động",
    "campaigns.duration": "Thời gian phong trào",
    "exemplary_models": "Điển hình tiên tiến",
    "discipline": "Kỷ luật",
}
EVENT_LABELS = {
    "UnitRegistered": "Đăng ký thi đua của tập thể",
    "IndividualRegistered": "Đăng ký thi đua của cá nhân",
    "RegistrationWithdrawn": "Rút đăng ký thi đua",
    "InitiativeSubmitted": "Đăng ký sáng kiến",
    "InitiativeRecognized": "Công nhận sáng kiến",
    "InitiativeRejected": "Không công nhận sáng kiến",
    "DisciplineImposed": "Quyết định kỷ luật",
    "CampaignLaunched": "Phát động phong trào thi đua",
    "NominationSubmitted": "Tiếp nhận hồ sơ đề nghị khen thưởng",
    "NominationReturned": "Trả hồ sơ đề nghị",
    "NominationSuspended": "Tạm dừng xét khen thưởng",
    "NominationResumed": "Tiếp tục xét khen thưởng",
    "NominationRejected": "Không đủ điều kiện khen thưởng",
    "NominationApproved": "Quyết định khen thưởng",
    "NominationVoted": "Kết quả bỏ phiếu của Hội đồng",
    "AwardRevoked": "Thu hồi quyết định khen thưởng",
    "ExemplaryModelChosen": "Lựa chọn điển hình tiên tiến",
}
SCOPE_SLUGS = {"province": "tinh", "ministry": "bo", "department": "so", "unit": "don-vi"}
SLUG_SCOPES = {v: k for k, v in SCOPE_SLUGS.items()}


def event_label(event_type: str) -> str:
    """``vn.thidua.awards.NominationApproved.v1`` → ``Quyết định khen thưởng``."""
    parts = event_type.split(".")
    name = parts[-2] if len(parts) >= 2 else event_type
    return EVENT_LABELS.get(name, name)


def key_label(figure: str, key: str) -> str:
    """The Vietnamese reading of a counter key (title, kind, level, status, ...)."""
    if not key:
        return ""
    parts = key.split("|")
    if figure == "awards" and len(parts) == 4:
        title, nominee, method, authority = parts
        return (
            f"{TITLE_LABELS.get(title, title)}; {NOMINEE_LABELS.get(nominee, nominee)};"
            f" {METHOD_LABELS.get(method, method)}; {AUTHORITY_LABELS.get(authority, authority)}"
        )
    if figure == "nominations" and len(parts) == 2:
        return f"{TITLE_LABELS.get(parts[0], parts[0])}: {STATUS_LABELS.get(parts[1], parts[1])}"
    if figure.startswith("initiatives"):
        kind = INITIATIVE_LABELS.get(parts[0], parts[0])
        return f"{kind}, {INITIATIVE_LEVELS.get(parts[1], parts[1])}" if len(parts) > 1 else kind
    if figure == "dossiers.processing_days" and len(parts) == 2:
        return f"{TITLE_LABELS.get(parts[0], parts[0])}: {parts[1]} ngày"
    if figure == "votes" and len(parts) == 2:
        outcome = "đạt tỷ lệ phiếu" if parts[1] == "reached" else "không đạt tỷ lệ phiếu"
        return f"{TITLE_LABELS.get(parts[0], parts[0])}: {outcome}"
    if figure == "campaigns.launched" and len(parts) == 2:
        return f"{LEVEL_LABELS.get(parts[0], parts[0])}, {KIND_LABELS.get(parts[1], parts[1])}"
    return TITLE_LABELS.get(key, key)
