"""Vietnamese texts of every notification (dates dd/mm/yyyy, money with dot separators)."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from contracts.awards import AwardFlaggedForReview, NominationApproved, NominationRejected
from contracts.common import RejectionReason, TitleCode
from contracts.registration import CampaignLaunched, InitiativeRecognized, InitiativeRejected
from contracts.rejections import InputRejected
from services.notifications.rendering import render, vn_date, vn_number

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


@dataclass(frozen=True)
class Message:
    """What a recipient reads: one subject line and a plain-text body."""

    template: str
    subject: str
    body: str


def plan_name(plan: CampaignLaunched) -> str:
    kind = DOCUMENT_KINDS.get(plan.document_kind.value, "Kế hoạch")
    number = f" số {plan.number}" if plan.number else ""
    issued = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    return f"{kind}{number}{issued} của {plan.issuer.name}"


def campaign_launched(plan: CampaignLaunched, recipient: str) -> Message:
    subject, body = render(
        "campaign_launched", plan=plan, plan_name=plan_name(plan), recipient=recipient
    )
    return Message("campaign_launched", subject, body)


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
    template = "review_date_reminder" if kind == "review" else "deadline_reminder"
    subject, body = render(
        template,
        kind=kind,
        campaign_title=campaign_title,
        deadline=deadline,
        today=today,
        days=days,
        left=_left(days),
        recipient=recipient,
        pending_people=list(pending_people),
    )
    name = "review_date_reminder" if kind == "review" else f"{kind}_deadline_reminder"
    return Message(name, subject, body)


def _left(days: int) -> str:
    return "hôm nay là ngày cuối" if days <= 0 else f"còn {days} ngày"


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
    what = CONFERENCE_KINDS.get(kind, "Hội nghị")
    where = CONFERENCE_LEVELS.get(level)
    subject, body = render(
        "conference_report_reminder",
        name=f"{what} {where}" if where else what,
        conference_id=conference_id,
        held_on=held_on,
        deadline=deadline,
        today=today,
        left=_left((deadline - today).days),
        recipient=recipient,
    )
    return Message("conference_report_reminder", subject, body)


def initiative_recognized(fact: InitiativeRecognized, title: str, recipient: str) -> Message:
    number = fact.decision.number if fact.decision is not None else None
    subject, body = render(
        "initiative_recognized",
        fact=fact,
        title=title,
        scope=SCOPE_NAMES[fact.level.value],
        decision_number=number,
        recipient=recipient,
    )
    return Message("initiative_recognized", subject, body)


def initiative_rejected(fact: InitiativeRejected, title: str, recipient: str) -> Message:
    subject, body = render("initiative_rejected", fact=fact, title=title, recipient=recipient)
    return Message("initiative_rejected", subject, body)


def nomination_approved(fact: NominationApproved, nominee: str, recipient: str) -> Message:
    subject, body = render(
        "nomination_approved",
        fact=fact,
        nominee=nominee,
        title=TITLE_NAMES[fact.title],
        recipient=recipient,
    )
    return Message("nomination_approved", subject, body)


def nomination_rejected(
    fact: NominationRejected, nominee: str, title: TitleCode | None, recipient: str
) -> Message:
    subject, body = render(
        "nomination_rejected",
        fact=fact,
        nominee=nominee,
        title=TITLE_NAMES[title] if title else None,
        recipient=recipient,
    )
    return Message("nomination_rejected", subject, body)


def award_flagged(
    fact: AwardFlaggedForReview, nominee: str, title: TitleCode | None, recipient: str
) -> Message:
    subject, body = render(
        "award_flagged_for_review",
        fact=fact,
        nominee=nominee,
        title=TITLE_NAMES[title] if title else None,
        recipient=recipient,
    )
    return Message("award_flagged_for_review", subject, body)


@dataclass(frozen=True)
class Nominee:
    """Who a refused dossier (an item of a refusal) was for, as the directory names them."""

    name: str
    kind: str | None = None
    """``individual`` (người) or ``collective`` (tập thể); None when not known."""
    title: TitleCode | None = None


TYPE_NOUNS = {
    "DecisionIssued": "Quyết định",
    "CouncilVoted": "Kết quả họp Hội đồng Thi đua - Khen thưởng",
    "NominationSubmitted": "Hồ sơ đề nghị khen thưởng",
    "NominationWithdrawn": "Việc rút hồ sơ đề nghị khen thưởng",
    "AwardRevoked": "Quyết định hủy bỏ khen thưởng",
    "AwardImported": "Khen thưởng đã có trước khi dùng hệ thống",
    "ConferenceHeld": "Hội nghị",
    "ConferenceReported": "Báo cáo kết quả hội nghị",
    "CampaignLaunched": "Kế hoạch thi đua",
    "CampaignAmended": "Văn bản sửa đổi kế hoạch thi đua",
    "UnitRegistered": "Đăng ký thi đua của tập thể",
    "IndividualRegistered": "Đăng ký thi đua của cá nhân",
    "InitiativeSubmitted": "Sáng kiến",
    "PersonJoined": "Hồ sơ cán bộ",
    "UnitEstablished": "Đơn vị",
    "PerformanceRated": "Kết quả xếp loại",
    "EconomicResultReported": "Báo cáo kết quả kinh tế",
}
"""What a refused record was, by its type's name; any other type is named by its name."""
DATE_FIELDS = (
    "issued_on",
    "session_on",
    "held_on",
    "received_on",
    "registered_on",
    "submitted_on",
    "joined_on",
    "established_on",
)
SERVICE_NAMES = {
    "awards": "khen thưởng",
    "registration": "đăng ký, tổ chức thi đua",
    "notifications": "thông báo",
}
KIND_WORDS = {"individual": "người", "collective": "tập thể"}


def refused_label(fact: InputRejected) -> str:
    """What was refused, in words: "Quyết định 45/QĐ-SCT ngày 10/12/2019", never an id."""
    if fact.original_type is None:
        return f"bản ghi không đọc được trên kênh {fact.topic}"
    name = fact.original_type.removeprefix("vn.thidua.").split(".")
    type_name = name[1] if len(name) > 1 else name[0]
    excerpt = fact.excerpt or {}
    words = [TYPE_NOUNS.get(type_name, f"Dữ liệu loại {type_name}")]
    if isinstance(number := excerpt.get("number"), str):
        words.append(number)
    title = excerpt.get("title")
    if isinstance(title, str) and title in TITLE_NAMES:
        words.append(f"“{TITLE_NAMES[TitleCode(title)]}”")
    dated = next((excerpt[f] for f in DATE_FIELDS if isinstance(excerpt.get(f), str)), None)
    with contextlib.suppress(ValueError):  # a refused record's date may be malformed
        words.append(f"ngày {vn_date(date.fromisoformat(str(dated)))}" if dated else "")
    if not dated and isinstance(year := excerpt.get("year"), int):
        words.append(f"năm {year}")
    label = " ".join(w for w in words if w)
    naming = excerpt.get("full_name") or excerpt.get("name")
    if not isinstance(naming, str) and isinstance(title, str) and title not in TITLE_NAMES:
        naming = title
    return f"{label}: {naming}" if isinstance(naming, str) else label


def input_rejected(
    fact: InputRejected, recipient: str, nominees: Mapping[str, Nominee] | None = None
) -> Message:
    """One message for one refused input: every refused item (a decision's dossiers) with
    its own reasons, the subject naming the input and how many were refused (issue 18)."""
    nominees = nominees or {}
    by_item: dict[str, list[RejectionReason]] = {}
    general: list[RejectionReason] = []
    for reason in fact.reasons:
        if reason.item is None:
            general.append(reason)
            continue
        message = reason.message.removeprefix(f"Hồ sơ {reason.item}: ")
        by_item.setdefault(reason.item, []).append(reason.model_copy(update={"message": message}))
    items = []
    kinds: Counter[str] = Counter()
    for item, reasons in by_item.items():
        nominee = nominees.get(item, Nominee(item))
        kinds[KIND_WORDS.get(nominee.kind or "", "hồ sơ")] += 1
        title = TITLE_NAMES[nominee.title] if nominee.title else None
        items.append({"id": item, "name": nominee.name, "title": title, "reasons": reasons})
    counted = ", ".join(f"{vn_number(n)} {word}" for word, n in kinds.items())
    subject, body = render(
        "input_rejected",
        recipient=recipient,
        label=refused_label(fact),
        counted=counted,
        partial=bool(fact.partial),
        items=items,
        general=general,
        rejected_by=SERVICE_NAMES.get(fact.rejected_by, fact.rejected_by),
        original_id=fact.original_id,
        original_type=fact.original_type,
        topic=fact.topic,
    )
    return Message("input_rejected", subject, body)


def daily_digest(day: date, recipient: str, messages: Sequence[Any]) -> Message:
    """One mail a day (issue 18): every held message's subject, then each text without its
    greeting and signature (the digest has its own)."""
    shown = [{"subject": m["subject"], "text": _inner(m["body"])} for m in messages]
    subject, body = render("daily_digest", recipient=recipient, day=day, messages=shown)
    return Message("daily_digest", subject, body)


def _inner(body: str) -> str:
    """A message's text between its greeting and its signature."""
    text = body.split("\n\n--\n", 1)[0]
    if text.startswith("Kính gửi: "):
        text = text.split("\n\n", 1)[-1]
    return text.strip()


def event_notice(event_type: str, subject_id: str | None, recipient: str) -> Message:
    """For subscriptions to types without a dedicated text."""
    name = event_type.removeprefix("vn.thidua.")
    subject, body = render("event_notice", name=name, subject_id=subject_id, recipient=recipient)
    return Message("event_notice", subject, body)
