"""Schemathesis against the notifications HTTP API (inbox, subscriptions, health) of the
service running on its own schema and topics, once a department's inbox holds a message that
came the whole way: a subscription made over the API, a fact on the registration topic, the
dispatcher's delivery.

``st run <api>/openapi.json --checks all``: no server error, no undocumented status code, no
request outside the schema accepted and none inside it refused, every response as documented.
Subscriptions the fuzzer makes see no later event, so nothing is sent to their addresses.
"""

from __future__ import annotations

import httpx
import pytest

from tests.apifuzz import schemathesis
from tests.auth import service_auth, service_token
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness
from tests.support import eventually

MAX_EXAMPLES = 25
"""Cases per operation in the fuzzing phase (the coverage and stateful phases add theirs)."""
INBOX = "/inbox/department/" + scenario.GL


@pytest.mark.timeout(240)
async def test_the_notifications_api_passes_every_schemathesis_check(harness: Harness) -> None:
    h = harness
    assert h.runtime is not None and h.runtime.inbox is not None
    await h.registration(*scenario.department(board=False), *scenario.units(2))
    await eventually(h.count("SELECT count(*) FROM units"), lambda n: n == 2, what="units")
    subscription = {
        "subscription_id": f"{scenario.GL}/hop-thu",
        "recipient_kind": "department",
        "recipient_id": scenario.GL,
        "channel": "inbox",
        "address": scenario.GL,
        "event_types": ["vn.thidua.registration.UnitEstablished.v1"],
        "department_code": scenario.GL,
    }
    async with httpx.AsyncClient(base_url=h.runtime.inbox.url, auth=service_auth()) as client:
        created = await client.post("/subscriptions", json=subscription)
        assert created.status_code == 201, created.text
        assert (await client.post("/subscriptions", json=subscription)).status_code == 200
        await h.registration(*scenario.units(3)[-2:])  # unit 3 and its contact
        inbox = await eventually(
            lambda: client.get(INBOX),
            lambda r: len(r.json()["messages"]) == 1,
            what="the department's inbox message",
        )
        assert inbox.json()["messages"][0]["read_at"] is None

        fuzzed = await schemathesis(
            h.runtime.inbox.url, max_examples=MAX_EXAMPLES, token=await service_token()
        )
        print(fuzzed.summary())
        assert fuzzed.exit_code == 0 and not fuzzed.failures and not fuzzed.errors, (
            f"{fuzzed.summary()}\n{fuzzed.output[-8000:]}"
        )
        assert fuzzed.cases > 200, fuzzed.summary()
        assert fuzzed.answered("GET /inbox/{recipient_kind}/{recipient_id}", 200) > 0
        assert fuzzed.answered("POST /subscriptions", 201) > 0
        assert fuzzed.answered("POST /subscriptions", 422) > 0
        assert fuzzed.answered("POST /messages/{message_id}/read", 404) > 0
        # The service went on serving: its inbox and its health are as before.
        assert len((await client.get(INBOX)).json()["messages"]) == 1
        health = await client.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
