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

from contracts.base import EventData
from contracts.common import Person as NamedPerson
from services.registration import streams
from services.registration.domain import campaigns, directory
from services.registration.domain.common import decide_first, refuse, vn_date
from services.registration.domain.initiatives import CouncilRule
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

    def unit(self, unit_id: str) -> directory.Unit | None:
        return directory.fold_unit(self.cmd.history(streams.unit(unit_id)))

    def person(self, person_id: str) -> directory.Person | None:
        return directory.fold_person(self.cmd.history(streams.person(person_id)))

    def campaign(self, campaign_id: str) -> campaigns.Campaign | None:
        return campaigns.fold(self.cmd.history(streams.campaign(campaign_id)))

    def own(self, department_code: str, field: str = "department_code") -> None:
        """The payload's department is the ingress topic's (the kernel's rule)."""
        check_department(self.department, department_code, field)

    def own_unit(self, unit_id: str, field: str = "unit_id") -> directory.Unit:
        unit = self.unit(unit_id)
        if unit is None:
            raise directory.unknown_unit(unit_id, field)
        if unit.department_code != self.department:
            raise directory.unit_of_other_department(unit, self.department, field)
        return unit

    def active_unit(self, unit_id: str, day: date, field: str = "unit_id") -> directory.Unit:
        return directory.require_unit(self.unit(unit_id), unit_id, self.department, day, field)

    def own_person(self, person_id: str, field: str = "person_id") -> directory.Person:
        return directory.require_person(self.person(person_id), person_id, self.department, field)

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

    def unit_of_person_on(self, person: directory.Person, day: date) -> str | None:
        """The unit ``person`` belonged to on ``day``, following the merges in force then."""
        current = person.unit_on(day)
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            following = directory.merged_into_on(self.unit(current), day)
            if following is None:
                return current
            current = following
        return current

    def refuse_foreign(self, owner: str, code: str, message: str, field: str) -> None:
        """Facts about another department's campaign or initiative are refused (rule 29)."""
        if owner != self.department:
            raise refuse(code, message, field)


def person_not_in_unit(person: directory.Person, unit_id: str, day: date) -> Exception:
    return refuse(
        "directory.person_not_in_unit",
        f"Ngày {vn_date(day)} {person.full_name} không công tác tại đơn vị {unit_id}",
        "unit_id",
    )
