"""The rules of DOMAIN.md §5 that awards implements for individual titles (1, 2, 4 to 11, 15,
18, 21, 24, and the other forms of DOMAIN §4): one accepting and one refusing story."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.common import AwardMethod, DisciplineLevel, Rating, Scope, TitleCode
from services.awards.domain.facts import Ballot, Campaign, Discipline, Initiative, Quota, Research
from services.awards.rules import RULESET_2022
from services.awards.rules import individual as i
from tests.unit.awards.builders import P17, P22, PERSON, codes, dossier, facts, held

T = TitleCode


def own_initiative(level: Scope = Scope.UNIT, ident: str = "sk-1", **kw: object) -> Initiative:
    return Initiative(ident, recognized_level=level, author_ids=frozenset({PERSON}), **kw)  # type: ignore[arg-type]


# --- 1 -------------------------------------------------------------------------------------------


def test_1_registered_nominee_is_considered() -> None:
    assert i.registered_for_the_year(facts(registered=True), P17) == []


def test_1_unregistered_nominee_gets_no_title() -> None:
    assert codes(i.registered_for_the_year(facts(registered=False), P17)) == {
        "awards.not_registered"
    }


def test_1_sudden_award_needs_no_registration() -> None:
    f = facts(dossier=dossier(T.GIAY_KHEN, method=AwardMethod.SUDDEN), registered=False)
    assert i.registered_for_the_year(f, P17) == []


# --- 2 -------------------------------------------------------------------------------------------
# Gia Lai's 2018 plan (KH 19/KH-SCT): registration closes on 30/08/2018.

GIA_LAI_2018 = Campaign("sct-gialai/2018/phat-dong", 2018, registration_deadline=date(2018, 8, 30))


def test_2_an_initiative_submitted_by_the_deadline_is_evidence() -> None:
    on_time = own_initiative(submitted_on=date(2018, 8, 30))
    f = facts(T.CSTDCS, campaign=GIA_LAI_2018, initiatives=(on_time,))
    assert i.cstdcs_needs_evidence(f, P17) == []


def test_2_an_initiative_submitted_after_the_deadline_is_ignored_for_the_year() -> None:
    late = own_initiative(submitted_on=date(2018, 9, 15))
    f = facts(T.CSTDCS, campaign=GIA_LAI_2018, initiatives=(late,))
    reasons = i.cstdcs_needs_evidence(f, P17)
    assert codes(reasons) == {"awards.cstdcs_without_evidence"}
    assert "sk-1 nộp ngày 15/09/2018" in reasons[0].message
    assert "sau hạn đăng ký thi đua ngày 30/08/2018" in reasons[0].message


def test_2_a_research_topic_pledged_after_the_deadline_is_ignored_for_the_year() -> None:
    def topic(pledged: date) -> Research:
        return Research(
            "dt-1", level=Scope.UNIT, registered_on=pledged, author_ids=frozenset({PERSON})
        )

    late = facts(T.CSTDCS, campaign=GIA_LAI_2018, research=(topic(date(2018, 9, 1)),))
    assert codes(i.cstdcs_needs_evidence(late, P17)) == {"awards.cstdcs_without_evidence"}
    assert "đề tài dt-1 đăng ký ngày 01/09/2018" in i.cstdcs_needs_evidence(late, P17)[0].message
    on_time = facts(T.CSTDCS, campaign=GIA_LAI_2018, research=(topic(date(2018, 3, 1)),))
    assert i.cstdcs_needs_evidence(on_time, P17) == []


def test_2_a_late_initiative_does_not_carry_a_provincial_title_either() -> None:
    late = own_initiative(Scope.MINISTRY_PROVINCE, submitted_on=date(2018, 10, 1))
    f = facts(
        T.CSTD_BO_TINH,
        campaign=GIA_LAI_2018,
        initiatives=(late,),
        titles=held(T.CSTDCS, 2016, 2017, 2018),
    )
    [reason] = i.cstd_bo_tinh_needs_three_cstdcs(f, P17)
    assert reason.code == "awards.initiative_scope_too_narrow"
    assert "nộp ngày 01/10/2018: sau hạn đăng ký thi đua ngày 30/08/2018" in reason.message


# --- 4 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [Rating.GOOD, Rating.EXCELLENT])
def test_4_ldtt_with_good_rating_passes(rating: Rating) -> None:
    assert i.ldtt_needs_good_rating(facts(rating=rating), P17) == []


@pytest.mark.parametrize("rating", [Rating.COMPLETED, Rating.NOT_COMPLETED])
def test_4_ldtt_below_good_is_rejected(rating: Rating) -> None:
    assert codes(i.ldtt_needs_good_rating(facts(rating=rating), P17)) == {
        "awards.ldtt_rating_too_low"
    }


def test_4_the_registration_services_rating_outranks_the_dossiers_claim() -> None:
    claimed = dossier(evidence={"rating": "excellent"})
    assert i.ldtt_needs_good_rating(facts(dossier=claimed, rating=Rating.COMPLETED), P17)
    assert i.ldtt_needs_good_rating(facts(dossier=claimed, rating=None), P17) == []


# --- 5, 21 ---------------------------------------------------------------------------------------


def test_5_cstdcs_with_ldtt_the_same_year_passes() -> None:
    assert i.cstdcs_needs_ldtt(facts(T.CSTDCS, titles=held(T.LDTT, 2018)), P17) == []


def test_5_cstdcs_without_ldtt_is_rejected() -> None:
    f = facts(T.CSTDCS, titles=held(T.LDTT, 2017))
    assert codes(i.cstdcs_needs_ldtt(f, P17)) == {"awards.cstdcs_without_ldtt"}


def test_21_a_sudden_ldtt_is_no_prerequisite() -> None:
    f = facts(T.CSTDCS, titles=held(T.LDTT, 2018, method=AwardMethod.SUDDEN))
    assert codes(i.cstdcs_needs_ldtt(f, P17)) == {"awards.cstdcs_without_ldtt"}


def test_24_a_revoked_ldtt_is_no_prerequisite() -> None:
    f = facts(T.CSTDCS, titles=held(T.LDTT, 2018, revoked=True))
    assert codes(i.cstdcs_needs_ldtt(f, P17)) == {"awards.cstdcs_without_ldtt"}


# --- 6 -------------------------------------------------------------------------------------------


def test_6_cstdcs_with_htxsnv_passes() -> None:
    assert i.cstdcs_needs_evidence(facts(T.CSTDCS, rating=Rating.EXCELLENT), P17) == []


def test_6_cstdcs_with_own_recognised_initiative_passes() -> None:
    assert i.cstdcs_needs_evidence(facts(T.CSTDCS, initiatives=(own_initiative(),)), P17) == []


def test_6_cstdcs_with_accepted_research_by_name_passes() -> None:
    research = Research("dt-1", Scope.UNIT, author_names=frozenset({"Nguyễn Thị Lan"}))
    f = facts(T.CSTDCS, research=(research,), nominee_name="Nguyễn Thị Lan")
    assert i.cstdcs_needs_evidence(f, P17) == []


def test_6_cstdcs_without_evidence_is_rejected() -> None:
    someone_elses = Initiative("sk-2", Scope.UNIT, author_ids=frozenset({"other"}))
    unrecognised = Initiative("sk-3", None, author_ids=frozenset({PERSON}))
    f = facts(T.CSTDCS, initiatives=(someone_elses, unrecognised))
    assert codes(i.cstdcs_needs_evidence(f, P17)) == {"awards.cstdcs_without_evidence"}


# --- 7 -------------------------------------------------------------------------------------------


def test_7_cstdcs_within_15_percent_passes_under_2017() -> None:
    assert i.cstdcs_within_cap(facts(T.CSTDCS, quota=Quota(ldtt=20, cstdcs=2)), P17) == []


def test_7_cstdcs_over_15_percent_is_rejected_under_2017() -> None:
    f = facts(T.CSTDCS, quota=Quota(ldtt=20, cstdcs=3))
    assert codes(i.cstdcs_within_cap(f, P17)) == {"awards.cstdcs_cap_exceeded"}


def test_7_no_cap_under_the_2022_law() -> None:
    f = facts(T.CSTDCS, year=2024, quota=Quota(ldtt=20, cstdcs=19))
    assert i.cstdcs_within_cap(f, P22) == []
    assert i.cstdcs_within_cap not in RULESET_2022.rules


# --- 8 -------------------------------------------------------------------------------------------


def test_8_three_consecutive_cstdcs_and_provincial_initiative_pass() -> None:
    f = facts(
        T.CSTD_BO_TINH,
        year=2020,
        titles=held(T.CSTDCS, 2018, 2019, 2020),
        initiatives=(own_initiative(Scope.MINISTRY_PROVINCE),),
    )
    assert i.cstd_bo_tinh_needs_three_cstdcs(f, P17) == []


def test_8_a_gap_resets_the_count() -> None:
    f = facts(
        T.CSTD_BO_TINH,
        year=2020,
        titles=held(T.CSTDCS, 2016, 2017, 2019, 2020),
        initiatives=(own_initiative(Scope.MINISTRY_PROVINCE),),
    )
    assert codes(i.cstd_bo_tinh_needs_three_cstdcs(f, P17)) == {"awards.cstd_chain_broken"}


def test_8_a_unit_level_initiative_is_too_narrow() -> None:
    f = facts(
        T.CSTD_BO_TINH,
        year=2020,
        titles=held(T.CSTDCS, 2018, 2019, 2020),
        initiatives=(own_initiative(Scope.UNIT),),
    )
    assert codes(i.cstd_bo_tinh_needs_three_cstdcs(f, P17)) == {
        "awards.initiative_scope_too_narrow"
    }


# --- 9 -------------------------------------------------------------------------------------------


def test_9_two_consecutive_cstd_bo_tinh_and_national_initiative_pass() -> None:
    f = facts(
        T.CSTD_TOAN_QUOC,
        year=2024,
        titles=held(T.CSTD_BO_TINH, 2021, 2024),
        initiatives=(own_initiative(Scope.NATIONAL),),
    )
    assert i.cstd_toan_quoc_needs_two_cstd_bo_tinh(f, P22) == []


def test_9_one_cstd_bo_tinh_is_not_enough() -> None:
    f = facts(
        T.CSTD_TOAN_QUOC,
        year=2024,
        titles=held(T.CSTD_BO_TINH, 2024),
        initiatives=(own_initiative(Scope.MINISTRY_PROVINCE),),
    )
    assert codes(i.cstd_toan_quoc_needs_two_cstd_bo_tinh(f, P22)) == {
        "awards.cstd_chain_broken",
        "awards.initiative_scope_too_narrow",
    }


# --- 10 ------------------------------------------------------------------------------------------


def test_10_an_unused_initiative_supports_the_award() -> None:
    assert i.initiative_supports_one_award(facts(initiatives=(own_initiative(),)), P17) == []


def test_10_an_initiative_used_by_another_award_is_refused() -> None:
    f = facts(T.CSTDCS, initiatives=(own_initiative(used_by="sct-gialai/2018/other"),))
    reasons = i.initiative_supports_one_award(f, P17)
    assert codes(reasons) == {"awards.initiative_already_used"}
    assert reasons[0].field == "evidence.initiative_ids[0]"


# --- 11 ------------------------------------------------------------------------------------------


def test_11_a_first_award_for_the_achievement_passes() -> None:
    assert i.one_award_per_achievement(facts(titles=held(T.LDTT, 2017)), P17) == []


def test_11_the_same_achievement_gets_one_award() -> None:
    f = facts(titles=held(T.LDTT, 2018))
    assert codes(i.one_award_per_achievement(f, P17)) == {"awards.achievement_already_awarded"}


def test_11_a_revoked_award_does_not_block_a_new_one() -> None:
    assert i.one_award_per_achievement(facts(titles=held(T.LDTT, 2018, revoked=True)), P17) == []


# --- 15 ------------------------------------------------------------------------------------------


def test_15_cstdcs_with_80_percent_of_all_members_passes() -> None:
    f = facts(T.CSTDCS, ballot=Ballot(members_total=10, members_present=9, yes_votes=8))
    assert i.council_vote_threshold(f, P17) == []


def test_15_cstdcs_below_80_percent_of_all_members_is_rejected() -> None:
    # 8 of 9 present is 89%, but only 73% of the 11 members.
    f = facts(T.CSTDCS, ballot=Ballot(members_total=11, members_present=9, yes_votes=8))
    assert codes(i.council_vote_threshold(f, P17)) == {"awards.vote_below_threshold"}


def test_15_cstd_needs_90_percent() -> None:
    f = facts(T.CSTD_BO_TINH, year=2020, ballot=Ballot(10, 10, 9))
    assert i.council_vote_threshold(f, P17) == []
    f = facts(T.CSTD_BO_TINH, year=2020, ballot=Ballot(10, 10, 8))
    assert codes(i.council_vote_threshold(f, P17)) == {"awards.vote_below_threshold"}


def test_15_no_vote_no_cstdcs_but_ldtt_needs_none() -> None:
    assert codes(i.council_vote_threshold(facts(T.CSTDCS), P17)) == {"awards.vote_missing"}
    assert i.council_vote_threshold(facts(T.LDTT), P17) == []


# --- 18 ------------------------------------------------------------------------------------------


def test_18_no_case_and_earlier_discipline_pass() -> None:
    f = facts(disciplines=(Discipline(DisciplineLevel.REPRIMAND, date(2017, 3, 1)),))
    assert i.not_under_case_or_discipline(f, P17) == []


def test_18_an_open_case_or_discipline_in_the_year_refuses() -> None:
    f = facts(
        open_case="vv-1", disciplines=(Discipline(DisciplineLevel.REPRIMAND, date(2018, 9, 1)),)
    )
    assert codes(i.not_under_case_or_discipline(f, P17)) == {
        "awards.nomination_suspended",
        "awards.disciplined",
    }


def test_18_a_discipline_lifted_early_still_discounts_the_years_up_to_it() -> None:
    lifted = Discipline(DisciplineLevel.REPRIMAND, date(2018, 9, 1), lifted_on=date(2018, 11, 15))
    [reason] = i.not_under_case_or_discipline(facts(disciplines=(lifted,)), P17)
    assert reason.code == "awards.disciplined"
    assert "đã xóa kỷ luật ngày 15/11/2018" in reason.message


# --- the other forms (DOMAIN §4) -----------------------------------------------------------------


def test_bang_khen_after_two_consecutive_cstdcs_passes_and_otherwise_not() -> None:
    assert (
        i.bang_khen_individual_merit(facts(T.BANG_KHEN, titles=held(T.CSTDCS, 2017, 2018)), P17)
        == []
    )
    f = facts(T.BANG_KHEN, titles=held(T.CSTDCS, 2016, 2018))
    assert codes(i.bang_khen_individual_merit(f, P17)) == {"awards.bang_khen_criteria_not_met"}


def test_bang_khen_after_two_years_htxsnv_with_two_initiatives_passes() -> None:
    f = facts(
        T.BANG_KHEN,
        rating=Rating.EXCELLENT,
        previous_rating=Rating.EXCELLENT,
        initiatives=(own_initiative(ident="sk-1"), own_initiative(ident="sk-2")),
    )
    assert i.bang_khen_individual_merit(f, P17) == []


def test_giay_khen_needs_a_good_rating() -> None:
    assert i.giay_khen_needs_good_rating(facts(T.GIAY_KHEN, rating=Rating.GOOD), P17) == []
    assert i.giay_khen_needs_good_rating(facts(T.GIAY_KHEN, rating=Rating.COMPLETED), P17)
