"""Vietnamese texts of every notification (dates dd/mm/yyyy, money with dot separators)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from contracts.awards import AwardFlaggedForReview, NominationApproved, NominationRejected
from contracts.common import RejectionReason, TitleCode
from contracts.registration import CampaignLaunched, InitiativeRecognized, InitiativeRejected
from contracts.rejections import InputRejected

TITLE_NAMES = {
    TitleCode.LDTT: "Lao động tiên tiến",
    TitleCode.CSTDCS: "Chiến sĩ thi đua cơ sở",
    TitleCode.CSTD_BO_TINH: "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh",
    TitleCode.CSTD_TOAN_QUOC: "Chiến sĩ thi đua toàn quốc",
    TitleCode.TTLDTT: "Tập thể lao động tiên tiến",
    TitleCode.TTLDXS: "Tập thể lao động xuất sắc",
    TitleCode.CO_THI_DUA: "Cờ thi đua",
    TitleCode.BANG_KHEN: "Bằng khen",
    TitleCode.GIAY_KHEN: "Giấy khen",
}
SCOPE_NAMES = {"unit": "cơ sở", "ministry_province": "cấp bộ, ngành, tỉnh", "national": "toàn quốc"}
DOCUMENT_KINDS = {"KH": "Kế hoạch", "CT": "Chỉ thị"}
SIGNATURE = (
    "\n\n--\nHệ thống quản lý thi đua, khen thưởng (thông báo tự động, vui lòng không trả lời)."
)


@dataclass(frozen=True)
class Message:
    """What a recipient reads: one subject line and a plain-text body."""

    template: str
    subject: str
    body: str


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _reasons(reasons: Sequence[RejectionReason]) -> str:
    return "\n".join(f"  - {r.message} (mã: {r.code})" for r in reasons)


def _greeting(recipient: str) -> str:
    return f"Kính gửi: {recipient}.\n\n"


def plan_name(plan: CampaignLaunched) -> str:
    kind = DOCUMENT_KINDS.get(plan.document_kind.value, "Kế hoạch")
    number = f" số {plan.number}" if plan.number else ""
    issued = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    return f"{kind}{number}{issued} của {plan.issuer.name}"


def campaign_launched(plan: CampaignLaunched, recipient: str) -> Message:
    lines = [f"{plan_name(plan)}: {plan.title}."]
    if plan.theme:
        lines.append(f"Chủ đề: {plan.theme}.")
    if plan.slogan:
        lines.append(f"Khẩu hiệu: “{plan.slogan}”.")
    lines.append(f"Thời gian: từ {vn_date(plan.period.start)} đến {vn_date(plan.period.end)}.")
    for phase in plan.phases:
        lines.append(
            f"Đợt {phase.number}: từ {vn_date(phase.start)} đến {vn_date(phase.end)}"
            + (f" ({phase.name})." if phase.name else ".")
        )
    deadlines = plan.deadlines
    if deadlines.registration:
        lines.append(
            f"Hạn đăng ký thi đua: trước ngày {vn_date(deadlines.registration)}. "
            "Tập thể, cá nhân không đăng ký thi đua sẽ không được xét tặng danh hiệu thi đua."
        )
    if deadlines.dossier:
        lines.append(f"Hạn gửi hồ sơ đề nghị khen thưởng: trước ngày {vn_date(deadlines.dossier)}.")
    if deadlines.review:
        lines.append(f"Ngày xét khen thưởng: {vn_date(deadlines.review)}.")
    subject = f"[Thi đua] Phát động phong trào thi đua năm {plan.year}: {plan.title}"
    return Message(
        "campaign_launched", subject, _greeting(recipient) + "\n".join(lines) + SIGNATURE
    )


def deadline_reminder(
    *,
    kind: str,
    campaign_title: str,
    deadline: date,
    today: date,
    recipient: str,
    pending_people: Sequence[str] = (),
) -> Message:
    """``kind`` is ``registration`` (hạn đăng ký), ``dossier`` (hạn gửi hồ sơ) or ``review``
    (ngày xét khen thưởng, tổng kết)."""
    days = (deadline - today).days
    left = "hôm nay là ngày cuối" if days <= 0 else f"còn {days} ngày"
    if kind == "review":
        body = (
            _greeting(recipient)
            + f"Nhắc ngày xét khen thưởng, tổng kết theo {campaign_title}: ngày {vn_date(deadline)}"
            + f" ({'hôm nay' if days <= 0 else f'còn {days} ngày'}).\nĐề nghị {recipient} hoàn"
            " thành báo cáo thành tích, số liệu sơ kết, tổng kết trước ngày này."
        )
        subject = f"[Nhắc hạn] Ngày xét khen thưởng, tổng kết {vn_date(deadline)} ({left})"
        return Message("review_date_reminder", subject, body + SIGNATURE)
    if kind == "registration":
        what = "đăng ký thi đua"
        status = (
            f"Đến ngày {vn_date(today)}, hệ thống chưa nhận được đăng ký thi đua của "
            f"{recipient}. Tập thể, cá nhân không đăng ký thi đua sẽ không được xét tặng danh "
            "hiệu thi đua năm nay."
        )
    else:
        what = "gửi hồ sơ đề nghị khen thưởng"
        status = (
            f"Đến ngày {vn_date(today)}, hệ thống chưa nhận được hồ sơ đề nghị khen thưởng của "
            f"{recipient}. Hồ sơ gửi sau thời hạn sẽ bị trả lại."
        )
    body = (
        _greeting(recipient)
        + f"Nhắc hạn {what} theo {campaign_title}: hạn chót là ngày {vn_date(deadline)} "
        + f"({left}).\n{status}"
    )
    if pending_people:
        shown = ", ".join(pending_people[:20])
        more = f" và {len(pending_people) - 20} người khác" if len(pending_people) > 20 else ""
        body += f"\nCá nhân của đơn vị chưa đăng ký: {shown}{more}."
    subject = f"[Nhắc hạn] Hạn {what} ngày {vn_date(deadline)} ({left})"
    return Message(f"{kind}_deadline_reminder", subject, body + SIGNATURE)


CONFERENCE_KINDS = {
    "exemplary_models": "Hội nghị điển hình tiên tiến",
    "emulation_congress": "Đại hội thi đua yêu nước",
}
CONFERENCE_LEVELS = {"unit": "cấp cơ sở", "department": "cấp Sở"}


def conference_report_reminder(
    *,
    conference_id: str,
    kind: str,
    level: str,
    held_on: date,
    deadline: date,
    today: date,
    recipient: str,
) -> Message:
    """Báo cáo kết quả hội nghị (DOMAIN rule 25): due ``deadline``, not received yet."""
    days = (deadline - today).days
    left = "hôm nay là ngày cuối" if days <= 0 else f"còn {days} ngày"
    what = CONFERENCE_KINDS.get(kind, "Hội nghị")
    where = CONFERENCE_LEVELS.get(level)
    name = f"{what} {where}" if where else what
    body = (
        _greeting(recipient)
        + f"Nhắc hạn gửi báo cáo kết quả {name} (mã {conference_id}) tổ chức ngày "
        + f"{vn_date(held_on)}: hạn chót là ngày {vn_date(deadline)} ({left}).\n"
        + f"Đến ngày {vn_date(today)}, hệ thống chưa nhận được báo cáo kết quả hội nghị của "
        + f"{recipient}."
    )
    # Short: Python folds a longer Vietnamese subject at a space, which readers then drop.
    subject = f"[Nhắc hạn] Báo cáo hội nghị, hạn {vn_date(deadline)} ({left})"
    return Message("conference_report_reminder", subject, body + SIGNATURE)


def initiative_recognized(fact: InitiativeRecognized, title: str, recipient: str) -> Message:
    decision = ""
    if fact.decision is not None and fact.decision.number:
        decision = f" theo Quyết định số {fact.decision.number}"
    body = (
        _greeting(recipient)
        + f"Sáng kiến “{title}” đã được công nhận ở {SCOPE_NAMES[fact.level.value]}"
        + f"{decision} ngày {vn_date(fact.recognized_on)}."
    )
    return Message(
        "initiative_recognized", f"[Sáng kiến] Công nhận sáng kiến “{title}”", body + SIGNATURE
    )


def initiative_rejected(fact: InitiativeRejected, title: str, recipient: str) -> Message:
    body = (
        _greeting(recipient)
        + f"Sáng kiến “{title}” không được công nhận (ngày {vn_date(fact.rejected_on)}). "
        + f"Lý do:\n{_reasons(fact.reasons)}"
    )
    return Message(
        "initiative_rejected", f"[Sáng kiến] Không công nhận sáng kiến “{title}”", body + SIGNATURE
    )


def nomination_approved(fact: NominationApproved, nominee: str, recipient: str) -> Message:
    title = TITLE_NAMES[fact.title]
    body = (
        _greeting(recipient)
        + f"{nominee} được tặng danh hiệu/hình thức “{title}” năm {fact.year} theo Quyết định "
        + f"số {fact.decision_number} ngày {vn_date(fact.decision_date)}. "
        + f"Tiền thưởng: {vnd(fact.cash_vnd)}."
    )
    return Message(
        "nomination_approved", f"[Khen thưởng] {nominee}: {title} năm {fact.year}", body + SIGNATURE
    )


def _with_reasons(
    template: str, subject: str, recipient: str, text: str, reasons: Sequence[RejectionReason]
) -> Message:
    body = _greeting(recipient) + text + f"Lý do:\n{_reasons(reasons)}"
    return Message(template, subject, body + SIGNATURE)


def nomination_rejected(
    fact: NominationRejected, nominee: str, title: TitleCode | None, recipient: str
) -> Message:
    what = f" “{TITLE_NAMES[title]}”" if title else ""
    return _with_reasons(
        "nomination_rejected",
        f"[Khen thưởng] Không chấp thuận hồ sơ của {nominee}",
        recipient,
        f"Hồ sơ đề nghị khen thưởng{what} của {nominee} không được chấp thuận "
        f"(ngày {vn_date(fact.rejected_on)}). ",
        fact.reasons,
    )


def award_flagged(
    fact: AwardFlaggedForReview, nominee: str, title: TitleCode | None, recipient: str
) -> Message:
    what = f" “{TITLE_NAMES[title]}”" if title else ""
    return _with_reasons(
        "award_flagged_for_review",
        f"[Khen thưởng] Đề nghị xem xét lại khen thưởng của {nominee}",
        recipient,
        f"Khen thưởng{what} của {nominee} (hồ sơ {fact.nomination_id}) cần được xem xét lại: "
        f"căn cứ khen thưởng đã được đính chính hoặc thu hồi (ngày {vn_date(fact.flagged_on)}). "
        "Kết quả khen thưởng chưa thay đổi cho đến khi có quyết định của cấp có thẩm quyền. ",
        fact.reasons,
    )


def input_rejected(fact: InputRejected, recipient: str) -> Message:
    what = fact.original_type or "không xác định"
    body = (
        _greeting(recipient)
        + f"Dịch vụ {fact.rejected_by} đã từ chối dữ liệu mã {fact.original_id} (loại {what}, "
        + f"kênh {fact.topic}). Lý do:\n{_reasons(fact.reasons)}"
    )
    return Message("input_rejected", f"[Từ chối dữ liệu] {fact.original_id}", body + SIGNATURE)


def event_notice(event_type: str, subject_id: str | None, recipient: str) -> Message:
    """For subscriptions to types without a dedicated text."""
    name = event_type.removeprefix("vn.thidua.")
    about = f" về {subject_id}" if subject_id else ""
    body = _greeting(recipient) + f"Hệ thống ghi nhận sự kiện {name}{about}."
    return Message("event_notice", f"[Thông báo] {name}{about}", body + SIGNATURE)
