"""The organisations of the scenario: Gia Lai's departments (the main province) and the other
seed documents' departments, with their sections and attached units.

Gia Lai's Sở Công Thương is the department of the 2018 seed plan; the other Gia Lai departments
are added so that the province rollup has several departments. Names follow the usual
organisation of a Sở; people are generated (see ``departments.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios import seeds

MINISTRIES: tuple[tuple[str, str, str], ...] = (
    *seeds.MINISTRIES,
    ("btc", "Bộ Tài chính", "tai-chinh"),
    ("bxd", "Bộ Xây dựng", "xay-dung"),
)
PROVINCES = seeds.PROVINCES
MAIN_PROVINCE = "gia-lai"


@dataclass(frozen=True)
class UnitSpec:
    local: str
    name: str
    kind: str


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    province: str
    ministry: str
    abbreviation: str
    units: tuple[UnitSpec, ...]
    weight: int = 1
    """Share of the generated staff (Gia Lai departments only)."""


def _units(*rows: tuple[str, str, str]) -> tuple[UnitSpec, ...]:
    return tuple(UnitSpec(local, name, kind) for local, name, kind in rows)


_BOARD = ("bgd", "Ban Giám đốc Sở", "other")
_OFFICE = ("vp", "Văn phòng Sở", "section")
_INSPECTION = ("thanh-tra", "Thanh tra Sở", "section")

GIA_LAI_DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        seeds.GIA_LAI,
        "Sở Công Thương Gia Lai",
        "gia-lai",
        "bct",
        "SCT",
        _units(
            _BOARD,
            _OFFICE,
            _INSPECTION,
            ("p-khtc", "Phòng Kế hoạch - Tài chính", "section"),
            ("p-qlcn", "Phòng Quản lý Công nghiệp", "section"),
            ("p-qltm", "Phòng Quản lý Thương mại", "section"),
            ("p-qlnl", "Phòng Quản lý Năng lượng", "section"),
            ("qltt", "Chi cục Quản lý thị trường", "attached_unit"),
            ("ttkc", "Trung tâm Khuyến công và Xúc tiến thương mại", "attached_unit"),
        ),
        weight=4,
    ),
    DepartmentSpec(
        "stc-gialai",
        "Sở Tài chính Gia Lai",
        "gia-lai",
        "btc",
        "STC",
        _units(
            _BOARD,
            _OFFICE,
            _INSPECTION,
            ("p-qlns", "Phòng Quản lý Ngân sách", "section"),
            ("p-tchcsn", "Phòng Tài chính Hành chính sự nghiệp", "section"),
            ("p-qlgcs", "Phòng Quản lý Giá và Công sản", "section"),
        ),
        weight=2,
    ),
    DepartmentSpec(
        "sxd-gialai",
        "Sở Xây dựng Gia Lai",
        "gia-lai",
        "bxd",
        "SXD",
        _units(
            _BOARD,
            _OFFICE,
            _INSPECTION,
            ("p-qlxd", "Phòng Quản lý xây dựng", "section"),
            ("p-qhkt", "Phòng Quy hoạch - Kiến trúc", "section"),
            ("tt-kdcl", "Trung tâm Kiểm định chất lượng xây dựng", "attached_unit"),
        ),
        weight=2,
    ),
    DepartmentSpec(
        "snv-gialai",
        "Sở Nội vụ Gia Lai",
        "gia-lai",
        "bnv",
        "SNV",
        _units(
            _BOARD,
            _OFFICE,
            _INSPECTION,
            ("p-tccb", "Phòng Tổ chức, biên chế", "section"),
            ("ban-tdkt", "Ban Thi đua - Khen thưởng", "attached_unit"),
            ("cc-vtlt", "Chi cục Văn thư - Lưu trữ", "attached_unit"),
        ),
        weight=2,
    ),
    DepartmentSpec(
        "skhcn-gialai",
        "Sở Khoa học và Công nghệ Gia Lai",
        "gia-lai",
        "bkhcn",
        "SKHCN",
        _units(
            _BOARD,
            _OFFICE,
            _INSPECTION,
            ("p-qlkh", "Phòng Quản lý Khoa học", "section"),
            ("cc-tdc", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "attached_unit"),
            ("tt-ud", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "attached_unit"),
        ),
        weight=1,
    ),
)

OTHER_DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        seeds.BAC_LIEU,
        "Sở Công Thương Bạc Liêu",
        "bac-lieu",
        "bct",
        "SCT",
        _units(
            _BOARD,
            _OFFICE,
            _INSPECTION,
            ("p-qlcn", "Phòng Quản lý Công nghiệp", "section"),
            ("p-qltm", "Phòng Quản lý Thương mại", "section"),
            ("ttkc", "Trung tâm Khuyến công và Xúc tiến thương mại", "attached_unit"),
        ),
    ),
    DepartmentSpec(
        seeds.BAC_LIEU_CITY,
        "Ủy ban nhân dân thành phố Bạc Liêu",
        "bac-lieu",
        "bnv",
        "UBND",
        _units(
            ("p-kt", "Phòng Kinh tế", "section"),
            ("p-nv", "Phòng Nội vụ", "section"),
            ("phuong-1", "Ủy ban nhân dân Phường 1", "ward"),
            ("xa-hiep-thanh", "Ủy ban nhân dân xã Hiệp Thành", "commune"),
        ),
    ),
    DepartmentSpec(
        seeds.THAI_NGUYEN,
        "Sở Khoa học và Công nghệ Thái Nguyên",
        "thai-nguyen",
        "bkhcn",
        "KHCN",
        _units(
            _BOARD,
            _OFFICE,
            ("p-qlkh", "Phòng Quản lý Khoa học", "section"),
            ("ttud", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "attached_unit"),
        ),
    ),
    DepartmentSpec(
        seeds.KHANH_HOA,
        "Sở Công Thương Khánh Hòa",
        "khanh-hoa",
        "bct",
        "SCT",
        _units(
            _BOARD,
            _OFFICE,
            ("p-qlcn", "Phòng Quản lý Công nghiệp", "section"),
            ("ttkc", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp", "attached_unit"),
            ("dn-01", "Doanh nghiệp ngoài nhà nước số 1 (minh họa)", "enterprise"),
            ("dn-02", "Doanh nghiệp ngoài nhà nước số 2 (minh họa)", "enterprise"),
        ),
    ),
)

FAMILY_NAMES: tuple[str, ...] = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
)
FAMILY_NAMES += ("Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đào", "Rơ Châm", "Ksor")
MIDDLE_NAMES = {"female": ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ"), "male": ("Văn", "Đức", "Minh")}
GIVEN_NAMES = {
    "female": ("Lan", "Hoa", "Mai", "Hương", "Nguyệt", "Hạnh", "Thảo", "Trang", "Yến", "H'Hen"),
    "male": ("Minh", "Hùng", "Sơn", "Dũng", "Tuấn", "Nam", "Bình", "Phúc", "Quang", "Y Blăk"),
}
