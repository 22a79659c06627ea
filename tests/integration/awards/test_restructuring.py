"""Awards across the 2025 restructuring (issue 16), on the real Kafka and PostgreSQL: Sở Công
Thương Bạc Liêu merges into Sở Công Thương Cà Mau on 01/07/2025, each department on its own
ingress topic; the registration service's facts (the directory, the merger, the unit and the
2025 campaign transferred to Cà Mau) arrive as it publishes them.

- A person's CSTĐCS of 2024 (decided by Bạc Liêu), 2025 and 2026 (by Cà Mau) make the
  3-year chain of a CSTĐ tỉnh that Cà Mau nominates in 2026: accepted.
- Bạc Liêu's CSTĐCS dossier of 2025, pending at the merger, is voted on and decided by Cà
  Mau: approved.
- A dossier Bạc Liêu sends dated after the merger is refused naming Cà Mau.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from contracts import topics
from contracts.awards import CouncilVoted, DecisionIssued, NominationSubmitted
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.examples import GIA_LAI_2018_PLAN
from contracts.registration import (
    CampaignLaunched,
    CampaignTransferred,
    DepartmentMerged,
    DepartmentRegistered,
    IndividualRegistered,
    InitiativeRecognized,
    InitiativeSubmitted,
    PerformanceRated,
    PersonJoined,
    UnitEstablished,
    UnitTransferred,
)
from services.awards import streams
from services.awards.app import build
from tests.integration.awards.conftest import REGISTRATION, send
from tests.support import as_service_role, eventually, read_topic
from thidua.es.consumer import ConsumerPolicy
from thidua.es.service import ServiceRuntime, ServiceTopics

MERGED_ON = "2025-07-01"
RESOLUTION = {"number": "202/2025/QH15", "issued_on": "2025-06-12", "issuer": "Quốc hội"}


@dataclass
class Merger:
    runtime: ServiceRuntime
    old: str
    new: str
    registration: str
    out: ServiceTopics

    @property
    def pool(self) -> asyncpg.Pool:
        assert self.runtime.pool is not None
        return self.runtime.pool

    @property
    def person(self) -> str:
        return f"{self.old}/p-7"

    @property
    def unit(self) -> str:
        return f"{self.old}/qltt"

    def campaign(self, year: int) -> str:
        return f"{self.old if year < 2026 else self.new}/{year}/phat-dong"


@pytest.fixture
async def merger(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Merger]:
    """Awards on the ingress topics of two departments of its own (``<uid>-bl`` merging into
    ``<uid>-cm``) and a registration topic of its own."""
    out = ServiceTopics(
        events=f"test.{uid}.awards.events",
        dlq=f"test.{uid}.awards.dlq",
        rejections=f"test.{uid}.rejections",
    )
    old, new = f"{uid}-bl", f"{uid}-cm"
    registration = f"test.{uid}.registration.events"
    schema = f"test_{uid}"
    runtime = build(
        await as_service_role(database_url, "awards", schema),
        bootstrap,
        schema=schema,
        writes_to=out,
        ingress_topics=[
            topics.ingress(old),
            topics.ingress(new),
            topics.ingress(topics.board(f"{new}-ca-mau")),  # Cà Mau's board (issue 17)
        ],
        registration_topic=registration,
        group_id=f"awards-{uid}",
        policy=ConsumerPolicy(max_attempts=2, backoff_seconds=0.05),
    )
    await runtime.start()
    yield Merger(runtime, old, new, registration, out)
    await runtime.stop()


def plan(m: Merger, year: int) -> CampaignLaunched:
    """The Gia Lai plan's shape, for the department and year."""
    department = m.old if year < 2026 else m.new
    text = json.dumps(GIA_LAI_2018_PLAN).replace("2018", str(year))
    data = json.loads(text)
    data.update(campaign_id=m.campaign(year), department_code=department)
    data["issuer"]["org_id"] = department
    return CampaignLaunched.model_validate(data)


def registration_facts(m: Merger) -> list[EventData]:
    old, new, person, unit = m.old, m.new, m.person, m.unit
    facts: list[EventData] = [
        DepartmentRegistered(
            department_code=old,
            name="Sở Công Thương Bạc Liêu",
            province_id=f"{old}-bac-lieu",
            ministry_id="bct",
        ),
        DepartmentRegistered(
            department_code=new,
            name="Sở Công Thương Cà Mau",
            province_id=f"{new}-ca-mau",
            ministry_id="bct",
        ),
        UnitEstablished(
            unit_id=unit,
            department_code=old,
            name="Chi cục Quản lý thị trường",
            kind="attached_unit",
            established_on="2015-01-01",
        ),
        PersonJoined(
            person_id=person,
            department_code=old,
            unit_id=unit,
            full_name="Trần Thị Mai",
            sex="female",
            joined_on="2012-01-01",
        ),
    ]
    for year in (2024, 2025, 2026):
        department = old if year < 2026 else new
        facts += [
            plan(m, year),
            IndividualRegistered(
                campaign_id=m.campaign(year),
                department_code=department,
                person_id=person,
                unit_id=unit,
                titles=["LDTT", "CSTDCS", *(["CSTD_BO_TINH"] if year == 2026 else [])],
                registered_on=f"{year}-03-12",
            ),
            PerformanceRated(
                department_code=department,
                subject_kind="individual",
                subject_id=person,
                unit_id=unit,
                year=year,
                rating="excellent",
                rated_on=f"{year}-11-15",
            ),
        ]
        if year == 2025:  # the merger, then the successor takes the unit and the campaign
            facts += [
                DepartmentMerged.model_validate(
                    {
                        "department_code": old,
                        "into_department_code": new,
                        "effective_on": MERGED_ON,
                        "legal_basis": RESOLUTION,
                    }
                ),
                UnitTransferred(
                    unit_id=unit,
                    from_department_code=old,
                    to_department_code=new,
                    effective_on=MERGED_ON,
                ),
                CampaignTransferred(
                    campaign_id=m.campaign(2025),
                    from_department_code=old,
                    to_department_code=new,
                    effective_on=MERGED_ON,
                ),
            ]
    facts += [
        InitiativeSubmitted(
            initiative_id=f"{new}/sk-tinh",
            department_code=new,
            unit_id=unit,
            title="Số hóa quản lý thị trường toàn tỉnh",
            kind="management",
            scope="ministry_province",
            authors=[{"person_id": person, "full_name": "Trần Thị Mai"}],
            campaign_id=m.campaign(2026),
            submitted_on="2026-03-01",
        ),
        InitiativeRecognized(
            initiative_id=f"{new}/sk-tinh", level="ministry_province", recognized_on="2026-10-01"
        ),
    ]
    return facts


def dossier(m: Merger, sender: str, year: int, title: str, **extra: Any) -> NominationSubmitted:
    data: dict[str, Any] = {
        "nomination_id": f"{sender}/{year}/{title.lower()}",
        "department_code": sender,
        "campaign_id": m.campaign(year),
        "year": year,
        "title": title,
        "nominee_kind": "individual",
        "nominee_id": m.person,
        "unit_id": m.unit,
        "received_on": f"{year}-11-20",
    }
    data.update(extra)
    return NominationSubmitted.model_validate(data)


def vote(sender: str, on: str, ids: list[str], level: str = "department") -> CouncilVoted:
    return CouncilVoted.model_validate(
        {
            "session_id": f"{sender}/hdtdkt/{on}",
            "department_code": sender,
            "council_level": level,
            "members_total": 10,
            "members_present": 10,
            "session_on": on,
            "results": [{"nomination_id": i, "yes_votes": 10} for i in ids],
        }
    )


def decision(
    sender: str, on: str, ids: list[str], authority: str = "department_director"
) -> DecisionIssued:
    return DecisionIssued.model_validate(
        {
            "decision_id": f"{sender}/qd/{on}/{authority}",
            "department_code": sender,
            "number": f"{on[:4]}{len(ids)}/QĐ",
            "issued_on": on,
            "issuer": {"org_id": sender, "name": sender},
            "signer": {"name": "Nguyễn Văn A", "position": "Giám đốc"},
            "authority": authority,
            "nomination_ids": ids,
        }
    )


async def submit(m: Merger, bootstrap: str, sender: str, *inputs: EventData) -> list[CloudEvent]:
    return await send(
        bootstrap, topics.ingress(sender), sender, list(inputs), f"urn:thidua:department:{sender}"
    )


async def facts_of(m: Merger, nomination_id: str, count: int) -> list[str]:
    """The types of the nomination's facts, once it has ``count`` of them."""

    async def found() -> list[str]:
        rows = await m.pool.fetch(
            "SELECT event_type FROM events WHERE stream_id = $1 ORDER BY version",
            streams.nomination(nomination_id),
        )
        return [r["event_type"].split(".")[-2] for r in rows]

    return await eventually(found, lambda f: len(f) >= count, what=f"{nomination_id}'s facts")


async def refusals_of(bootstrap: str, m: Merger, department: str, wanted: set[str]) -> Any:
    async def by_original() -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for record in await read_topic(bootstrap, m.out.rejections_of(topics.ingress(department))):
            refusal = CloudEvent.from_json(record.value or b"")
            found.setdefault(refusal.data["original_id"], []).extend(refusal.data["reasons"])
        return found

    return await eventually(by_original, lambda f: wanted <= set(f), what="the refusals")


async def a_year(
    m: Merger, bootstrap: str, sender: str, year: int, voted: str, decided: str
) -> str:
    """The sender's LĐTT and CSTĐCS dossiers of ``year`` for the person, the council's vote
    and the director's decision; returns the CSTĐCS's outcome."""
    ldtt = dossier(m, sender, year, "LDTT")
    cstdcs = dossier(m, sender, year, "CSTDCS", evidence={"htxsnv": True})
    ids = [ldtt.nomination_id, cstdcs.nomination_id]
    session = vote(sender, f"{year}-{voted}", ids)
    await submit(
        m, bootstrap, sender, ldtt, cstdcs, session, decision(sender, f"{year}-{decided}", ids)
    )
    return (await facts_of(m, cstdcs.nomination_id, 3))[-1]  # submitted, voted, decided


async def test_a_chain_across_the_merger_and_the_predecessors_pending_dossier(
    merger: Merger, bootstrap: str
) -> None:
    m, old, new = merger, merger.old, merger.new
    await send(bootstrap, m.registration, old, registration_facts(m), REGISTRATION)
    await eventually(
        lambda: m.pool.fetchval(
            """SELECT (SELECT count(*) FROM rc_transfers) = 2
                  AND (SELECT department_code FROM rc_people WHERE person_id = $1) = $2
                  AND (SELECT count(*) FROM rc_initiatives
                       WHERE recognized_level IS NOT NULL) = 1""",
            m.person,
            new,
        ),
        lambda done: bool(done),
        what="awards' read copy of the directory, the merger and the transfers",
    )

    # 2024: Bạc Liêu's own year.
    assert await a_year(m, bootstrap, old, 2024, "12-18", "12-25") == "NominationApproved"

    # 2025: Bạc Liêu's CSTĐCS dossier is pending at the merger; after it, a dossier through
    # Bạc Liêu's channel is refused naming Cà Mau, and Cà Mau votes on and decides the pending
    # one with its own LĐTT of the year.
    pending = dossier(m, old, 2025, "CSTDCS", received_on="2025-06-20", evidence={"htxsnv": True})
    late = dossier(m, old, 2025, "LDTT", nomination_id=f"{old}/2025/ldtt-late")
    [_, late_sent] = await submit(m, bootstrap, old, pending, late)
    assert await facts_of(m, pending.nomination_id, 1) == ["NominationSubmitted"]
    refused = await refusals_of(bootstrap, m, old, {late_sent.id})
    [reason] = refused[late_sent.id]
    assert reason["code"] == "directory.department_merged"
    assert reason["message"] == (
        f"Sở Công Thương Bạc Liêu đã hợp nhất vào Sở Công Thương Cà Mau (mã {new}) từ ngày "
        f"01/07/2025 theo Nghị quyết 202/2025/QH15: gửi qua kênh của Sở {new}"
    )
    ldtt25 = dossier(m, new, 2025, "LDTT")
    ids25 = [ldtt25.nomination_id, pending.nomination_id]
    await submit(
        m, bootstrap, new, ldtt25, vote(new, "2025-12-18", ids25),
        decision(new, "2025-12-25", ids25),
    )  # fmt: skip
    assert (await facts_of(m, pending.nomination_id, 3))[-1] == "NominationApproved"
    assert (await facts_of(m, ldtt25.nomination_id, 3))[-1] == "NominationApproved"

    # 2026: Cà Mau's year, then the CSTĐ tỉnh on the chain 2024-2025-2026.
    assert await a_year(m, bootstrap, new, 2026, "11-24", "11-25") == "NominationApproved"
    cstd = dossier(
        m,
        new,
        2026,
        "CSTD_BO_TINH",
        received_on="2026-11-26",
        conferring_level="province",
        evidence={"initiative_ids": [f"{new}/sk-tinh"]},
    )
    # Above the director: forwarded to Cà Mau's board, whose council votes and chair decides.
    await submit(m, bootstrap, new, cstd)
    assert await facts_of(m, cstd.nomination_id, 2) == [
        "NominationSubmitted",
        "NominationForwarded",
    ]
    board = topics.board(f"{new}-ca-mau")
    await submit(
        m, bootstrap, board,
        vote(board, "2026-11-27", [cstd.nomination_id], level="province"),
        decision(board, "2026-11-28", [cstd.nomination_id], authority="provincial_chair"),
    )  # fmt: skip
    outcome = await facts_of(m, cstd.nomination_id, 4)  # then voted and decided
    if outcome[-1] != "NominationApproved":
        reasons = await m.pool.fetchval(
            """SELECT envelope -> 'data' -> 'reasons' FROM events WHERE stream_id = $1
               ORDER BY version DESC LIMIT 1""",
            streams.nomination(cstd.nomination_id),
        )
        pytest.fail(f"CSTĐ tỉnh not approved: {outcome} {reasons}")
    titles = await m.pool.fetch(
        """SELECT envelope -> 'data' ->> 'department_code' AS d, envelope -> 'data' ->> 'year' AS y
           FROM events WHERE stream_id = $1 AND event_type LIKE '%NominationApproved%'
           ORDER BY version""",
        streams.titles(m.person),
    )
    cstdcs_years = [(r["d"], r["y"]) for r in titles]
    assert (old, "2024") in cstdcs_years and (old, "2025") in cstdcs_years  # the dossier's own
    assert (new, "2026") in cstdcs_years
