"""The rule sets with their effective periods; a nomination is judged by the set in force for
its campaign year (on 31/12 of that year), DOMAIN.md §1."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.awards.rules import collective, individual
from services.awards.rules.base import Params, Rule, RuleSet

COMMON_RULES: tuple[Rule, ...] = (
    individual.registered_for_the_year,
    individual.ldtt_needs_good_rating,
    individual.cstdcs_needs_ldtt,
    individual.cstdcs_needs_evidence,
    individual.cstd_bo_tinh_needs_three_cstdcs,
    individual.cstd_toan_quoc_needs_two_cstd_bo_tinh,
    individual.initiative_supports_one_award,
    individual.one_award_per_achievement,
    individual.council_vote_threshold,
    individual.not_under_case_or_discipline,
    individual.bang_khen_individual_merit,
    individual.giay_khen_needs_good_rating,
    collective.ttldxs_members,
    collective.ttldtt_members,
    collective.flag_for_bloc_leader,
)

RULESET_2017 = RuleSet(
    name="nd-91-2017",
    basis="Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013); Nghị định 91/2017/NĐ-CP",
    valid_from=date(1, 1, 1),  # the oldest set here: also applied to years before 31/07/2017
    valid_until=date(2023, 12, 31),
    params=Params(
        cstdcs_cap_percent=Decimal(15),
        ttldtt_min_ldtt_percent=Decimal(50),
        ttldtt_strictly_more=True,
    ),
    rules=(*COMMON_RULES, individual.cstdcs_within_cap),
)

RULESET_2022 = RuleSet(
    name="luat-06-2022/nd-98-2023",
    basis="Luật Thi đua, Khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
    valid_from=date(2024, 1, 1),
    valid_until=date(2025, 6, 30),
    params=Params(),
    rules=COMMON_RULES,
)

RULESET_2025 = RuleSet(
    name="luat-06-2022/nd-152-2025",
    basis="Luật Thi đua, Khen thưởng 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
    valid_from=date(2025, 7, 1),
    valid_until=None,
    params=Params(),
    rules=COMMON_RULES,
)

RULE_SETS: tuple[RuleSet, ...] = (RULESET_2017, RULESET_2022, RULESET_2025)


def rule_set_for_year(year: int) -> RuleSet:
    """The rule set in force at the end of the campaign year."""
    end = date(year, 12, 31)
    for rule_set in RULE_SETS:
        if rule_set.in_force_on(end):
            return rule_set
    raise LookupError(f"no rule set in force on {end}")  # unreachable: the last is open-ended
