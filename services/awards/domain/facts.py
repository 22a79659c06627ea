"""What the rules look at: one nomination and the facts around it, as plain values (no I/O).

The handlers gather these from the awards service's own tables (its read copy of the
registration service's facts and its own awarded titles); the rules only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from contracts.awards import NominationSubmitted
from contracts.common import (
    AwardMethod,
    CampaignKind,
    CouncilLevel,
    DisciplineLevel,
    Rating,
    Scope,
    Sex,
    TitleCode,
)
from contracts.registration import ConferencePlan

MERIT_METHODS = frozenset({AwardMethod.REGULAR})
"""Methods whose titles count as prerequisites (DOMAIN §5 rule 21: sudden and topical never do)."""


@dataclass(frozen=True)
class HeldTitle:
    """A title awarded to the nominee (or a member), revoked or not."""

    year: int
    title: TitleCode
    method: AwardMethod = AwardMethod.REGULAR
    revoked: bool = False
    nomination_id: str = ""
    achievement: str | None = None

    @property
    def counts_as_merit(self) -> bool:
        return not self.revoked and self.method in MERIT_METHODS


@dataclass(frozen=True)
class Initiative:
    """A sáng kiến named in the evidence, as the registration service recognised it."""

    initiative_id: str
    recognized_level: Scope | None = None
    recognized_on: date | None = None
    submitted_on: date | None = None
    """When it was submitted (rule 2: after the registration deadline it does not count)."""
    withdrawn_on: date | None = None
    """Withdrawn (rút, hủy): it no longer counts as evidence."""
    author_ids: frozenset[str] = frozenset()
    author_names: frozenset[str] = frozenset()
    used_by: str | None = None
    """The nomination whose (unrevoked) award already used it, if any."""


@dataclass(frozen=True)
class Research:
    """An accepted research topic (đề tài đã nghiệm thu) named in the evidence."""

    research_id: str
    level: Scope | None = None
    accepted_on: date | None = None
    registered_on: date | None = None
    """When a registration first pledged it (rule 2), if one did."""
    withdrawn_on: date | None = None
    """Its acceptance cancelled: it no longer counts as evidence."""
    author_ids: frozenset[str] = frozenset()
    author_names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Member:
    """A member of a nominated collective, with the year's results."""

    person_id: str
    sex: Sex | None = None
    rating: Rating | None = None
    ldtt: bool = False
    cstdcs: bool = False
    worst_discipline: DisciplineLevel | None = None


@dataclass(frozen=True)
class Discipline:
    level: DisciplineLevel
    imposed_on: date
    lifted_on: date | None = None
    """Lifted early (xóa kỷ luật); an annulled one is not here at all."""


@dataclass(frozen=True)
class Ballot:
    """The nomination's result in a council session (bỏ phiếu kín)."""

    members_total: int
    members_present: int
    yes_votes: int
    council_level: CouncilLevel = CouncilLevel.DEPARTMENT


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    year: int
    kind: CampaignKind = CampaignKind.REGULAR
    period_start: date | None = None
    period_end: date | None = None
    registration_deadline: date | None = None
    dossier_deadline: date | None = None
    conference: ConferencePlan | None = None
    """The conferences the plan orders (DOMAIN rule 25), if any."""


@dataclass(frozen=True)
class Quota:
    """Titles already awarded (unrevoked) in the nominee's department for the year."""

    ldtt: int = 0
    cstdcs: int = 0


@dataclass(frozen=True)
class Facts:
    """Everything a rule set needs to judge one nomination."""

    dossier: NominationSubmitted
    registered: bool = False
    campaign: Campaign | None = None
    rating: Rating | None = None
    """The year's rating from the registration service's facts (the dossier's claim if none)."""
    previous_rating: Rating | None = None
    """The rating of the year before (for Bằng khen: two consecutive years HTXSNV)."""
    nominee_name: str | None = None
    nominee_sex: Sex | None = None
    initiatives: tuple[Initiative, ...] = ()
    research: tuple[Research, ...] = ()
    titles: tuple[HeldTitle, ...] = ()
    """Every title the nominee holds or held, including revoked ones."""
    members: tuple[Member, ...] = ()
    disciplines: tuple[Discipline, ...] = ()
    open_case: str | None = None
    ballot: Ballot | None = None
    bloc_leader: bool = False
    quota: Quota = field(default_factory=Quota)

    @property
    def year(self) -> int:
        return self.dossier.year

    @property
    def effective_rating(self) -> Rating | None:
        return self.rating if self.rating is not None else self.dossier.evidence.rating

    def holds(self, title: TitleCode, year: int) -> bool:
        """Whether the nominee holds ``title`` for ``year`` as a merit prerequisite."""
        return any(t.title == title and t.year == year and t.counts_as_merit for t in self.titles)
