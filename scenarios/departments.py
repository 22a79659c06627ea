"""The main year of each department the seed documents name: what its system publishes before
the dossier deadline.

Gia Lai's departments: contact, staff, the year's plan, units' registrations and ratings,
people's registrations (some after the deadline, so refused), ratings, and initiatives with
their council's votes. The other seed documents' departments: their directory, a few people
and their plan (Bạc Liêu's initiative campaign also with its units and a few initiatives).
Apart from ``scenarios.generator``, which puts the departments, the dossiers
(``scenarios.dossiers``) and the later phases together into phases.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from contracts import examples
from contracts.registration import CampaignLaunched
from scenarios import seeds
from scenarios.builder import (
    Builder,
    Member,
    department_directory,
    generate_staff,
    register_person,
    register_unit,
    registration_fact,
    some_day,
)
from scenarios.directory import DepartmentSpec

YEAR = 2018
REGISTRATION_DEADLINE = date(YEAR, 8, 30)
INITIATIVE_COUNCIL = 9


def _plan(b: Builder, seed_plan: dict[str, Any], spec: DepartmentSpec) -> CampaignLaunched:
    """A seed plan as the department (with the prefix) launches it; Gia Lai's other
    departments launch a plan of the same shape as Sở Công Thương's 2018 plan."""
    code = b.code(spec.code)
    data = dict(seed_plan)
    original = str(seed_plan["department_code"])
    data["campaign_id"] = code + str(seed_plan["campaign_id"]).removeprefix(original)
    data["department_code"] = code
    data["issuer"] = {**seed_plan["issuer"], "org_id": code, "name": spec.name}
    if spec.code != original:
        data["issuer"]["abbreviation"] = spec.abbreviation
        data["signer"] = None
        data["title"] = f"Kế hoạch phát động phong trào thi đua năm {YEAR} của {spec.name}"
    return CampaignLaunched.model_validate(data)


def gia_lai_department(b: Builder, spec: DepartmentSpec, count: int) -> list[Member]:
    """A department of Gia Lai, its staff of ``count`` people and their year up to the
    dossiers; returns the people."""
    code = department_directory(b, spec)
    rng = b.rng
    contact = registration_fact(
        "OrganisationContactSet",
        org_kind="department",
        org_id=code,
        email=f"vanphong@{code}.gialai.gov.vn",
    )
    b.emit(code, contact, f"contact:{code}", date(2016, 1, 4))
    people = generate_staff(b, spec, count)
    plan = _plan(b, examples.GIA_LAI_2018_PLAN, spec)
    campaign = plan.campaign_id
    b.emit(code, plan, f"campaign:{campaign}", date(YEAR, 1, 2))
    expect = b.expect(code)
    expect.campaigns.append(campaign)

    for unit in spec.units:
        if unit.kind not in ("section", "attached_unit"):
            continue
        unit_id = f"{code}/{unit.local}"
        register_unit(
            b, code, campaign, unit_id, some_day(rng, date(YEAR, 1, 15), date(YEAR, 3, 31)), expect
        )
        rating = "excellent" if rng.random() < 0.3 else "good"
        rated = registration_fact(
            "PerformanceRated",
            department_code=code,
            subject_kind="collective",
            subject_id=unit_id,
            year=YEAR,
            rating=rating,
            rated_on=date(YEAR, 11, 28),
        )
        b.emit(code, rated, f"rating:{unit_id}/{YEAR}", date(YEAR, 11, 28))

    for person in people:
        chance = rng.random()
        person.rating = "excellent" if chance < 0.15 else "good" if chance < 0.93 else "completed"
        choice = rng.random()
        if choice < 0.04:
            continue  # did not register: is not nominated either
        late = choice < 0.07
        on = (
            some_day(rng, date(YEAR, 9, 3), date(YEAR, 9, 28))
            if late
            else some_day(rng, date(YEAR, 1, 8), REGISTRATION_DEADLINE)
        )
        person.registered = not late
        person.registered_late = late
        titles = ["LDTT", "CSTDCS"] if person.rating == "excellent" else ["LDTT"]
        register_person(
            b, code, campaign, person, on, titles, expect if person.registered else None
        )
        if person.registered and rng.random() < 0.1:
            _initiative(b, code, campaign, person)

    for person in people:
        rated = registration_fact(
            "PerformanceRated",
            department_code=code,
            subject_kind="individual",
            subject_id=person.person_id,
            unit_id=person.unit_id,
            year=YEAR,
            rating=person.rating,
            rated_on=date(YEAR, 11, 28),
        )
        b.emit(code, rated, f"rating:{person.person_id}/{YEAR}", date(YEAR, 11, 28))
    return people


_INITIATIVE_KINDS = ("technical", "management", "operational", "applied_technology")
_INITIATIVE_TITLES = (
    "Số hóa quy trình tiếp nhận hồ sơ",
    "Cải tiến quy trình kiểm tra thị trường",
    "Ứng dụng phần mềm quản lý văn bản điện tử",
    "Giải pháp tiết kiệm năng lượng tại cơ quan",
    "Chuẩn hóa biểu mẫu báo cáo thống kê",
)


def _initiative(b: Builder, code: str, campaign: str, person: Member) -> None:
    rng = b.rng
    initiative_id = f"{person.person_id}/sk-{YEAR}"
    kind = rng.choice(_INITIATIVE_KINDS)
    submitted_on = some_day(rng, date(YEAR, 4, 1), date(YEAR, 9, 30))
    submitted = registration_fact(
        "InitiativeSubmitted",
        initiative_id=initiative_id,
        department_code=code,
        unit_id=person.unit_id,
        title=rng.choice(_INITIATIVE_TITLES),
        kind=kind,
        scope="unit",
        authors=[{"person_id": person.person_id, "full_name": person.full_name}],
        campaign_id=campaign,
        submitted_on=submitted_on,
    )
    b.emit(code, submitted, f"initiative:{initiative_id}", submitted_on)
    reviewed_on = date(YEAR, 10, 15)
    recognised = rng.random() < 0.8
    votes = rng.randint(6, 9) if recognised else rng.randint(2, 5)  # 2/3 of 9 is 6
    review = registration_fact(
        "InitiativeReviewed",
        initiative_id=initiative_id,
        members_total=INITIATIVE_COUNCIL,
        members_present=INITIATIVE_COUNCIL,
        approve_votes=votes,
        reviewed_on=reviewed_on,
    )
    b.emit(code, review, f"initiative-review:{initiative_id}", reviewed_on, minute=1)
    decided_on = date(YEAR, 10, 20)
    expect = b.expect(code)
    expect.initiatives_submitted[kind] += 1
    if recognised:
        outcome = registration_fact(
            "InitiativeRecognized",
            initiative_id=initiative_id,
            level="unit",
            recognized_on=decided_on,
        )
        expect.initiatives_recognized[(kind, "unit")] += 1
    else:
        outcome = registration_fact(
            "InitiativeRejected",
            initiative_id=initiative_id,
            rejected_on=decided_on,
            reasons=[
                {
                    "code": "initiative.not_effective",
                    "message": "Hội đồng sáng kiến không công nhận: chưa chứng minh hiệu quả",
                }
            ],
        )
        expect.initiatives_rejected[kind] += 1
    b.emit(code, outcome, f"initiative-outcome:{initiative_id}", decided_on, minute=2)
    # Rule 2: submitted after the registration deadline, it is no evidence for the year.
    person.initiative = (initiative_id, recognised and submitted_on <= REGISTRATION_DEADLINE)


def other_department(b: Builder, spec: DepartmentSpec) -> list[Member]:
    """The other seed documents: directory, a few people, the plan; Bạc Liêu's initiative
    campaign also gets unit registrations and initiatives (in 2019: in its ministry's staff
    for ``YEAR``, not in its figures). Returns the people."""
    code = department_directory(b, spec)
    people = generate_staff(b, spec, 12)
    seed_plan = seeds.PLANS[spec.code]
    plan = _plan(b, seed_plan, spec)
    launched_on = plan.issued_on or plan.period.start
    b.emit(code, plan, f"campaign:{plan.campaign_id}", launched_on)
    if spec.code != seeds.BAC_LIEU:
        return people
    if launched_on.year <= YEAR:
        raise ValueError(f"{code}: the expectation counts nothing of a campaign of {YEAR}")
    for unit in spec.units:
        if unit.kind == "other":
            continue
        unit_id = f"{code}/{unit.local}"
        on = launched_on + timedelta(days=10)
        register_unit(b, code, plan.campaign_id, unit_id, on, b.expect_in(code, launched_on.year))
    for person in people[3:7]:
        initiative_id = f"{person.person_id}/sk-2019"
        submitted = registration_fact(
            "InitiativeSubmitted",
            initiative_id=initiative_id,
            department_code=code,
            unit_id=person.unit_id,
            title="Cải tiến kỹ thuật chào mừng các ngày lễ lớn năm 2019",
            kind="technical",
            scope="unit",
            authors=[{"person_id": person.person_id, "full_name": person.full_name}],
            campaign_id=plan.campaign_id,
            submitted_on=date(2019, 9, 10),
        )
        b.emit(code, submitted, f"initiative:{initiative_id}", date(2019, 9, 10))
        b.expect_in(code, launched_on.year).initiatives_submitted["technical"] += 1
    return people
