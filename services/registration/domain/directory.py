"""The organisation directory: ministries, provinces, departments, units, blocs, people.

Changes over time are events (a unit merges, a person moves), so "which unit was X in on
date D" is answered by folding them: :meth:`Person.unit_on` and :func:`follow_merges`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from contracts.base import EventData
from contracts.registration import (
    BlocFormed,
    BlocLeaderDesignated,
    BlocMember,
    BlocRanked,
    PersonDetailsCorrected,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
    UnitDissolved,
    UnitEstablished,
    UnitMerged,
    UnitRenamed,
    UnitTransferred,
)
from services.registration.domain.common import (
    as_of,
    correction_hint,
    decide_correction,
    decide_first,
    not_before,
    refuse,
    vn_date,
)

# --- reference entities: registered once, a repeat is idempotent -----------------------------


def decide_once(existing: EventData | None, fact: EventData, what: str) -> list[EventData]:
    """Ministries, provinces, departments: the first statement stands; a same repeat is a no-op."""
    return decide_first(existing, fact, "directory.conflicting_duplicate", what)


# --- units -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    established: UnitEstablished
    name: str
    ended_on: date | None = None
    merged_into: str | None = None
    transfers: tuple[UnitTransferred, ...] = ()
    """To the successors of its department (issue 16), in order."""

    @property
    def unit_id(self) -> str:
        return self.established.unit_id

    @property
    def department_code(self) -> str:
        """Its department now (after every transfer recorded)."""
        return self.transfers[-1].to_department_code if self.transfers else self.established_in

    @property
    def established_in(self) -> str:
        return self.established.department_code

    def department_on(self, day: date | None) -> str:
        """The department it belonged to on ``day`` (None: now): the one it was established
        in, changed by each transfer from its ``effective_on``."""
        moves = ((t.effective_on, t.to_department_code) for t in self.transfers)
        return as_of(self.established_in, moves, day)

    def active_on(self, day: date) -> bool:
        return self.established.established_on <= day and (
            self.ended_on is None or day < self.ended_on
        )


def fold_unit(payloads: Iterable[EventData]) -> Unit | None:
    unit: Unit | None = None
    for p in payloads:
        if isinstance(p, UnitEstablished):
            unit = Unit(p, p.name)
        elif unit is None:
            continue
        elif isinstance(p, UnitRenamed):
            unit = replace(unit, name=p.name)
        elif isinstance(p, UnitMerged):
            unit = replace(unit, ended_on=p.effective_on, merged_into=p.into_unit_id)
        elif isinstance(p, UnitDissolved):
            unit = replace(unit, ended_on=p.effective_on)
        elif isinstance(p, UnitTransferred):
            unit = replace(unit, transfers=(*unit.transfers, p))
    return unit


def unknown_unit(unit_id: str, field: str = "unit_id") -> Exception:
    return refuse("directory.unknown_unit", f"Không có đơn vị mã {unit_id}", field)


def unit_of_other_department(
    unit: Unit, department: str, field: str = "unit_id", day: date | None = None
) -> Exception:
    return refuse(
        "directory.unit_of_other_department",
        f"Đơn vị {unit.name} ({unit.unit_id}) thuộc Sở '{unit.department_on(day)}', không thuộc "
        f"Sở '{department}'",
        field,
    )


def require_unit(
    unit: Unit | None, unit_id: str, department: str, day: date, field: str = "unit_id"
) -> Unit:
    """The unit exists, belongs to ``department`` and exists on ``day``."""
    if unit is None:
        raise unknown_unit(unit_id, field)
    if unit.department_on(day) != department:
        raise unit_of_other_department(unit, department, field, day)
    if not unit.active_on(day):
        raise refuse(
            "directory.unit_inactive",
            f"Đơn vị {unit.name} không hoạt động vào ngày {vn_date(day)}",
            field,
        )
    return unit


def decide_establish(
    existing: Unit | None, parent: Unit | None, fact: UnitEstablished
) -> list[EventData]:
    if existing is not None:
        if existing.established == fact:
            return []
        raise refuse("directory.unit_exists", f"Đơn vị mã {fact.unit_id} đã tồn tại", "unit_id")
    if fact.parent_unit_id is not None:
        if fact.parent_unit_id == fact.unit_id:
            raise refuse(
                "directory.unit_parent_invalid",
                "Đơn vị không thể trực thuộc chính nó",
                "parent_unit_id",
            )
        require_unit(
            parent,
            fact.parent_unit_id,
            fact.department_code,
            fact.established_on,
            "parent_unit_id",
        )
    return [fact]


def decide_rename(unit: Unit, fact: UnitRenamed) -> list[EventData]:
    require_unit(unit, unit.unit_id, unit.department_on(fact.effective_on), fact.effective_on)
    return [] if unit.name == fact.name else [fact]


def decide_merge(unit: Unit, into: Unit | None, fact: UnitMerged) -> list[EventData]:
    if unit.merged_into == fact.into_unit_id and unit.ended_on == fact.effective_on:
        return []
    department = unit.department_on(fact.effective_on)
    require_unit(unit, unit.unit_id, department, fact.effective_on)
    if fact.into_unit_id == fact.unit_id:
        raise refuse(
            "directory.merge_into_itself",
            "Không thể sáp nhập đơn vị vào chính nó",
            "into_unit_id",
        )
    require_unit(into, fact.into_unit_id, department, fact.effective_on, "into_unit_id")
    return [fact]


def decide_dissolve(unit: Unit, fact: UnitDissolved) -> list[EventData]:
    if unit.ended_on == fact.effective_on and unit.merged_into is None:
        return []
    require_unit(unit, unit.unit_id, unit.department_on(fact.effective_on), fact.effective_on)
    return [fact]


def merged_into_on(unit: Unit | None, day: date) -> str | None:
    """The unit that ``unit`` had been merged into by ``day``, if it had been."""
    if unit is None or unit.merged_into is None or unit.ended_on is None:
        return None
    return unit.merged_into if unit.ended_on <= day else None


# --- people ----------------------------------------------------------------------------------


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


# --- emulation blocs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bloc:
    formed: BlocFormed
    leaders: dict[int, BlocLeaderDesignated]
    rankings: dict[int, BlocRanked] = field(default_factory=dict)

    def has_member(self, member: BlocMember) -> bool:
        return member in self.formed.members


def fold_bloc(payloads: Iterable[EventData]) -> Bloc | None:
    bloc: Bloc | None = None
    for p in payloads:
        if isinstance(p, BlocFormed):
            bloc = Bloc(p, {})
        elif isinstance(p, BlocLeaderDesignated) and bloc is not None:
            bloc = Bloc(bloc.formed, {**bloc.leaders, p.year: p}, bloc.rankings)
        elif isinstance(p, BlocRanked) and bloc is not None:
            bloc = Bloc(bloc.formed, bloc.leaders, {**bloc.rankings, p.year: p})
    return bloc


def decide_bloc_ranking(bloc: Bloc | None, fact: BlocRanked) -> list[EventData]:
    """The board's ranking of a bloc for a year (issue 17): its members only, after the bloc
    was formed, once a year (the same ranking again changes nothing), and consistent with a
    leader already designated for that year."""
    if bloc is None:
        raise refuse("directory.unknown_bloc", f"Không có khối thi đua {fact.bloc_id}", "bloc_id")
    for i, ranked in enumerate(fact.ranking):
        member = BlocMember(member_kind=ranked.member_kind, member_id=ranked.member_id)
        if not bloc.has_member(member):
            raise refuse(
                "directory.not_bloc_member",
                f"{ranked.member_id} không phải thành viên của {bloc.formed.name}",
                f"ranking.{i}",
            )
    _require_formed(bloc, fact.ranked_on, "ranked_on")
    earlier = bloc.rankings.get(fact.year)
    if earlier is not None:
        if earlier == fact:
            return []
        raise refuse(
            "directory.bloc_ranked_exists",
            f"Năm {fact.year} {bloc.formed.name} đã được xếp hạng "
            f"ngày {vn_date(earlier.ranked_on)}",
            "year",
        )
    designated = bloc.leaders.get(fact.year)
    if designated is not None and designated.leader != fact.leader:
        raise refuse(
            "directory.bloc_leader_exists",
            f"Năm {fact.year} khối đã có Trưởng khối {designated.leader.member_id}, "
            f"không phải {fact.leader.member_id} xếp thứ nhất",
            "ranking",
        )
    return [fact]


def _require_formed(bloc: Bloc, day: date, field: str) -> None:
    if day < bloc.formed.formed_on:
        raise refuse(
            "directory.bloc_not_formed",
            f"Khối thi đua được lập ngày {vn_date(bloc.formed.formed_on)}",
            field,
        )


def decide_form_bloc(existing: Bloc | None, fact: BlocFormed) -> list[EventData]:
    if existing is None:
        return [fact]
    if existing.formed == fact:
        return []
    raise refuse(
        "directory.conflicting_duplicate", f"Khối thi đua {fact.bloc_id} đã được lập", "bloc_id"
    )


def decide_bloc_leader(bloc: Bloc | None, fact: BlocLeaderDesignated) -> list[EventData]:
    if bloc is None:
        raise refuse("directory.unknown_bloc", f"Không có khối thi đua {fact.bloc_id}", "bloc_id")
    if not bloc.has_member(fact.leader):
        raise refuse(
            "directory.leader_not_member",
            f"{fact.leader.member_id} không phải thành viên của {bloc.formed.name}",
            "leader",
        )
    _require_formed(bloc, fact.designated_on, "designated_on")
    current = bloc.leaders.get(fact.year)
    if current is not None:
        if current.leader == fact.leader:
            return []
        raise refuse(
            "directory.bloc_leader_exists",
            f"Năm {fact.year} khối đã có Trưởng khối {current.leader.member_id}",
            "year",
        )
    return [fact]
