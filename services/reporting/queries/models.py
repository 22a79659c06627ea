"""What the queries answer: the rollup of a scope and its parts, the events behind a figure,
the choices of the dashboard (response models of the API)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

SCOPE_LABELS = {"unit": "Đơn vị", "department": "Sở", "province": "Tỉnh", "ministry": "Bộ"}


def vn_date(day: date | None) -> str | None:
    return day.strftime("%d/%m/%Y") if day else None


class ScopeRef(BaseModel):
    kind: str
    id: str
    name: str
    label: str


class Staff(BaseModel):
    staff: int
    women: int
    leaders: int
    non_leaders: int
    units: int


class Registrations(BaseModel):
    units: int
    units_on_time: int
    individuals: int
    individuals_on_time: int
    individuals_women: int
    share_of_staff_percent: Decimal | None
    women_percent: Decimal | None


class Recognized(BaseModel):
    kind: str
    level: str
    count: int


class Initiatives(BaseModel):
    submitted: dict[str, int]
    recognized: list[Recognized]
    rejected: dict[str, int]
    withdrawn: dict[str, int] = {}


class Research(BaseModel):
    """Accepted research topics (nghiệm thu đề tài) by level, and those withdrawn."""

    accepted: dict[str, int]
    withdrawn: dict[str, int]


class Conferences(BaseModel):
    """Conferences held (hội nghị điển hình tiên tiến, đại hội thi đua) by kind|level, their
    delegates, and their reports (DOMAIN rule 25: due 14 days after, Khánh Hòa 2020)."""

    held: dict[str, int]
    delegates: int
    exemplary_delegates: int = 0
    guest_delegates: int = 0
    exemplary_share_percent: Decimal | None = Field(
        default=None, description="Exemplary delegates of all delegates, in percent."
    )
    reports_on_time: int = Field(default=0, description="Reported by the conference's due date.")
    reports_late: int = Field(default=0, description="Reported after the due date.")
    reports_outstanding: int = Field(default=0, description="Held, not reported (yet).")


class Dossiers(BaseModel):
    received: int
    late: int
    late_override: int
    returned: int
    returned_late: int
    return_reasons: dict[str, int]
    withdrawn: int = 0


class TitleAwards(BaseModel):
    title: str
    label: str
    count: int
    individuals: int
    collectives: int
    women: int
    non_leaders: int
    revoked: int
    cash_vnd: int
    share_of_staff_percent: Decimal | None
    flagged_for_review: int = 0


class ProcessingDays(BaseModel):
    """Days from a dossier's reception to its decision (or its rejection at the vote), per
    title: the dossiers decided in the year, their average and the longest (issue 17)."""

    title: str
    label: str
    dossiers: int
    average_days: Decimal | None
    max_days: int | None


class VoteResults(BaseModel):
    """Council votes on the nominations of a title: how many reached the share of all members
    the law requires (Quy tắc 15), how many fell below it, and the average yes share."""

    title: str
    label: str
    voted: int
    reached: int
    below: int
    average_yes_percent: Decimal | None


class BlocRank(BaseModel):
    rank: int
    member_kind: str
    member_id: str
    name: str
    score: Decimal | None


class BlocStanding(BaseModel):
    """An emulation bloc's ranking for the year, published by the board (issue 17): its
    leader (Trưởng khối, the first) and whether the leader was awarded the flag that year."""

    bloc_id: str
    name: str
    ranked_on: date
    ranked_on_label: str
    leader_id: str
    leader_name: str
    flag_awarded: bool
    ranking: list[BlocRank]


class AttainmentRow(BaseModel):
    department_code: str
    campaign_id: str
    title: str
    label: str
    measure: str
    basis: str
    comparator: str
    target: Decimal
    numerator: int
    denominator: int | None
    actual: Decimal | None
    attainment_percent: Decimal | None
    met: bool | None


class EconomicLine(BaseModel):
    """A plan's economic target and the result that measures it (issue 17): the latest-ending
    period reported; None while nothing is reported. Percentages: ``services.reporting.economy``."""

    department_code: str
    campaign_id: str
    indicator: str
    unit_of_measure: str
    target: Decimal
    target_growth_percent: Decimal | None
    actual: Decimal | None
    period_start: date | None
    period_end: date | None
    period_label: str | None
    note: str | None
    attained_percent: Decimal | None
    growth_percent: Decimal | None


class EconomicTotal(BaseModel):
    """Like indicators in like units summed over the scope's departments that reported."""

    indicator: str
    unit_of_measure: str
    planned: int
    """Departments whose plans set the target."""
    reported: int
    """Of those, departments that reported a result."""
    planned_target: Decimal
    target: Decimal
    """The targets of the departments that reported (what ``actual`` is measured against)."""
    actual: Decimal | None
    attained_percent: Decimal | None
    growth_percent: Decimal | None


class Economy(BaseModel):
    """Chỉ tiêu kinh tế: kế hoạch / thực hiện / đạt % / tăng trưởng."""

    lines: list[EconomicLine] = []
    totals: list[EconomicTotal] = []


class Child(BaseModel):
    kind: str
    id: str
    name: str
    registrations: int
    awards: int
    cash_vnd: int
    origin: str | None = None
    """With predecessors: the former organisation this part came from (None: the scope's own)."""
    origin_label: str | None = None
    """E.g. "gồm tỉnh Bạc Liêu cũ"."""


class Former(BaseModel):
    """An organisation merged (directly or through others) into the scope: its predecessor."""

    kind: str
    id: str
    name: str
    into: str
    """The organisation it merged into directly."""
    merged_on: date
    merged_on_label: str
    legal_basis: str | None
    label: str
    """"gồm tỉnh Bạc Liêu cũ"."""


class MergedInto(BaseModel):
    """The successor of a merged-away scope (at the end of its chain of mergers)."""

    kind: str
    id: str
    name: str
    on: date
    on_label: str
    legal_basis: str | None
    label: str
    """"đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025"."""


class Part(BaseModel):
    """With predecessors: the share of the scope's figures of the scope itself or of one
    former organisation (the parts sum to the whole)."""

    id: str
    name: str
    origin_label: str | None
    registrations: int
    awards: int
    cash_vnd: int
    staff: int


class OrgChoice(BaseModel):
    """A province or a ministry in the list: today's, with the former ones merged into it."""

    id: str
    name: str
    current: bool
    note: str | None = None
    """Why it is not current: "đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025"."""
    successor_id: str | None = None
    formers: list[OrgChoice] = []


class Rollup(BaseModel):
    scope: ScopeRef
    year: int
    campaign_id: str | None
    as_of: date | None
    as_of_label: str | None
    reference_date: date
    staff: Staff
    registrations: Registrations
    initiatives: Initiatives
    nominations: dict[str, dict[str, int]]
    dossiers: Dossiers
    awards: list[TitleAwards]
    cash_vnd: int
    women_percent_of_individual_awards: Decimal | None
    exemplary_models: int
    exemplary_models_withdrawn: int = 0
    discipline: dict[str, int]
    discipline_lifted: dict[str, int] = {}
    ratings: dict[str, dict[str, int]] = {}
    """Subject kind (individual, collective) → rating → count (đánh giá, xếp loại)."""
    research: Research = Research(accepted={}, withdrawn={})
    conferences: Conferences = Conferences(held={}, delegates=0)
    awards_flagged_for_review: int = 0
    direct_worker_awards: int = 0
    """Individual awards to people working directly in production or work (issue 17)."""
    direct_workers_percent_of_individual_awards: Decimal | None = None
    processing_days: list[ProcessingDays] = []
    votes: list[VoteResults] = []
    blocs: list[BlocStanding] = []
    """A province's emulation blocs ranked for the year (blocs with a member in it)."""
    attainment: list[AttainmentRow]
    economy: Economy = Economy()
    """Economic targets against results (issue 17): per department's plan, and summed."""
    periods: dict[str, dict[str, int]]
    children: list[Child]
    with_predecessors: bool = False
    """Whether the figures include those of the former organisations (``predecessors``)."""
    predecessors: list[Former] = []
    """The former organisations merged into the scope (included only ``with_predecessors``)."""
    parts: list[Part] = []
    """With predecessors: the scope's own share, then each former organisation's."""
    merged_into: MergedInto | None = None
    """The scope's successor, if it has merged away."""


class FactRef(BaseModel):
    event_id: str
    type: str
    figure: str
    key: str
    count: int
    amount: int
    effective_on: date
    effective_label: str


class Choice(BaseModel):
    id: str
    name: str


class Lineage(BaseModel):
    """Where a department or a unit sits: its department, province and ministry."""

    department_code: str | None = None
    department_name: str | None = None
    province_id: str | None = None
    province_name: str | None = None
    ministry_id: str | None = None
    ministry_name: str | None = None
