"""Consecutive-year chains of titles (Quy tắc 8, 9, 21, 24).

Only titles that count as merit (regular method, not revoked) make a chain: a revoked year or a
sudden/topical award breaks it exactly like a missing year.
"""

from __future__ import annotations

from collections.abc import Iterable

from contracts.common import TitleCode
from services.awards.domain.facts import HeldTitle


def merit_years(titles: Iterable[HeldTitle], title: TitleCode) -> frozenset[int]:
    return frozenset(t.year for t in titles if t.title == title and t.counts_as_merit)


def consecutive_years(titles: Iterable[HeldTitle], title: TitleCode, up_to: int) -> int:
    """How many consecutive years ending at ``up_to`` the title was held; a gap resets it."""
    years = merit_years(titles, title)
    run = 0
    while up_to - run in years:
        run += 1
    return run


def two_consecutive_periods(
    titles: Iterable[HeldTitle], title: TitleCode, year: int, period: int
) -> bool:
    """A title covering ``period`` years held for ``year`` and for the period just before."""
    years = merit_years(titles, title)
    return year in years and year - period in years
