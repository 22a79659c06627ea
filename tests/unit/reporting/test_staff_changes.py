"""Listed staff as dated changes: what one person adds to their department, from which date."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from services.reporting.readmodels.lines import leader_on
from services.reporting.readmodels.staff import StaffChanges, add_person, staff_rows
from services.reporting.readmodels.state import Person, PersonChange


def person(joined: date, left: date | None = None, sex: str = "female") -> Person:
    return Person("p1", "so-x", "Nguyễn Thị A", sex, joined, left)


def flag(seq: int, on: date, leader: bool | None) -> PersonChange:
    return PersonChange("p1", seq, on, None, leader, None)


def on(changes: StaffChanges, day: date) -> tuple[int, int, int]:
    """Staff, women and leaders of the department on ``day`` (the changes up to it)."""
    rows = [r for r in staff_rows(changes) if r[1] <= day]
    return (sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows))


def test_a_leader_counts_from_the_flag_until_leaving() -> None:
    changes: StaffChanges = defaultdict(lambda: [0, 0, 0])
    history = [flag(0, date(2018, 1, 1), False), flag(1, date(2018, 6, 1), True)]
    add_person(changes, person(date(2018, 1, 1), left=date(2018, 10, 1)), history, 1)
    assert on(changes, date(2017, 12, 31)) == (0, 0, 0)
    assert on(changes, date(2018, 3, 1)) == (1, 1, 0)
    assert on(changes, date(2018, 6, 1)) == (1, 1, 1)
    assert on(changes, date(2018, 10, 1)) == (0, 0, 0)  # left that day: not listed


def test_taking_a_person_back_leaves_nothing() -> None:
    changes: StaffChanges = defaultdict(lambda: [0, 0, 0])
    history = [flag(0, date(2018, 1, 1), True)]
    add_person(changes, person(date(2018, 1, 1), sex="male"), history, 1)
    assert on(changes, date(2019, 1, 1)) == (1, 0, 1)
    add_person(changes, person(date(2018, 1, 1), sex="male"), history, -1)
    assert staff_rows(changes) == []


def test_the_last_flag_of_a_day_wins_and_none_before_the_first_means_not_a_leader() -> None:
    history = [flag(0, date(2018, 5, 1), True), flag(1, date(2018, 5, 1), False)]
    changes: StaffChanges = defaultdict(lambda: [0, 0, 0])
    add_person(changes, person(date(2018, 1, 1)), history, 1)
    assert on(changes, date(2018, 4, 30))[2] == 0
    assert on(changes, date(2018, 5, 1))[2] == 0
    # A fact's leader flag before any change is the earliest change's (as the lines read it).
    assert leader_on(history[:1], date(2018, 1, 1)) is True


def test_a_corrected_person_counts_as_first_recorded_until_the_correction() -> None:
    """Joined 01/01/2018 as a woman; corrected on 22/12/2018 to a man who joined in 2017."""
    earlier = '[{"sex": "female", "joined_on": "2018-01-01", "until": "2018-12-22", "event": "c"}]'
    corrected = person(date(2017, 3, 1), sex="male")._replace(earlier=earlier)
    history = [flag(0, date(2018, 1, 1), False)]
    changes: StaffChanges = defaultdict(lambda: [0, 0, 0])
    add_person(changes, corrected, history, 1)
    assert on(changes, date(2017, 6, 1)) == (0, 0, 0)  # as recorded then: not yet joined
    assert on(changes, date(2018, 6, 1)) == (1, 1, 0)
    assert on(changes, date(2018, 12, 22)) == (1, 0, 0)
    add_person(changes, corrected, history, -1)
    assert staff_rows(changes) == []
