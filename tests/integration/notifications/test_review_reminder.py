"""The plan's review date (ngày xét khen thưởng, tổng kết; issue 17) reminded 7 and 1 days
before to every unit of the department, against the real Kafka, PostgreSQL and SMTP server."""

from __future__ import annotations

from datetime import date

from contracts.registration import Deadlines
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, SmtpServer, at
from tests.integration.notifications.test_delivery import directory_known
from tests.support import eventually


async def test_the_review_date_is_reminded_to_every_unit_7_and_1_days_before(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    h.clock.set(at("2019-11-01 09:00"))
    await h.registration(*scenario.department(board=False), *scenario.units(3))
    await directory_known(h, 3, 4)
    plan = scenario.gia_lai_plan().model_copy(
        update={"deadlines": Deadlines(review=date(2019, 12, 1)), "year": 2019}
    )
    await h.registration(plan, department=scenario.GL)
    await eventually(smtp_server.count, lambda n: n == 4, what="launch emails (3 units + Sở)")
    await eventually(
        h.count("SELECT count(*) FROM reminders WHERE kind = 'review'"),
        lambda n: n == 2,
        what="the review date's two reminders scheduled",
    )

    h.clock.set(at("2019-11-24 08:00:01"))  # seven days before 01/12/2019
    await eventually(smtp_server.count, lambda n: n == 7, what="three 7-day review reminders")
    reminders = [m for m in smtp_server.received if m.subject.startswith("[Nhắc hạn]")]
    assert sorted(m.to[0] for m in reminders) == sorted(scenario.unit_email(n) for n in (1, 2, 3))
    assert {m.subject for m in reminders} == {
        "[Nhắc hạn] Ngày xét khen thưởng, tổng kết 01/12/2019 (còn 7 ngày)"
    }
    h.clock.set(at("2019-11-30 08:00:01"))
    await eventually(smtp_server.count, lambda n: n == 10, what="three 1-day review reminders")
    assert all("còn 1 ngày" in m.subject for m in smtp_server.received[-3:])
    assert smtp_server.duplicates() == {}
