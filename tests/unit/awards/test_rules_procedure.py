"""The rules of DOMAIN.md §5 that awards implements on the procedure, the signer's authority
and the money (3, 16, 20, 22, 23), and the rule sets that hold every rule (which one a
campaign year follows, judging with all of them): one accepting and one refusing story."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from contracts.common import AuthorityLevel, CouncilLevel, OrgLevel, Rating, TitleCode
from services.awards.domain.facts import Ballot, Quota
from services.awards.rules import RULESET_2017, RULESET_2022, RULESET_2025, judge, rule_set_for_year
from services.awards.rules.authority import signer_may_decide
from services.awards.rules.money import base_salary_on, cash_for
from services.awards.rules.procedure import (
    Candidate,
    award_order,
    council_may_decide,
    dossier_on_time,
)
from tests.unit.awards.builders import P17, codes, dossier, facts, held

T = TitleCode


# --- rule sets ---------------------------------------------------------------------------------


def test_the_rule_set_follows_the_campaign_year() -> None:
    assert rule_set_for_year(2018) is RULESET_2017
    assert rule_set_for_year(2023) is RULESET_2017
    assert rule_set_for_year(2024) is RULESET_2022
    assert rule_set_for_year(2025) is RULESET_2025


def test_every_rule_names_its_legal_basis() -> None:
    for rule_set in (RULESET_2017, RULESET_2022):
        for each in rule_set.rules:
            assert each.reference and ("Luật" in each.reference or "NĐ" in each.reference), (
                each.name
            )


# --- 3 -------------------------------------------------------------------------------------------


def test_3_dossier_on_time_is_received() -> None:
    assert dossier_on_time(dossier(received_on=date(2018, 12, 10)), date(2018, 12, 10)) == []


def test_3_late_dossier_is_returned() -> None:
    reasons = dossier_on_time(dossier(received_on=date(2018, 12, 11)), date(2018, 12, 10))
    assert codes(reasons) == {"awards.dossier_late"}
    assert "11/12/2018" in reasons[0].message and "10/12/2018" in reasons[0].message


def test_3_late_dossier_with_recorded_override_is_received() -> None:
    late = dossier(
        received_on=date(2018, 12, 12),
        late_override={"reason": "Gửi qua bưu điện đúng hạn", "approved_by": "Chánh Văn phòng"},
    )
    assert dossier_on_time(late, date(2018, 12, 10)) == []


# --- 16 ------------------------------------------------------------------------------------------


def test_16_provincial_council_with_80_percent_present_may_decide() -> None:
    assert council_may_decide(CouncilLevel.PROVINCE, 15, 12, P17) == []
    assert council_may_decide(CouncilLevel.DEPARTMENT, 15, 5, P17) == []


def test_16_provincial_council_under_80_percent_cannot_decide() -> None:
    assert codes(council_may_decide(CouncilLevel.PROVINCE, 15, 11, P17)) == {
        "awards.council_quorum_not_met"
    }


# --- 20 ------------------------------------------------------------------------------------------


def test_20_on_equal_votes_women_come_first_and_prerequisites_before_all() -> None:
    man = Candidate("a-man", T.CSTDCS, Fraction(8, 9), woman=False)
    woman = Candidate("z-woman", T.CSTDCS, Fraction(8, 9), woman=True)
    better = Candidate("b-man", T.CSTDCS, Fraction(9, 9), woman=False)
    ldtt = Candidate("y-ldtt", T.LDTT)
    assert [x.nomination_id for x in award_order([man, woman, better, ldtt])] == [
        "y-ldtt",
        "b-man",
        "z-woman",
        "a-man",
    ]


# --- 22 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", [T.LDTT, T.CSTDCS, T.TTLDTT, T.GIAY_KHEN])
def test_22_director_signs_the_department_titles(title: TitleCode) -> None:
    assert signer_may_decide(AuthorityLevel.DEPARTMENT_DIRECTOR, title, None, "f") == []


@pytest.mark.parametrize(
    "title", [T.TTLDXS, T.BANG_KHEN, T.CO_THI_DUA, T.CSTD_BO_TINH, T.CSTD_TOAN_QUOC]
)
def test_22_director_cannot_sign_titles_above_the_department(title: TitleCode) -> None:
    reasons = signer_may_decide(AuthorityLevel.DEPARTMENT_DIRECTOR, title, OrgLevel.PROVINCE, "f")
    assert codes(reasons) == {"awards.authority_exceeded"}


def test_22_provincial_chair_signs_ttldxs_and_provincial_forms() -> None:
    for title in (T.TTLDXS, T.BANG_KHEN, T.CO_THI_DUA, T.CSTD_BO_TINH):
        assert (
            signer_may_decide(AuthorityLevel.PROVINCIAL_CHAIR, title, OrgLevel.PROVINCE, "f") == []
        )
    assert signer_may_decide(AuthorityLevel.PROVINCIAL_CHAIR, T.BANG_KHEN, OrgLevel.MINISTRY, "f")


# --- 23 ------------------------------------------------------------------------------------------


def test_23_base_salary_in_force_on_the_decision_date() -> None:
    assert base_salary_on(date(2018, 6, 30)) == 1_300_000
    assert base_salary_on(date(2018, 12, 25)) == 1_390_000
    assert base_salary_on(date(2024, 7, 1)) == 2_340_000


def test_23_cash_is_coefficient_times_base_salary() -> None:
    assert cash_for(T.LDTT, date(2018, 12, 25)) == (417_000, Decimal("0.3"), 1_390_000)
    assert cash_for(T.CO_THI_DUA, date(2025, 1, 10)) == (18_720_000, Decimal("8.0"), 2_340_000)


# --- the whole set -------------------------------------------------------------------------------


def test_judging_collects_every_reason_not_just_the_first() -> None:
    f = facts(T.CSTDCS, registered=False, rating=Rating.GOOD)
    verdict = judge(f, RULESET_2017)
    assert not verdict.approved
    assert {
        "awards.not_registered",
        "awards.cstdcs_without_ldtt",
        "awards.cstdcs_without_evidence",
        "awards.vote_missing",
        "awards.cstdcs_cap_exceeded",
    } <= codes(verdict.reasons)
    assert verdict.rule_set == "nd-91-2017"


def test_a_complete_cstdcs_dossier_is_approved() -> None:
    f = facts(
        T.CSTDCS,
        rating=Rating.EXCELLENT,
        titles=held(T.LDTT, 2018),
        ballot=Ballot(9, 9, 8),
        quota=Quota(ldtt=10, cstdcs=0),
    )
    assert judge(f, RULESET_2017).approved
