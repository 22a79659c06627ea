"""The law in pure code: one small named function per rule, grouped in rule sets with an
effective period (see rulesets.py), plus authority, money and procedure rules."""

from services.awards.rules.base import Params, Rule, RuleSet, Verdict, judge
from services.awards.rules.rulesets import (
    RULE_SETS,
    RULESET_2017,
    RULESET_2022,
    RULESET_2025,
    rule_set_for_year,
)

__all__ = [
    "RULESET_2017",
    "RULESET_2022",
    "RULESET_2025",
    "RULE_SETS",
    "Params",
    "Rule",
    "RuleSet",
    "Verdict",
    "judge",
    "rule_set_for_year",
]
