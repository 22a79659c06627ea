"""A fact's lines and their counter deltas (``readmodels/lines.py``): the shortcuts a replay
takes (placements reused, one-change histories, the deltas summed in one pass) give what the
plain path gives."""

from __future__ import annotations

import json
from datetime import date

from services.reporting.facts import Fact, placement_of
from services.reporting.readmodels.lines import (
    Deltas,
    DimsOf,
    attribute,
    flags_on,
    lines_of,
)
from services.reporting.readmodels.state import (
    Campaign,
    Department,
    ModelState,
    Person,
    PersonChange,
)


def _state() -> ModelState:
    s = ModelState(complete=True)
    s.departments.put("so-a", Department("so-a", "Sở A", "tinh-1", "bo-1"))
    phases = [{"number": 1, "start": "2024-01-01", "end": "2024-06-30"},
              {"number": 2, "start": "2024-07-01", "end": "2024-12-31"}]  # fmt: skip
    s.campaigns.put(
        "c-1",
        Campaign("c-1", "so-a", None, "Phong trào", "regular", "department", 2024,
                 date(2024, 1, 1), date(2024, 12, 31), json.dumps(phases), "[]",
                 json.dumps({"registration": "2024-03-31"}), None, False),
    )  # fmt: skip
    for n, sex in enumerate(("female", "male")):
        person = f"so-a/p{n}"
        s.people.put(person, Person(person, "so-a", f"Người {n}", sex, date(2020, 1, 1), None))
        s.add_history(PersonChange(person, 0, date(2020, 1, 1), "so-a/u0", n == 0, False))
    # The second person becomes a leader on 01/07/2024.
    s.add_history(PersonChange("so-a/p1", 1, date(2024, 7, 1), None, True, None))
    return s


def _facts() -> list[Fact]:
    facts = []
    for n, on in enumerate([date(2024, 2, 1), date(2024, 2, 1), date(2024, 8, 3)] * 2):
        person = f"so-a/p{n % 2}"
        facts.append(
            Fact(f"e{n}", "award", on, "so-a", "so-a/u0", person, "c-1", 2024,
                 attrs={"title": "LDTT", "nominee_kind": "individual", "method": "regular",
                        "authority": "department_director", "cash_vnd": 100,
                        "as_of": on.isoformat()}),
        )  # fmt: skip
    facts.append(Fact("r", "individual_registration", date(2024, 3, 2), "so-a", "so-a/u0",
                      "so-a/p0", "c-1", attrs={"registered_on": "2024-03-02"}))  # fmt: skip
    return facts


def test_lines_made_with_placements_reused_are_the_plain_lines() -> None:
    state = _state()
    dims = DimsOf(state)
    deltas = Deltas()
    made = attribute(_facts(), dims, deltas)
    plain = DimsOf(state)
    assert made == [lines_of(f, plain(f)) for f in _facts()]
    # Three dates and one campaign: three placements, each made once.
    assert len(dims.placements) == 3
    for (_, _, on), placement in dims.placements.items():
        fact = next(f for f in _facts() if f.effective_on == on)
        assert placement == placement_of(fact, plain(fact))


def test_the_flags_of_a_one_change_history_do_not_depend_on_the_date() -> None:
    one = [PersonChange("p", 0, date(2024, 5, 1), "u", True, False)]
    for on in (date(2020, 1, 1), date(2024, 5, 1), date(2030, 1, 1)):
        assert flags_on(one, on) == (True, False)
    unset = [PersonChange("p", 0, date(2024, 5, 1), "u", None, True)]
    assert flags_on(unset, date(2024, 6, 1)) == (False, True)
    state = _state()
    dims = DimsOf(state)
    leader = [dims(f).person for f in _facts() if f.person_id == "so-a/p1"]
    # The second person: not a leader in February, a leader in August (their history).
    assert [p.is_leader if p else None for p in leader] == [False, False, True]


def test_lines_taken_back_cancel_the_lines_added() -> None:
    state = _state()
    deltas = Deltas()
    lines = attribute(_facts(), DimsOf(state), deltas)
    assert deltas.rows() and deltas.day_rows()
    deltas.add_all(lines, -1)
    assert deltas.rows() == [] and deltas.day_rows() == []
    # A month's sum is the sum of its days'.
    again = Deltas()
    again.add_all(lines)
    months = {(r[0], r[5].replace(day=1), r[6], r[7]): r[8] for r in again.rows()
              if r[3] == "2024-H1" or r[3] == "2024-H2"}  # fmt: skip
    days: dict[tuple[object, ...], int] = {}
    for department, on, _, figure, key, count, _ in again.day_rows():
        k = (department, on.replace(day=1), figure, key)
        days[k] = days.get(k, 0) + count
    assert days == {k: v for k, v in months.items() if v}
