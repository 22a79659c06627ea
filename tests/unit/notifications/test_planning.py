"""Who is told about each fact: notifications' decisions as given/when/then, in memory."""

from __future__ import annotations

from datetime import date, datetime

from contracts import awards as aw
from contracts import registration as rg
from contracts.common import OrgKind, RejectionReason
from contracts.examples import GIA_LAI_2018_PLAN
from contracts.notifications import Channel, DeliveryPlanned, NotificationSent
from contracts.rejections import InputRejected
from services.notifications import rules
from services.notifications.clock import VIETNAM
from services.notifications.domain.copies import Campaign, Initiative, Nomination
from services.notifications.domain.deliveries import Cause, claim_stream, plan, to_contact
from services.notifications.domain.reminders import Pending, reminder_notices
from services.notifications.readmodels import subscriptions
from services.notifications.readmodels.fold import Patches
from services.notifications.templates import Message
from tests.unit.notifications.planning import (
    GL,
    NOW,
    Given,
    claimed,
    emits,
    event_of,
    unit,
    when,
)
from thidua.es.succession import Merger, Successions

PLAN = rg.CampaignLaunched.model_validate(GIA_LAI_2018_PLAN)
BOARD = rules.Subscription(
    "board", "province", "gia-lai", Channel.EMAIL, "ban@gialai.gov.vn", ("vn.thidua.awards.*",)
)


def launched(given: Given, event_id: str = "launch-1") -> Campaign:
    campaign = Campaign(PLAN.campaign_id, GL, event_id, PLAN.model_dump(mode="json"))
    given.campaigns[PLAN.campaign_id] = campaign
    return campaign


def established(on: date) -> rg.UnitEstablished:
    return rg.UnitEstablished(
        unit_id=f"{GL}/u009",
        department_code=GL,
        name="Phòng Kế hoạch",
        kind="section",
        established_on=on,
    )


def test_a_launch_tells_each_active_unit_the_provincial_board_and_the_department() -> None:
    orgs = {("unit", f"{GL}/u001"), ("unit", f"{GL}/u002"), ("province", "gia-lai")}
    given = Given(units={GL: (unit(1), unit(2))}, contacts=orgs | {("department", GL)})
    launch = event_of(PLAN)
    launched(given, launch.id)
    planned = when(given, launch)
    assert claimed(planned) == [
        ("unit", f"{GL}/u001", "contact"),
        ("unit", f"{GL}/u002", "contact"),
        ("province", "gia-lai", "contact"),
        ("department", GL, "contact"),
    ]
    assert planned[0].subject.startswith("[Thi đua] Phát động phong trào thi đua năm 2018")
    assert "Hạn đăng ký thi đua: trước ngày 30/08/2018" in planned[0].body
    assert {p.causation_event_id for p in planned} == {launch.id}
    assert [e.stream_id for e in emits(given, launch)] == [claim_stream(launch.id)]


def test_an_organisation_without_a_contact_is_told_in_its_inbox_with_the_plan() -> None:
    given = Given(units={GL: (unit(1), unit(2))}, contacts={("unit", f"{GL}/u001")})
    launch = event_of(PLAN)
    launched(given, launch.id)
    decided = emits(given, launch)
    planned = [p for e in decided for p in e.facts if isinstance(p, DeliveryPlanned)]
    by_org = {(p.recipient_kind, p.recipient_id): p for p in planned}
    assert by_org[("unit", f"{GL}/u001")].channel is None  # its contact: the dispatcher's
    to_inbox = [p for p in planned if p.channel is Channel.INBOX]
    assert {(p.recipient_kind, p.recipient_id, p.address) for p in to_inbox} == {
        ("unit", f"{GL}/u002", f"{GL}/u002"),
        ("province", "gia-lai", "gia-lai"),
        ("department", GL, GL),
    }
    sent = {e.stream_id: e.facts[0] for e in decided if isinstance(e.facts[0], NotificationSent)}
    assert sent == {
        f"notification:{p.notification_id}": NotificationSent(
            notification_id=p.notification_id,
            channel=Channel.INBOX,
            recipient=p.recipient_id,
            template=p.template,
            attempt=1,
            causation_event_id=launch.id,
            sent_at=NOW,
        )
        for p in to_inbox
    }
    # The contacts were asked once, with the claims and the deliveries' streams.
    asked = [key for name, key in given.asked if name == "reachable"]
    assert sorted(asked) == sorted({*to_inbox_orgs(to_inbox), ("unit", f"{GL}/u001")})


def to_inbox_orgs(planned: list[DeliveryPlanned]) -> list[tuple[str, str]]:
    return [(p.recipient_kind, p.recipient_id) for p in planned]


def test_a_second_launch_of_an_announced_campaign_tells_nobody() -> None:
    given = Given(units={GL: (unit(1),)})
    launched(given, "the-first-launch")
    assert when(given, PLAN) == []


def test_a_fact_nobody_asked_for_tells_nobody_and_reads_only_the_subscriptions() -> None:
    given = Given(subscriptions=(BOARD,))
    joined = rg.PersonJoined(
        person_id=f"{GL}/p001",
        department_code=GL,
        unit_id=f"{GL}/u001",
        full_name="Nguyễn Thị Lan",
        sex="female",
        joined_on=date(2010, 9, 1),
    )
    assert when(given, joined) == []
    assert given.asked == [(subscriptions.BY_TYPE, rg.PersonJoined.type_name())]


def test_a_unit_established_after_the_launch_is_told_as_one_more_recipient_of_it() -> None:
    given = Given()
    campaign = launched(given, "launch-1")
    unit_established = established(date(2018, 3, 1))
    [planned] = when(given, unit_established)
    assert claimed([planned]) == [("unit", f"{GL}/u009", "contact")]
    assert planned.cause_key == campaign.launch_event_id
    assert "Kính gửi: Phòng Kế hoạch." in planned.body
    # The launch, deciding later in the same batch, finds the unit claimed: not told twice.
    given.claimed["launch-1"] = [planned]
    assert when(given, unit_established) == []


def test_a_unit_established_after_the_registration_deadline_is_not_told() -> None:
    given = Given()
    launched(given)
    late = established(date(2018, 9, 1))
    assert when(given, late, now=datetime(2018, 9, 1, 9, tzinfo=VIETNAM)) == []


def test_a_rejected_dossier_tells_its_unit_why_and_the_board_that_subscribed() -> None:
    given = Given(
        units={GL: (unit(1), unit(2, "Thanh tra Sở"))},
        subscriptions=(BOARD,),
        nominations={
            "n-1": Nomination("n-1", GL, "collective", f"{GL}/u002", f"{GL}/u002", "TTLDXS")
        },
    )
    rejected = aw.NominationRejected(
        nomination_id="n-1",
        rejected_on=date(2018, 12, 20),
        reasons=[RejectionReason(code="awards.x", message="Tập thể không có cá nhân đạt CSTĐCS")],
    )
    unit_notice, board_notice = when(given, event_of(rejected, department=None))
    assert claimed([unit_notice]) == [("unit", f"{GL}/u002", "contact")]
    assert "Tập thể lao động xuất sắc" in unit_notice.body
    assert "Kính gửi: Thanh tra Sở." in unit_notice.body
    assert (board_notice.route, board_notice.channel, board_notice.address) == (
        "subscription:board",
        Channel.EMAIL,
        "ban@gialai.gov.vn",
    )
    assert "Kính gửi: Gia Lai." in board_notice.body
    assert "Tập thể không có cá nhân đạt CSTĐCS" in board_notice.body
    assert board_notice.department == GL  # the dossier's department, from its read copy


def test_a_rejection_of_a_dossier_never_seen_submitted_tells_nobody() -> None:
    rejected = aw.NominationRejected(
        nomination_id="n-404",
        rejected_on=date(2018, 12, 20),
        reasons=[RejectionReason(code="awards.x", message="Không đạt")],
    )
    assert when(Given(), rejected) == []


def test_an_individual_awarded_a_title_is_told_in_the_inbox_and_the_unit_by_contact() -> None:
    given = Given(
        units={GL: (unit(1, "Văn phòng Sở"),)},
        names={("person", f"{GL}/p001"): "Nguyễn Thị Lan"},
    )
    approved = aw.NominationApproved(
        nomination_id="n-2",
        department_code=GL,
        year=2018,
        title="CSTDCS",
        nominee_kind="individual",
        nominee_id=f"{GL}/p001",
        unit_id=f"{GL}/u001",
        decision_number="12/QĐ-SCT",
        decision_date=date(2018, 12, 20),
        authority="department_director",
        cash_vnd=2_340_000,
        base_salary_vnd=2_340_000,
        coefficient=1,
    )
    to_unit, to_person = when(given, approved)
    assert claimed([to_unit, to_person]) == [
        ("unit", f"{GL}/u001", "contact"),
        ("person", f"{GL}/p001", "inbox"),
    ]
    assert to_person.channel is Channel.INBOX and to_person.address == f"{GL}/p001"
    assert "Nguyễn Thị Lan được tặng danh hiệu/hình thức “Chiến sĩ thi đua cơ sở”" in to_unit.body
    assert "Tiền thưởng: 2.340.000 đồng." in to_unit.body


def test_a_recognised_initiative_tells_its_unit_and_each_author_in_the_inbox() -> None:
    given = Given(
        units={GL: (unit(3, "Phòng Quản lý công nghiệp"),)},
        names={("person", "p-1"): "Trần Văn Hùng"},
        initiatives={"i-1": Initiative("i-1", f"{GL}/u003", "Số hoá hồ sơ", ("p-1",))},
    )
    recognized = rg.InitiativeRecognized(
        initiative_id="i-1", level="unit", recognized_on=date(2018, 11, 2)
    )
    to_unit, to_author = when(given, recognized)
    assert claimed([to_unit, to_author]) == [
        ("unit", f"{GL}/u003", "contact"),
        ("person", "p-1", "inbox"),
    ]
    assert "Sáng kiến “Số hoá hồ sơ” đã được công nhận ở cơ sở" in to_author.body
    assert "ngày 02/11/2018" in to_author.body


def test_a_refusal_of_a_record_no_department_sent_is_told_to_nobody() -> None:
    """It was on the operators' topic: the department its envelope names never sent it."""
    refusal = InputRejected(
        original_id="evt-43",
        original_type="vn.thidua.registration.UnitRegistered.v1",
        department=GL,
        topic="thidua.registration.events",
        rejected_by="awards",
        reasons=[RejectionReason(code="data.invalid", message="Dữ liệu không hợp lệ")],
    )
    assert when(Given(), refusal) == []


def test_a_refused_input_goes_to_the_producing_departments_system() -> None:
    refusal = InputRejected(
        original_id="evt-42",
        original_type="vn.thidua.registration.UnitRegistered.v1",
        department=GL,
        topic=f"thidua.ingress.{GL}",
        rejected_by="registration",
        reasons=[RejectionReason(code="registration.deadline_passed", message="Sau hạn 30/08")],
    )
    [planned] = when(Given(), refusal)
    assert (planned.recipient_kind, planned.recipient_id, planned.route) == (
        "department",
        GL,
        "system",
    )
    assert "Sau hạn 30/08" in planned.body


def test_a_contact_change_is_told_to_a_department_subscribed_to_its_own_events() -> None:
    own = rules.Subscription("own", "department", GL, Channel.WEBHOOK, "https://sct/hook", ())
    contact = rg.OrganisationContactSet(
        org_kind=OrgKind.UNIT, org_id=f"{GL}/u001", email="u001@sct.gialai.gov.vn"
    )
    [planned] = when(Given(subscriptions=(own,)), contact)
    assert planned.template == "event_notice"
    assert planned.route == "subscription:own"


# --- claims, reminders and batch folds -------------------------------------------------------


def test_the_same_recipient_by_the_same_route_is_claimed_once_per_cause() -> None:
    cause = Cause("evt-1", "evt-1", "evt-1", GL, {})
    notice = to_contact("unit", "u1", "Đơn vị 1", Message("t", "s", "b"))
    now = datetime(2018, 8, 1, 9, tzinfo=VIETNAM)
    [first] = plan(cause, [notice, notice], now)
    assert plan(cause, [notice], now, already={first.notification_id}) == []
    other = Cause("evt-2", "evt-2", "evt-2", GL, {})
    assert plan(other, [notice], now)[0].notification_id != first.notification_id


def test_a_registration_reminder_names_the_units_people_who_have_not_registered() -> None:
    items = reminder_notices(
        "registration",
        PLAN,
        date(2018, 8, 30),
        date(2018, 8, 23),
        [unit(3, "Phòng Quản lý công nghiệp")],
        [Pending("p-2", "Trần Văn Hùng", f"{GL}/u003")],
    )
    assert [(i.recipient_id, i.route) for i in items] == [
        (f"{GL}/u003", "contact"),
        ("p-2", "inbox"),
    ]
    assert items[0].message.subject == "[Nhắc hạn] Hạn đăng ký thi đua ngày 30/08/2018 (còn 7 ngày)"
    assert "Cá nhân của đơn vị chưa đăng ký: Trần Văn Hùng." in items[0].message.body


def test_a_batch_folds_later_facts_into_the_row_it_creates() -> None:
    units = Patches()
    units.create("u1", department_code=GL, name="Phòng A")
    units.set("u1", name="Phòng B")  # renamed in the same batch
    units.set("u2", active=False)  # dissolved; established in an earlier batch
    assert units.inserts("department_code", "name") == [("u1", GL, "Phòng B")]
    assert units.updates("name", "active") == [("u2", None, False)]
    units.set("u1", active=False)  # and dissolved too
    assert units.updates("name", "active") == [("u1", "Phòng B", False), ("u2", None, False)]


def test_an_award_flagged_for_review_tells_its_department_why_in_vietnamese() -> None:
    given = Given(
        names={("person", f"{GL}/p001"): "Nguyễn Thị Lan", ("department", GL): "Sở Công Thương"},
        nominations={
            "n-3": Nomination("n-3", GL, "individual", f"{GL}/p001", f"{GL}/u001", "CSTDCS")
        },
    )
    flagged = aw.AwardFlaggedForReview.model_validate(
        {
            "nomination_id": "n-3",
            "department_code": GL,
            "flagged_on": "2019-01-10",
            "cause_type": "vn.thidua.registration.InitiativeWithdrawn.v1",
            "cause_event_id": "e-1",
            "reasons": [
                {"code": "awards.evidence_withdrawn", "message": "Sáng kiến sk-1 đã bị rút"}
            ],
        }
    )
    [notice] = when(given, event_of(flagged))
    assert claimed([notice]) == [("department", GL, "contact")]
    assert notice.subject == "[Khen thưởng] Đề nghị xem xét lại khen thưởng của Nguyễn Thị Lan"
    assert "“Chiến sĩ thi đua cơ sở”" in notice.body and "10/01/2019" in notice.body
    assert "Sáng kiến sk-1 đã bị rút" in notice.body


def test_after_a_merger_the_successor_is_told_about_its_predecessors_dossiers() -> None:
    """Issue 16: Sở Công Thương Gia Lai merged (here, on 01/07/2018) into a successor; an award
    of its dossier to review, and a decided dossier without a unit, go to the successor's
    contact, in the successor's name. Units and people keep their own contacts and inboxes."""
    successor = "sct-gialai-moi"
    merged = Successions([Merger(GL, successor, date(2018, 7, 1))])
    given = Given(
        names={
            ("person", f"{GL}/p001"): "Nguyễn Thị Lan",
            ("department", GL): "Sở Công Thương Gia Lai (cũ)",
            ("department", successor): "Sở Công Thương Gia Lai mới",
        },
        nominations={
            "n-3": Nomination("n-3", GL, "individual", f"{GL}/p001", None, "CSTDCS"),
            "n-4": Nomination("n-4", GL, "individual", f"{GL}/p001", f"{GL}/u001", "LDTT"),
        },
        successions=merged,
    )
    flagged = aw.AwardFlaggedForReview.model_validate(
        {
            "nomination_id": "n-3",
            "department_code": GL,
            "flagged_on": "2018-08-01",
            "cause_type": "vn.thidua.registration.InitiativeWithdrawn.v1",
            "cause_event_id": "e-1",
            "reasons": [{"code": "awards.evidence_withdrawn", "message": "Sáng kiến đã bị rút"}],
        }
    )
    [notice] = when(given, event_of(flagged))
    assert claimed([notice]) == [("department", successor, "contact")]
    assert "Kính gửi: Sở Công Thương Gia Lai mới." in notice.body
    rejected = aw.NominationRejected.model_validate(
        {
            "nomination_id": "n-3",
            "rejected_on": "2018-08-01",
            "reasons": [{"code": "awards.not_registered", "message": "Chưa đăng ký thi đua"}],
            "rule_set": "nd-91-2017",
        }
    )
    assert claimed(when(given, event_of(rejected))) == [
        ("department", successor, "contact"),
        ("person", f"{GL}/p001", "inbox"),
    ]
    with_unit = rejected.model_copy(update={"nomination_id": "n-4"})
    assert claimed(when(given, event_of(with_unit))) == [
        ("unit", f"{GL}/u001", "contact"),
        ("person", f"{GL}/p001", "inbox"),
    ]
    # Before the merger took effect, the department itself is told.
    before = Given(names=given.names, nominations=given.nominations, successions=merged)
    early = when(before, event_of(flagged), now=datetime(2018, 6, 30, 9, 0, tzinfo=VIETNAM))
    assert claimed(early) == [("department", GL, "contact")]
