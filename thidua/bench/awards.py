"""Awards alone on the real stack: a burst of dossiers, then the council's votes and the
directors' decisions on all of them, each phase timed until every nomination is recorded,
beside raw PostgreSQL inserts of the same number of rows in the same run.

``python -m thidua.bench.awards --people 4000`` runs the awards service in this process (its
two consumers and its outbox relay) in a schema and topics of its own, removed afterwards.
The department facts come on a registration topic as the registration service would publish
them; the dossiers, votes and decisions on one command topic per department. These are not
``thidua.ingress.*`` topics, so that a system running on the same stack (which subscribes to
that pattern) does not also consume them: the kernel's department check (a comparison) is the
only step this skips.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from services.awards.app import build
from thidua.bench import raw, scratch, synthetic
from thidua.es.consumer import ConsumerPolicy
from thidua.es.service import ServiceRuntime, ServiceTopics
from thidua.settings import StackSettings

YEAR = 2018
UNITS_PER_DEPARTMENT = 10
DECISION_SIZE = 250
RATINGS = ("excellent", "good", "good", "good", "completed")


@dataclass
class Plan:
    """What the departments send, by phase (key, CloudEvent JSON, topic)."""

    registration: list[tuple[bytes, bytes]] = field(default_factory=list)
    dossiers: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    decisions: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    nominations: int = 0


def _event(payload: EventData, department: str, source: str) -> bytes:
    return CloudEvent.new(payload, source=source, department=department).to_json()


def plan(uid: str, people: int, departments: int) -> Plan:
    p = Plan()
    registration = "urn:thidua:service:registration"
    codes = [f"{uid}-d{i}" for i in range(departments)]
    per_department = people // departments
    for code in codes:
        key = code.encode()
        dept_source = f"urn:thidua:department:{code}"
        topic = command_topic(uid, code)
        campaign = synthetic.campaign(code, YEAR)

        def reg(payload: EventData, code: str = code, key: bytes = key) -> None:
            p.registration.append((key, _event(payload, code, registration)))

        def submit(
            payload: EventData, code: str = code, topic: str = topic, source: str = dept_source
        ) -> None:
            p.dossiers.append((topic, code.encode(), _event(payload, code, source)))

        reg(campaign)
        units = [f"{code}/u{u}" for u in range(UNITS_PER_DEPARTMENT)]
        for unit in units:
            reg(
                rg.UnitEstablished.model_validate(
                    {
                        "unit_id": unit,
                        "department_code": code,
                        "name": f"Phòng {unit}",
                        "kind": "section",
                        "established_on": "2015-01-01",
                    }
                )
            )
        ldtt: list[str] = []
        cstdcs: list[str] = []
        ballots: list[dict[str, Any]] = []
        for n in range(per_department):
            person, unit = f"{code}/p{n}", units[n % len(units)]
            rating = RATINGS[n % len(RATINGS)]
            reg(
                rg.PersonJoined.model_validate(
                    {
                        "person_id": person,
                        "department_code": code,
                        "unit_id": unit,
                        "full_name": f"Cán bộ {n}",
                        "sex": "female" if n % 2 else "male",
                        "joined_on": "2012-01-01",
                    }
                )
            )
            if n % 10:
                reg(
                    rg.IndividualRegistered.model_validate(
                        {
                            "campaign_id": campaign.campaign_id,
                            "department_code": code,
                            "person_id": person,
                            "unit_id": unit,
                            "titles": ["LDTT", "CSTDCS"],
                            "registered_on": f"{YEAR}-03-12",
                        }
                    )
                )
            reg(
                rg.PerformanceRated.model_validate(
                    {
                        "department_code": code,
                        "subject_kind": "individual",
                        "subject_id": person,
                        "unit_id": unit,
                        "year": YEAR,
                        "rating": rating,
                        "rated_on": f"{YEAR}-12-01",
                    }
                )
            )
            titles = ["LDTT", "CSTDCS"] if n % 8 == 0 else ["LDTT"]
            for title in titles:
                nid = f"{code}/{YEAR}/{title.lower()}-{n}"
                submit(
                    _dossier(
                        nid,
                        campaign,
                        title,
                        person,
                        received_on=f"{YEAR}-12-0{1 + n % 9}",
                        evidence={"htxsnv": rating == "excellent"},
                    )
                )
                yes = 7 + n % 3  # 7 of 9 is below the 80% a CSTĐCS needs: rejected at the vote
                if title == "CSTDCS":
                    ballots.append({"nomination_id": nid, "yes_votes": yes})
                    p.nominations += 1
                    if yes >= 8:
                        cstdcs.append(nid)
                else:
                    ldtt.append(nid)
        collectives = []
        for unit in units:
            nid = f"{unit}/{YEAR}/ttldtt"
            reg(
                rg.UnitRegistered.model_validate(
                    {
                        "campaign_id": campaign.campaign_id,
                        "department_code": code,
                        "unit_id": unit,
                        "titles": ["TTLDTT"],
                        "registered_on": f"{YEAR}-03-10",
                    }
                )
            )
            reg(
                rg.PerformanceRated.model_validate(
                    {
                        "department_code": code,
                        "subject_kind": "collective",
                        "subject_id": unit,
                        "year": YEAR,
                        "rating": "good",
                    }
                )
            )
            submit(_dossier(nid, campaign, "TTLDTT", unit, received_on=f"{YEAR}-12-05"))
            collectives.append(nid)
        p.nominations += len(ldtt) + len(collectives)
        decided: list[EventData] = []
        if ballots:
            decided.append(
                aw.CouncilVoted.model_validate(
                    {
                        "session_id": f"{code}/hdtdkt/{YEAR}",
                        "department_code": code,
                        "council_level": "department",
                        "members_total": 9,
                        "members_present": 9,
                        "session_on": f"{YEAR}-12-14",
                        "results": ballots,
                    }
                )
            )
        groups = [ldtt[i : i + DECISION_SIZE] for i in range(0, len(ldtt), DECISION_SIZE)]
        groups += [cstdcs[i : i + DECISION_SIZE] for i in range(0, len(cstdcs), DECISION_SIZE)]
        groups.append(collectives)
        for number, ids in enumerate(groups, 1):
            decided.append(
                aw.DecisionIssued.model_validate(
                    {
                        "decision_id": f"{code}/qd/{number}",
                        "department_code": code,
                        "number": f"{number}/QĐ-SO",
                        "issued_on": f"{YEAR}-12-{20 + min(number, 9)}",
                        "issuer": {"org_id": code, "name": f"Sở {code}"},
                        "authority": "department_director",
                        "nomination_ids": ids,
                    }
                )
            )
        p.decisions += [(topic, key, _event(d, code, dept_source)) for d in decided]
    return p


def _dossier(
    nomination_id: str, campaign: rg.CampaignLaunched, title: str, nominee: str, **more: Any
) -> aw.NominationSubmitted:
    return aw.NominationSubmitted.model_validate(
        {
            "nomination_id": nomination_id,
            "department_code": campaign.department_code,
            "campaign_id": campaign.campaign_id,
            "year": YEAR,
            "title": title,
            "nominee_kind": "collective" if title == "TTLDTT" else "individual",
            "nominee_id": nominee,
            **more,
        }
    )


def command_topic(uid: str, department: str) -> str:
    return f"bench.{uid}.commands.{department}"


async def _produce(bootstrap: str, records: Sequence[tuple[str, bytes, bytes]]) -> None:
    by_topic: dict[str, list[tuple[bytes, bytes]]] = {}
    for topic, key, value in records:
        by_topic.setdefault(topic, []).append((key, value))
    await asyncio.gather(*(scratch.produce(bootstrap, t, r) for t, r in by_topic.items()))


async def _until(conn: asyncpg.Connection, sql: str, target: int, timeout: float) -> float:
    """Seconds until ``sql`` counts ``target`` (polled every 50 ms)."""
    started = time.perf_counter()
    while True:
        got = await conn.fetchval(sql)
        if got >= target:
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{got} of {target} after {timeout} s: {sql}")
        await asyncio.sleep(0.05)


async def measure(settings: StackSettings, people: int, departments: int) -> dict[str, Any]:
    uid = f"aw{uuid.uuid4().hex[:8]}"
    schema = f"bench_{uid}"
    work = plan(uid, people, departments)
    registration_topic = f"bench.{uid}.registration.events"
    command_topics = sorted({t for t, _, _ in work.dossiers})
    runtime = build(
        settings.database_url,
        settings.kafka_bootstrap,
        schema=schema,
        writes_to=ServiceTopics.isolated(f"bench.{uid}", "awards"),
        ingress_topics=command_topics,
        registration_topic=registration_topic,
        group_id=f"awards-{uid}",
        policy=ConsumerPolicy(),
    )
    result: dict[str, Any] = {"people": people, "departments": departments}
    try:
        await _run(settings, runtime, work, schema, registration_topic, result)
        count = work.nominations
        result["pg_insert_10_rows_s"] = await raw.pg_insert(
            settings.database_url, f"{schema}_raw10", count, 600, 10
        )
        result["pg_insert_1000_rows_s"] = await raw.pg_insert(
            settings.database_url, f"{schema}_raw1000", count, 600, 1000
        )
    finally:
        await scratch.cleanup(settings.database_url, settings.kafka_bootstrap, schema, uid)
    return result


async def _run(
    settings: StackSettings,
    runtime: ServiceRuntime,
    work: Plan,
    schema: str,
    registration_topic: str,
    result: dict[str, Any],
) -> None:
    await runtime.start()
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute(f'SET search_path TO "{schema}"')
        started = time.perf_counter()
        await scratch.produce(settings.kafka_bootstrap, registration_topic, work.registration)
        result["registration_facts"] = len(work.registration)
        result["registration_s"] = (time.perf_counter() - started) + await _until(
            conn,
            f"SELECT count(*) FROM inbox WHERE topic = '{registration_topic}'",
            len(work.registration),
            600,
        )
        started = time.perf_counter()
        await _produce(settings.kafka_bootstrap, work.dossiers)
        result["dossiers"] = len(work.dossiers)
        result["dossiers_s"] = (time.perf_counter() - started) + await _until(
            conn,
            "SELECT count(*) FROM events WHERE event_type LIKE '%.NominationSubmitted.v1'",
            len(work.dossiers),
            600,
        )
        started = time.perf_counter()
        await _produce(settings.kafka_bootstrap, work.decisions)
        result["decided"] = work.nominations
        result["decisions_s"] = (time.perf_counter() - started) + await _until(
            conn,
            """SELECT count(*) FROM events WHERE event_type LIKE '%.NominationApproved.v1'
               OR event_type LIKE '%.NominationRejected.v1'""",
            work.nominations,
            600,
        )
        rows = await conn.fetch(
            """SELECT event_type, count(*) AS n FROM events GROUP BY event_type ORDER BY 1"""
        )
        result["events"] = {r["event_type"].split(".")[-2]: r["n"] for r in rows}
    finally:
        await conn.close()
        await runtime.stop()


def report(r: dict[str, Any]) -> str:
    dossiers = r["dossiers"] / r["dossiers_s"]
    decided = r["decided"] / r["decisions_s"]
    base10, base1000 = r["pg_insert_10_rows_s"], r["pg_insert_1000_rows_s"]
    return "\n".join(
        [
            f"awards alone: {r['people']} people in {r['departments']} departments",
            f"  registration facts (read copy): {r['registration_facts']} in "
            f"{r['registration_s']:.1f} s = {r['registration_facts'] / r['registration_s']:,.0f}/s",
            f"  dossiers received:  {r['dossiers']} in {r['dossiers_s']:.1f} s = "
            f"{dossiers:,.0f} nominations/s ({dossiers / base10:.2f}x insert 10/tx, "
            f"{dossiers / base1000:.3f}x insert 1000/tx)",
            f"  nominations decided (votes, decisions): {r['decided']} in {r['decisions_s']:.1f} s "
            f"= {decided:,.0f} nominations/s ({decided / base10:.2f}x insert 10/tx)",
            f"  baseline postgres insert (event-store shape, 600 B): {base10:,.0f} rows/s at 10 "
            f"per transaction, {base1000:,.0f} rows/s at 1000 per transaction",
            f"  events by type: {json.dumps(r['events'])}",
        ]
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4000)
    parser.add_argument("--departments", type=int, default=4)
    args = parser.parse_args()
    print(report(asyncio.run(measure(StackSettings(), args.people, args.departments))), flush=True)


if __name__ == "__main__":
    cli()
