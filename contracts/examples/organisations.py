"""Examples of registration's directory: ministries, provinces, departments and units, their
changes over time (the restructuring of 2025 under Nghị quyết 176 and 202/2025/QH15), blocs,
people and contacts.

Apart from the campaign examples as ``contracts.registration`` keeps its directory apart from
its campaigns; ``contracts.examples.EXAMPLES`` joins them.
"""

from __future__ import annotations

from contracts import registration
from contracts.base import EventData
from contracts.examples.shared import BL, GL, Json

_RESOLUTION_202: Json = {
    "number": "202/2025/QH15",
    "issued_on": "2025-06-12",
    "issuer": "Quốc hội",
    "title": "Về việc sắp xếp đơn vị hành chính cấp tỉnh",
}
_RESTRUCTURING_2025_MINISTRIES: Json = {
    "number": "176/2025/QH15",
    "issued_on": "2025-02-18",
    "issuer": "Quốc hội",
    "title": "Về cơ cấu tổ chức của Chính phủ nhiệm kỳ Khóa XV",
}

ORGANISATION_EXAMPLES: dict[type[EventData], list[Json]] = {
    registration.MinistryRegistered: [
        {"ministry_id": "bct", "name": "Bộ Công Thương", "sector_code": "cong-thuong"}
    ],
    registration.ProvinceRegistered: [{"province_id": "gia-lai", "name": "Gia Lai"}],
    registration.DepartmentRegistered: [
        {
            "department_code": GL,
            "name": "Sở Công Thương Gia Lai",
            "province_id": "gia-lai",
            "ministry_id": "bct",
        }
    ],
    registration.MinistryRenamed: [
        {
            "ministry_id": "bnn",
            "name": "Bộ Nông nghiệp và Môi trường",
            "effective_on": "2025-03-01",
            "legal_basis": _RESTRUCTURING_2025_MINISTRIES,
        }
    ],
    registration.MinistryMerged: [
        {
            "ministry_id": "bkhdt",
            "into_ministry_id": "btc",
            "effective_on": "2025-03-01",
            "legal_basis": _RESTRUCTURING_2025_MINISTRIES,
        }
    ],
    registration.MinistryDissolved: [
        {"ministry_id": "bkhdt", "effective_on": "2025-03-01", "reason": "Sắp xếp tổ chức bộ máy"}
    ],
    registration.ProvinceRenamed: [
        {"province_id": "gia-lai", "name": "Gia Lai", "effective_on": "2025-07-01"}
    ],
    registration.ProvinceMerged: [
        {
            "province_id": "bac-lieu",
            "into_province_id": "ca-mau",
            "effective_on": "2025-07-01",
            "legal_basis": _RESOLUTION_202,
        }
    ],
    registration.ProvinceDissolved: [
        {"province_id": "bac-lieu", "effective_on": "2025-07-01", "legal_basis": _RESOLUTION_202}
    ],
    registration.DepartmentRenamed: [
        {
            "department_code": "snn-gialai",
            "name": "Sở Nông nghiệp và Môi trường Gia Lai",
            "effective_on": "2025-03-01",
        }
    ],
    registration.DepartmentMerged: [
        {
            "department_code": BL,
            "into_department_code": "sct-camau",
            "effective_on": "2025-07-01",
            "legal_basis": _RESOLUTION_202,
        }
    ],
    registration.DepartmentDissolved: [
        {"department_code": "skhdt-gialai", "effective_on": "2025-03-01"}
    ],
    registration.UnitTransferred: [
        {
            "unit_id": "sct-baclieu/qltt",
            "from_department_code": BL,
            "to_department_code": "sct-camau",
            "effective_on": "2025-07-01",
        }
    ],
    registration.CampaignTransferred: [
        {
            "campaign_id": "sct-baclieu/2025/phat-dong",
            "from_department_code": BL,
            "to_department_code": "sct-camau",
            "effective_on": "2025-07-01",
        }
    ],
    registration.UnitEstablished: [
        {
            "unit_id": "sct-gialai/qltt",
            "department_code": GL,
            "name": "Chi cục Quản lý thị trường",
            "kind": "attached_unit",
            "established_on": "2015-01-01",
        }
    ],
    registration.UnitRenamed: [
        {
            "unit_id": "sct-gialai/qltt",
            "name": "Cục Quản lý thị trường tỉnh Gia Lai",
            "effective_on": "2019-01-01",
        }
    ],
    registration.UnitMerged: [
        {
            "unit_id": "sct-gialai/p-qlnl",
            "into_unit_id": "sct-gialai/p-qlcn",
            "effective_on": "2025-07-01",
        }
    ],
    registration.UnitDissolved: [
        {
            "unit_id": "sct-gialai/p-qlnl",
            "effective_on": "2025-07-01",
            "reason": "Sắp xếp tổ chức bộ máy",
        }
    ],
    registration.BlocFormed: [
        {
            "bloc_id": "gia-lai/khoi-kinh-te",
            "name": "Khối thi đua các sở, ngành kinh tế tỉnh",
            "organiser": {"name": "Ủy ban nhân dân tỉnh Gia Lai"},
            "level": "province",
            "members": [{"member_kind": "department", "member_id": GL}],
            "formed_on": "2018-01-02",
        }
    ],
    registration.BlocRanked: [
        {
            "bloc_id": "gia-lai/khoi-kinh-te",
            "year": 2018,
            "ranked_on": "2018-12-15",
            "ranking": [
                {"member_kind": "department", "member_id": "sct-gialai", "rank": 1, "score": 96.5},
                {"member_kind": "department", "member_id": "skhdt-gialai", "rank": 2},
            ],
        }
    ],
    registration.BlocLeaderDesignated: [
        {
            "bloc_id": "gia-lai/khoi-kinh-te",
            "year": 2018,
            "leader": {"member_kind": "department", "member_id": GL},
            "designated_on": "2018-01-15",
        }
    ],
    registration.PersonJoined: [
        {
            "person_id": "sct-gialai/p-0042",
            "department_code": GL,
            "unit_id": "sct-gialai/vp",
            "full_name": "Nguyễn Thị Lan",
            "sex": "female",
            "birth_year": 1985,
            "position": "Chuyên viên",
            "is_leader": False,
            "is_direct_worker": False,
            "joined_on": "2010-09-01",
        }
    ],
    registration.PersonTransferred: [
        {
            "person_id": "sct-gialai/p-0042",
            "from_unit_id": "sct-gialai/vp",
            "to_unit_id": "sct-gialai/p-qlcn",
            "effective_on": "2018-04-01",
        }
    ],
    registration.PersonRoleChanged: [
        {
            "person_id": "sct-gialai/p-0042",
            "position": "Phó Trưởng phòng",
            "is_leader": True,
            "is_direct_worker": False,
            "effective_on": "2019-01-01",
        }
    ],
    registration.PersonLeft: [
        {
            "person_id": "sct-gialai/p-0042",
            "unit_id": "sct-gialai/p-qlcn",
            "left_on": "2040-06-30",
            "reason": "retired",
        }
    ],
    registration.OrganisationContactSet: [
        {
            "org_kind": "department",
            "org_id": GL,
            "email": "vanphong@sct.gialai.gov.vn",
            "webhook_url": "https://tdkt.sct.gialai.gov.vn/thidua/webhook",
        }
    ],
}
