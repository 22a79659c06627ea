"""Enumerations shared by every contract: titles, ratings, kinds of units, levels, cases...

Enumerations are closed vocabularies: a value outside them fails validation. Adding a value
is additive (old payloads stay valid); removing one is a breaking change (a new version).
Apart from the scalar types and value objects because they are the domain's vocabulary (the
catalogue of DOMAIN.md §4 and its orders), read and extended on their own.
"""

from __future__ import annotations

from enum import StrEnum


class TitleCode(StrEnum):
    """Emulation titles and commendation forms (danh hiệu thi đua, hình thức khen thưởng).

    LDTT Lao động tiên tiến; CSTDCS Chiến sĩ thi đua cơ sở; CSTD_BO_TINH Chiến sĩ thi đua
    bộ/tỉnh; CSTD_TOAN_QUOC Chiến sĩ thi đua toàn quốc; TTLDTT Tập thể lao động tiên tiến;
    TTLDXS Tập thể lao động xuất sắc; CO_THI_DUA Cờ thi đua bộ/tỉnh; BANG_KHEN Bằng khen
    bộ/tỉnh; GIAY_KHEN Giấy khen.
    """

    LDTT = "LDTT"
    CSTDCS = "CSTDCS"
    CSTD_BO_TINH = "CSTD_BO_TINH"
    CSTD_TOAN_QUOC = "CSTD_TOAN_QUOC"
    TTLDTT = "TTLDTT"
    TTLDXS = "TTLDXS"
    CO_THI_DUA = "CO_THI_DUA"
    BANG_KHEN = "BANG_KHEN"
    GIAY_KHEN = "GIAY_KHEN"


INDIVIDUAL_TITLES = frozenset(
    {
        TitleCode.LDTT,
        TitleCode.CSTDCS,
        TitleCode.CSTD_BO_TINH,
        TitleCode.CSTD_TOAN_QUOC,
        TitleCode.BANG_KHEN,
        TitleCode.GIAY_KHEN,
    }
)
COLLECTIVE_TITLES = frozenset(
    {
        TitleCode.TTLDTT,
        TitleCode.TTLDXS,
        TitleCode.CO_THI_DUA,
        TitleCode.BANG_KHEN,
        TitleCode.GIAY_KHEN,
    }
)


class SubjectKind(StrEnum):
    """Individual (cá nhân) or collective (tập thể)."""

    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class Rating(StrEnum):
    """Yearly rating (xếp loại): excellent = hoàn thành xuất sắc nhiệm vụ (HTXSNV); good =
    hoàn thành tốt nhiệm vụ; completed = hoàn thành nhiệm vụ; not_completed = không hoàn
    thành nhiệm vụ."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


RATING_RANK = {Rating.NOT_COMPLETED: 0, Rating.COMPLETED: 1, Rating.GOOD: 2, Rating.EXCELLENT: 3}
"""Order of ratings: ``RATING_RANK[r] >= RATING_RANK[Rating.GOOD]`` means "good or better"."""


class Sex(StrEnum):
    """Giới tính."""

    FEMALE = "female"
    MALE = "male"


class UnitKind(StrEnum):
    """Kind of unit: section = phòng chuyên môn (incl. Văn phòng, Thanh tra Sở); attached_unit =
    đơn vị trực thuộc (chi cục, trung tâm); enterprise = doanh nghiệp; commune/ward = UBND xã/
    phường; city = UBND thành phố; mass_organisation = đoàn thể; other."""

    SECTION = "section"
    ATTACHED_UNIT = "attached_unit"
    ENTERPRISE = "enterprise"
    COMMUNE = "commune"
    WARD = "ward"
    CITY = "city"
    MASS_ORGANISATION = "mass_organisation"
    OTHER = "other"


class OrgLevel(StrEnum):
    """Administrative level of an organisation or body (cấp): unit (cơ sở), commune (xã/phường),
    city (thành phố), department (Sở), province (tỉnh), ministry (Bộ), central (trung ương)."""

    UNIT = "unit"
    COMMUNE = "commune"
    CITY = "city"
    DEPARTMENT = "department"
    PROVINCE = "province"
    MINISTRY = "ministry"
    CENTRAL = "central"


class AuthorityLevel(StrEnum):
    """Who signs an award decision (thẩm quyền): unit_head = thủ trưởng đơn vị;
    commune_chair = Chủ tịch UBND xã; department_director = Giám đốc Sở; provincial_chair =
    Chủ tịch UBND tỉnh; minister = Bộ trưởng; prime_minister = Thủ tướng; president = Chủ tịch
    nước."""

    UNIT_HEAD = "unit_head"
    COMMUNE_CHAIR = "commune_chair"
    DEPARTMENT_DIRECTOR = "department_director"
    PROVINCIAL_CHAIR = "provincial_chair"
    MINISTER = "minister"
    PRIME_MINISTER = "prime_minister"
    PRESIDENT = "president"


class PlanDocumentKind(StrEnum):
    """KH = Kế hoạch (plan); CT = Chỉ thị (directive)."""

    KH = "KH"
    CT = "CT"


class CampaignKind(StrEnum):
    """regular = thường xuyên (hằng năm); topical = chuyên đề; by_wave = theo đợt."""

    REGULAR = "regular"
    TOPICAL = "topical"
    BY_WAVE = "by_wave"


class InitiativeKind(StrEnum):
    """Sáng kiến: technical = giải pháp kỹ thuật / cải tiến kỹ thuật; management = giải pháp
    quản lý; operational = giải pháp tác nghiệp; applied_technology = ứng dụng tiến bộ kỹ
    thuật."""

    TECHNICAL = "technical"
    MANAGEMENT = "management"
    OPERATIONAL = "operational"
    APPLIED_TECHNOLOGY = "applied_technology"


class Scope(StrEnum):
    """Scope of effect or level of recognition (phạm vi ảnh hưởng / cấp công nhận): unit = cơ
    sở; ministry_province = cấp bộ, ban, ngành, tỉnh; national = toàn quốc."""

    UNIT = "unit"
    MINISTRY_PROVINCE = "ministry_province"
    NATIONAL = "national"


class DisciplineLevel(StrEnum):
    """Hình thức kỷ luật, mildest first: reprimand = khiển trách; warning = cảnh cáo;
    salary_downgrade = hạ bậc lương; demotion = giáng chức; removal = cách chức; dismissal =
    buộc thôi việc."""

    REPRIMAND = "reprimand"
    WARNING = "warning"
    SALARY_DOWNGRADE = "salary_downgrade"
    DEMOTION = "demotion"
    REMOVAL = "removal"
    DISMISSAL = "dismissal"


DISCIPLINE_RANK = {level: rank for rank, level in enumerate(DisciplineLevel)}
"""Severity: ``DISCIPLINE_RANK[x] >= DISCIPLINE_RANK[DisciplineLevel.WARNING]`` means
"cảnh cáo or above"."""


class CaseKind(StrEnum):
    """discipline = xem xét kỷ luật; investigation = điều tra / thanh tra; complaint = khiếu
    nại, tố cáo. An open case suspends nominations of its subject."""

    DISCIPLINE = "discipline"
    INVESTIGATION = "investigation"
    COMPLAINT = "complaint"


class CaseOutcome(StrEnum):
    """How a case ended: substantiated = có vi phạm / đúng; unsubstantiated = không có vi phạm /
    sai; withdrawn = rút đơn, đình chỉ."""

    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"
    WITHDRAWN = "withdrawn"


class OrgKind(StrEnum):
    """Kind of organisation in the directory."""

    MINISTRY = "ministry"
    PROVINCE = "province"
    DEPARTMENT = "department"
    UNIT = "unit"
    BLOC = "bloc"


class CouncilLevel(StrEnum):
    """Level of the emulation council (Hội đồng thi đua - khen thưởng) that votes."""

    UNIT = "unit"
    DEPARTMENT = "department"
    PROVINCE = "province"
    MINISTRY = "ministry"
    CENTRAL = "central"


class AwardMethod(StrEnum):
    """Hình thức xét khen: regular = thường xuyên (theo công trạng, thành tích năm); topical =
    theo chuyên đề; sudden = đột xuất; dedication = quá trình cống hiến; external = đối ngoại.
    Topical and sudden awards never satisfy prerequisites of merit awards."""

    REGULAR = "regular"
    TOPICAL = "topical"
    SUDDEN = "sudden"
    DEDICATION = "dedication"
    EXTERNAL = "external"


class Comparator(StrEnum):
    """gte = at least (≥, "trở lên"); eq = exactly; lte = at most."""

    GTE = "gte"
    EQ = "eq"
    LTE = "lte"


class TargetMeasure(StrEnum):
    """percent = a percentage of the basis; count = an absolute number."""

    PERCENT = "percent"
    COUNT = "count"


class TargetBasis(StrEnum):
    """What a percentage target counts over: all_staff = all CBCCVCLĐ; staff_excluding_leaders
    = leaders not counted (lãnh đạo không tính vào tỷ lệ); units = sections and attached units
    (đơn vị cấp phòng và trực thuộc); organisation = the issuing organisation itself."""

    ALL_STAFF = "all_staff"
    STAFF_EXCLUDING_LEADERS = "staff_excluding_leaders"
    UNITS = "units"
    ORGANISATION = "organisation"
