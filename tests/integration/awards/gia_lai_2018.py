"""Sở Công Thương Gia Lai in 2018, as the awards integration tests build it: its people
(``PEOPLE``), the registration facts the registration service would publish about it (its
campaign, units, staff, ratings and initiatives; ``known_to_awards`` sends them and waits for
awards' read copy), its dossiers (``nomination``) and its director's decisions."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from contracts.awards import DecisionIssued, NominationSubmitted
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.examples import GIA_LAI_2018_PLAN
from contracts.registration import (
    CampaignLaunched,
    DepartmentRegistered,
    IndividualRegistered,
    InitiativeRecognized,
    InitiativeSubmitted,
    PerformanceRated,
    PersonJoined,
    UnitEstablished,
    UnitRegistered,
)
from tests.integration.awards.conftest import REGISTRATION, Year2018, pool_of, send
from tests.support import eventually

# person: (unit, sex, rating, registered)
PEOPLE: dict[str, tuple[str, str, str, bool]] = {
    "p1": ("qlcn", "female", "excellent", True),
    "p2": ("qlcn", "male", "excellent", True),
    "p3": ("qlcn", "female", "good", True),
    "p4": ("qlcn", "male", "completed", True),
    "p5": ("qlcn", "male", "good", False),
    "q1": ("qltt", "male", "excellent", True),
    "q2": ("qltt", "male", "good", True),
    "q3": ("qltt", "female", "good", True),
    "q4": ("qltt", "male", "good", True),
    "q5": ("qltt", "female", "excellent", True),
    "q6": ("qltt", "male", "good", True),
}


def registration_facts(y: Year2018) -> list[EventData]:
    plan = copy.deepcopy(GIA_LAI_2018_PLAN)
    plan.update(campaign_id=y.id("2018/phat-dong"), department_code=y.dept)
    plan["issuer"]["org_id"] = y.dept
    campaign = y.id("2018/phat-dong")
    placed = DepartmentRegistered(
        department_code=y.dept,
        name="Sở Công Thương Gia Lai",
        province_id=y.province,
        ministry_id="bct",
    )
    facts: list[EventData] = [placed, CampaignLaunched.model_validate(plan)]
    for unit, kind, rating in (("qlcn", "section", "good"), ("qltt", "attached_unit", "excellent")):
        facts += [
            UnitEstablished(
                unit_id=y.id(unit),
                department_code=y.dept,
                name=f"Đơn vị {unit}",
                kind=kind,
                established_on="2015-01-01",
            ),
            UnitRegistered(
                campaign_id=campaign,
                department_code=y.dept,
                unit_id=y.id(unit),
                titles=["TTLDTT"],
                registered_on="2018-03-10",
            ),
            PerformanceRated(
                department_code=y.dept,
                subject_kind="collective",
                subject_id=y.id(unit),
                year=2018,
                rating=rating,
            ),
        ]  # type: ignore[arg-type]
    for person, (unit, sex, rating, registered) in PEOPLE.items():
        facts += person_facts(y, person, unit, sex, rating, registered=registered)
    facts += [
        InitiativeSubmitted(
            initiative_id=y.id("sk-1"),
            department_code=y.dept,
            unit_id=y.id("qlcn"),
            title="Số hóa hồ sơ thi đua khen thưởng",
            kind="management",
            scope="unit",
            authors=[
                {"person_id": y.id("p1"), "full_name": "Cán bộ p1"},
                {"person_id": y.id("q2"), "full_name": "Cán bộ q2"},
            ],
            campaign_id=campaign,
            submitted_on="2018-08-20",
        ),
        # Rule 2: submitted after the plan's registration deadline (30/08/2018), recognised,
        # and still no evidence for 2018.
        InitiativeSubmitted(
            initiative_id=y.id("sk-2"),
            department_code=y.dept,
            unit_id=y.id("qlcn"),
            title="Cải tiến quy trình tiếp nhận hồ sơ",
            kind="technical",
            scope="unit",
            authors=[{"person_id": y.id("p3"), "full_name": "Cán bộ p3"}],
            campaign_id=campaign,
            submitted_on="2018-10-15",
        ),
        InitiativeRecognized(initiative_id=y.id("sk-2"), level="unit", recognized_on="2018-11-05"),
        InitiativeRecognized(initiative_id=y.id("sk-1"), level="unit", recognized_on="2018-11-10"),
    ]  # type: ignore[arg-type]
    return facts


def person_facts(
    y: Year2018, person: str, unit: str, sex: str, rating: str, *, registered: bool = True
) -> list[EventData]:
    """A person of the department in 2018: joined, registered (or not) and rated."""
    campaign = y.id("2018/phat-dong")
    facts: list[EventData] = [
        PersonJoined(
            person_id=y.id(person),
            department_code=y.dept,
            unit_id=y.id(unit),
            full_name=f"Cán bộ {person}",
            sex=sex,
            joined_on="2012-01-01",
        )  # type: ignore[arg-type]
    ]
    if registered:
        facts.append(
            IndividualRegistered(
                campaign_id=campaign,
                department_code=y.dept,
                person_id=y.id(person),
                unit_id=y.id(unit),
                titles=["LDTT", "CSTDCS"],
                registered_on="2018-03-12",
            )  # type: ignore[arg-type]
        )
    facts.append(
        PerformanceRated(
            department_code=y.dept,
            subject_kind="individual",
            subject_id=y.id(person),
            unit_id=y.id(unit),
            year=2018,
            rating=rating,
            rated_on="2018-12-01",
        )  # type: ignore[arg-type]
    )
    return facts


def nomination(y: Year2018, who: str, title: str, **extra: Any) -> NominationSubmitted:
    collective = title in ("TTLDTT", "TTLDXS")
    data: dict[str, Any] = {
        "nomination_id": y.id(f"2018/{title.lower()}-{who}"),
        "department_code": y.dept,
        "campaign_id": y.id("2018/phat-dong"),
        "year": 2018,
        "title": title,
        "nominee_kind": "collective" if collective else "individual",
        "nominee_id": y.id(who),
        "received_on": "2018-12-05",
    }
    data.update(extra)
    return NominationSubmitted.model_validate(data)


async def known_to_awards(
    y: Year2018, bootstrap: str, extra: Sequence[EventData] = ()
) -> list[CloudEvent]:
    """The Gia Lai 2018 registration facts (and ``extra``), in awards' read copy."""
    sent = await send(
        bootstrap, y.registration, y.dept, [*registration_facts(y), *extra], REGISTRATION
    )
    pool = pool_of(y)
    await eventually(
        lambda: pool.fetchval(
            "SELECT count(*) FROM rc_initiatives WHERE recognized_level IS NOT NULL"
        ),
        lambda n: n == 2,  # the last facts sent
        what="awards' read copy of the registration facts",
    )
    return sent


def director_decision(y: Year2018, number: str, *ids: str) -> DecisionIssued:
    return DecisionIssued.model_validate(
        {
            "decision_id": y.id(f"qd-{number}"),
            "department_code": y.dept,
            "number": f"{number}/QĐ-SCT",
            "issued_on": "2018-12-25",
            "issuer": {"org_id": y.dept, "name": "Sở Công Thương Gia Lai"},
            "signer": {"name": "Nguyễn Văn A", "position": "Giám đốc"},
            "authority": "department_director",
            "nomination_ids": list(ids),
        }
    )
