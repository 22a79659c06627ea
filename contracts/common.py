"""Value types shared by every contract: identifiers, texts, quantities, enumerations.

Enumerations are closed vocabularies: a value outside them fails validation. Adding a value
is additive (old payloads stay valid); removing one is a breaking change (a new version).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

# --- identifiers and texts -------------------------------------------------------------------

ENTITY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$"
DEPARTMENT_CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,48}$"

EntityId = Annotated[
    str,
    StringConstraints(pattern=ENTITY_ID_PATTERN),
    Field(description="Opaque identifier chosen by the producer; prefix with the department code."),
]
"""Aggregate and entity identifiers (units, people, campaigns, nominations, ...)."""

DepartmentCode = Annotated[
    str,
    StringConstraints(pattern=DEPARTMENT_CODE_PATTERN),
    Field(description="Department code, as in its ingress topic thidua.ingress.<code> (mã Sở)."),
]

DocumentNumber = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]+[/-]\S{1,80}$"),
    Field(
        description="Số hiệu văn bản, without spaces: e.g. 53/KH-SCT, 02/CT-UBND, 34-CT/TW.",
        examples=["53/KH-SCT"],
    ),
]

ReasonCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=100),
    Field(
        description="Stable machine-readable code, '<area>.<reason>', "
        "e.g. registration.deadline_passed.",
    ),
]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
"""Names: people, organisations, positions, indicators."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""Titles, themes, slogans, reasons."""

LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
"""Summaries and descriptions."""

FieldPath = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|[0-9]+))*$", max_length=200),
    Field(
        description="Dotted path of a field in the same payload, list items by index, "
        "e.g. period.end, phases.0.name.",
        examples=["period.end"],
    ),
]
"""A field of a payload, named from the payload's root."""

Email = Annotated[
    str,
    StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320),
    Field(description="Email address."),
]

# --- numbers ---------------------------------------------------------------------------------


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


Quantity = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number"}),
]
"""An exact decimal quantity, a JSON number on the wire (e.g. 19663, 8.76, -31.2)."""

NonNegativeQuantity = Annotated[
    Decimal,
    Field(ge=0, allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0}),
]

Percent = Annotated[
    Decimal,
    Field(ge=0, le=100, allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
"""A share in percent, 0 to 100 (e.g. 70 for ~70% of the delegates)."""

DurationDays = Annotated[
    Decimal,
    Field(gt=0, le=31, allow_inf_nan=False),
    PlainSerializer(_json_number, when_used="json"),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 31}),
]
"""How long something lasts, in days, at most a month (e.g. 0.5 for 1/2 ngày)."""

MAX_COUNT = 10_000_000
"""Counts of people, votes, staff: far above any real one, and within the read models'
``integer`` columns when summed (a headcount of 3 billion passed registration, and reporting
could not write it: asyncpg refuses it for an ``integer``, a poison record for its DLQ)."""
MAX_VND = 10**12
"""An amount in đồng: 1,000 billion, far above any award, summed within ``bigint``."""

Vnd = Annotated[
    int, Field(ge=0, le=MAX_VND, description="Amount in Vietnamese đồng (VND), integer.")
]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Year = Annotated[int, Field(ge=1945, le=2100)]

# --- enumerations ----------------------------------------------------------------------------


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


# --- shared value objects --------------------------------------------------------------------


class Value(BaseModel):
    """Base of nested value objects: immutable, unknown fields ignored (like EventData)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def field_at(model: BaseModel, path: str) -> object:
    """The value a :data:`FieldPath` names in ``model``; ``LookupError`` when it names a field
    the model does not have or an item its list does not hold."""
    value: object = model
    for part in path.split("."):
        if isinstance(value, BaseModel) and part in type(value).model_fields:
            value = getattr(value, part)
        elif isinstance(value, list | tuple) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise LookupError(path)
    return value


class RejectionReason(Value):
    """One reason for a refusal: a stable code, a Vietnamese message, the offending field."""

    code: ReasonCode
    message: Text = Field(description="Human-readable explanation, in Vietnamese.")
    field: str | None = Field(
        default=None, max_length=300, description="Dotted path of the offending field, if any."
    )
    item: str | None = Field(
        default=None,
        max_length=200,
        description="The item of the input this reason concerns, when the input lists several"
        " (a nomination id of a decision's or a council vote's list): a refusal names every"
        " refused item with its own reasons (issue 18).",
    )


class DocumentRef(Value):
    """A document referred to, e.g. a parent plan or directive (văn bản căn cứ)."""

    number: DocumentNumber | None = None
    issued_on: date | None = Field(default=None, description="Ngày ban hành.")
    issuer: ShortText = Field(description="Cơ quan ban hành, e.g. UBND tỉnh Bạc Liêu.")
    title: Text | None = Field(default=None, description="Trích yếu.")

    @model_validator(mode="after")
    def _identified(self) -> DocumentRef:
        if self.number is None and self.title is None:
            raise ValueError("a document needs a number or a title")
        return self


class OrgRef(Value):
    """An organisation by name, with its directory id when it has one."""

    org_id: EntityId | None = Field(default=None, description="Directory id, if registered.")
    name: ShortText
    abbreviation: str | None = Field(
        default=None, max_length=30, description="Short code used in document numbers, e.g. SCT."
    )


class Signer(Value):
    """Người ký: name and position; ``on_behalf_of`` for "KT." (ký thay) signatures."""

    name: ShortText
    position: ShortText = Field(description="Chức vụ, e.g. Phó Giám đốc.")
    on_behalf_of: ShortText | None = Field(
        default=None, description="Signing on behalf of (KT.), e.g. Giám đốc."
    )


class Person(Value):
    """A person named in a fact (author, member), with the directory id when known."""

    person_id: EntityId | None = None
    full_name: ShortText


class Period(Value):
    """A closed date interval; the end is not before the start."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("period ends before it starts")
        return self
