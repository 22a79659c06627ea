"""The Jinja2 texts as a reader gets them: subject and body rendered, in Vietnamese, dates
dd/mm/yyyy, money and counts with dot separators (issue 18 item 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import jinja2
import pytest

from contracts.awards import NominationApproved
from contracts.common import RejectionReason, TitleCode
from contracts.examples import GIA_LAI_2018_PLAN
from contracts.registration import CampaignLaunched
from contracts.rejections import InputRejected
from services.notifications import rendering, templates
from services.notifications.templates import Nominee


def refusal(**changes: Any) -> InputRejected:
    data: dict[str, Any] = {
        "original_id": "3f6c0d2e-decision",
        "original_type": "vn.thidua.awards.DecisionIssued.v1",
        "department": "sct-gl",
        "topic": "thidua.ingress.sct-gl",
        "rejected_by": "awards",
        "reasons": [
            RejectionReason(
                code="awards.not_registered",
                message=f"Hồ sơ sct-gl/n{i}: Cá nhân không đăng ký thi đua năm 2018",
                item=f"sct-gl/n{i}",
            )
            for i in range(1, 4)
        ],
        "excerpt": {"number": "45/QĐ-SCT", "issued_on": "2019-12-10", "year": 2019},
        "partial": True,
    }
    return InputRejected.model_validate({**data, **changes})


def test_a_refused_decision_is_one_message_naming_the_decision_and_counting_the_nominees() -> None:
    nominees = {
        "sct-gl/n1": Nominee("Nguyễn Thị Hoa", "individual", TitleCode.LDTT),
        "sct-gl/n2": Nominee("Trần Văn Đức", "individual", TitleCode.CSTDCS),
        "sct-gl/n3": Nominee("Phòng Quản lý công nghiệp", "collective", TitleCode.TTLDTT),
    }
    message = templates.input_rejected(refusal(), "Sở Công Thương Gia Lai", nominees)
    assert message.template == "input_rejected"
    assert message.subject == "Từ chối: Quyết định 45/QĐ-SCT ngày 10/12/2019 (2 người, 1 tập thể)"
    assert message.body.startswith("Kính gửi: Sở Công Thương Gia Lai.\n\n")
    assert "Quyết định 45/QĐ-SCT ngày 10/12/2019 đã được ghi nhận, nhưng 3 hồ sơ" in message.body
    assert (
        "1. Nguyễn Thị Hoa, Lao động tiên tiến (hồ sơ sct-gl/n1):\n"
        "   - Cá nhân không đăng ký thi đua năm 2018 (mã: awards.not_registered)\n"
    ) in message.body
    assert "2. Trần Văn Đức, Chiến sĩ thi đua cơ sở (hồ sơ sct-gl/n2):" in message.body
    assert "3. Phòng Quản lý công nghiệp, Tập thể lao động tiên tiến" in message.body
    assert "Hồ sơ sct-gl/n1:" not in message.body  # the item is named once, by its nominee
    assert message.body.endswith("\n\n--\n" + rendering.SIGNATURE)


def test_a_refusal_subject_never_shows_a_bare_id() -> None:
    unreadable = refusal(original_type=None, excerpt=None, partial=None)
    unreadable.reasons[:] = [RejectionReason(code="envelope.invalid", message="Không đọc được")]
    message = templates.input_rejected(unreadable, "Sở Công Thương Gia Lai")
    assert message.subject == "Từ chối: bản ghi không đọc được trên kênh thidua.ingress.sct-gl"
    assert "3f6c0d2e" not in message.subject
    assert "Lý do:\n  - Không đọc được (mã: envelope.invalid)" in message.body


@pytest.mark.parametrize(
    ("original_type", "excerpt", "label"),
    [
        (
            "vn.thidua.awards.NominationSubmitted.v1",
            {"title": "LDTT", "year": 2018, "received_on": "2018-12-12"},
            "Hồ sơ đề nghị khen thưởng “Lao động tiên tiến” ngày 12/12/2018",
        ),
        (
            "vn.thidua.awards.CouncilVoted.v1",
            {"session_on": "2018-12-18"},
            "Kết quả họp Hội đồng Thi đua - Khen thưởng ngày 18/12/2018",
        ),
        (
            "vn.thidua.registration.PersonJoined.v1",
            {"full_name": "Lê Thị Lan", "joined_on": "2025-08-01"},
            "Hồ sơ cán bộ ngày 01/08/2025: Lê Thị Lan",
        ),
        (
            "vn.thidua.registration.CampaignLaunched.v1",
            {"number": "12/KH-SCT", "issued_on": "2018-03-01", "title": "Thi đua năm 2018"},
            "Kế hoạch thi đua 12/KH-SCT ngày 01/03/2018: Thi đua năm 2018",
        ),
        (
            "vn.thidua.registration.BlocRanked.v1",
            {"year": 2018},
            "Dữ liệu loại BlocRanked năm 2018",
        ),
        ("vn.thidua.awards.DecisionIssued.v1", {"issued_on": "10/12"}, "Quyết định"),
    ],
)
def test_what_was_refused_is_said_in_words(
    original_type: str, excerpt: dict[str, Any], label: str
) -> None:
    assert templates.refused_label(refusal(original_type=original_type, excerpt=excerpt)) == label


def test_a_daily_digest_lists_every_message_once_with_its_text() -> None:
    held = [
        templates.input_rejected(refusal(), "Sở Công Thương Gia Lai"),
        templates.deadline_reminder(
            kind="dossier",
            campaign_title="Kế hoạch số 12/KH-SCT",
            deadline=date(2018, 12, 10),
            today=date(2018, 12, 3),
            recipient="Sở Công Thương Gia Lai",
        ),
    ]
    rows = [{"subject": m.subject, "body": m.body} for m in held * 600]
    digest = templates.daily_digest(date(2018, 12, 3), "Sở Công Thương Gia Lai", rows)
    assert digest.template == "daily_digest"
    assert digest.subject == "[Tổng hợp] Thông báo ngày 03/12/2018 (1.200 thông báo)"
    assert digest.body.startswith("Kính gửi: Sở Công Thương Gia Lai.\n\n")
    assert f"  1. {held[0].subject}\n  2. {held[1].subject}\n" in digest.body
    assert digest.body.count("Kính gửi:") == 1  # the held messages' greetings are dropped
    assert digest.body.count(rendering.SIGNATURE) == 1
    assert "hạn chót là ngày 10/12/2018 (còn 7 ngày)" in digest.body


def test_money_and_dates_as_officials_write_them() -> None:
    assert rendering.vnd(563228000) == "563.228.000 đồng"
    assert rendering.vn_date(date(2019, 12, 10)) == rendering.vn_date("2019-12-10") == "10/12/2019"


def test_a_template_naming_an_unknown_value_fails_instead_of_printing_nothing() -> None:
    with pytest.raises(jinja2.UndefinedError):
        rendering.render("daily_digest", recipient="Sở", messages=[])


def test_an_award_tells_the_cash_with_dot_separators_and_the_date_dd_mm_yyyy() -> None:
    approved = NominationApproved.model_validate(
        {
            "nomination_id": "sct-gl/n1",
            "department_code": "sct-gl",
            "year": 2018,
            "title": "CSTDCS",
            "nominee_kind": "individual",
            "nominee_id": "sct-gl/p1",
            "decision_number": "101/QĐ-SCT",
            "decision_date": "2018-12-20",
            "authority": "department_director",
            "cash_vnd": 1390000,
            "base_salary_vnd": 1390000,
            "coefficient": "1",
        }
    )
    message = templates.nomination_approved(approved, "Nguyễn Thị Hoa", "Phòng Quản lý công nghiệp")
    assert message.subject == "[Khen thưởng] Nguyễn Thị Hoa: Chiến sĩ thi đua cơ sở năm 2018"
    assert message.body == (
        "Kính gửi: Phòng Quản lý công nghiệp.\n\n"
        "Nguyễn Thị Hoa được tặng danh hiệu/hình thức “Chiến sĩ thi đua cơ sở” năm 2018 theo "
        "Quyết định số 101/QĐ-SCT ngày 20/12/2018. Tiền thưởng: 1.390.000 đồng.\n\n--\n"
        + rendering.SIGNATURE
    )


def test_a_launch_lists_its_dates_and_deadlines_one_a_line() -> None:
    plan = CampaignLaunched.model_validate(GIA_LAI_2018_PLAN)
    message = templates.campaign_launched(plan, "Văn phòng Sở")
    assert message.subject.startswith("[Thi đua] Phát động phong trào thi đua năm 2018: ")
    lines = message.body.split("\n")
    assert lines[:2] == ["Kính gửi: Văn phòng Sở.", ""]
    assert any(line.startswith("Thời gian: từ 01/01/2018 đến ") for line in lines)
    assert "Hạn đăng ký thi đua: trước ngày 30/08/2018. Tập thể, cá nhân" in message.body
    assert "\n\n\n" not in message.body  # no blank line left by a missing part


def test_a_reminder_names_at_most_twenty_people_and_counts_the_rest() -> None:
    message = templates.deadline_reminder(
        kind="registration",
        campaign_title="Kế hoạch số 12/KH-SCT",
        deadline=date(2018, 8, 30),
        today=date(2018, 8, 30),
        recipient="Phòng Quản lý thương mại",
        pending_people=[f"Cán bộ {i}" for i in range(1, 26)],
    )
    assert message.template == "registration_deadline_reminder"
    assert (
        message.subject == "[Nhắc hạn] Hạn đăng ký thi đua ngày 30/08/2018 (hôm nay là ngày cuối)"
    )
    assert "Cán bộ 20 và 5 người khác." in message.body
    assert "Cán bộ 21" not in message.body
