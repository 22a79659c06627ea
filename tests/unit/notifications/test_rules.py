"""Who is told what and when: the pure rules of the notifications service."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.examples import BAC_LIEU_CITY_129_KH_UBND, GIA_LAI_2018_PLAN
from contracts.notifications import Channel
from contracts.registration import CampaignLaunched, Deadlines
from services.notifications import channels, rendering, rules, templates
from services.notifications.clock import VIETNAM

GIA_LAI = CampaignLaunched.model_validate(GIA_LAI_2018_PLAN)
ISSUER = rules.Issuer(
    rules.Org("department", "sct-gialai", "Sở Công Thương Gia Lai"),
    rules.Org("province", "gia-lai", "Gia Lai"),
    rules.Org("ministry", "bct", "Bộ Công Thương"),
)


def test_gia_lai_recipients_are_the_board_the_department_and_its_units() -> None:
    resolved = rules.resolve_plan_recipients(GIA_LAI.recipients, ISSUER)
    assert resolved.orgs == [ISSUER.province, ISSUER.department]
    assert resolved.all_units
    assert resolved.ignored == ["Website Sở"]
    assert resolved.unresolved == []


def test_a_recipient_named_like_a_known_unit_is_that_unit_and_unknown_names_are_reported() -> None:
    center = rules.Org("unit", "sct-baclieu/ttkc", "TTKC&XTTM")
    resolved = rules.resolve_plan_recipients(
        ["TTKC&XTTM", "Lưu: VT, HSTD.", "Hội Nông dân tỉnh"], ISSUER, [center]
    )
    assert resolved.orgs == [center]
    assert resolved.ignored == ["Lưu: VT, HSTD."]
    assert resolved.unresolved == ["Hội Nông dân tỉnh"]


def test_gia_lai_reminders_fall_7_and_1_days_before_each_deadline_at_8_in_vietnam() -> None:
    schedule = rules.reminder_schedule(
        GIA_LAI.campaign_id, GIA_LAI.deadlines, rules.ReminderPolicy()
    )
    assert [(r.kind, r.due_at.date(), r.due_at.hour) for r in schedule] == [
        ("registration", date(2018, 8, 23), 8),
        ("registration", date(2018, 8, 29), 8),
        ("dossier", date(2018, 12, 3), 8),
        ("dossier", date(2018, 12, 9), 8),
    ]
    assert all(r.due_at.utcoffset() == timedelta(hours=7) for r in schedule)


def test_an_amended_deadline_gives_new_reminder_ids() -> None:
    policy = rules.ReminderPolicy(registration_days=(3,), dossier_days=())
    before = rules.reminder_schedule("c", Deadlines(registration=date(2018, 8, 30)), policy)
    after = rules.reminder_schedule("c", Deadlines(registration=date(2018, 9, 15)), policy)
    assert len(before) == len(after) == 1
    assert before[0].reminder_id != after[0].reminder_id


def test_a_reminder_found_after_its_deadline_is_not_sent() -> None:
    deadline = date(2018, 8, 30)
    last_evening = datetime(2018, 8, 30, 23, 0, tzinfo=VIETNAM)
    assert rules.reminder_still_useful(deadline, last_evening)
    assert not rules.reminder_still_useful(deadline, last_evening + timedelta(hours=2))


def test_a_province_board_hears_of_decisions_in_its_province_only() -> None:
    board = rules.Subscription(
        "s1", "province", "gia-lai", Channel.EMAIL, "ban@gialai.gov.vn", ("vn.thidua.awards.*",)
    )
    here = rules.EventScope("sct-gialai", "gia-lai", "bct")
    there = rules.EventScope("sct-baclieu", "bac-lieu", "bct")
    approved = "vn.thidua.awards.NominationApproved.v1"
    assert rules.subscription_matches(board, approved, here)
    assert not rules.subscription_matches(board, approved, there)
    assert not rules.subscription_matches(board, "vn.thidua.registration.UnitRegistered.v1", here)


def test_a_department_system_subscribes_to_its_own_rejections() -> None:
    system = rules.Subscription(
        "s2",
        "department",
        "sct-gialai",
        Channel.WEBHOOK,
        "https://sct.gialai.gov.vn/hook",
        ("vn.thidua.rejections.InputRejected.v1",),
    )
    rejected = "vn.thidua.rejections.InputRejected.v1"
    assert rules.subscription_matches(system, rejected, rules.EventScope("sct-gialai"))
    assert not rules.subscription_matches(system, rejected, rules.EventScope("sct-baclieu"))


def test_people_read_email_and_systems_take_webhooks() -> None:
    both = ("a@b.vn", "https://x.vn/h")
    assert rules.contact_channel(*both, for_systems=False) == (Channel.EMAIL, "a@b.vn")
    assert rules.contact_channel(*both, for_systems=True) == (Channel.WEBHOOK, "https://x.vn/h")
    assert rules.contact_channel(None, "https://x.vn/h", for_systems=False) == (
        Channel.WEBHOOK,
        "https://x.vn/h",
    )
    assert rules.contact_channel(None, None, for_systems=True) is None


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_the_delivery_id_is_stable_and_tells_recipients_apart(cause: str, recipient: str) -> None:
    first = rules.delivery_id(cause, "unit", recipient, "contact")
    assert first == rules.delivery_id(cause, "unit", recipient, "contact")
    assert first != rules.delivery_id(cause, "unit", recipient + "x", "contact")


def test_backoff_doubles_up_to_a_ceiling() -> None:
    delays = [rules.backoff(n, 30, 100).total_seconds() for n in (1, 2, 3, 4)]
    assert delays == [30, 60, 100, 100]


def test_the_launch_email_is_in_vietnamese_with_dd_mm_yyyy_deadlines() -> None:
    message = templates.campaign_launched(GIA_LAI, "Chi cục Quản lý thị trường")
    assert message.body.startswith("Kính gửi: Chi cục Quản lý thị trường.")
    assert "Hạn đăng ký thi đua: trước ngày 30/08/2018" in message.body
    assert "Hạn gửi hồ sơ đề nghị khen thưởng: trước ngày 10/12/2018" in message.body
    assert "Kỷ cương - Hành động - Chung tay cùng tỉnh Gia Lai phát triển" in message.body
    assert "năm 2018" in message.subject


def test_a_reminder_counts_the_days_left_and_names_who_has_not_registered() -> None:
    message = templates.deadline_reminder(
        kind="registration",
        campaign_title="Kế hoạch của Sở Công Thương Gia Lai",
        deadline=date(2018, 8, 30),
        today=date(2018, 8, 23),
        recipient="Phòng Quản lý công nghiệp",
        pending_people=["Nguyễn Thị Lan"],
    )
    assert "còn 7 ngày" in message.subject
    assert "30/08/2018" in message.subject
    assert "Nguyễn Thị Lan" in message.body
    assert "không được xét tặng danh hiệu" in message.body


def test_money_is_written_the_vietnamese_way() -> None:
    assert rendering.vnd(2340000) == "2.340.000 đồng"


def test_a_webhook_signature_verifies_only_for_the_same_secret_and_body() -> None:
    signature = channels.sign("s3cret", "1700000000", b'{"a":1}')
    assert channels.verify("s3cret", "1700000000", b'{"a":1}', signature)
    assert not channels.verify("other", "1700000000", b'{"a":1}', signature)
    assert not channels.verify("s3cret", "1700000000", b'{"a":2}', signature)


def test_an_email_carries_the_delivery_id_as_its_message_id() -> None:
    raw = channels.build_email(
        "thidua@localhost",
        "qltt@gialai.gov.vn",
        templates.Message("t", "Tiêu đề có dấu", "Nội dung"),
        "d-1",
        datetime(2018, 8, 23, tzinfo=VIETNAM),
    )
    assert b"Message-ID: <d-1@thidua.notifications>" in raw
    assert b"X-Thidua-Delivery-Id: d-1" in raw


LONG_SUBJECTS = (
    "Từ chối: Quyết định 45/QĐ-SCT ngày 10/12/2019 của Sở Công Thương Gia Lai về việc khen "
    "thưởng (41 người)",
    "Bội chi quỹ thi đua, khen thưởng năm 2018 của Sở Công Thương Gia Lai: Quyết định 2/QĐ-SCT",
    "[Nhắc hạn] Báo cáo kết quả Hội nghị điển hình tiên tiến Sở Công Thương Khánh Hòa năm 2020",
    "A plain ASCII subject long enough to be folded across the seventy-eight character limit",
)


@pytest.mark.parametrize("subject", LONG_SUBJECTS)
def test_a_long_vietnamese_subject_reads_back_exactly(subject: str) -> None:
    """Python's own folder drops the space where it splits two encoded words ("Bội chiquỹ");
    a reader (the standard parser here) must get every space back, each line within 78."""
    raw = channels.build_email(
        "thidua@localhost",
        "qltt@gialai.gov.vn",
        templates.Message("t", subject, "Nội dung"),
        "d-2",
        datetime(2018, 8, 23, tzinfo=VIETNAM),
    )
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject
    assert parsed.get_content().strip() == "Nội dung"
    assert max(len(line) for line in raw.splitlines()) <= 78


def test_the_review_date_is_reminded_7_and_1_days_before() -> None:
    """TP Bạc Liêu's plan 129/KH-UBND sets its award review for 01/12/2019 (issue 17)."""
    plan = CampaignLaunched.model_validate(BAC_LIEU_CITY_129_KH_UBND)
    schedule = rules.reminder_schedule(plan.campaign_id, plan.deadlines, rules.ReminderPolicy())
    assert [(r.kind, r.due_at.date(), r.due_at.hour) for r in schedule] == [
        ("review", date(2019, 11, 24), 8),
        ("review", date(2019, 11, 30), 8),
    ]
    message = templates.deadline_reminder(
        kind="review",
        campaign_title="Kế hoạch số 129/KH-UBND của Ủy ban nhân dân thành phố Bạc Liêu",
        deadline=date(2019, 12, 1),
        today=date(2019, 11, 24),
        recipient="Phòng Nội vụ",
    )
    assert message.template == "review_date_reminder"
    assert message.subject == "[Nhắc hạn] Ngày xét khen thưởng, tổng kết 01/12/2019 (còn 7 ngày)"
    assert "129/KH-UBND" in message.body and "Phòng Nội vụ" in message.body


def test_a_conference_report_is_reminded_7_and_1_days_before_it_is_due() -> None:
    found = rules.conference_report_schedule(
        "sct-khanhhoa/hn-2020", date(2020, 6, 3), rules.ReminderPolicy()
    )
    assert [(r.kind, r.days_before, r.campaign_id) for r in found] == [
        ("conference_report", 7, None),
        ("conference_report", 1, None),
    ]
    assert {r.conference_id for r in found} == {"sct-khanhhoa/hn-2020"}
    assert [r.due_at.isoformat() for r in found] == [
        "2020-05-27T08:00:00+07:00",
        "2020-06-02T08:00:00+07:00",
    ]
    moved = rules.conference_report_schedule(
        "sct-khanhhoa/hn-2020", date(2020, 6, 10), rules.ReminderPolicy()
    )
    assert not {r.reminder_id for r in found} & {r.reminder_id for r in moved}
