"""Registration and awards facts for reporting tests, built on the seed scenario.

Gia Lai (province) and the Bộ Công Thương (ministry: Gia Lai, Bạc Liêu, Khánh Hòa) in 2018:
registrations, a withdrawal, initiatives, dossiers (late, returned, rejected), awards at
department, provincial, ministerial and state level, a flag decided in January 2019 and an
LĐTT revoked in March 2019. Facts are keyed by their subject, so they spread over partitions
and reach the projection in no particular order.

The registration facts are built in ``scenario_registration``, the awards facts (and the
approvals the tests expect) in ``scenario_awards``.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.envelope import CloudEvent
from scenarios.seeds import Scenario
from tests.integration.reporting.scenario_awards import Award, award_facts
from tests.integration.reporting.scenario_registration import registration_facts


@dataclass
class Feed:
    scenario: Scenario
    registration: list[tuple[bytes, CloudEvent]]
    awards: list[tuple[bytes, CloudEvent]]
    people: dict[str, tuple[str, str, bool]]  # person id -> (department, sex, leader)
    approvals: list[Award]
    decision_events: dict[str, str]  # nomination id -> event id of its approval


def build_feed(prefix: str) -> Feed:
    sc = Scenario.build(prefix)
    registration, people = registration_facts(sc)
    awards, approvals, decision_events = award_facts(sc)
    return Feed(sc, registration, awards, people, approvals, decision_events)
