"""The notifications service against the real Kafka, PostgreSQL, an SMTP server and a webhook
endpoint: the right people told once, on time, in Vietnamese."""

from __future__ import annotations

from datetime import date

import httpx

from contracts import topics
from contracts.awards import NominationRejected, NominationSubmitted
from contracts.common import OrgKind, RejectionReason
from contracts.envelope import CloudEvent
from contracts.notifications import Channel, SubscriptionCreated
from contracts.registration import IndividualRegistered, OrganisationContactSet, UnitRegistered
from contracts.rejections import InputRejected
from services.notifications.subscriptions import subscribe
from tests.auth import service_auth
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, SmtpServer, WebhookServer, at
from tests.support import count_topic, eventually, produce, read_topic
from thidua.es.consumer import Outcome
from thidua.es.kafka import ensure_topics

UNITS = len(scenario.UNIT_NAMES)


async def directory_known(h: Harness, units: int, contacts: int) -> None:
    await eventually(h.count("SELECT count(*) FROM units"), lambda n: n == units, what="units")
    await eventually(
        h.count("SELECT count(*) FROM contacts"), lambda n: n == contacts, what="contacts"
    )


async def test_launching_the_gia_lai_2018_plan_emails_each_unit_once(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    await h.registration(*scenario.department(), *scenario.units(UNITS))
    await directory_known(h, UNITS, UNITS + 2)
    [launch] = await h.registration(scenario.gia_lai_plan(), department=scenario.GL)

    expected = UNITS + 2  # every unit, the provincial board, the department (its leadership)
    await eventually(smtp_server.count, lambda n: n == expected, what="launch emails")
    for n in range(1, UNITS + 1):
        [mail] = smtp_server.to(scenario.unit_email(n))
        assert mail.subject.startswith("[Thi đua] Phát động phong trào thi đua năm 2018")
        assert f"Kính gửi: {scenario.UNIT_NAMES[n - 1]}." in mail.body
        assert "Hạn đăng ký thi đua: trước ngày 30/08/2018" in mail.body
    assert len(smtp_server.to(scenario.BOARD_EMAIL)) == 1
    assert len(smtp_server.to(scenario.DEPARTMENT_EMAIL)) == 1
    ids = {str(r) for r in await h.pool.fetch("SELECT delivery_id FROM deliveries")}
    assert len(ids) == expected
    assert {m.message_id for m in smtp_server.received} == {
        f"<{r['delivery_id']}@thidua.notifications>"
        for r in await h.pool.fetch("SELECT delivery_id FROM deliveries")
    }
    # Every outcome is a fact on the service's topic, caused by the launch.
    published = await eventually(
        lambda: read_topic(h.bootstrap, h.out.events), lambda r: len(r) == expected, what="facts"
    )
    facts = [CloudEvent.from_json(r.value or b"") for r in published]
    assert {f.type for f in facts} == {"vn.thidua.notifications.NotificationSent.v1"}
    assert {f.causationid for f in facts} == {launch.id}

    # The same launch delivered again (Kafka redelivery) sends nothing more.
    await produce(h.bootstrap, h.sources.registration, [launch.to_json()])
    assert h.runtime is not None
    consumer = h.runtime.command_consumers()[0]
    await eventually(
        lambda: _async(consumer.counts.get(Outcome.DUPLICATE, 0)), lambda n: n == 1, what="dup"
    )
    await eventually(
        h.count("SELECT count(*) FROM deliveries WHERE status <> 'sent'"),
        lambda n: n == 0,
        what="nothing left to send",
    )
    assert await smtp_server.count() == expected
    assert smtp_server.duplicates() == {}


async def _async(value: int) -> int:
    return value


async def test_a_registration_reminder_reaches_only_who_has_not_registered(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    h.clock.set(at("2018-08-01 09:00"))
    people = [scenario.person(1, 1, "Nguyễn Thị Lan"), scenario.person(2, 3, "Trần Văn Hùng")]
    await h.registration(*scenario.department(board=False), *scenario.units(4), *people)
    await directory_known(h, 4, 5)
    await eventually(h.count("SELECT count(*) FROM people"), lambda n: n == 2, what="people")
    plan = scenario.gia_lai_plan()
    await h.registration(plan, department=scenario.GL)
    await eventually(smtp_server.count, lambda n: n == 5, what="launch emails (4 units + Sở)")

    registered = [
        UnitRegistered(
            campaign_id=plan.campaign_id,
            department_code=scenario.GL,
            unit_id=scenario.unit_id(n),
            registered_on=date(2018, 8, 10),
        )
        for n in (1, 2)
    ]
    lan = IndividualRegistered(
        campaign_id=plan.campaign_id,
        department_code=scenario.GL,
        person_id="sct-gialai/p001",
        unit_id=scenario.unit_id(1),
        registered_on=date(2018, 8, 12),
    )
    await h.registration(*registered, lan, department=scenario.GL)
    await eventually(
        h.count("SELECT count(*) FROM registrations"), lambda n: n == 3, what="registrations"
    )

    # 23/08/2018 08:00, seven days before the 30/08 deadline.
    h.clock.set(at("2018-08-23 08:00:01"))
    await eventually(smtp_server.count, lambda n: n == 7, what="two 7-day reminders")
    reminders = [m for m in smtp_server.received if m.subject.startswith("[Nhắc hạn]")]
    assert sorted(r.to[0] for r in reminders) == [scenario.unit_email(3), scenario.unit_email(4)]
    assert all("còn 7 ngày" in r.subject for r in reminders)
    [third] = smtp_server.to(scenario.unit_email(3))[1:]
    assert "Trần Văn Hùng" in third.body  # its person who has not registered
    # The person without a registration is told in the in-app inbox, the other is not.
    assert h.runtime is not None and h.runtime.inbox is not None
    async with httpx.AsyncClient(base_url=h.runtime.inbox.url, auth=service_auth()) as client:
        hung = await eventually(
            lambda: client.get("/inbox/person/sct-gialai/p002"),
            lambda r: len(r.json()["messages"]) == 1,
            what="Hùng's inbox",
        )
        lan_inbox = await client.get("/inbox/person/sct-gialai/p001")
        message = hung.json()["messages"][0]
        assert message["template"] == "registration_deadline_reminder"
        assert "30/08/2018" in message["subject"]
        assert lan_inbox.json()["messages"] == []
        read = await client.post(f"/messages/{message['message_id']}/read")
        assert read.status_code == 204
        unread = await client.get("/inbox/person/sct-gialai/p002", params={"unread": "1"})
        assert unread.json()["messages"] == []

    # Unit 3 registers; on 29/08 only unit 4 is reminded.
    await h.registration(
        UnitRegistered(
            campaign_id=plan.campaign_id,
            department_code=scenario.GL,
            unit_id=scenario.unit_id(3),
            registered_on=date(2018, 8, 25),
        ),
        department=scenario.GL,
    )
    await eventually(
        h.count("SELECT count(*) FROM registrations"), lambda n: n == 4, what="4th registration"
    )
    h.clock.set(at("2018-08-29 08:00:01"))
    await eventually(smtp_server.count, lambda n: n == 8, what="the 1-day reminder")
    assert "còn 1 ngày" in smtp_server.received[-1].subject
    assert smtp_server.received[-1].to == [scenario.unit_email(4)]
    assert smtp_server.duplicates() == {}


async def test_a_webhook_failing_twice_gets_one_accepted_delivery_and_every_attempt_recorded(
    harness: Harness, webhook_server: WebhookServer, smtp_server: SmtpServer
) -> None:
    h = harness
    department = f"d-{h.uid}"
    await h.registration(
        OrganisationContactSet(
            org_kind=OrgKind.DEPARTMENT,
            org_id=department,
            email="vanphong@example.vn",
            webhook_url=webhook_server.url,
        )
    )
    await directory_known(h, 0, 1)
    refusal = InputRejected(
        original_id="evt-42",
        original_type="vn.thidua.registration.UnitRegistered.v1",
        department=department,
        topic=f"thidua.ingress.{department}",
        rejected_by="registration",
        reasons=[
            RejectionReason(
                code="registration.deadline_passed",
                message="Đăng ký sau hạn 30/08/2018",
                field="registered_on",
            )
        ],
    )
    event = CloudEvent.new(refusal, source="urn:thidua:service:registration", department=department)
    destination = topics.rejections_of(refusal.topic, h.sources.rejections)
    await ensure_topics(h.bootstrap, [destination])
    await produce(h.bootstrap, destination, [event.to_json()])

    await eventually(
        lambda: _async(len(webhook_server.accepted)), lambda n: n == 1, what="accepted webhook"
    )
    [key] = webhook_server.accepted
    assert [r["key"] for r in webhook_server.requests] == [key, key, key]
    assert all(r["signed"] for r in webhook_server.requests)
    delivered = webhook_server.accepted[key]
    assert delivered["event"]["data"]["reasons"][0]["code"] == "registration.deadline_passed"
    assert "Đăng ký sau hạn 30/08/2018" in delivered["body"]
    assert smtp_server.received == []  # a system is told by webhook, not by email

    facts = await eventually(
        lambda: read_topic(h.bootstrap, h.out.events), lambda r: len(r) == 3, what="3 attempts"
    )
    attempts = sorted(
        (CloudEvent.from_json(r.value or b"") for r in facts), key=lambda e: e.data["attempt"]
    )
    assert [(e.type.split(".")[-2], e.data["attempt"]) for e in attempts] == [
        ("NotificationFailed", 1),
        ("NotificationFailed", 2),
        ("NotificationSent", 3),
    ]
    assert [e.data.get("will_retry") for e in attempts[:2]] == [True, True]
    assert {e.data["notification_id"] for e in attempts} == {key}
    assert {e.causationid for e in attempts} == {event.id}


async def test_a_rejected_nomination_tells_the_unit_why_and_the_board_that_subscribed(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    await h.registration(*scenario.department(board=False), *scenario.units(2))
    await directory_known(h, 2, 3)
    assert await subscribe(
        h.pool,
        SubscriptionCreated(
            subscription_id=f"board-{h.uid}",
            recipient_kind=OrgKind.PROVINCE,
            recipient_id="gia-lai",
            channel=Channel.EMAIL,
            address="ban-tdkt@gialai.gov.vn",
            event_types=[
                "vn.thidua.awards.NominationApproved.v1",
                "vn.thidua.awards.NominationRejected.v1",
            ],
        ),
    )
    submitted = NominationSubmitted(
        nomination_id=f"{scenario.GL}/n-1",
        department_code=scenario.GL,
        campaign_id=f"{scenario.GL}/2018/phat-dong",
        year=2018,
        title="TTLDXS",
        nominee_kind="collective",
        nominee_id=scenario.unit_id(2),
        unit_id=scenario.unit_id(2),
        received_on=date(2018, 12, 5),
    )
    await h.awards(submitted, department=scenario.GL)
    await eventually(h.count("SELECT count(*) FROM nominations"), lambda n: n == 1, what="dossier")
    rejected = NominationRejected(
        nomination_id=submitted.nomination_id,
        rejected_on=date(2018, 12, 20),
        reasons=[
            RejectionReason(
                code="awards.ttldxs_no_cstdcs",
                message="Tập thể không có cá nhân đạt Chiến sĩ thi đua cơ sở",
            )
        ],
    )
    await h.awards(rejected, department=scenario.GL)
    await eventually(smtp_server.count, lambda n: n == 2, what="unit and board emails")
    [unit_mail] = smtp_server.to(scenario.unit_email(2))
    assert "Tập thể lao động xuất sắc" in unit_mail.body
    assert "Tập thể không có cá nhân đạt Chiến sĩ thi đua cơ sở" in unit_mail.body
    [board_mail] = smtp_server.to("ban-tdkt@gialai.gov.vn")
    assert "Kính gửi: Gia Lai." in board_mail.body
    assert "Tập thể không có cá nhân đạt Chiến sĩ thi đua cơ sở" in board_mail.body
    assert smtp_server.to(scenario.unit_email(1)) == []
    assert await count_topic(h.bootstrap, h.out.events) >= 1
