"""The 2025 restructuring in the scenario (issue 16; DOMAIN.md §8).

Bạc Liêu's seed plans of 2019 stay where they are; then, on 01/07/2025 (Nghị quyết
202/2025/QH15), the province of Bạc Liêu merges into Cà Mau: its Sở Công Thương merges into Cà
Mau's (``sct-camau``), which takes over its units and their staff, and the People's Committee
of Bạc Liêu city ends with the district level. Cà Mau's Sở Công Thương then launches the merged
province's 2026 plan, and every unit and person of the merged department registers for it.

The expectation is built here as the events are, from the law and the plans, never from the
services: Bạc Liêu's 2019 rollup (unchanged by the merger), today's Cà Mau for 2019 with its
predecessors (Cà Mau's own 2019 plus the former Bạc Liêu's), and Cà Mau's 2026 with and without
predecessors (the same figures: nothing of 2026 happens in a province that no longer exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from contracts import topics
from scenarios import seeds
from scenarios.builder import (
    Builder,
    Member,
    department_directory,
    generate_staff,
    place_department,
    register_person,
    register_unit,
    registration_fact,
    some_day,
    staff_figures,
)
from scenarios.directory import OTHER_DEPARTMENTS, DepartmentSpec, UnitSpec
from scenarios.expectation import Expectation

BAC_LIEU = "bac-lieu"
CA_MAU = "ca-mau"
CA_MAU_NAME = "Cà Mau"
ABSORBED = (
    ("binh-dinh", "Bình Định", "gia-lai"),
    ("bac-kan", "Bắc Kạn", "thai-nguyen"),
    ("ninh-thuan", "Ninh Thuận", "khanh-hoa"),
)
"""The provinces merged into the other seed provinces on 01/07/2025: (id, name, successor).
None has departments in the scenario: they show in the province list beneath their successor."""
MERGER_DAY = date(2025, 7, 1)
PLAN_YEAR = 2026
PLAN_DEADLINE = date(PLAN_YEAR, 3, 31)
RESOLUTION_202: dict[str, Any] = {
    "number": "202/2025/QH15",
    "issued_on": "2025-06-12",
    "issuer": "Quốc hội",
    "title": "Về việc sắp xếp đơn vị hành chính cấp tỉnh",
}
CA_MAU_DEPARTMENT = DepartmentSpec(
    "sct-camau",
    "Sở Công Thương Cà Mau",
    CA_MAU,
    "bct",
    "SCT",
    (
        UnitSpec("bgd", "Ban Giám đốc Sở", "other"),
        UnitSpec("vp", "Văn phòng Sở", "section"),
        UnitSpec("p-qlcn", "Phòng Quản lý Công nghiệp", "section"),
        UnitSpec("p-qltm", "Phòng Quản lý Thương mại", "section"),
        UnitSpec("ttkc", "Trung tâm Khuyến công và Xúc tiến thương mại", "attached_unit"),
    ),
)
_BAC_LIEU = next(d for d in OTHER_DEPARTMENTS if d.code == seeds.BAC_LIEU)
_BAC_LIEU_CITY = next(d for d in OTHER_DEPARTMENTS if d.code == seeds.BAC_LIEU_CITY)
STAFF = 12
"""Cà Mau's Sở Công Thương's own listed staff."""
AFTER_MERGER = date(2025, 8, 1)
LATE_HIRE = "{old}/cb-9001"
"""A person the merged-away department's system still sends after the merger (refused)."""


@dataclass(frozen=True)
class Check:
    """One rollup the scenario must show exactly, beside the main province's of its year."""

    scope: str
    """``province/<id>`` as in the reporting API's path."""
    year: int
    with_predecessors: bool
    expectation: Expectation

    @property
    def label(self) -> str:
        return f"{self.scope} {self.year}" + (
            " (gồm cả tổ chức cũ)" if self.with_predecessors else ""
        )


def register_provinces(b: Builder) -> None:
    """Cà Mau's board registers its province, and the boards of the three provinces that
    merged into the other seed provinces on 01/07/2025 register theirs (as they stood since
    2015), beside the seed provinces' boards."""
    for province_id, name in ((CA_MAU, CA_MAU_NAME), *((p, n) for p, n, _ in ABSORBED)):
        province = b.code(province_id)
        b.emit(
            topics.board(province),
            registration_fact("ProvinceRegistered", province_id=province, name=name),
            f"province:{province}",
            date(2015, 1, 1),
        )


def place(b: Builder) -> None:
    """Cà Mau's board places its Sở Công Thương."""
    place_department(b, CA_MAU_DEPARTMENT, b.code(CA_MAU))


def own_directory(b: Builder) -> tuple[list[Member], Expectation]:
    """Cà Mau's Sở Công Thương's units and staff (from before the merger), and its own 2019
    rollup: the staff alone, no plan of that year."""
    with b.own_draws("ca-mau"):
        department_directory(b, CA_MAU_DEPARTMENT)
        staff = generate_staff(b, CA_MAU_DEPARTMENT, STAFF)
    return staff, Expectation(staff=staff_figures(CA_MAU_DEPARTMENT.units, staff))


def city_winds_up(b: Builder, city_staff: list[Member]) -> None:
    """Before the district level ends, Bạc Liêu city's People's Committee lets its staff go
    and dissolves its units (30/06/2025), all dated before the merger."""
    code = b.code(_BAC_LIEU_CITY.code)
    last_day = date(2025, 6, 30)
    for person in city_staff:
        data = registration_fact(
            "PersonLeft",
            person_id=person.person_id,
            unit_id=person.unit_id,
            left_on=last_day,
            reason="transferred_out",
        )
        b.emit(code, data, f"left:{person.person_id}", last_day)
    for unit in _BAC_LIEU_CITY.units:
        unit_id = f"{code}/{unit.local}"
        data = registration_fact(
            "UnitDissolved",
            unit_id=unit_id,
            effective_on=last_day,
            reason="Kết thúc hoạt động của chính quyền địa phương cấp huyện",
        )
        b.emit(code, data, f"dissolved:{unit_id}", last_day, minute=1)


def mergers(b: Builder) -> None:
    """What Cà Mau's board states on 01/07/2025: the province of Bạc Liêu merged into Cà Mau,
    its Sở Công Thương into Cà Mau's, Bạc Liêu city's People's Committee dissolved; and what
    the other seed provinces' boards state: Bình Định merged into Gia Lai, Bắc Kạn into Thái
    Nguyên, Ninh Thuận into Khánh Hòa."""
    board = topics.board(b.code(CA_MAU))
    basis = RESOLUTION_202
    facts = (
        registration_fact(
            "ProvinceMerged",
            province_id=b.code(BAC_LIEU),
            into_province_id=b.code(CA_MAU),
            effective_on=MERGER_DAY,
            legal_basis=basis,
        ),
        registration_fact(
            "DepartmentMerged",
            department_code=b.code(seeds.BAC_LIEU),
            into_department_code=b.code(CA_MAU_DEPARTMENT.code),
            effective_on=MERGER_DAY,
            legal_basis=basis,
        ),
        registration_fact(
            "DepartmentDissolved",
            department_code=b.code(seeds.BAC_LIEU_CITY),
            effective_on=MERGER_DAY,
            legal_basis=basis,
            reason="Kết thúc hoạt động của chính quyền địa phương cấp huyện",
        ),
    )
    for minute, data in enumerate(facts):
        b.emit(board, data, f"restructuring:{data.type_name()}:{minute}", MERGER_DAY, minute)
    for province_id, _, into in ABSORBED:
        merged = registration_fact(
            "ProvinceMerged",
            province_id=b.code(province_id),
            into_province_id=b.code(into),
            effective_on=MERGER_DAY,
            legal_basis=basis,
        )
        b.emit(topics.board(b.code(into)), merged, f"restructuring:{province_id}", MERGER_DAY)


def take_over_and_plan(b: Builder, own: list[Member], bac_lieu: list[Member]) -> Expectation:
    """Cà Mau's Sở Công Thương takes Bạc Liêu's units over, then launches its 2026 plan, for
    which every unit and person of the merged department registers by the deadline. Returns
    what Cà Mau's 2026 rollup must show."""
    with b.own_draws(f"ca-mau-{PLAN_YEAR}"):
        return _take_over_and_plan(b, own, bac_lieu)


def _take_over_and_plan(b: Builder, own: list[Member], bac_lieu: list[Member]) -> Expectation:
    code = b.code(CA_MAU_DEPARTMENT.code)
    old = b.code(seeds.BAC_LIEU)
    # The old system, not yet switched off, still sends a hire of August 2025: refused
    # (``directory.department_merged``), naming Cà Mau's Sở Công Thương; it counts nowhere.
    late = registration_fact(
        "PersonJoined",
        person_id=LATE_HIRE.format(old=old),
        department_code=old,
        unit_id=f"{old}/vp",
        full_name="Nguyễn Văn Muộn",
        sex="male",
        position="Chuyên viên",
        joined_on=AFTER_MERGER,
    )
    b.emit(old, late, f"person:{LATE_HIRE.format(old=old)}", AFTER_MERGER)
    for unit in _BAC_LIEU.units:
        unit_id = f"{old}/{unit.local}"
        data = registration_fact(
            "UnitTransferred",
            unit_id=unit_id,
            from_department_code=old,
            to_department_code=code,
            effective_on=MERGER_DAY,
        )
        b.emit(code, data, f"transfer:{unit_id}", MERGER_DAY)
    campaign = f"{code}/{PLAN_YEAR}/phat-dong"
    issued_on = date(PLAN_YEAR, 1, 5)
    plan = registration_fact(
        "CampaignLaunched",
        campaign_id=campaign,
        department_code=code,
        number=f"05/KH-{CA_MAU_DEPARTMENT.abbreviation}",
        issued_on=issued_on,
        issuer={"org_id": code, "name": CA_MAU_DEPARTMENT.name, "abbreviation": "SCT"},
        parents=[
            {
                "issuer": "Ủy ban nhân dân tỉnh Cà Mau",
                "title": f"Về tổ chức phong trào thi đua năm {PLAN_YEAR} (minh họa)",
            }
        ],
        title=f"Kế hoạch phát động phong trào thi đua năm {PLAN_YEAR}",
        theme="Đoàn kết, sáng tạo, xây dựng tỉnh Cà Mau mới phát triển nhanh và bền vững",
        kind="regular",
        year=PLAN_YEAR,
        period={"start": f"{PLAN_YEAR}-01-01", "end": f"{PLAN_YEAR}-12-31"},
        deadlines={"registration": PLAN_DEADLINE.isoformat()},
    )
    b.emit(code, plan, f"campaign:{campaign}", issued_on)
    people = [*own, *bac_lieu]
    expect = Expectation(staff=staff_figures([*CA_MAU_DEPARTMENT.units, *_BAC_LIEU.units], people))
    units = [(f"{code}/{u.local}", u) for u in CA_MAU_DEPARTMENT.units]
    units += [(f"{old}/{u.local}", u) for u in _BAC_LIEU.units]
    for unit_id, unit in units:
        if unit.kind not in ("section", "attached_unit"):
            continue
        on = some_day(b.rng, date(PLAN_YEAR, 1, 10), date(PLAN_YEAR, 2, 27))
        register_unit(b, code, campaign, unit_id, on, expect)
    for person in people:
        on = some_day(b.rng, date(PLAN_YEAR, 1, 10), PLAN_DEADLINE)
        register_person(b, code, campaign, person, on, ["LDTT"], expect)
    return expect


def bac_lieu_2019(b: Builder) -> Expectation:
    """The former province of Bạc Liêu in 2019, what the merger must leave unchanged: its two
    departments' staff (all listed then) and the facts of that year (the Sở Công Thương's unit
    registrations and initiatives, ``departments.other_department``)."""
    parts = []
    for spec in (_BAC_LIEU, _BAC_LIEU_CITY):
        code = b.code(spec.code)
        staff = Expectation(staff=dict(b.expect(code).staff))
        parts.append(Expectation.merged([staff, b.expect_in(code, 2019)]))
    return Expectation.merged(parts)


def checks(
    b: Builder, bac_lieu: Expectation, ca_mau_2019: Expectation, ca_mau_2026: Expectation
) -> tuple[Check, ...]:
    """Bạc Liêu's 2019 (what the merger must not change), today's Cà Mau in 2019 alone and with
    its predecessor (the sum of the two), and Cà Mau's 2026 alone and with its predecessor
    (equal: the former province has no staff, units or facts left in 2026)."""
    province = f"province/{b.code(CA_MAU)}"
    with_history = Expectation.merged([ca_mau_2019, bac_lieu])
    return (
        Check(f"province/{b.code(BAC_LIEU)}", 2019, False, bac_lieu),
        Check(province, 2019, False, ca_mau_2019),
        Check(province, 2019, True, with_history),
        Check(province, PLAN_YEAR, False, ca_mau_2026),
        Check(province, PLAN_YEAR, True, ca_mau_2026),
    )
