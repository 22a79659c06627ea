"""Scenario data: the five seed plans (../shared/seeds) and a directory for their departments.

What each department's system would submit on its ingress topic, in order. Reference data
(ministries, provinces, which department is in which province) comes from the provinces'
boards. ``Scenario.build(prefix)`` renames the
department codes (``<prefix>sct-gialai``...) so that tests get topics of their own; entity ids
keep the documents' names. Enterprises of the Khánh Hòa bloc are illustrative.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from contracts import examples, topics
from contracts.base import EventData
from contracts.registration import (
    BlocFormed,
    BlocLeaderDesignated,
    CampaignLaunched,
    DepartmentRegistered,
    MinistryRegistered,
    PersonJoined,
    ProvinceRegistered,
    UnitEstablished,
)

GIA_LAI = "sct-gialai"
BAC_LIEU = "sct-baclieu"
THAI_NGUYEN = "skhcn-thainguyen"
KHANH_HOA = "sct-khanhhoa"
BAC_LIEU_CITY = "ubnd-tp-baclieu"
DEPARTMENTS = (GIA_LAI, BAC_LIEU, THAI_NGUYEN, KHANH_HOA, BAC_LIEU_CITY)

MINISTRIES = (
    ("bct", "Bộ Công Thương", "cong-thuong"),
    ("bkhcn", "Bộ Khoa học và Công nghệ", "khoa-hoc-cong-nghe"),
    # A city's People's Committee has no sector of its own; its emulation work is steered
    # along the home-affairs line (Ban Thi đua - Khen thưởng Trung ương, Bộ Nội vụ).
    ("bnv", "Bộ Nội vụ", "noi-vu"),
)
PROVINCES = (
    ("gia-lai", "Gia Lai"),
    ("bac-lieu", "Bạc Liêu"),
    ("thai-nguyen", "Thái Nguyên"),
    ("khanh-hoa", "Khánh Hòa"),
)
_DEPARTMENT_ROWS = (
    (GIA_LAI, "Sở Công Thương Gia Lai", "gia-lai", "bct"),
    (BAC_LIEU, "Sở Công Thương Bạc Liêu", "bac-lieu", "bct"),
    (THAI_NGUYEN, "Sở Khoa học và Công nghệ Thái Nguyên", "thai-nguyen", "bkhcn"),
    (KHANH_HOA, "Sở Công Thương Khánh Hòa", "khanh-hoa", "bct"),
    (BAC_LIEU_CITY, "Ủy ban nhân dân thành phố Bạc Liêu", "bac-lieu", "bnv"),
)

# (department, local id, name, kind, parent local id or None)
_UNITS: tuple[tuple[str, str, str, str, str | None], ...] = (
    (GIA_LAI, "bgd", "Ban Giám đốc Sở", "other", None),
    (GIA_LAI, "vp", "Văn phòng Sở", "section", None),
    (GIA_LAI, "thanh-tra", "Thanh tra Sở", "section", None),
    (GIA_LAI, "p-khtc", "Phòng Kế hoạch - Tài chính", "section", None),
    (GIA_LAI, "p-qlcn", "Phòng Quản lý Công nghiệp", "section", None),
    (GIA_LAI, "p-qltm", "Phòng Quản lý Thương mại", "section", None),
    (GIA_LAI, "p-qlnl", "Phòng Quản lý Năng lượng", "section", None),
    (GIA_LAI, "qltt", "Chi cục Quản lý thị trường", "attached_unit", None),
    (GIA_LAI, "ttkc", "Trung tâm Khuyến công và Xúc tiến thương mại", "attached_unit", None),
    (BAC_LIEU, "bgd", "Ban Giám đốc Sở", "other", None),
    (BAC_LIEU, "vp", "Văn phòng Sở", "section", None),
    (BAC_LIEU, "thanh-tra", "Thanh tra Sở", "section", None),
    (BAC_LIEU, "p-qlcn", "Phòng Quản lý Công nghiệp", "section", None),
    (BAC_LIEU, "p-qltm", "Phòng Quản lý Thương mại", "section", None),
    (BAC_LIEU, "ttkc", "Trung tâm Khuyến công và Xúc tiến thương mại", "attached_unit", None),
    (THAI_NGUYEN, "bgd", "Ban Giám đốc Sở", "other", None),
    (THAI_NGUYEN, "vp", "Văn phòng Sở", "section", None),
    (THAI_NGUYEN, "thanh-tra", "Thanh tra Sở", "section", None),
    (THAI_NGUYEN, "p-khtc", "Phòng Kế hoạch - Tài chính", "section", None),
    (THAI_NGUYEN, "p-qlkh", "Phòng Quản lý Khoa học", "section", None),
    (THAI_NGUYEN, "ccttdlcl", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "attached_unit", None),
    (
        THAI_NGUYEN,
        "ttud",
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
        "attached_unit",
        None,
    ),
    (KHANH_HOA, "bgd", "Ban Giám đốc Sở", "other", None),
    (KHANH_HOA, "vp", "Văn phòng Sở", "section", None),
    (KHANH_HOA, "p-qlcn", "Phòng Quản lý Công nghiệp", "section", None),
    (KHANH_HOA, "p-qltm", "Phòng Quản lý Thương mại", "section", None),
    (
        KHANH_HOA,
        "ttkc",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
        "attached_unit",
        None,
    ),
    (KHANH_HOA, "dn-01", "Doanh nghiệp ngoài nhà nước số 1 (minh họa)", "enterprise", None),
    (KHANH_HOA, "dn-02", "Doanh nghiệp ngoài nhà nước số 2 (minh họa)", "enterprise", None),
    (BAC_LIEU_CITY, "p-kt", "Phòng Kinh tế", "section", None),
    (BAC_LIEU_CITY, "p-nv", "Phòng Nội vụ", "section", None),
    (BAC_LIEU_CITY, "phuong-1", "Ủy ban nhân dân Phường 1", "ward", None),
    (BAC_LIEU_CITY, "xa-hiep-thanh", "Ủy ban nhân dân xã Hiệp Thành", "commune", None),
)

# (department, local id, full name, sex, position, unit local id, is leader)
_PEOPLE = (
    (GIA_LAI, "p-0001", "Đào Thị Thu Nguyệt", "female", "Phó Giám đốc", "bgd", True),
    (GIA_LAI, "p-0042", "Nguyễn Thị Lan", "female", "Chuyên viên", "vp", False),
    (GIA_LAI, "p-0051", "Trần Văn Minh", "male", "Chuyên viên", "p-qlcn", False),
    (GIA_LAI, "p-0077", "Lê Văn Hùng", "male", "Kiểm soát viên", "qltt", False),
    (BAC_LIEU, "p-0001", "Phan Văn Sáu", "male", "Giám đốc", "bgd", True),
    (BAC_LIEU, "p-0012", "Trần Thị Mai", "female", "Chuyên viên", "ttkc", False),
    (THAI_NGUYEN, "p-0002", "Đinh Bộ Sơn", "male", "Phó Giám đốc", "bgd", True),
    (THAI_NGUYEN, "p-0020", "Hoàng Thị Hà", "female", "Chánh Văn phòng", "vp", True),
    (KHANH_HOA, "p-0001", "Lê Thu Hải", "male", "Giám đốc", "bgd", True),
    (BAC_LIEU_CITY, "p-0003", "Nguyễn Văn Bình", "male", "Trưởng phòng", "p-kt", True),
)

PLANS = {
    GIA_LAI: examples.GIA_LAI_2018_PLAN,
    BAC_LIEU: examples.BAC_LIEU_53_KH_SCT,
    BAC_LIEU_CITY: examples.BAC_LIEU_CITY_129_KH_UBND,
    THAI_NGUYEN: examples.THAI_NGUYEN_60_KH_KHCN,
    KHANH_HOA: examples.KHANH_HOA_2020_CONFERENCE_PLAN,
}


@dataclass(frozen=True)
class Scenario:
    """Department codes as used (``prefix`` + document code) and what each one submits.

    ``boards``: what each province's board submits on its own ingress topic (its province, the
    departments it places there; the first board also the ministries), before any department
    (only a board may, ``services/registration/domain/boards.py``). With ``own_provinces``
    the province ids carry the prefix too, and so do the boards' codes (``<prefix>gia-lai-board``):
    a test's boards then publish on topics of their own."""

    prefix: str
    boards: dict[str, list[EventData]]
    directory: dict[str, list[EventData]]
    plans: dict[str, CampaignLaunched]

    @property
    def reference(self) -> list[EventData]:
        """Everything the boards submit, in order."""
        return [p for payloads in self.boards.values() for p in payloads]

    def code(self, department: str) -> str:
        return f"{self.prefix}{department}"

    def unit_id(self, department: str, local: str) -> str:
        return f"{department}/{local}"

    def person_id(self, department: str, local: str) -> str:
        return f"{department}/{local}"

    @classmethod
    def build(cls, prefix: str = "", *, own_provinces: bool = False) -> Scenario:
        def code(department: str) -> str:
            return f"{prefix}{department}"

        def province_id(province: str) -> str:
            return f"{prefix}{province}" if own_provinces else province

        boards: dict[str, list[EventData]] = {
            topics.board(province_id(p)): [ProvinceRegistered(province_id=province_id(p), name=n)]
            for p, n in PROVINCES
        }
        next(iter(boards.values()))[:0] = [
            MinistryRegistered(ministry_id=m, name=n, sector_code=s) for m, n, s in MINISTRIES
        ]
        directory: dict[str, list[EventData]] = {code(d): [] for d in DEPARTMENTS}
        for d, name, province, ministry in _DEPARTMENT_ROWS:
            boards[topics.board(province_id(province))].append(
                DepartmentRegistered(
                    department_code=code(d),
                    name=name,
                    province_id=province_id(province),
                    ministry_id=ministry,
                )
            )
        for d, local, name, kind, parent in _UNITS:
            directory[code(d)].append(
                UnitEstablished.model_validate(
                    {
                        "unit_id": f"{d}/{local}",
                        "department_code": code(d),
                        "name": name,
                        "kind": kind,
                        "parent_unit_id": f"{d}/{parent}" if parent else None,
                        "established_on": "2015-01-01",
                    }
                )
            )
        for d, local, full_name, sex, position, unit, leader in _PEOPLE:
            directory[code(d)].append(
                PersonJoined.model_validate(
                    {
                        "person_id": f"{d}/{local}",
                        "department_code": code(d),
                        "unit_id": f"{d}/{unit}",
                        "full_name": full_name,
                        "sex": sex,
                        "position": position,
                        "is_leader": leader,
                        "joined_on": "2016-01-04",
                    }
                )
            )
        directory[code(GIA_LAI)] += _gia_lai_bloc(code(GIA_LAI))
        directory[code(KHANH_HOA)] += _khanh_hoa_bloc()
        plans = {code(d): _plan(plan, prefix) for d, plan in PLANS.items()}
        return cls(prefix, boards, directory, plans)


def _plan(plan: dict[str, Any], prefix: str) -> CampaignLaunched:
    data = copy.deepcopy(plan)
    data["department_code"] = prefix + data["department_code"]
    if data["issuer"].get("org_id") in PLANS:
        data["issuer"]["org_id"] = prefix + data["issuer"]["org_id"]
    return CampaignLaunched.model_validate(data)


def _gia_lai_bloc(department: str) -> list[EventData]:
    """Khối thi đua các sở, ngành kinh tế tỉnh, led in 2018 by the Sở Công Thương."""
    member = {"member_kind": "department", "member_id": department}
    return [
        BlocFormed.model_validate(
            {
                "bloc_id": "gia-lai/khoi-kinh-te",
                "name": "Khối thi đua các sở, ngành kinh tế tỉnh",
                "organiser": {"name": "Ủy ban nhân dân tỉnh Gia Lai"},
                "level": "province",
                "members": [member],
                "formed_on": "2018-01-02",
            }
        ),
        BlocLeaderDesignated.model_validate(
            {
                "bloc_id": "gia-lai/khoi-kinh-te",
                "year": 2018,
                "leader": member,
                "designated_on": "2018-01-15",
            }
        ),
    ]


def _khanh_hoa_bloc() -> list[EventData]:
    """Khối thi đua các doanh nghiệp khu vực ngoài nhà nước (its Trưởng khối is in the plan)."""
    members = [
        {"member_kind": "unit", "member_id": f"{KHANH_HOA}/dn-01"},
        {"member_kind": "unit", "member_id": f"{KHANH_HOA}/dn-02"},
    ]
    return [
        BlocFormed.model_validate(
            {
                "bloc_id": "khanh-hoa/khoi-dn-nnn",
                "name": "Khối thi đua các doanh nghiệp khu vực ngoài nhà nước",
                "organiser": {"name": "Sở Công Thương Khánh Hòa"},
                "level": "department",
                "members": members,
                "formed_on": "2019-01-10",
            }
        ),
        BlocLeaderDesignated.model_validate(
            {
                "bloc_id": "khanh-hoa/khoi-dn-nnn",
                "year": 2019,
                "leader": members[0],
                "designated_on": "2019-01-20",
            }
        ),
    ]
