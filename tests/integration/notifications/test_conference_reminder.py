"""A conference's report (DOMAIN rule 25, issue 17) reminded 7 and 1 days before it is due to
the organising department's contact, unless the report was received, against the real Kafka,
PostgreSQL and SMTP server."""

from __future__ import annotations

from typing import Any

from contracts.awards import ConferenceHeld, ConferenceReported
from contracts.examples import EXAMPLES
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, SmtpServer, at
from tests.integration.notifications.test_delivery import directory_known
from tests.support import eventually


def held(name: str) -> ConferenceHeld:
    """Held 20/05/2018 by Sở Công Thương Gia Lai, report due 03/06/2018."""
    data: dict[str, Any] = {
        **EXAMPLES[ConferenceHeld][0],
        "conference_id": f"{scenario.GL}/hn-{name}",
        "department_code": scenario.GL,
        "held_on": "2018-05-20",
        "report_due": "2018-06-03",
        "campaign_id": None,
    }
    return ConferenceHeld.model_validate(data)


def reported(name: str, on: str) -> ConferenceReported:
    data = {"conference_id": f"{scenario.GL}/hn-{name}", "department_code": scenario.GL}
    return ConferenceReported.model_validate({**data, "reported_on": on})


async def test_a_conference_report_is_reminded_until_it_is_received(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    h.clock.set(at("2018-05-21 09:00"))
    await h.registration(*scenario.department(board=False))
    await directory_known(h, 0, 1)
    await h.awards(held("a"), held("b"), held("c"), department=scenario.GL)
    await h.awards(reported("b", "2018-05-25"), department=scenario.GL)
    pending = "SELECT count(*) FROM reminders WHERE kind = 'conference_report' AND status = $1"
    await eventually(h.count(pending, "pending"), lambda n: n == 4, what="a's and c's reminders")
    await eventually(
        h.count("SELECT count(*) FROM conferences WHERE reported_on IS NOT NULL"),
        lambda n: n == 1,
        what="b's report received",
    )

    h.clock.set(at("2018-05-27 08:00:01"))  # seven days before 03/06/2018
    await eventually(smtp_server.count, lambda n: n == 2, what="a's and c's 7-day reminders")
    assert {m.to[0] for m in smtp_server.received} == {scenario.DEPARTMENT_EMAIL}
    assert {m.subject for m in smtp_server.received} == {
        "[Nhắc hạn] Báo cáo hội nghị, hạn 03/06/2018 (còn 7 ngày)"
    }
    bodies = sorted(m.body for m in smtp_server.received)
    assert "hn-a" in bodies[0] and "hn-c" in bodies[1]
    assert all("tổ chức ngày 20/05/2018" in b and "Kính gửi: Sở Công Thương Gia Lai" in b
               for b in bodies)  # fmt: skip

    await h.awards(reported("a", "2018-05-30"), department=scenario.GL)
    await eventually(h.count(pending, "pending"), lambda n: n == 1, what="a's 1-day cancelled")
    h.clock.set(at("2018-06-02 08:00:01"))
    await eventually(smtp_server.count, lambda n: n == 3, what="c's 1-day reminder")
    last = smtp_server.received[-1]
    assert "hn-c" in last.body and "còn 1 ngày" in last.subject
    assert await h.count(pending, "pending")() == 0
    assert await smtp_server.count() == 3
    assert smtp_server.duplicates() == {}
