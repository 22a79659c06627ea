"""Units of a department (sections, attached units, enterprises, communes...): established,
renamed, merged into another unit, dissolved, and transferred to the successor of a merged-away
department (issue 16).

A unit is its own stream, apart from the people in it (``people.py``): people, blocs'
members and transfers ask a unit whether it exists and whose it is on a day
(:func:`require_unit`, :func:`unknown_unit`), a unit never reads them. "Which unit was X in on
date D" follows a unit's merges (:func:`merged_into_on`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from contracts.base import EventData
from contracts.registration import (
    UnitDissolved,
    UnitEstablished,
    UnitMerged,
    UnitRenamed,
    UnitTransferred,
)
from services.registration.domain.common import as_of, refuse, vn_date


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
