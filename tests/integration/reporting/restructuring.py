"""Facts of the 2025 restructuring for reporting tests (issue 16), as registration and awards
publish them: Bạc Liêu's and Cà Mau's Sở Công Thương in 2019, Bạc Liêu's plan for 2026
launched before the merger; then on 01/07/2025 Bạc Liêu merged into Cà Mau (Nghị quyết
202/2025/QH15), its Sở Công Thương into Cà Mau's, both its units and its 2026 plan
transferred to the successor; Cà Mau's Sở KH&ĐT merged into its Sở Tài chính, and the Bộ
KH&ĐT into the Bộ Tài chính, on 01/03/2025; then the successor's 2025-2026 facts.

Every id carries the test's prefix (a model of the test's own). The lifecycle facts are the
ones the boards (``<province>-board``) and the successor department send; reporting reads them
from registration's events topic, where the tests publish them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES
from tests.integration.reporting.scenario_awards import BASE_SALARY, COEFFICIENT

MERGED_ON = date(2025, 7, 1)
MINISTRIES_MERGED_ON = date(2025, 3, 1)
RESOLUTION_202 = {
    "number": "202/2025/QH15",
    "issued_on": "2025-06-12",
    "issuer": "Quốc hội",
    "title": "Về việc sắp xếp đơn vị hành chính cấp tỉnh",
}
RESOLUTION_176 = {
    "number": "176/2025/QH15",
    "issued_on": "2025-02-18",
    "issuer": "Quốc hội",
    "title": "Về cơ cấu tổ chức của Chính phủ nhiệm kỳ Quốc hội khóa XV",
}

Records = list[tuple[bytes, CloudEvent]]


@dataclass
class Restructuring:
    """The ids, and the events before the mergers and from them on, by topic."""

    p: str
    before_registration: Records = field(default_factory=list)
    before_awards: Records = field(default_factory=list)
    after_registration: Records = field(default_factory=list)
    after_awards: Records = field(default_factory=list)

    @property
    def bac_lieu(self) -> str:
        return f"{self.p}bac-lieu"

    @property
    def ca_mau(self) -> str:
        return f"{self.p}ca-mau"

    @property
    def sct_bl(self) -> str:
        return f"{self.p}sct-baclieu"

    @property
    def sct_cm(self) -> str:
        return f"{self.p}sct-camau"

    @property
    def skhdt_cm(self) -> str:
        return f"{self.p}skhdt-camau"

    @property
    def stc_cm(self) -> str:
        return f"{self.p}stc-camau"

    @property
    def bct(self) -> str:
        return f"{self.p}bct"

    @property
    def bkhdt(self) -> str:
        return f"{self.p}bkhdt"

    @property
    def btc(self) -> str:
        return f"{self.p}btc"

    @property
    def plan_2026(self) -> str:
        return f"{self.sct_bl}/2026/phat-dong"

    def topics(self, after: bool) -> tuple[Records, Records]:
        if after:
            return self.after_registration, self.after_awards
        return self.before_registration, self.before_awards


def _campaign(
    campaign_id: str, department: str, name: str, year: int, start: str, end: str
) -> rg.CampaignLaunched:
    template: dict[str, Any] = dict(EXAMPLES[rg.CampaignLaunched][0])
    return rg.CampaignLaunched.model_validate(
        {
            **template,
            "campaign_id": campaign_id,
            "department_code": department,
            "issuer": {"org_id": department, "name": name, "abbreviation": "SCT"},
            "title": f"Kế hoạch phát động phong trào thi đua năm {year}",
            "year": year,
            "issued_on": start,
            "period": {"start": start, "end": end},
            "phases": [],
            "deadlines": {},
            "emulation_targets": [
                {"title": "LDTT", "measure": "percent", "value": 50, "basis": "all_staff"}
            ],
        }
    )


def build_restructuring(p: str) -> Restructuring:
    s = Restructuring(p)
    nominations = 0

    def add(after: bool, payload: EventData, key: str, department: str | None = None) -> None:
        reg, awards = s.topics(after)
        target = reg if payload.service == "registration" else awards
        source = f"urn:thidua:service:{payload.service}"
        event = CloudEvent.new(payload, source=source, department=department)
        target.append((key.encode(), event))

    def before(payload: EventData, key: str, department: str | None = None) -> None:
        add(False, payload, key, department)

    def after(payload: EventData, key: str, department: str | None = None) -> None:
        add(True, payload, key, department)

    v: Callable[[type[EventData], dict[str, Any]], EventData] = lambda t, d: t.model_validate(d)  # noqa: E731

    # --- the directory as it stood before 2025 ---------------------------------------------
    for ministry, name, sector in (
        (s.bct, "Bộ Công Thương", "cong-thuong"),
        (s.bkhdt, "Bộ Kế hoạch và Đầu tư", "ke-hoach-dau-tu"),
        (s.btc, "Bộ Tài chính", "tai-chinh"),
    ):
        before(v(rg.MinistryRegistered, {"ministry_id": ministry, "name": name,
                                         "sector_code": sector}), "reference")  # fmt: skip
    for province, name in ((s.bac_lieu, "Bạc Liêu"), (s.ca_mau, "Cà Mau")):
        before(v(rg.ProvinceRegistered, {"province_id": province, "name": name}), "reference")
    for code, name, province, ministry in (
        (s.sct_bl, "Sở Công Thương Bạc Liêu", s.bac_lieu, s.bct),
        (s.sct_cm, "Sở Công Thương Cà Mau", s.ca_mau, s.bct),
        (s.skhdt_cm, "Sở Kế hoạch và Đầu tư Cà Mau", s.ca_mau, s.bkhdt),
        (s.stc_cm, "Sở Tài chính Cà Mau", s.ca_mau, s.btc),
    ):
        before(v(rg.DepartmentRegistered, {"department_code": code, "name": name,
                                           "province_id": province, "ministry_id": ministry,
                                           "established_on": "2008-04-01"}), code)  # fmt: skip
    units = {
        f"{s.sct_bl}/vp": s.sct_bl,
        f"{s.sct_bl}/qltt": s.sct_bl,
        f"{s.sct_cm}/vp": s.sct_cm,
        f"{s.skhdt_cm}/vp": s.skhdt_cm,
        f"{s.stc_cm}/vp": s.stc_cm,
    }
    for unit, department in units.items():
        before(v(rg.UnitEstablished, {"unit_id": unit, "department_code": department,
                                      "name": f"Phòng {unit.rsplit('/', 1)[1]}",
                                      "kind": "section", "established_on": "2010-01-01"}),
               unit, department)  # fmt: skip
    people: list[tuple[str, str, str, bool]] = [
        (f"{s.sct_bl}/p-01", f"{s.sct_bl}/vp", "female", True),
        (f"{s.sct_bl}/p-02", f"{s.sct_bl}/vp", "female", False),
        (f"{s.sct_bl}/p-03", f"{s.sct_bl}/qltt", "male", False),
        (f"{s.sct_cm}/p-01", f"{s.sct_cm}/vp", "male", True),
        (f"{s.sct_cm}/p-02", f"{s.sct_cm}/vp", "female", False),
        (f"{s.skhdt_cm}/p-01", f"{s.skhdt_cm}/vp", "male", False),
        (f"{s.stc_cm}/p-01", f"{s.stc_cm}/vp", "female", False),
    ]
    for person, unit, sex, leader in people:
        before(v(rg.PersonJoined, {"person_id": person, "department_code": units[unit],
                                   "unit_id": unit, "full_name": f"Cán bộ {person}",
                                   "sex": sex, "is_leader": leader,
                                   "joined_on": "2015-01-05"}), person, units[unit])  # fmt: skip

    def nominate(
        when: Callable[[EventData, str, str | None], None],
        department: str,
        campaign: str,
        year: int,
        person: str,
        unit: str,
        received: str,
        decided: str,
    ) -> None:
        nonlocal nominations
        nominations += 1
        nid = f"{department}/ldtt-{nominations:03d}"
        common = {"nomination_id": nid, "department_code": department, "year": year,
                  "title": "LDTT", "nominee_kind": "individual", "nominee_id": person,
                  "unit_id": unit}  # fmt: skip
        when(v(aw.NominationSubmitted, {**common, "campaign_id": campaign,
                                        "received_on": received}), nid, department)  # fmt: skip
        when(v(aw.NominationApproved, {**common, "method": "regular",
                                       "decision_number": f"{nominations}/QĐ-SCT",
                                       "decision_date": decided,
                                       "authority": "department_director",
                                       "cash_vnd": round(COEFFICIENT["LDTT"] * BASE_SALARY),
                                       "base_salary_vnd": BASE_SALARY,
                                       "coefficient": COEFFICIENT["LDTT"]}),
             nid, department)  # fmt: skip

    def register(
        when: Callable[[EventData, str, str | None], None],
        department: str,
        campaign: str,
        person: str,
        unit: str,
        on: str,
    ) -> None:
        when(v(rg.IndividualRegistered, {"campaign_id": campaign, "department_code": department,
                                         "person_id": person, "unit_id": unit,
                                         "titles": ["LDTT"], "registered_on": on}),
             f"reg:{person}:{campaign}", department)  # fmt: skip

    # --- 2019: each province's own plan, registrations and awards ---------------------------
    for dept, name in ((s.sct_bl, "Sở Công Thương Bạc Liêu"), (s.sct_cm, "Sở Công Thương Cà Mau")):
        plan = f"{dept}/2019/phat-dong"
        before(_campaign(plan, dept, name, 2019, "2019-01-15", "2019-12-31"), plan, dept)
        for person, unit, _, _ in people:
            if person.startswith(f"{dept}/"):
                register(before, dept, plan, person, unit, "2019-02-20")
    nominate(before, s.sct_bl, f"{s.sct_bl}/2019/phat-dong", 2019, f"{s.sct_bl}/p-02",
             f"{s.sct_bl}/vp", "2019-11-20", "2019-12-20")  # fmt: skip
    nominate(before, s.sct_bl, f"{s.sct_bl}/2019/phat-dong", 2019, f"{s.sct_bl}/p-03",
             f"{s.sct_bl}/qltt", "2019-11-20", "2019-12-20")  # fmt: skip
    nominate(before, s.sct_cm, f"{s.sct_cm}/2019/phat-dong", 2019, f"{s.sct_cm}/p-02",
             f"{s.sct_cm}/vp", "2019-11-21", "2019-12-21")  # fmt: skip

    # --- 2024 in the Bộ KH&ĐT's sector: Cà Mau's Sở KH&ĐT -----------------------------------
    plan_khdt = f"{s.skhdt_cm}/2024/phat-dong"
    before(_campaign(plan_khdt, s.skhdt_cm, "Sở Kế hoạch và Đầu tư Cà Mau", 2024,
                     "2024-01-15", "2024-12-31"), plan_khdt, s.skhdt_cm)  # fmt: skip
    register(before, s.skhdt_cm, plan_khdt, f"{s.skhdt_cm}/p-01", f"{s.skhdt_cm}/vp",
             "2024-02-20")  # fmt: skip
    nominate(before, s.skhdt_cm, plan_khdt, 2024, f"{s.skhdt_cm}/p-01", f"{s.skhdt_cm}/vp",
             "2024-11-20", "2024-12-20")  # fmt: skip

    # --- Bạc Liêu's plan for 2026, launched (and registered for) before the merger -----------
    before(_campaign(s.plan_2026, s.sct_bl, "Sở Công Thương Bạc Liêu", 2026, "2025-05-05",
                     "2026-12-31"), s.plan_2026, s.sct_bl)  # fmt: skip
    register(before, s.sct_bl, s.plan_2026, f"{s.sct_bl}/p-01", f"{s.sct_bl}/vp", "2025-05-20")
    register(before, s.sct_bl, s.plan_2026, f"{s.sct_bl}/p-02", f"{s.sct_bl}/vp", "2025-05-20")

    # --- the mergers (the boards' facts) and the successor's transfers ----------------------
    after(v(rg.MinistryMerged, {"ministry_id": s.bkhdt, "into_ministry_id": s.btc,
                                "effective_on": MINISTRIES_MERGED_ON.isoformat(),
                                "legal_basis": RESOLUTION_176}), "reference")  # fmt: skip
    after(v(rg.DepartmentMerged, {"department_code": s.skhdt_cm, "into_department_code": s.stc_cm,
                                  "effective_on": MINISTRIES_MERGED_ON.isoformat(),
                                  "legal_basis": RESOLUTION_176}), s.skhdt_cm)  # fmt: skip
    after(v(rg.UnitTransferred, {"unit_id": f"{s.skhdt_cm}/vp", "from_department_code": s.skhdt_cm,
                                 "to_department_code": s.stc_cm,
                                 "effective_on": MINISTRIES_MERGED_ON.isoformat()}),
          f"{s.skhdt_cm}/vp", s.stc_cm)  # fmt: skip
    after(v(rg.ProvinceMerged, {"province_id": s.bac_lieu, "into_province_id": s.ca_mau,
                                "effective_on": MERGED_ON.isoformat(),
                                "legal_basis": RESOLUTION_202}), "reference")  # fmt: skip
    after(v(rg.DepartmentMerged, {"department_code": s.sct_bl, "into_department_code": s.sct_cm,
                                  "effective_on": MERGED_ON.isoformat(),
                                  "legal_basis": RESOLUTION_202}), s.sct_bl)  # fmt: skip
    for unit in (f"{s.sct_bl}/vp", f"{s.sct_bl}/qltt"):
        after(v(rg.UnitTransferred, {"unit_id": unit, "from_department_code": s.sct_bl,
                                     "to_department_code": s.sct_cm,
                                     "effective_on": MERGED_ON.isoformat()}),
              unit, s.sct_cm)  # fmt: skip
    after(v(rg.CampaignTransferred, {"campaign_id": s.plan_2026, "from_department_code": s.sct_bl,
                                     "to_department_code": s.sct_cm,
                                     "effective_on": MERGED_ON.isoformat()}),
          s.plan_2026, s.sct_cm)  # fmt: skip
    after(v(rg.DepartmentRenamed, {"department_code": s.sct_cm,
                                   "name": "Sở Công Thương tỉnh Cà Mau",
                                   "effective_on": MERGED_ON.isoformat()}), s.sct_cm)  # fmt: skip

    # --- the successor's facts: 2025-2026 ---------------------------------------------------
    register(after, s.sct_cm, s.plan_2026, f"{s.sct_cm}/p-02", f"{s.sct_cm}/vp", "2025-09-10")
    register(after, s.sct_cm, s.plan_2026, f"{s.sct_bl}/p-03", f"{s.sct_bl}/qltt", "2025-09-10")
    nominate(after, s.sct_cm, s.plan_2026, 2026, f"{s.sct_bl}/p-02", f"{s.sct_bl}/vp",
             "2026-10-20", "2026-11-20")  # fmt: skip
    nominate(after, s.sct_cm, s.plan_2026, 2026, f"{s.sct_cm}/p-02", f"{s.sct_cm}/vp",
             "2026-10-20", "2026-11-20")  # fmt: skip
    plan_tc = f"{s.stc_cm}/2026/phat-dong"
    after(_campaign(plan_tc, s.stc_cm, "Sở Tài chính Cà Mau", 2026, "2026-01-15",
                    "2026-12-31"), plan_tc, s.stc_cm)  # fmt: skip
    nominate(after, s.stc_cm, plan_tc, 2026, f"{s.skhdt_cm}/p-01", f"{s.skhdt_cm}/vp",
             "2026-10-21", "2026-11-21")  # fmt: skip
    return s
