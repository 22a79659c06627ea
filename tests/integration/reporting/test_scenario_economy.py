"""The scenario's economic results (issue 17) through registration's decisions and the live
reporting projection: the facts registration decides for the scenario's registration events
(in memory, as the unit test does) are published as it publishes them, projected, and the Gia
Lai province rollup's economic totals equal the scenario's expectation exactly (what
``make up`` checks with the running services; the e2e suite is not run here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.envelope import CloudEvent
from scenarios import build_scenario, differences, observed
from services.registration.handlers import TABLE, decider
from tests.integration.reporting.conftest import api_client, projected
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

REGISTRATION_TYPES = {kind.type_name() for kind, _, _ in TABLE}


@dataclass
class Decided:
    registration: list[tuple[bytes, CloudEvent]] = field(default_factory=list)
    awards: list[tuple[bytes, CloudEvent]] = field(default_factory=list)


async def test_the_gia_lai_rollup_shows_the_scenarios_economic_results(
    database_url: str, bootstrap: str, uid: str
) -> None:
    scenario = build_scenario(300, prefix=f"{uid}-")
    store, table, out = MemoryStore(), decider(), Decided()
    for submission in scenario.submissions():
        if submission.event.type not in REGISTRATION_TYPES:
            continue
        try:
            facts = decide(table, store, submission.event, department=submission.department)
        except Refused:
            continue
        for stream, fact in facts:
            if stream.startswith("claim:"):
                continue  # claims stay in the store
            event = CloudEvent.new(fact, source="urn:thidua:service:registration")
            out.registration.append((stream.encode(), event))
    expected = scenario.expectation.figures()["economy"]
    assert len(expected) == 4
    async with projected(database_url, bootstrap, uid, out), api_client(database_url, uid) as http:
        reply = await http.get(f"/rollups/province/{scenario.province_id}", params={"year": 2018})
        assert reply.status_code == 200
        got = observed(reply.json())["economy"]
        assert differences({"economy": expected}, {"economy": got}) == []
        totals = reply.json()["economy"]["totals"]
        assert {(t["planned"], t["reported"]) for t in totals} == {(5, 1)}
