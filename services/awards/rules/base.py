"""The shape of the law in code: a rule, its parameters, a rule set with an effective period."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from contracts.common import RejectionReason, TitleCode
from services.awards.domain.facts import Facts
from thidua.es.rejections import Reason

Check = Callable[[Facts, "Params"], list[RejectionReason]]


def vn_date(day: date) -> str:
    """Dates in people-facing texts: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def refusal(code: str, message: str, field: str | None = None) -> list[RejectionReason]:
    return [RejectionReason(code=f"awards.{code}", message=message, field=field)]


def as_reasons(reasons: Iterable[RejectionReason]) -> list[Reason]:
    """Reasons of the law as the kernel's refusal carries them (``Refused(as_reasons(…))``)."""
    return [Reason(r.code, r.message, r.field, r.item) for r in reasons]


@dataclass(frozen=True)
class Params:
    """The numbers a rule set fixes (configurable data, not code)."""

    cstdcs_cap_percent: Decimal | None = None
    """NĐ 91/2017: CSTĐCS at most 15% of the LĐTT count; the 2022 law has no cap."""
    ttldtt_min_ldtt_percent: Decimal = Decimal(70)
    ttldtt_strictly_more: bool = False
    """Legacy TTLĐTT: *more than* 50% LĐTT; current: at least 70%."""
    ttldxs_min_ldtt_percent: Decimal = Decimal(70)
    vote_threshold_percent: dict[TitleCode, Decimal] = field(
        default_factory=lambda: {
            TitleCode.CSTDCS: Decimal(80),
            TitleCode.CO_THI_DUA: Decimal(80),
            TitleCode.CSTD_BO_TINH: Decimal(90),
            TitleCode.CSTD_TOAN_QUOC: Decimal(90),
        }
    )
    council_min_attendance_percent: Decimal = Decimal(80)
    cstd_bo_tinh_consecutive_cstdcs: int = 3
    cstd_bo_tinh_period_years: int = 3
    """A CSTĐ bộ/tỉnh title covers 3 years: two are consecutive when 3 years apart."""
    flag_topical_min_years: int = 3
    fund_cap_percent_lowland: Decimal | None = Decimal("1.0")
    """Quỹ thi đua, khen thưởng of a province's budget levels: at most this share of the
    level's regular expenditure (chi ngân sách thường xuyên) in lowland provinces and cities
    (NĐ 91/2017 Điều 65; NĐ 152/2025 Điều 46 khoản 3 điểm b). None: no ceiling."""
    fund_cap_percent_upland: Decimal | None = Decimal("1.5")
    """The same for upland, midland, Central Highlands, remote and island provinces."""


@dataclass(frozen=True)
class Rule:
    """One rule of DOMAIN.md §5, as a small named function; its docstring is the legal basis."""

    number: int
    titles: frozenset[TitleCode] | None
    check: Check

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def reference(self) -> str:
        return (self.check.__doc__ or "").strip().splitlines()[0]

    def applies_to(self, title: TitleCode) -> bool:
        return self.titles is None or title in self.titles

    def __call__(self, facts: Facts, params: Params) -> list[RejectionReason]:
        if not self.applies_to(facts.dossier.title):
            return []
        return self.check(facts, params)


def rule(number: int, *titles: TitleCode) -> Callable[[Check], Rule]:
    """Declare a rule: its number in DOMAIN.md §5 and the titles it concerns (none = all)."""

    def declare(check: Check) -> Rule:
        return Rule(number, frozenset(titles) if titles else None, check)

    return declare


@dataclass(frozen=True)
class RuleSet:
    """Eligibility and quota rules in force for a period of campaign years."""

    name: str
    basis: str
    valid_from: date
    valid_until: date | None
    params: Params
    rules: Sequence[Rule]

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Verdict:
    rule_set: str
    reasons: tuple[RejectionReason, ...]

    @property
    def approved(self) -> bool:
        return not self.reasons


def judge(facts: Facts, rule_set: RuleSet) -> Verdict:
    """Every rule of the set that concerns the title, all reasons collected (not the first)."""
    reasons: list[RejectionReason] = []
    for each in rule_set.rules:
        reasons.extend(each(facts, rule_set.params))
    return Verdict(rule_set.name, tuple(reasons))
