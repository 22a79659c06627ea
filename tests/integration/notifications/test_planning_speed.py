"""Planning throughput through the notifications consumers, beside raw PostgreSQL from the same
run (the figures are printed; run with -s).

Most upstream facts tell nobody (people joining, registrations, dossiers submitted): they only
keep read copies. Some plan one delivery each (a title awarded to a unit). Each kind is
published at once onto the service's source topics and timed from the first publish until
every record is in the inbox (quiet facts) or every delivery is planned (awards).
"""

from __future__ import annotations

import time
from datetime import date

from contracts.awards import NominationApproved, NominationSubmitted
from contracts.base import EventData
from contracts.common import TitleCode
from contracts.envelope import CloudEvent
from contracts.registration import IndividualRegistered, PersonJoined
from services.notifications.clock import ShiftedClock
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import SmtpServer, at, service, topics_for
from tests.support import eventually
from thidua.bench.raw import pg_insert
from thidua.bench.scratch import produce

UNITS = 50
QUIET = 10_000  # facts that tell nobody
AWARDS = 2_000  # facts that plan one delivery each
CAMPAIGN = f"{scenario.GL}/2018/phat-dong"


def _quiet(n: int) -> list[EventData]:
    facts: list[EventData] = []
    for i in range(-(-n // 3)):
        unit = scenario.unit_id(i % UNITS + 1)
        person = f"{scenario.GL}/q{i:05d}"
        facts += [
            PersonJoined(
                person_id=person,
                department_code=scenario.GL,
                unit_id=unit,
                full_name=f"Người số {i}",
                sex="female",
                joined_on=date(2012, 1, 1),
            ),
            IndividualRegistered(
                campaign_id=CAMPAIGN,
                department_code=scenario.GL,
                person_id=person,
                unit_id=unit,
                registered_on=date(2018, 8, 10),
            ),
            NominationSubmitted(
                nomination_id=f"{scenario.GL}/n{i:05d}",
                department_code=scenario.GL,
                campaign_id=CAMPAIGN,
                year=2018,
                title=TitleCode.LDTT,
                nominee_kind="individual",
                nominee_id=person,
                unit_id=unit,
                received_on=date(2018, 12, 5),
            ),
        ]
    return facts[:n]


def _awards(n: int) -> list[EventData]:
    return [
        NominationApproved(
            nomination_id=f"{scenario.GL}/a{i:05d}",
            department_code=scenario.GL,
            year=2018,
            title=TitleCode.TTLDTT,
            nominee_kind="collective",
            nominee_id=scenario.unit_id(i % UNITS + 1),
            unit_id=scenario.unit_id(i % UNITS + 1),
            decision_number=f"{i}/QĐ-SCT",
            decision_date=date(2018, 12, 20),
            authority="department_director",
            cash_vnd=1_000_000,
            base_salary_vnd=2_340_000,
            coefficient=0.8,
        )
        for i in range(n)
    ]


def _records(facts: list[EventData], source: str) -> list[tuple[bytes, bytes]]:
    events = [CloudEvent.new(f, source=source, department=scenario.GL) for f in facts]
    return [((e.subject or e.id).encode(), e.to_json()) for e in events]


async def test_planning_throughput_beside_raw_postgresql(
    database_url: str, bootstrap: str, uid: str, smtp_server: SmtpServer
) -> None:
    raw = await pg_insert(database_url, f"test_{uid}_raw", 5_000, 600, 100)
    sources, _ = topics_for(uid)
    clock = ShiftedClock.at(at("2018-12-21 09:00"))
    runtime = service(database_url, bootstrap, uid, smtp_server.port, clock)
    await runtime.start()
    try:
        assert runtime.pool is not None
        pool = runtime.pool

        async def count(sql: str) -> int:
            return int(await pool.fetchval(sql))

        registration = "urn:thidua:service:registration"
        directory = [*scenario.department(board=False)[:2], *scenario.units(UNITS)[::2]]
        await produce(bootstrap, sources.registration, _records(directory, registration))
        await eventually(
            lambda: count("SELECT count(*) FROM inbox"), lambda n: n == len(directory), timeout=60
        )

        quiet = _quiet(QUIET)
        by_topic = {
            sources.registration: [f for f in quiet if not isinstance(f, NominationSubmitted)],
            sources.awards: [f for f in quiet if isinstance(f, NominationSubmitted)],
        }
        started = time.perf_counter()
        for topic, facts in by_topic.items():
            await produce(bootstrap, topic, _records(facts, registration))
        expected = len(directory) + len(quiet)
        await eventually(
            lambda: count("SELECT count(*) FROM inbox"),
            lambda n: n == expected,
            timeout=300,
            interval=0.02,
            what="every quiet fact",
        )
        quiet_rate = len(quiet) / (time.perf_counter() - started)

        started = time.perf_counter()
        await produce(
            bootstrap, sources.awards, _records(_awards(AWARDS), "urn:thidua:service:awards")
        )
        await eventually(
            lambda: count("SELECT count(*) FROM deliveries"),
            lambda n: n == AWARDS,
            timeout=300,
            interval=0.02,
            what="every award's delivery planned",
        )
        awards_rate = AWARDS / (time.perf_counter() - started)
    finally:
        await runtime.stop()
    print(
        f"\nraw PostgreSQL insert (100 per transaction): {raw:,.0f} rows/s"
        f"\nplanning, facts that tell nobody: {quiet_rate:,.0f} events/s"
        f" ({quiet_rate / raw:.2f}x raw)"
        f"\nplanning, facts that plan one delivery: {awards_rate:,.0f} events/s"
        f" ({awards_rate / raw:.2f}x raw)"
    )
    assert quiet_rate > 50 and awards_rate > 20
