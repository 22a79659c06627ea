"""What registration's decisions read, beside their own stream: the directory and the plans.

A :class:`Registrar` wraps the kernel's :class:`thidua.es.decider.Command` for one incoming
fact. Every read is of a stream the kernel loads (in batches) and folds with the domain's pure
functions; nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contracts import topics
from contracts.base import EventData
from contracts.common import OrgKind
from contracts.common import Person as NamedPerson
from services.registration import streams
from services.registration.domain import campaigns, organisations, people, units
from services.registration.domain.common import decide_first, refuse, vn_date
from services.registration.domain.dates import fact_date
from services.registration.domain.initiatives import CouncilRule
from services.registration.domain.organisations import Lineage, Organisation
from thidua.es.decider import Command, Emit, check_department


@dataclass(frozen=True)
class Settings:
    """The registration service's configurable rules."""

    council: CouncilRule = field(default_factory=CouncilRule)


@dataclass(frozen=True)
class Registrar:
    """One incoming fact being decided on a department's ingress topic."""

    cmd: Command[Any]
    settings: Settings

    @property
    def department(self) -> str:
        department = self.cmd.department
        if department is None:
            raise refuse(
                "producer.not_ingress",
                f"Kênh {self.cmd.incoming.topic} không phải kênh tiếp nhận của một Sở",
            )
        return department

    @property
    def day(self) -> date | None:
        """The day the fact speaks of, on which the organisation is judged (issue 16)."""
        return fact_date(self.cmd.payload, self.cmd.event.time.date())

    def history(self, stream: str) -> tuple[list[EventData], int]:
        found = self.cmd.stream(stream)
        return found.payloads(), found.version

    def first(self, stream: str) -> EventData | None:
        return self.cmd.first(stream)

    def emit(self, stream: str, facts: Sequence[EventData]) -> list[Emit]:
        return self.cmd.emit(stream, *facts)

    def emit_first(
        self, stream: str, fact: EventData, code: str, what: str, correction: str = ""
    ) -> list[Emit]:
        """Facts stated once: a same repeat is a no-op, another content is refused (naming
        the ``correction`` event to send instead)."""
        return self.emit(stream, decide_first(self.first(stream), fact, code, what, correction))

    def unit(self, unit_id: str) -> units.Unit | None:
        return units.fold_unit(self.cmd.history(streams.unit(unit_id)))

    def person(self, person_id: str) -> people.Person | None:
        return people.fold_person(self.cmd.history(streams.person(person_id)))

    def campaign(self, campaign_id: str) -> campaigns.Campaign | None:
        return campaigns.fold(self.cmd.history(streams.campaign(campaign_id)))

    def own(self, department_code: str, field: str = "department_code") -> None:
        """The payload's department is the ingress topic's (the kernel's rule)."""
        check_department(self.department, department_code, field)

    def own_unit(self, unit_id: str, field: str = "unit_id") -> units.Unit:
        """The unit belongs to the sending department on the fact's day."""
        unit = self.unit(unit_id)
        if unit is None:
            raise units.unknown_unit(unit_id, field)
        self._unit_is_ours(unit, self.day, field)
        return unit

    def active_unit(self, unit_id: str, day: date, field: str = "unit_id") -> units.Unit:
        unit = self.unit(unit_id)
        if unit is not None:
            self._unit_is_ours(unit, day, field)
        return units.require_unit(unit, unit_id, self.department, day, field)

    def _unit_is_ours(self, unit: units.Unit, day: date | None, field: str) -> None:
        owner = unit.department_on(day)
        if owner != self.department:
            what = f"đơn vị {unit.name} ({unit.unit_id})"
            self.not_transferred(owner, day, field, what, "UnitTransferred")
            raise units.unit_of_other_department(unit, self.department, field, day)

    def not_transferred(
        self, owner: str, day: date | None, field: str, what: str, transfer: str
    ) -> None:
        """``what`` still belongs on ``day`` to ``owner``: if ``owner`` had merged away by then,
        the refusal names its successor and the transfer that is missing."""
        org = self.organisation(OrgKind.DEPARTMENT, owner)
        if org is not None and org.merged_by(day) is not None:
            lineage = self.lineage(OrgKind.DEPARTMENT, owner)
            hint = f"; {what} chưa được chuyển giao cho Sở kế thừa (gửi {transfer} trước)"
            raise organisations.merged_away(org, day, lineage, field, hint)

    def own_person(self, person_id: str, field: str = "person_id") -> people.Person:
        """The person belongs to the sending department on the fact's day: the department of
        their unit then (which may have passed to a successor with its staff)."""
        person = self.person(person_id)
        if person is None or person.department_code == self.department:
            # Their own department: it still speaks on this day (``require_speaking``), so
            # their unit had not left it (units pass only to a merged department's successor).
            return people.require_person(person, person_id, self.department, field)
        unit_id = self.unit_of_person_on(person, self.day)
        unit = self.unit(unit_id) if unit_id is not None else None
        if unit is not None:
            owner = unit.department_on(self.day)
            if owner == self.department:
                return person
            what = f"{person.full_name} ({person_id}), đơn vị {unit.name},"
            self.not_transferred(owner, self.day, field, what, "UnitTransferred")
        return people.require_person(person, person_id, self.department, field)

    def speaks_for(self, owner: str, unit_id: str | None) -> bool:
        """The sender speaks, on the fact's day, for a record ``owner`` made about ``unit_id``:
        it is ``owner``, or the unit has passed to it since."""
        if owner == self.department:
            return True
        unit = self.unit(unit_id) if unit_id is not None else None
        return unit is not None and unit.department_on(self.day) == self.department

    # --- ministries, provinces, departments as they stood on a day (issue 16) ---------------

    def organisation(self, kind: OrgKind, code: str) -> Organisation | None:
        return organisations.fold(self.cmd.history(streams.organisation(kind, code)))

    def lineage(self, kind: OrgKind, *codes: str) -> Lineage:
        """The mergers from ``codes`` onwards (each successor's stream read in turn), and the
        organisations met on the way."""
        found = Lineage()
        chain, known = found.chain, found.known
        for code in codes:
            current: str | None = code
            while current is not None and current not in known:
                org = self.organisation(kind, current)
                if org is None:
                    break
                known[current] = org
                merger = org.merger
                current = merger.into if merger is not None and chain.record(merger) else None
        return found

    def standing(
        self,
        kind: OrgKind,
        code: str,
        day: date | None,
        field: str | None = None,
        hint: str | None = None,
    ) -> Organisation | None:
        """``code`` (if registered) had neither merged away nor been dissolved by ``day``."""
        org = self.organisation(kind, code)
        if org is not None and (org.merged_by(day) or org.dissolved_by(day)):
            organisations.require_standing(org, day, self.lineage(kind, code), field, hint)
        return org

    def require_speaking(self) -> None:
        """The sending department still existed on the fact's day: from the day it merged away
        its successor speaks (the refusal names it); before, it still does."""
        if not topics.is_board(self.department):
            self.standing(OrgKind.DEPARTMENT, self.department, self.day, "department_code")

    def own_authors(self, authors: Sequence[NamedPerson]) -> None:
        ids = [a.person_id for a in authors if a.person_id is not None]
        self.cmd.need(*(streams.person(i) for i in ids))
        for index, author in enumerate(authors):
            if author.person_id is not None:
                self.own_person(author.person_id, f"authors.{index}.person_id")

    def known_department(self, code: str, field: str = "department_code") -> None:
        if self.first(streams.department(code)) is None:
            raise refuse("directory.unknown_department", f"Sở '{code}' chưa được đăng ký", field)

    def known_campaign(self, campaign_id: str | None) -> None:
        if campaign_id is not None and self.campaign(campaign_id) is None:
            raise campaigns.unknown_campaign(campaign_id)

    def unit_of_person_on(self, person: people.Person, day: date | None) -> str | None:
        """The unit ``person`` belonged to on ``day``, following the merges in force then
        (None: their last unit)."""
        current = person.unit_on(day) if day is not None else person.stints[-1].unit_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            following = units.merged_into_on(self.unit(current), day or date.max)
            if following is None:
                return current
            current = following
        return current

    def refuse_foreign(self, owner: str, code: str, message: str, field: str) -> None:
        """Facts about another department's campaign or initiative are refused (rule 29)."""
        if owner != self.department:
            raise refuse(code, message, field)


def person_not_in_unit(person: people.Person, unit_id: str, day: date) -> Exception:
    return refuse(
        "directory.person_not_in_unit",
        f"Ngày {vn_date(day)} {person.full_name} không công tác tại đơn vị {unit_id}",
        "unit_id",
    )
