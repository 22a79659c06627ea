"""Every route of the notifications API asked by every role with tokens of the real
Keycloak: an inbox, marking a message read and subscribing are for the recipient's own
department, its province's board and its ministry; 401 without a token, 403 for anyone else.
A route without a row here fails the test."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from tests.auth import SCT_GIALAI, Row, ask, everyone, expect, routes, service_auth
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness
from tests.support import eventually

MESSAGE = uuid.uuid4()


def subscription(principal: str) -> dict[str, Any]:
    return {
        "subscription_id": f"ma-tran-{principal}-{MESSAGE.hex[:8]}",
        "recipient_kind": "department",
        "recipient_id": scenario.GL,
        "channel": "email",
        "address": "vanphong@sct.gialai.gov.vn",
    }


NOTIFICATIONS: dict[str, Row] = {
    "GET /healthz": ("/healthz", everyone(200)),
    "GET /openapi.json": ("/openapi.json", everyone(200)),
    "GET /inbox/{recipient_kind}/{recipient_id:path}": (
        f"/inbox/department/{scenario.GL}",
        expect(200, *SCT_GIALAI),
    ),
    "POST /messages/{message_id}/read": (
        "POST",
        f"/messages/{MESSAGE}/read",
        lambda _: {},
        expect(204, *SCT_GIALAI),
    ),
    "POST /subscriptions": ("POST", "/subscriptions", subscription, expect(201, *SCT_GIALAI)),
}
SCOPES: dict[str, Row] = {
    "a unit of the department": (
        f"/inbox/unit/{scenario.unit_id(1)}",
        expect(200, *SCT_GIALAI),
    ),
    "the province": ("/inbox/province/gia-lai", expect(200, "board")),
    "the ministry": ("/inbox/ministry/bct", expect(200, "ministry")),
    "a department the directory does not know": (
        "/inbox/department/so-chua-co",
        expect(200),
    ),
}


async def test_every_notifications_route_answers_each_role_within_its_scope(
    harness: Harness,
) -> None:
    h = harness
    assert h.runtime is not None and h.runtime.inbox is not None
    await h.registration(*scenario.department(board=False), *scenario.units(1))
    await eventually(h.count("SELECT count(*) FROM units"), lambda n: n == 1, what="the units")
    # A message as the dispatcher leaves it in the department's inbox.
    await h.pool.execute(
        """INSERT INTO inbox_messages (message_id, recipient_kind, recipient_id, template,
               subject, body, data, delivered_at) VALUES ($1, 'department', $2, 'thu', 'Thư',
               'Nội dung', $3, now())""",
        MESSAGE,
        scenario.GL,
        json.dumps({}),
    )
    assert routes(h.runtime.inbox.app) == set(NOTIFICATIONS), "a route without a row"
    async with httpx.AsyncClient(base_url=h.runtime.inbox.url) as client:
        assert await ask(client, NOTIFICATIONS) == []
        assert await ask(client, SCOPES) == []
    async with httpx.AsyncClient(base_url=h.runtime.inbox.url, auth=service_auth()) as client:
        inbox = await client.get(f"/inbox/department/{scenario.GL}")
    assert inbox.json()["messages"][0]["read_at"] is not None
