"""What awards' private streams fold to (see ``services.awards.streams``). Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace

from contracts.awards import (
    AwardImported,
    AwardRevoked,
    CouncilVoted,
    DecisionIssued,
    NominationApproved,
)
from contracts.base import EventData
from contracts.common import AwardMethod
from services.awards.domain.facts import Ballot, HeldTitle


def held_titles(titles: tuple[HeldTitle, ...], event: EventData) -> tuple[HeldTitle, ...]:
    """A nominee's titles: each approval (or imported record) adds one, a revocation marks it
    revoked."""
    if isinstance(event, NominationApproved | AwardImported):
        return (
            *titles,
            HeldTitle(
                year=event.year,
                title=event.title,
                method=(
                    AwardMethod(event.method)
                    if isinstance(event, NominationApproved)
                    else AwardMethod.REGULAR
                ),
                nomination_id=event.nomination_id,
            ),
        )
    if isinstance(event, AwardRevoked):
        return tuple(
            replace(t, revoked=True) if t.nomination_id == event.nomination_id else t
            for t in titles
        )
    return titles


def awarded_count(count: int, event: EventData) -> int:
    """Unrevoked awards of one title by one department in one year: a decision's copy names
    the nominations of the title it awarded (a migrated approval counts one)."""
    if isinstance(event, DecisionIssued):
        return count + len(event.nomination_ids)
    if isinstance(event, NominationApproved):
        return count + 1
    if isinstance(event, AwardRevoked):
        return count - 1
    return count


def initiative_user(used_by: str | None, event: EventData) -> str | None:
    """The nomination whose unrevoked award used the initiative (the first one keeps it)."""
    if isinstance(event, NominationApproved):
        return used_by if used_by is not None else event.nomination_id
    if isinstance(event, AwardRevoked) and event.nomination_id == used_by:
        return None
    return used_by


@dataclass(frozen=True)
class LatestBallot:
    """The ballot of the latest session (by date, then session id) that voted on it."""

    session_on: str = ""
    session_id: str = ""
    ballot: Ballot | None = None


def latest_ballot(latest: LatestBallot, event: EventData) -> LatestBallot:
    if not isinstance(event, CouncilVoted) or not event.results:
        return latest
    key = (event.session_on.isoformat(), event.session_id)
    if latest.ballot is not None and key < (latest.session_on, latest.session_id):
        return latest
    return LatestBallot(
        key[0],
        key[1],
        Ballot(
            members_total=event.members_total,
            members_present=event.members_present,
            yes_votes=event.results[0].yes_votes,
            council_level=event.council_level,
        ),
    )
