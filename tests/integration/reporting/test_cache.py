"""Rollups and pages are kept per model version: a new event changes the cached answer."""

from __future__ import annotations

import httpx
import pytest

from contracts.envelope import CloudEvent
from services.reporting import app as reporting
from tests.auth import service_auth
from tests.integration.reporting.conftest import Live
from tests.support import eventually, produce

ROLLUP = "/rollups/province/gia-lai"
PAGE = "/tinh/gia-lai"


def another_registration(live: Live, person: str) -> CloudEvent:
    """A registration like the scenario's first individual one, of another person."""
    feed = live[0]
    first = next(e for _, e in feed.registration if e.type.endswith(".IndividualRegistered.v1"))
    data = {**first.data, "person_id": person}
    return CloudEvent.new(
        type(first.payload()).model_validate(data),
        source=first.source,
        department=first.department,
    )


async def individuals(http: httpx.AsyncClient) -> int:
    answer = await http.get(ROLLUP, params={"year": 2018})
    assert answer.status_code == 200
    return int(answer.json()["registrations"]["individuals"])


@pytest.mark.parametrize("listening", [True, False], ids=["notified", "versions-read"])
async def test_a_new_event_changes_the_cached_rollup_and_page(
    live: Live, bootstrap: str, uid: str, listening: bool
) -> None:
    _, _, pool, (registration_topic, _) = live
    api = reporting.create_api(pool, control_schema=None)
    reader = api.state.reader
    if listening:
        await reader.start()
    try:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://reporting", auth=service_auth()
        ) as http:
            before = await individuals(http)
            page = (await http.get(PAGE, params={"nam": 2018})).text
            computed = reader.computed
            assert await individuals(http) == before  # served from the cache
            assert (await http.get(PAGE, params={"nam": 2018})).text == page
            assert reader.computed == computed

            event = another_registration(live, f"{uid}-newcomer")
            await produce(bootstrap, registration_topic, [event.to_json()], key=b"newcomer")
            after = await eventually(
                lambda: individuals(http),
                lambda n: n != before,
                what="the rollup to count the new registration",
            )
            assert after == before + 1
            assert reader.computed > computed
            assert (await http.get(PAGE, params={"nam": 2018})).text != page
    finally:
        await reader.stop()
