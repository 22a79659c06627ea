"""The Gia Lai 2018 department as directory facts, for the notification tests."""

from __future__ import annotations

from datetime import date

from contracts.base import EventData
from contracts.common import OrgKind
from contracts.examples import GIA_LAI_2018_PLAN
from contracts.registration import (
    CampaignLaunched,
    DepartmentRegistered,
    OrganisationContactSet,
    PersonJoined,
    ProvinceRegistered,
    UnitEstablished,
)

GL = "sct-gialai"
UNIT_NAMES = [
    "Văn phòng Sở",
    "Thanh tra Sở",
    "Phòng Quản lý công nghiệp",
    "Phòng Quản lý thương mại",
    "Chi cục Quản lý thị trường",
    "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
]
BOARD_EMAIL = "ban-tdkt@gialai.gov.vn"
DEPARTMENT_EMAIL = "vanphong@sct.gialai.gov.vn"


def unit_id(n: int, department: str = GL) -> str:
    return f"{department}/u{n:03d}"


def unit_email(n: int, department: str = GL) -> str:
    return f"u{n:03d}@{department}.gov.vn"


def gia_lai_plan(department: str = GL) -> CampaignLaunched:
    return CampaignLaunched.model_validate(
        {
            **GIA_LAI_2018_PLAN,
            "department_code": department,
            "campaign_id": f"{department}/2018/phat-dong",
        }
    )


def department(department: str = GL, *, board: bool = True) -> list[EventData]:
    facts: list[EventData] = [
        ProvinceRegistered(province_id="gia-lai", name="Gia Lai"),
        DepartmentRegistered(
            department_code=department,
            name="Sở Công Thương Gia Lai",
            province_id="gia-lai",
            ministry_id="bct",
        ),
        OrganisationContactSet(
            org_kind=OrgKind.DEPARTMENT, org_id=department, email=DEPARTMENT_EMAIL
        ),
    ]
    if board:
        facts.append(
            OrganisationContactSet(org_kind=OrgKind.PROVINCE, org_id="gia-lai", email=BOARD_EMAIL)
        )
    return facts


def units(count: int, department: str = GL) -> list[EventData]:
    facts: list[EventData] = []
    for n in range(1, count + 1):
        name = UNIT_NAMES[n - 1] if n <= len(UNIT_NAMES) else f"Đơn vị số {n}"
        facts.append(
            UnitEstablished(
                unit_id=unit_id(n, department),
                department_code=department,
                name=name,
                kind="section",
                established_on=date(2015, 1, 1),
            )
        )
        facts.append(
            OrganisationContactSet(
                org_kind=OrgKind.UNIT,
                org_id=unit_id(n, department),
                email=unit_email(n, department),
            )
        )
    return facts


def person(n: int, unit: int, name: str, department: str = GL) -> PersonJoined:
    return PersonJoined(
        person_id=f"{department}/p{n:03d}",
        department_code=department,
        unit_id=unit_id(unit, department),
        full_name=name,
        sex="female",
        joined_on=date(2010, 9, 1),
    )
