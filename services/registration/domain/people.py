"""People of a department: joining a unit, moving between units, their role, leaving, and
corrections of what their joining said.

A person's stream folds into stints, one per unit, so "which unit was X in on date D" is
:meth:`Person.unit_on` (the merges that follow are the units', ``units.merged_into_on``). Apart
from units because a person is judged against the unit they join or move to
(``units.require_unit``) while a unit never reads its people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from contracts.base import EventData
from contracts.registration import (
    PersonDetailsCorrected,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
)
from services.registration.domain.common import (
    correction_hint,
    decide_correction,
    not_before,
    refuse,
    vn_date,
)
from services.registration.domain.units import Unit, require_unit


@dataclass(frozen=True)
class Stint:
    """A period in one unit: from ``start`` up to, not including, ``end``."""

    unit_id: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class Person:
    person_id: str
    department_code: str
    full_name: str
    stints: tuple[Stint, ...]
    is_leader: bool
    joined: PersonJoined
    left: PersonLeft | None = None
    corrected: PersonDetailsCorrected | None = None

    @property
    def active(self) -> bool:
        return self.left is None

    @property
    def current_unit(self) -> str | None:
        last = self.stints[-1]
        return last.unit_id if last.end is None else None

    @property
    def last_change(self) -> date:
        last = self.stints[-1]
        return last.end or last.start

    def unit_on(self, day: date) -> str | None:
        """The unit the person was in on ``day`` (as recorded, before any merge)."""
        for stint in self.stints:
            if stint.start <= day and (stint.end is None or day < stint.end):
                return stint.unit_id
        return None


def _close_last(stints: tuple[Stint, ...], day: date) -> tuple[Stint, ...]:
    if not stints or stints[-1].end is not None:
        return stints
    return (*stints[:-1], replace(stints[-1], end=day))


def fold_person(payloads: Iterable[EventData]) -> Person | None:
    person: Person | None = None
    for p in payloads:
        if isinstance(p, PersonJoined):
            stints = person.stints if person is not None else ()
            person = Person(
                p.person_id,
                p.department_code,
                p.full_name,
                (*stints, Stint(p.unit_id, p.joined_on)),
                p.is_leader,
                p,
            )
        elif person is None:
            continue
        elif isinstance(p, PersonTransferred):
            stints = _close_last(person.stints, p.effective_on)
            person = replace(person, stints=(*stints, Stint(p.to_unit_id, p.effective_on)))
        elif isinstance(p, PersonRoleChanged):
            person = replace(person, is_leader=p.is_leader)
        elif isinstance(p, PersonLeft):
            person = replace(person, stints=_close_last(person.stints, p.left_on), left=p)
        elif isinstance(p, PersonDetailsCorrected):
            person = _corrected(person, p)
    return person


CORRECTED_DETAILS = ("full_name", "sex", "birth_year", "joined_on")
"""What a PersonDetailsCorrected restates of the (last) joining."""


def _corrected(person: Person, fact: PersonDetailsCorrected) -> Person:
    """The person as if the last joining had said what the correction says."""
    old = person.joined.joined_on
    stints = tuple(
        replace(s, start=fact.joined_on)
        if (s.start, s.unit_id) == (old, person.joined.unit_id)
        else s
        for s in person.stints
    )
    joined = person.joined.model_copy(update={f: getattr(fact, f) for f in CORRECTED_DETAILS})
    return replace(person, full_name=fact.full_name, stints=stints, joined=joined, corrected=fact)


def unknown_person(person_id: str, field: str = "person_id") -> Exception:
    return refuse("directory.unknown_person", f"Không có cá nhân mã {person_id}", field)


def require_person(
    person: Person | None, person_id: str, department: str, field: str = "person_id"
) -> Person:
    if person is None:
        raise unknown_person(person_id, field)
    if person.department_code != department:
        raise refuse(
            "directory.person_of_other_department",
            f"{person.full_name} ({person_id}) thuộc Sở '{person.department_code}', không thuộc "
            f"Sở '{department}'",
            field,
        )
    return person


def _person_left(person: Person) -> Exception:
    assert person.left is not None
    return refuse(
        "directory.person_left",
        f"{person.full_name} đã nghỉ/chuyển đi từ ngày {vn_date(person.left.left_on)}",
        "person_id",
    )


def _out_of_order(person: Person, day: date, field: str) -> Exception:
    return refuse(
        "directory.effective_date_out_of_order",
        f"Ngày {vn_date(day)} trước thay đổi gần nhất của {person.full_name} "
        f"({vn_date(person.last_change)})",
        field,
    )


def decide_join(person: Person | None, unit: Unit | None, fact: PersonJoined) -> list[EventData]:
    if person is not None and person.active:
        if person.joined == fact:
            return []
        require_person(person, fact.person_id, fact.department_code)
        raise refuse(
            "directory.person_exists",
            f"{person.full_name} ({fact.person_id}) đang công tác tại đơn vị "
            f"{person.current_unit}{correction_hint('PersonDetailsCorrected')}",
            "person_id",
        )
    if person is not None and fact.joined_on < person.last_change:
        raise _out_of_order(person, fact.joined_on, "joined_on")
    require_unit(unit, fact.unit_id, fact.department_code, fact.joined_on)
    return [fact]


def decide_transfer(
    person: Person, to_unit: Unit | None, fact: PersonTransferred, department: str | None = None
) -> list[EventData]:
    """``department``: the person's on the transfer's day (their unit's, which may have passed
    to a successor: issue 16); by default the one they joined."""
    if not person.active:
        raise _person_left(person)
    if fact.effective_on < person.last_change:
        raise _out_of_order(person, fact.effective_on, "effective_on")
    if person.current_unit != fact.from_unit_id:
        raise refuse(
            "directory.person_not_in_unit",
            f"{person.full_name} không công tác tại đơn vị {fact.from_unit_id}",
            "from_unit_id",
        )
    if fact.to_unit_id == fact.from_unit_id:
        raise refuse(
            "directory.transfer_to_same_unit",
            "Đơn vị chuyển đến trùng đơn vị hiện tại",
            "to_unit_id",
        )
    department = department or person.department_code
    require_unit(to_unit, fact.to_unit_id, department, fact.effective_on, "to_unit_id")
    return [fact]


def decide_role_change(person: Person, fact: PersonRoleChanged) -> list[EventData]:
    if not person.active:
        raise _person_left(person)
    if fact.effective_on < person.joined.joined_on:
        raise _out_of_order(person, fact.effective_on, "effective_on")
    return [fact]


def decide_leave(person: Person, fact: PersonLeft) -> list[EventData]:
    if person.left is not None:
        if person.left == fact:
            return []
        raise _person_left(person)
    if fact.left_on < person.last_change:
        raise _out_of_order(person, fact.left_on, "left_on")
    if person.current_unit != fact.unit_id:
        raise refuse(
            "directory.person_not_in_unit",
            f"{person.full_name} không công tác tại đơn vị {fact.unit_id}",
            "unit_id",
        )
    return [fact]


def decide_correct_person(
    person: Person, unit: Unit | None, fact: PersonDetailsCorrected
) -> list[EventData]:
    """Đính chính thông tin cán bộ, by the rules of joining: the joining unit exists on the
    corrected date, which comes before the person's later changes; not before the joining."""
    joined = person.joined
    not_before(
        fact.corrected_on, joined.joined_on, "directory.corrected_before_joining",
        "ngày vào công tác đã ghi nhận", "corrected_on",
    )  # fmt: skip
    later = [s.start for s in person.stints if s.start > joined.joined_on]
    later += [s.end for s in person.stints if s.end is not None and s.start == joined.joined_on]
    if later and fact.joined_on >= min(later):
        raise refuse(
            "directory.joined_after_later_change",
            f"Ngày vào công tác {vn_date(fact.joined_on)} không trước thay đổi tiếp theo của "
            f"{person.full_name} ({vn_date(min(later))})",
            "joined_on",
        )
    require_unit(unit, joined.unit_id, person.department_code, fact.joined_on, "joined_on")
    unchanged = all(getattr(joined, f) == getattr(fact, f) for f in CORRECTED_DETAILS)
    what = f"{person.full_name} ({fact.person_id})"
    return decide_correction(person.corrected, fact, unchanged, "directory.person_unchanged", what)
