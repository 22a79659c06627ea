"""How each kind of awards stream folds (see ``services.awards.streams``)."""

from __future__ import annotations

from contracts.base import EventData
from services.awards.domain import claims, fund, records
from services.awards.domain.facts import HeldTitle
from services.awards.domain.nomination import Nomination
from services.awards.workspace import Aggregate


def _count(count: int, event: EventData) -> int:
    return count + 1


NOMINATION: Aggregate[Nomination] = Aggregate(
    lambda stream_id: Nomination(stream_id.removeprefix("nomination:")),
    lambda state, event: state.apply(event),
)
RECORDED: Aggregate[int] = Aggregate(lambda _: 0, _count)
"""Sessions and decisions: recorded once (how many facts)."""
RECORD: Aggregate[records.Record] = Aggregate(lambda _: records.Record(), records.evolve)
"""Exemplary models and conferences: recorded once, then corrected or withdrawn."""
TITLES: Aggregate[tuple[HeldTitle, ...]] = Aggregate(lambda _: (), claims.held_titles)
QUOTA: Aggregate[int] = Aggregate(lambda _: 0, claims.awarded_count)
INITIATIVE_USE: Aggregate[str | None] = Aggregate(lambda _: None, claims.initiative_user)
BALLOTS: Aggregate[claims.LatestBallot] = Aggregate(
    lambda _: claims.LatestBallot(), claims.latest_ballot
)
FUND: Aggregate[fund.Fund] = Aggregate(lambda _: fund.Fund(), fund.evolve)
"""A commendation fund of one owner and year (issue 18)."""
