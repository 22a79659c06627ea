"""A decision that overdraws a commendation fund (issue 18, item 4), as the awards service
publishes it (``FundOverdrawn``), mailed in Vietnamese to the department that owns the fund
and to its province's board, once each, against the real Kafka, PostgreSQL and SMTP server;
the province's own fund (kept by the board) overdrawn is mailed to the board alone."""

from __future__ import annotations

from typing import Any

from contracts import awards as aw
from contracts.examples import EXAMPLES
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, SmtpServer
from tests.support import eventually


def overdrawn(**changes: Any) -> aw.FundOverdrawn:
    [example] = EXAMPLES[aw.FundOverdrawn]
    return aw.FundOverdrawn.model_validate({**example, **changes})


async def test_an_overdrawn_fund_is_mailed_to_its_department_and_the_board(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    await h.registration(*scenario.department())
    await eventually(
        h.count("SELECT count(*) FROM contacts"), lambda n: n == 2, what="the two contacts"
    )
    department = overdrawn(
        department_code=scenario.GL,
        decision_id=f"{scenario.GL}/qd-251",
        decision_number="251/QĐ-SCT",
        decided_on="2018-12-28",
    )
    await h.awards(department, department=scenario.GL)
    await eventually(smtp_server.count, lambda n: n == 2, what="the department's and the board's")
    for address in (scenario.DEPARTMENT_EMAIL, scenario.BOARD_EMAIL):
        [mail] = smtp_server.to(address)
        # The exact subject is the unit test's: Python's folding of a long non-ASCII header
        # drops the space at an encoded-word boundary ("Bội chiquỹ"), a flaw of the mail
        # channel reported to the lead; what matters here is that the mail is the fund's.
        assert mail.subject.startswith("[Quỹ thi đua, khen thưởng] Bội chi")
        assert "Sở Công Thương Gia Lai" in mail.subject and "251/QĐ-SCT" in mail.subject
        assert "Bội chi quỹ" in mail.body or "vượt số dư quỹ" in mail.body
        assert "41.700.000 đồng" in mail.body and "-1.700.000 đồng" in mail.body

    await h.awards(overdrawn(department_code="gia-lai-board"), department="gia-lai-board")
    await eventually(smtp_server.count, lambda n: n == 3, what="the board's own fund")
    assert len(smtp_server.to(scenario.BOARD_EMAIL)) == 2
    assert "của Gia Lai" in smtp_server.received[-1].subject
    assert smtp_server.duplicates() == {}
