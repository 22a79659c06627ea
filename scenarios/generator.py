"""A province-scale scenario, generated deterministically from a seed, and what it must yield.

Gia Lai (the main province) gets several departments with their sections and attached units,
``people`` generated staff, and a year (2018, the seed plan's) of registrations (some after the
deadline, so refused), ratings, initiatives with council votes, dossiers (some late, so
returned), council votes (some below 80%) and decisions. The other seed documents' departments
get their directory and their plans (Bạc Liêu's initiative campaign with a few initiatives).

Every event is what a department's system (or, for the directory's ministries, provinces and
placements of departments, a province's board, ``<province>-board``) would publish on its ingress
topic. Event ids are
UUIDv5 of the scenario's namespace (its prefix, which depends on its size and seed), its seed and
the event's identity, so publishing the scenario again is a no-op for every service's inbox, and
a scenario of another size never reuses an id for other content. While generating, the builder
decides each outcome the way the law does (see ``Expectation``), independently of the services'
code.
"""

from __future__ import annotations

import copy
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from contracts import examples, topics
from contracts.base import EventData
from contracts.registration import CampaignLaunched
from scenarios import board, conference, economy, restructuring, seeds
from scenarios.builder import (
    Builder,
    Member,
    Submission,
    awards_fact,
    department_directory,
    generate_staff,
    place_department,
    register_person,
    register_unit,
    registration_fact,
    some_day,
    split,
    staff_figures,
)
from scenarios.directory import (
    GIA_LAI_DEPARTMENTS,
    MAIN_PROVINCE,
    MINISTRIES,
    OTHER_DEPARTMENTS,
    PROVINCES,
    DepartmentSpec,
)
from scenarios.expectation import Expectation, Outcome

YEAR = 2018
BASE_SALARY_2018_H2 = 1_390_000  # NĐ 72/2018/NĐ-CP, in force from 01/07/2018
COEFFICIENT = {"LDTT": 0.3, "CSTDCS": 1.0, "TTLDTT": 0.8}
REGISTRATION_DEADLINE = date(YEAR, 8, 30)
DOSSIER_DEADLINE = date(YEAR, 12, 10)
ECONOMY = "Báo cáo kết quả chỉ tiêu kinh tế năm 2018"
COUNCIL_MEMBERS = 9
DECISION_NOMINATIONS = 4000
"""Dossiers one decision names at most: 4,000 ids make an envelope of about 145 KB."""
INITIATIVE_COUNCIL = 9
DEFAULT_PEOPLE = 1200
DOSSIERS = "Hồ sơ, biểu quyết, quyết định khen thưởng"
"""The phase of the dossier deadline: every nomination at once (the bench's burst)."""
DEFAULT_SEED = 2018


@dataclass(frozen=True)
class Phase:
    """Events that may be published together; the next phase waits until these are absorbed
    by ``absorbed_by`` (the services whose facts the next phase depends on)."""

    name: str
    submissions: tuple[Submission, ...]
    absorbed_by: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    prefix: str
    province_id: str
    year: int
    phases: tuple[Phase, ...]
    by_department: Mapping[str, Expectation]
    """What each department's rollup for ``year`` must show, by department code."""
    ministry_of: Mapping[str, str]
    """Each department's ministry."""
    people: int
    departments: tuple[str, ...]
    """Department codes (with the prefix) of every department that publishes."""
    main_departments: tuple[str, ...] = ()
    """The departments of ``province_id``."""
    checks: tuple[restructuring.Check, ...] = ()
    """Other rollups it must show exactly: other years, other provinces, predecessors."""
    at_dossiers: Mapping[str, Expectation] = field(default_factory=dict)
    """``by_department`` as it stood at the dossier deadline (staff included): what the
    rollups show once the phases up to :data:`DOSSIERS` are in (:meth:`main_year`)."""

    @property
    def expectation(self) -> Expectation:
        """What the province rollup of ``province_id`` for ``year`` must show."""
        return Expectation.merged(self.by_department[d] for d in self.main_departments)

    @property
    def ministries(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.ministry_of.values())))

    def ministry_expectation(self, ministry_id: str) -> Expectation:
        """What a ministry's rollup for ``year`` must show: its departments in every province
        of the scenario (on a stack that holds this scenario alone: ministries are shared by
        every namespace)."""
        return Expectation.merged(
            self.by_department[d] for d, m in self.ministry_of.items() if m == ministry_id
        )

    boards: tuple[str, ...] = ()
    """The codes of the provinces' boards that publish (``<province>-board``)."""

    @property
    def publishers(self) -> tuple[str, ...]:
        """Every code that publishes on an ingress topic of its own: boards and departments."""
        return (*self.boards, *self.departments)

    @property
    def events(self) -> int:
        return sum(len(p.submissions) for p in self.phases)

    def main_year(self) -> Scenario:
        """The year of the main province's plan alone (its phases up to the dossier deadline,
        its rollup): the scenario as it was before the 2025 restructuring was added, which the
        bench measures so that its figures stay comparable (its burst is the last phase)."""
        last = next(i for i, p in enumerate(self.phases) if p.name == DOSSIERS)
        return replace(
            self, phases=self.phases[: last + 1], checks=(), by_department=self.at_dossiers
        )

    def submissions(self) -> Iterator[Submission]:
        for phase in self.phases:
            yield from phase.submissions


def namespace(people: int, seed: int) -> str:
    """The id prefix of the scenario with these parameters: none for the default one (the Gia
    Lai of ``make up``), ``p<people>s<seed>-`` for any other. Two scenarios of different sizes
    or seeds describe different people under the same names (``cb-0001`` of a department), so
    they never share an event id, a department, a province or a person: each lives in its own
    namespace, and loading one beside another on the same stack is a scenario of its own."""
    return "" if (people, seed) == (DEFAULT_PEOPLE, DEFAULT_SEED) else f"p{people}s{seed}-"


def build_scenario(
    people: int = DEFAULT_PEOPLE, *, seed: int = DEFAULT_SEED, prefix: str | None = None
) -> Scenario:
    """The scenario with ``people`` staff in Gia Lai. ``prefix`` renames every department,
    province and entity; by default it is the parameters' :func:`namespace` (tests give a
    unique one, for a province of their own)."""
    if people < 60:
        raise ValueError("a province scenario needs at least 60 people")
    if prefix is None:
        prefix = namespace(people, seed)
    b = Builder(prefix, seed, random.Random(seed))
    province = f"{prefix}{MAIN_PROVINCE}"

    # Only a province's board speaks for the directory (``services/registration/domain/
    # boards.py``): Gia Lai's registers the ministries, each board its province, then (once
    # the ministries are in) the departments of its province.
    for ministry_id, name, sector in MINISTRIES:
        b.emit(
            topics.board(province),
            _registered_ministry(ministry_id, name, sector),
            f"ministry:{ministry_id}",
            date(2015, 1, 1),
        )
    for province_id, name in PROVINCES:
        data = registration_fact(
            "ProvinceRegistered", province_id=f"{prefix}{province_id}", name=name
        )
        b.emit(
            topics.board(f"{prefix}{province_id}"),
            data,
            f"province:{prefix}{province_id}",
            date(2015, 1, 1),
        )
    restructuring.register_provinces(b)
    reference = Phase("Danh mục Bộ, tỉnh", b.take(), ("registration",))
    for spec in GIA_LAI_DEPARTMENTS:
        place_department(b, spec, province)
    for spec in OTHER_DEPARTMENTS:
        place_department(b, spec, f"{prefix}{spec.province}")
    restructuring.place(b)
    placed = Phase("Các Sở của tỉnh", b.take(), ("registration",))

    staff = split(people, [d.weight for d in GIA_LAI_DEPARTMENTS])
    roster: dict[str, list[Member]] = {}
    for spec, count in zip(GIA_LAI_DEPARTMENTS, staff, strict=True):
        roster[spec.code] = _gia_lai_department(b, spec, count)
    others = [(spec, _other_department(b, spec)) for spec in OTHER_DEPARTMENTS]
    ca_mau_staff, ca_mau_2019 = restructuring.own_directory(b)
    staff_of = {spec.code: people for spec, people in others}
    restructuring.city_winds_up(b, staff_of[seeds.BAC_LIEU_CITY])
    facts = Phase("Danh mục, phong trào, đăng ký, xếp loại, sáng kiến", b.take(), ("registration",))

    for spec in GIA_LAI_DEPARTMENTS:
        _dossiers_and_decisions(b, spec, roster[spec.code])
    dossiers = Phase(DOSSIERS, b.take(), ("awards",))
    # The later phases (the board's, the conferences, the economic results) add to the main
    # year's figures of some departments: the bench's year stops here (``main_year``).
    at_dossiers = copy.deepcopy(b.expects)
    # Processing days and votes are read from the events (the board adds its own later).
    board.expect_figures(
        replace(b, expects=at_dossiers), [*facts.submissions, *dossiers.submissions]
    )

    restructuring.mergers(b)
    merged = Phase("Sắp xếp đơn vị hành chính từ 01/07/2025", b.take(), ("registration",))
    ca_mau_2026 = restructuring.take_over_and_plan(b, ca_mau_staff, staff_of[seeds.BAC_LIEU])
    taken_over = Phase("Tiếp nhận đơn vị, phong trào năm 2026", b.take(), ("registration",))
    earlier = [*facts.submissions, *dossiers.submissions]
    own = board.phases(b, province, GIA_LAI_DEPARTMENTS, roster, earlier)
    board_phases = tuple(Phase(*p) for p in own)
    conference.hold(b)  # issue 17: Khánh Hòa's 2020 conferences, after every earlier phase
    conferences = Phase("Hội nghị điển hình tiên tiến Khánh Hòa 2020", b.take(), ("awards",))
    economy.report_results(b)
    reported = Phase(ECONOMY, b.take(), ("registration",))

    everyone = [p for ps in roster.values() for p in ps]
    listed = [
        *((d, roster[d.code]) for d in GIA_LAI_DEPARTMENTS),
        *others,
        (restructuring.CA_MAU_DEPARTMENT, ca_mau_staff),
    ]
    for spec, members in listed:
        figures = staff_figures(spec.units, members)
        b.expect(b.code(spec.code)).staff = figures
        at_dossiers.setdefault(b.code(spec.code), Expectation()).staff = dict(figures)
    main_codes = tuple(b.code(d.code) for d in GIA_LAI_DEPARTMENTS)
    every = (*GIA_LAI_DEPARTMENTS, *OTHER_DEPARTMENTS, restructuring.CA_MAU_DEPARTMENT)
    codes = tuple(b.code(d.code) for d in every)
    provinces = (
        *(p for p, _ in PROVINCES),
        restructuring.CA_MAU,
        *(p for p, _, _ in restructuring.ABSORBED),
    )
    boards = tuple(topics.board(f"{prefix}{p}") for p in provinces)
    bac_lieu_2019 = restructuring.bac_lieu_2019(b)
    return Scenario(
        name=f"gia-lai-{YEAR}-{people}-{seed}",
        prefix=prefix,
        province_id=province,
        year=YEAR,
        phases=(
            reference,
            placed,
            facts,
            dossiers,
            merged,
            taken_over,
            *board_phases,
            conferences,
            reported,
        ),
        by_department={c: b.expect(c) for c in codes},
        at_dossiers={c: at_dossiers.get(c, Expectation()) for c in codes},
        ministry_of={b.code(d.code): d.ministry for d in every},
        people=len(everyone),
        departments=codes,
        main_departments=main_codes,
        boards=boards,
        checks=(
            *restructuring.checks(b, bac_lieu_2019, ca_mau_2019, ca_mau_2026),
            conference.check(b),
        ),
    )


def _registered_ministry(ministry_id: str, name: str, sector: str) -> EventData:
    return registration_fact(
        "MinistryRegistered", ministry_id=ministry_id, name=name, sector_code=sector
    )


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


def _gia_lai_department(b: Builder, spec: DepartmentSpec, count: int) -> list[Member]:
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


def _dossier(
    b: Builder,
    code: str,
    campaign: str,
    title: str,
    nominee: tuple[str, str, str | None],
    received_on: date,
    evidence: dict[str, Any] | None = None,
) -> str:
    kind, nominee_id, unit_id = nominee
    nomination_id = f"{nominee_id}/{YEAR}/{title.lower()}"
    data = awards_fact(
        "NominationSubmitted",
        nomination_id=nomination_id,
        department_code=code,
        campaign_id=campaign,
        year=YEAR,
        title=title,
        nominee_kind=kind,
        nominee_id=nominee_id,
        unit_id=unit_id,
        evidence=evidence or {},
        received_on=received_on,
    )
    b.emit(code, data, f"nomination:{nomination_id}", received_on)
    b.expect(code).dossiers["received"] += 1
    if received_on > DOSSIER_DEADLINE:
        b.expect(code).dossiers["late"] += 1
    return nomination_id


def _dossiers_and_decisions(b: Builder, spec: DepartmentSpec, people: list[Member]) -> None:
    """LĐTT for everyone who registered (late registrants are refused at the decision), some
    dossiers after the deadline (returned), CSTĐCS within 10% of LĐTT, TTLĐTT for each
    registered unit; one council session; decision 1 (LĐTT) then decision 2 (the rest)."""
    code = b.code(spec.code)
    rng = b.rng
    expect = b.expect(code)
    campaign = f"{code}/{YEAR}/phat-dong"
    ldtt_open: list[str] = []
    for person in people:
        if not (person.registered or person.registered_late):
            continue
        late = rng.random() < 0.02
        received = (
            some_day(rng, date(YEAR, 12, 12), date(YEAR, 12, 18))
            if late
            else some_day(rng, date(YEAR, 11, 20), DOSSIER_DEADLINE)
        )
        nid = _dossier(
            b, code, campaign, "LDTT", ("individual", person.person_id, person.unit_id), received
        )
        if late:
            expect.nomination("LDTT", Outcome.RETURNED)
            expect.dossiers["returned"] += 1
            expect.dossiers["returned_late"] += 1
            continue
        ldtt_open.append(nid)
        person.ldtt = person.registered and person.rating in ("good", "excellent")
        if person.ldtt:
            expect.award("LDTT", person.sex, person.is_leader)
        else:
            expect.nomination("LDTT", Outcome.REJECTED)

    holders = [p for p in people if p.ldtt]
    budget = len(holders) // 10  # within the legacy 15% cap, whatever the vote
    evidenced = [p for p in holders if p.rating == "excellent" or (p.initiative or ("", 0))[1]]
    unproven = [p for p in holders if p.rating == "good" and p.initiative and not p.initiative[1]][
        :2
    ]
    chosen = rng.sample(evidenced, min(len(evidenced), max(budget - len(unproven), 0)))
    ballots: list[dict[str, Any]] = []
    decision_two: list[str] = []
    for person in sorted([*chosen, *unproven[: max(budget, 0)]], key=lambda p: p.person_id):
        evidence: dict[str, Any] = {"htxsnv": person.rating == "excellent"}
        if person.initiative:
            evidence["initiative_ids"] = [person.initiative[0]]
        received = some_day(rng, date(YEAR, 11, 20), DOSSIER_DEADLINE)
        nid = _dossier(
            b,
            code,
            campaign,
            "CSTDCS",
            ("individual", person.person_id, person.unit_id),
            received,
            evidence,
        )
        passes_vote = person in unproven or rng.random() < 0.85
        yes = rng.randint(8, 9) if passes_vote else rng.randint(5, 7)  # 80% of 9 is 7.2
        ballots.append({"nomination_id": nid, "yes_votes": yes})
        if not passes_vote:
            expect.nomination("CSTDCS", Outcome.REJECTED)
            continue
        decision_two.append(nid)
        if person in unproven:
            expect.nomination("CSTDCS", Outcome.REJECTED)
        else:
            expect.award("CSTDCS", person.sex, person.is_leader)
            person.cstdcs = True

    by_unit: dict[str, list[Member]] = defaultdict(list)
    for person in people:
        by_unit[person.unit_id].append(person)
    for unit in spec.units:
        if unit.kind not in ("section", "attached_unit"):
            continue
        unit_id = f"{code}/{unit.local}"
        received = some_day(rng, date(YEAR, 11, 20), DOSSIER_DEADLINE)
        nid = _dossier(b, code, campaign, "TTLDTT", ("collective", unit_id, unit_id), received)
        decision_two.append(nid)
        members = by_unit[unit_id]
        # NĐ 91/2017: more than 50% of members LĐTT (units are rated good or better here).
        if members and sum(m.ldtt for m in members) * 2 > len(members):
            expect.award("TTLDTT", None, None)
        else:
            expect.nomination("TTLDTT", Outcome.REJECTED)

    signer = {"name": "Giám đốc Sở", "position": "Giám đốc"}
    issuer = {"org_id": code, "name": spec.name, "abbreviation": spec.abbreviation}
    if ballots:
        vote = awards_fact(
            "CouncilVoted",
            session_id=f"{code}/hdtdkt/{YEAR}-1",
            department_code=code,
            council_level="department",
            members_total=COUNCIL_MEMBERS,
            members_present=COUNCIL_MEMBERS,
            session_on=date(YEAR, 12, 14),
            results=ballots,
        )
        b.emit(code, vote, f"council:{code}/{YEAR}-1", date(YEAR, 12, 14))
    # A decision names at most DECISION_NOMINATIONS dossiers (an envelope must stay under the
    # services' 256 KiB limit): a department of tens of thousands of staff issues several.
    decisions = [
        (on, nominations[at : at + DECISION_NOMINATIONS])
        for on, nominations in ((date(YEAR, 12, 20), ldtt_open), (date(YEAR, 12, 26), decision_two))
        for at in range(0, len(nominations), DECISION_NOMINATIONS)
    ]
    for number, (on, nominations) in enumerate(decisions, start=1):
        decision = awards_fact(
            "DecisionIssued",
            decision_id=f"{code}/qd/{YEAR}-{number}",
            department_code=code,
            number=f"{100 + number}/QĐ-{spec.abbreviation}",
            issued_on=on,
            issuer=issuer,
            signer=signer,
            authority="department_director",
            nomination_ids=nominations,
        )
        b.emit(code, decision, f"decision:{code}/{YEAR}-{number}", on)


def _other_department(b: Builder, spec: DepartmentSpec) -> list[Member]:
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
