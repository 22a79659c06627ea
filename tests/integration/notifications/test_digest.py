"""Issue 18 item 5 on the real stack: an office that chose a daily digest
(``OrganisationContactSet.mail_digest``) gets nothing at once and one mail at the digest hour
with everything since the last one; a mail held after it waits for the next day's."""

from __future__ import annotations

from contracts import topics
from contracts.common import OrgKind, RejectionReason
from contracts.envelope import CloudEvent
from contracts.registration import DepartmentRegistered, OrganisationContactSet
from contracts.rejections import InputRejected
from tests.integration.notifications.conftest import Harness, SmtpServer, at
from tests.support import eventually, produce
from thidua.es.kafka import ensure_topics

OFFICE = "vanphong@so-xay-dung.gialai.gov.vn"


def refusal(department: str, number: str) -> InputRejected:
    return InputRejected(
        original_id=f"qd-{number}",
        original_type="vn.thidua.awards.DecisionIssued.v1",
        department=department,
        topic=topics.ingress(department),
        rejected_by="awards",
        reasons=[RejectionReason(code="awards.decision_exists", message="Đã ghi nhận")],
        excerpt={"number": f"{number}/QĐ-SXD", "issued_on": "2018-12-03"},
    )


async def test_an_office_choosing_a_digest_gets_one_mail_a_day_with_everything_held(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    h.clock.set(at("2018-12-03 09:00"))
    department = f"d-{h.uid}"
    await h.registration(
        DepartmentRegistered(
            department_code=department,
            name="Sở Xây dựng Gia Lai",
            province_id="gia-lai",
            ministry_id="bxd",
        ),
        OrganisationContactSet(
            org_kind=OrgKind.DEPARTMENT, org_id=department, email=OFFICE, mail_digest=True
        ),
    )
    await eventually(
        h.count("SELECT count(*) FROM contacts WHERE mail_digest"), lambda n: n == 1, what="contact"
    )
    destination = topics.rejections_of(topics.ingress(department), h.sources.rejections)
    await ensure_topics(h.bootstrap, [destination])

    async def refuse(*numbers: str) -> None:
        events = [
            CloudEvent.new(refusal(department, n), source="urn:thidua:service:awards")
            for n in numbers
        ]
        await produce(h.bootstrap, destination, [e.to_json() for e in events], key=b"d")

    held = h.count("SELECT count(*) FROM deliveries WHERE status = 'held'")
    await refuse("101", "102")
    await eventually(held, lambda n: n == 2, what="two mails held")
    assert smtp_server.to(OFFICE) == []

    h.clock.set(at("2018-12-03 17:05"))  # the digest hour (17:00) has passed
    [digest] = await eventually(
        lambda: _async(smtp_server.to(OFFICE)), lambda m: len(m) >= 1, what="the digest"
    )
    assert digest.subject == "[Tổng hợp] Thông báo ngày 03/12/2018 (2 thông báo)"
    assert "  1. Từ chối: Quyết định 101/QĐ-SXD ngày 03/12/2018\n" in digest.body
    assert "  2. Từ chối: Quyết định 102/QĐ-SXD ngày 03/12/2018\n" in digest.body
    assert digest.message["X-Thidua-Template"] == "daily_digest"

    # Later the same day: held for tomorrow's digest, not sent, not in today's again.
    await refuse("103")
    await eventually(held, lambda n: n == 1, what="the third held")
    sent = h.count(
        "SELECT count(*) FROM deliveries WHERE template = 'daily_digest' AND status = 'sent'"
    )
    await eventually(sent, lambda n: n == 1, what="today's digest recorded as sent")
    assert len(smtp_server.to(OFFICE)) == 1

    h.clock.set(at("2018-12-04 17:05"))
    await eventually(
        lambda: _async(smtp_server.to(OFFICE)), lambda m: len(m) == 2, what="tomorrow's digest"
    )
    tomorrow = smtp_server.to(OFFICE)[1]
    assert tomorrow.subject == "[Tổng hợp] Thông báo ngày 04/12/2018 (1 thông báo)"
    assert "Quyết định 103/QĐ-SXD" in tomorrow.body and "101/QĐ-SXD" not in tomorrow.body
    assert await h.count("SELECT count(*) FROM deliveries WHERE status = 'digested'")() == 3
    assert smtp_server.duplicates() == {}


async def _async(value: object) -> object:
    return value
