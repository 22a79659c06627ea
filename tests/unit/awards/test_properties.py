"""Properties of the law in code, over arbitrary arrivals (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.common import AwardMethod, Rating, Scope, TitleCode
from services.awards.domain.chains import consecutive_years
from services.awards.domain.facts import Ballot, HeldTitle, Initiative, Quota
from services.awards.rules import RULESET_2017, RULESET_2022, judge
from tests.unit.awards.builders import PERSON, dossier, facts

T = TitleCode

arrival = st.tuples(
    st.integers(min_value=0, max_value=30),  # person
    st.sampled_from([T.LDTT, T.CSTDCS]),
    st.sampled_from(list(Rating)),
    st.booleans(),  # revoke something instead
)


def _run(
    arrivals: list[tuple[int, TitleCode, Rating, bool]], rule_set: object
) -> list[tuple[int, int]]:
    """Judge each arrival against what was awarded so far; returns (ldtt, cstdcs) after each."""
    assert rule_set in (RULESET_2017, RULESET_2022)
    awarded: dict[int, list[HeldTitle]] = {}
    history = []
    for person, title, rating, revoke in arrivals:
        held = awarded.setdefault(person, [])
        if revoke and held:
            held[-1] = replace(held[-1], revoked=True)
        else:
            live = [t for ts in awarded.values() for t in ts if not t.revoked]
            quota = Quota(
                ldtt=sum(t.title == T.LDTT for t in live),
                cstdcs=sum(t.title == T.CSTDCS for t in live),
            )
            f = facts(
                title,
                dossier=dossier(title, nominee_id=f"p{person}", evidence={"htxsnv": True}),
                rating=rating,
                titles=tuple(held),
                ballot=Ballot(9, 9, 9),
                quota=quota,
            )
            if judge(f, rule_set).approved:  # type: ignore[arg-type]
                held.append(HeldTitle(2018, title, nomination_id=f"p{person}-{title}"))
        live = [t for ts in awarded.values() for t in ts if not t.revoked]
        history.append(
            (sum(t.title == T.LDTT for t in live), sum(t.title == T.CSTDCS for t in live))
        )
    return history


@settings(max_examples=300, deadline=None)
@given(st.lists(arrival.map(lambda a: (*a[:3], False)), max_size=60))
def test_the_2017_cap_is_never_exceeded_however_nominations_arrive(
    arrivals: list[tuple[int, TitleCode, Rating, bool]],
) -> None:
    for ldtt, cstdcs in _run(arrivals, RULESET_2017):
        assert cstdcs * 100 <= 15 * ldtt


@settings(max_examples=200, deadline=None)
@given(st.lists(arrival, max_size=60))
def test_a_cstdcs_award_never_exceeds_the_cap_at_the_moment_it_is_made(
    arrivals: list[tuple[int, TitleCode, Rating, bool]],
) -> None:
    """With revocations in between, the cap holds at each approval (a later revoked LĐTT may
    leave the department above it, which is for the council to review, not to undo)."""
    previous = (0, 0)
    for ldtt, cstdcs in _run(arrivals, RULESET_2017):
        if cstdcs > previous[1]:
            assert cstdcs * 100 <= 15 * ldtt
        previous = (ldtt, cstdcs)


@settings(max_examples=100, deadline=None)
@given(st.lists(arrival.map(lambda a: (*a[:3], False)), min_size=1, max_size=40))
def test_without_the_cap_every_eligible_cstdcs_is_awarded_under_2022(
    arrivals: list[tuple[int, TitleCode, Rating, bool]],
) -> None:
    ldtt_people = set()
    expected_cstdcs = set()
    for person, title, rating, _ in arrivals:
        if title is T.LDTT and rating in (Rating.GOOD, Rating.EXCELLENT):
            ldtt_people.add(person)
        if title is T.CSTDCS and person in ldtt_people and rating is Rating.EXCELLENT:
            expected_cstdcs.add(person)
    assert _run(arrivals, RULESET_2022)[-1] == (len(ldtt_people), len(expected_cstdcs))


years = st.frozensets(st.integers(min_value=2010, max_value=2023), min_size=1)


@given(years, st.integers(min_value=2012, max_value=2023), st.data())
def test_revoking_a_year_always_breaks_the_chains_that_depended_on_it(
    cstdcs_years: frozenset[int], year: int, data: st.DataObject
) -> None:
    chain = {year - 2, year - 1, year} | set(cstdcs_years)
    titles = [HeldTitle(y, T.CSTDCS, nomination_id=f"n{y}") for y in sorted(chain)]
    initiative = Initiative("sk", Scope.MINISTRY_PROVINCE, author_ids=frozenset({PERSON}))
    nominee = dossier(T.CSTD_BO_TINH, year)

    def verdict(held: list[HeldTitle]) -> bool:
        f = facts(
            T.CSTD_BO_TINH,
            year=year,
            dossier=nominee,
            titles=tuple(held),
            initiatives=(initiative,),
            ballot=Ballot(10, 10, 10),
        )
        return judge(f, RULESET_2017).approved

    assert verdict(titles)
    revoked_year = data.draw(st.sampled_from([year - 2, year - 1, year]))
    broken = [replace(t, revoked=True) if t.year == revoked_year else t for t in titles]
    assert consecutive_years(broken, T.CSTDCS, year) < 3
    assert not verdict(broken)
    outside = data.draw(st.sampled_from(sorted(chain)))
    if outside < year - 2:
        untouched = [replace(t, revoked=True) if t.year == outside else t for t in titles]
        assert verdict(untouched)


@given(st.integers(min_value=2015, max_value=2030), st.sampled_from(list(AwardMethod)))
def test_only_regular_awards_build_chains(year: int, method: AwardMethod) -> None:
    titles = [HeldTitle(y, T.CSTDCS, method=method) for y in (year - 2, year - 1, year)]
    assert (consecutive_years(titles, T.CSTDCS, year) == 3) == (method is AwardMethod.REGULAR)
