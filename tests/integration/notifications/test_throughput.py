"""Delivery throughput to the local SMTP server (the figure is printed; run with -s)."""

from __future__ import annotations

from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, SmtpServer
from tests.support import eventually

UNITS = 400


async def test_delivery_throughput_to_a_local_smtp_server(
    harness: Harness, smtp_server: SmtpServer
) -> None:
    h = harness
    await h.registration(*scenario.department(board=False), *scenario.units(UNITS))
    await eventually(
        h.count("SELECT count(*) FROM contacts"), lambda n: n == UNITS + 1, what="directory"
    )
    await h.registration(scenario.gia_lai_plan(), department=scenario.GL)
    await eventually(smtp_server.count, lambda n: n == UNITS + 1, what="every email")
    await eventually(
        h.count("SELECT count(*) FROM deliveries WHERE status <> 'sent'"),
        lambda n: n == 0,
        what="every outcome recorded",
    )
    span = await h.pool.fetchval(
        """SELECT extract(epoch FROM max(sent_at) - min(planned_at)) FROM deliveries
           WHERE channel = 'email'"""
    )
    rate = (UNITS + 1) / float(span)
    print(f"\n{UNITS + 1} emails planned→sent in {float(span):.2f} s: {rate:.0f} deliveries/s")
    assert smtp_server.duplicates() == {}
    assert rate > 10
