"""Webhook addresses against the real service: one no request can go to is refused when the
subscription is made, and one that got in anyway (an old subscription, written before the
check) fails for good while the dispatcher goes on delivering the others."""

from __future__ import annotations

from typing import Any

import httpx

from contracts.envelope import CloudEvent
from contracts.notifications import SubscriptionCreated
from services.notifications.subscriptions import subscribe
from tests.auth import service_auth
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, WebhookServer
from tests.support import eventually, read_topic

BROKEN = "http://x:abc/"
UNIT_ESTABLISHED = "vn.thidua.registration.UnitEstablished.v1"


def webhook(subscription_id: str, address: str) -> dict[str, object]:
    return {
        "subscription_id": subscription_id,
        "recipient_kind": "department",
        "recipient_id": scenario.GL,
        "channel": "webhook",
        "address": address,
        "event_types": [UNIT_ESTABLISHED],
        "department_code": scenario.GL,
    }


async def test_a_webhook_address_is_checked_when_the_subscription_is_made(
    harness: Harness,
) -> None:
    h = harness
    assert h.runtime is not None and h.runtime.inbox is not None
    async with httpx.AsyncClient(base_url=h.runtime.inbox.url, auth=service_auth()) as client:
        for address, why in [
            (BROKEN, "không hợp lệ"),
            ("http://he-thong.example.vn/hook", "phải dùng https"),
            ("ftp://he-thong.example.vn/hook", "URL https"),
        ]:
            refused = await client.post("/subscriptions", json=webhook("sai", address))
            assert refused.status_code == 422, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            problem = refused.json()
            assert why in problem["detail"]
            assert [e["location"] for e in problem["errors"]] == ["body"]
        for n, address in enumerate(["https://he-thong.example.vn/hook", "http://127.0.0.1:9/"]):
            made = await client.post("/subscriptions", json=webhook(f"dung-{n}", address))
            assert made.status_code == 201, made.text
    rows = await h.pool.fetch("SELECT subscription_id FROM subscriptions ORDER BY 1")
    assert [r["subscription_id"] for r in rows] == ["dung-0", "dung-1"]


async def test_the_dispatcher_survives_a_broken_webhook_address_and_delivers_the_others(
    harness: Harness,
) -> None:
    h = harness
    receiver = WebhookServer(failures=0)
    await receiver.start()
    try:
        await h.registration(*scenario.department(board=False), *scenario.units(2))
        await eventually(h.count("SELECT count(*) FROM units"), lambda n: n == 2, what="units")
        for subscription_id, address in [("cu-hong", BROKEN), ("he-thong", receiver.url)]:
            # Straight to the store, as a subscription made before addresses were checked.
            assert await subscribe(
                h.pool, SubscriptionCreated.model_validate(webhook(subscription_id, address))
            )
        await h.registration(*scenario.units(3)[-2:])  # unit 3 established, and its contact
        await eventually(
            lambda: _async(len(receiver.accepted)), lambda n: n == 1, what="first delivery"
        )
        failed = await eventually(
            h.count("SELECT count(*) FROM deliveries WHERE status = 'failed'"),
            lambda n: n == 1,
            what="the broken address's delivery failed for good",
        )
        assert failed == 1

        # The dispatcher is still the leader and delivers what comes next.
        await h.registration(*scenario.units(4)[-2:])
        await eventually(
            lambda: _async(len(receiver.accepted)), lambda n: n == 2, what="second delivery"
        )
        assert h.runtime is not None and h.runtime.dispatcher is not None
        assert h.runtime.dispatcher.leading
        assert all(r["signed"] for r in receiver.requests)
        rows = await eventually(
            lambda: h.pool.fetch(
                "SELECT status, attempts, last_error FROM deliveries WHERE address = $1", BROKEN
            ),
            lambda rows: [r["status"] for r in rows] == ["failed"] * 2,
            what="both deliveries to the broken address failed for good",
        )
        assert [r["attempts"] for r in rows] == [1, 1]
        assert all("không hợp lệ" in r["last_error"] for r in rows)

        def attempts(records: list[Any]) -> list[CloudEvent]:
            events = (CloudEvent.from_json(r.value or b"") for r in records)
            return [
                e for e in events if ".Notification" in e.type and e.data["channel"] == "webhook"
            ]

        published = attempts(
            await eventually(
                lambda: read_topic(h.bootstrap, h.out.events),
                lambda r: len(attempts(r)) == 4,
                what="the four webhook attempts published",
            )
        )
        outcomes = sorted((e.type.split(".")[-2], e.data["recipient"]) for e in published)
        assert outcomes == [
            ("NotificationFailed", BROKEN),
            ("NotificationFailed", BROKEN),
            ("NotificationSent", receiver.url),
            ("NotificationSent", receiver.url),
        ]
        for failure in (e for e in published if e.data["recipient"] == BROKEN):
            assert failure.data["will_retry"] is False
            assert failure.data["attempt"] == 1
            assert "Invalid port" in failure.data["error"]
    finally:
        await receiver.stop()


async def _async(value: int) -> int:
    return value
