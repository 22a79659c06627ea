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

The departments' year up to the dossier deadline is made by ``scenarios.departments``, their
dossiers and decisions by ``scenarios.dossiers``; this module puts those and the later phases
(``board``, ``restructuring``, ``conference``, ``economy``) together into a scenario.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from contracts import topics
from contracts.base import EventData
from scenarios import board, conference, economy, restructuring, seeds
from scenarios.builder import (
    Builder,
    Member,
    Submission,
    place_department,
    registration_fact,
    split,
    staff_figures,
)
from scenarios.departments import YEAR, gia_lai_department, other_department
from scenarios.directory import (
    GIA_LAI_DEPARTMENTS,
    MAIN_PROVINCE,
    MINISTRIES,
    OTHER_DEPARTMENTS,
    PROVINCES,
)
from scenarios.dossiers import dossiers_and_decisions
from scenarios.expectation import Expectation

BASE_SALARY_2018_H2 = 1_390_000  # NĐ 72/2018/NĐ-CP, in force from 01/07/2018
COEFFICIENT = {"LDTT": 0.3, "CSTDCS": 1.0, "TTLDTT": 0.8}
ECONOMY = "Báo cáo kết quả chỉ tiêu kinh tế năm 2018"
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
        roster[spec.code] = gia_lai_department(b, spec, count)
    others = [(spec, other_department(b, spec)) for spec in OTHER_DEPARTMENTS]
    ca_mau_staff, ca_mau_2019 = restructuring.own_directory(b)
    staff_of = {spec.code: people for spec, people in others}
    restructuring.city_winds_up(b, staff_of[seeds.BAC_LIEU_CITY])
    facts = Phase("Danh mục, phong trào, đăng ký, xếp loại, sáng kiến", b.take(), ("registration",))

    for spec in GIA_LAI_DEPARTMENTS:
        dossiers_and_decisions(b, spec, roster[spec.code])
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
