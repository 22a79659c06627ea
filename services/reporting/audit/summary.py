"""What one audited event says, in a line of Vietnamese (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.subjects import SubjectRef
from services.reporting.presentation import EVENT_LABELS

LABELS: dict[str, str] = {
    **EVENT_LABELS,
    "MinistryRegistered": "Đăng ký Bộ, ngành",
    "ProvinceRegistered": "Đăng ký tỉnh",
    "DepartmentRegistered": "Đăng ký Sở",
    "MinistryRenamed": "Đổi tên Bộ, ngành",
    "MinistryMerged": "Hợp nhất Bộ, ngành",
    "MinistryDissolved": "Giải thể Bộ, ngành",
    "ProvinceRenamed": "Đổi tên tỉnh",
    "ProvinceMerged": "Hợp nhất tỉnh",
    "ProvinceDissolved": "Giải thể tỉnh",
    "DepartmentRenamed": "Đổi tên Sở",
    "DepartmentMerged": "Hợp nhất Sở",
    "DepartmentDissolved": "Giải thể Sở",
    "UnitTransferred": "Chuyển giao đơn vị cho Sở kế thừa",
    "CampaignTransferred": "Chuyển giao phong trào thi đua cho Sở kế thừa",
    "UnitEstablished": "Thành lập đơn vị",
    "UnitRenamed": "Đổi tên đơn vị",
    "UnitMerged": "Sáp nhập đơn vị",
    "UnitDissolved": "Giải thể đơn vị",
    "BlocFormed": "Thành lập cụm, khối thi đua",
    "BlocLeaderDesignated": "Chỉ định trưởng cụm, khối",
    "PersonJoined": "Tiếp nhận cán bộ",
    "PersonTransferred": "Điều chuyển cán bộ",
    "PersonRoleChanged": "Thay đổi chức vụ",
    "PersonLeft": "Cán bộ nghỉ, chuyển công tác",
    "PersonDetailsCorrected": "Đính chính thông tin cá nhân",
    "OrganisationContactSet": "Cập nhật địa chỉ liên hệ",
    "CampaignAmended": "Điều chỉnh phong trào thi đua",
    "CampaignClosed": "Kết thúc phong trào thi đua",
    "InitiativeReviewed": "Thẩm định sáng kiến",
    "InitiativeDetailsCorrected": "Đính chính sáng kiến",
    "InitiativeWithdrawn": "Rút sáng kiến",
    "ResearchAccepted": "Nghiệm thu đề tài nghiên cứu",
    "ResearchWithdrawn": "Rút đề tài nghiên cứu",
    "PerformanceRated": "Xếp loại mức độ hoàn thành nhiệm vụ",
    "RatingCorrected": "Đính chính xếp loại",
    "DisciplineLifted": "Xóa kỷ luật",
    "CaseOpened": "Mở vụ việc",
    "CaseClosed": "Kết thúc vụ việc",
    "CouncilVoted": "Hội đồng thi đua bỏ phiếu",
    "DecisionIssued": "Ban hành quyết định khen thưởng",
    "AwardImported": "Nhập khen thưởng đã có",
    "ConferenceHeld": "Tổ chức hội nghị điển hình tiên tiến",
    "ConferenceCorrected": "Đính chính hội nghị",
    "ConferenceReported": "Báo cáo kết quả hội nghị",
    "NominationWithdrawn": "Rút hồ sơ đề nghị khen thưởng",
    "ExemplaryModelCorrected": "Đính chính điển hình tiên tiến",
    "ExemplaryModelWithdrawn": "Rút điển hình tiên tiến",
    "AwardFlaggedForReview": "Khen thưởng cần xem xét lại",
    "NominationForwarded": "Chuyển hồ sơ lên Ban Thi đua - Khen thưởng tỉnh",
    "NominationVoted": "Kết quả bỏ phiếu của Hội đồng",
    "EconomicResultReported": "Báo cáo kết quả thực hiện chỉ tiêu kinh tế",
    "EconomicResultCorrected": "Đính chính kết quả thực hiện chỉ tiêu kinh tế",
    "FundAllocated": "Giao quỹ thi đua, khen thưởng",
    "FundAdjusted": "Điều chỉnh quỹ thi đua, khen thưởng",
    "FundDrawn": "Chi tiền thưởng từ quỹ thi đua, khen thưởng",
    "FundOverdrawn": "Bội chi quỹ thi đua, khen thưởng",
    "FundRecovered": "Thu hồi tiền thưởng về quỹ thi đua, khen thưởng",
    "SubscriptionCreated": "Đăng ký nhận thông báo",
    "SubscriptionCancelled": "Hủy đăng ký nhận thông báo",
    "DeliveryPlanned": "Lên lịch gửi thông báo",
    "NotificationSent": "Đã gửi thông báo",
    "NotificationFailed": "Gửi thông báo không thành công",
    "InputRejected": "Từ chối dữ liệu gửi đến",
}
SUBJECT_LABELS: dict[str, str] = {
    "person": "cá nhân",
    "unit": "đơn vị",
    "department": "Sở",
    "province": "tỉnh",
    "ministry": "Bộ, ngành",
    "bloc": "cụm, khối",
    "campaign": "phong trào",
    "nomination": "hồ sơ",
    "decision": "quyết định",
    "initiative": "sáng kiến",
    "research": "đề tài",
    "exemplary": "điển hình",
    "conference": "hội nghị",
    "case": "vụ việc",
}
MAX_SUMMARY = 300
SHOWN_SUBJECTS = 4


def type_name(event_type: str) -> str:
    """``vn.thidua.awards.NominationApproved.v1`` → ``NominationApproved``."""
    parts = event_type.split(".")
    return parts[-2] if len(parts) >= 2 else event_type


def type_label(event_type: str | None) -> str:
    if not event_type:
        return "sự kiện không đọc được"
    name = type_name(event_type)
    return LABELS.get(name, name)


def subject_label(subject: SubjectRef) -> str:
    return f"{SUBJECT_LABELS.get(subject.kind, subject.kind)} {subject.id}"


def summary(
    event_type: str,
    subjects: Sequence[SubjectRef],
    *,
    refused_type: str | None = None,
    codes: Sequence[str] = (),
) -> str:
    """``Quyết định khen thưởng: hồ sơ x, cá nhân y`` or, for a refusal, ``Từ chối: Tiếp nhận
    hồ sơ đề nghị khen thưởng (awards.dossier_late): hồ sơ x``."""
    order = list(SUBJECT_LABELS)
    named = sorted(
        (s for s in subjects if s.kind != "department"), key=lambda s: order.index(s.kind)
    )[:SHOWN_SUBJECTS]
    about = ", ".join(subject_label(s) for s in named)
    if type_name(event_type) == "InputRejected":
        head = f"Từ chối: {type_label(refused_type)}"
        if codes:
            head += f" ({', '.join(codes)})"
    else:
        head = type_label(event_type)
    text = f"{head}: {about}" if about else head
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"
