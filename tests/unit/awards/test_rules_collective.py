"""The rules of DOMAIN.md §5 that awards implements for collective titles (12 to 14): one
accepting and one refusing story."""

from __future__ import annotations

from datetime import date

from contracts.common import AwardMethod, CampaignKind, DisciplineLevel, Rating, Sex, TitleCode
from services.awards.domain.facts import Campaign, Member
from services.awards.rules import collective as c
from tests.unit.awards.builders import P17, P22, codes, dossier, facts

T = TitleCode


# --- 12 ------------------------------------------------------------------------------------------


def _members(
    n: int, *, ldtt: int, cstdcs: int = 0, rating: Rating = Rating.GOOD
) -> tuple[Member, ...]:
    return tuple(
        Member(f"m{k}", Sex.MALE, rating, ldtt=k < ldtt, cstdcs=k < cstdcs) for k in range(n)
    )


def test_12_ttldxs_with_all_completed_70_percent_ldtt_and_a_cstdcs_passes() -> None:
    f = facts(T.TTLDXS, rating=Rating.EXCELLENT, members=_members(10, ldtt=7, cstdcs=1))
    assert c.ttldxs_members(f, P17) == []


def test_12_ttldxs_is_rejected_below_70_percent_without_cstdcs_or_with_a_failing_member() -> None:
    members = (*_members(9, ldtt=6), Member("m9", Sex.FEMALE, Rating.NOT_COMPLETED))
    f = facts(T.TTLDXS, rating=Rating.EXCELLENT, members=members)
    assert codes(c.ttldxs_members(f, P17)) == {
        "awards.members_not_all_completed",
        "awards.ldtt_share_too_low",
        "awards.no_cstdcs_member",
    }


def test_12_ttldxs_needs_the_collective_to_be_excellent() -> None:
    f = facts(T.TTLDXS, rating=Rating.GOOD, members=_members(10, ldtt=10, cstdcs=2))
    assert codes(c.ttldxs_members(f, P17)) == {"awards.collective_rating_too_low"}


# --- 13 ------------------------------------------------------------------------------------------


def test_13_ttldtt_over_half_ldtt_passes_under_2017_but_not_under_2022() -> None:
    f17 = facts(T.TTLDTT, members=_members(10, ldtt=6))
    f22 = facts(T.TTLDTT, year=2024, members=_members(10, ldtt=6))
    assert c.ttldtt_members(f17, P17) == []
    assert codes(c.ttldtt_members(f22, P22)) == {"awards.ldtt_share_too_low"}


def test_13_ttldtt_exactly_half_is_not_more_than_half() -> None:
    f = facts(T.TTLDTT, members=_members(10, ldtt=5))
    assert codes(c.ttldtt_members(f, P17)) == {"awards.ldtt_share_too_low"}


def test_13_ttldtt_70_percent_passes_under_2022() -> None:
    assert c.ttldtt_members(facts(T.TTLDTT, year=2024, members=_members(10, ldtt=7)), P22) == []


def test_13_ttldtt_with_a_member_warned_is_rejected() -> None:
    members = (
        *_members(9, ldtt=9),
        Member("m9", Sex.MALE, Rating.GOOD, True, False, DisciplineLevel.WARNING),
    )
    assert codes(c.ttldtt_members(facts(T.TTLDTT, members=members), P17)) == {
        "awards.member_disciplined"
    }
    reprimanded = (
        *_members(9, ldtt=9),
        Member("m9", Sex.MALE, Rating.GOOD, True, False, DisciplineLevel.REPRIMAND),
    )
    assert c.ttldtt_members(facts(T.TTLDTT, members=reprimanded), P17) == []


# --- 14 ------------------------------------------------------------------------------------------


def test_14_flag_to_the_bloc_leader_passes() -> None:
    assert c.flag_for_bloc_leader(facts(T.CO_THI_DUA, bloc_leader=True), P17) == []


def test_14_flag_to_the_leader_of_a_three_year_topical_movement_passes() -> None:
    topical = Campaign("c", 2020, CampaignKind.TOPICAL, date(2018, 1, 1), date(2020, 12, 31))
    f = facts(
        T.CO_THI_DUA,
        year=2020,
        dossier=dossier(T.CO_THI_DUA, 2020, method=AwardMethod.TOPICAL),
        campaign=topical,
    )
    assert c.flag_for_bloc_leader(f, P17) == []


def test_14_flag_to_others_is_rejected() -> None:
    short = Campaign("c", 2020, CampaignKind.TOPICAL, date(2019, 1, 1), date(2020, 12, 31))
    f = facts(
        T.CO_THI_DUA,
        year=2020,
        dossier=dossier(T.CO_THI_DUA, 2020, method=AwardMethod.TOPICAL),
        campaign=short,
    )
    assert codes(c.flag_for_bloc_leader(f, P17)) == {"awards.flag_not_bloc_leader"}
