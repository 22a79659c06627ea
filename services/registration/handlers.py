"""Ingress handlers: load what a fact depends on, let the domain decide, append the result.

The producing department is the ingress topic's; every fact about a unit, person, campaign or
initiative of another department is refused (DOMAIN rule 29).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import asyncpg

from contracts import topics
from contracts.base import EventData
from contracts.common import OrgKind, SubjectKind
from contracts.common import Person as NamedPerson
from contracts.envelope import CloudEvent
from contracts.registration import (
    BlocFormed,
    BlocLeaderDesignated,
    BlocMember,
    CampaignAmended,
    CampaignClosed,
    CampaignLaunched,
    CaseClosed,
    CaseOpened,
    DepartmentRegistered,
    DisciplineImposed,
    IndividualRegistered,
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
    MinistryRegistered,
    OrganisationContactSet,
    PerformanceRated,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
    ProvinceRegistered,
    RegistrationWithdrawn,
    ResearchAccepted,
    UnitDissolved,
    UnitEstablished,
    UnitMerged,
    UnitRegistered,
    UnitRenamed,
)
from contracts.rejections import GenericReason
from services.registration import streams
from services.registration.domain import campaigns, directory, initiatives, records, registrations
from services.registration.domain.common import decide_first, refuse, vn_date
from services.registration.domain.initiatives import CouncilRule
from services.registration.queries import unit_of_person_on
from thidua.es.consumer import UnitOfWork
from thidua.es.store import ConcurrencyError


@dataclass(frozen=True)
class Settings:
    """The registration service's configurable rules."""

    council: CouncilRule = field(default_factory=CouncilRule)


@dataclass
class Command:
    """One incoming fact being decided, with the producing department and the store."""

    uow: UnitOfWork
    department: str
    settings: Settings

    async def history(self, stream: str) -> tuple[list[EventData], int]:
        recorded = await self.uow.load(stream)
        version = recorded[-1].version if recorded else 0
        return [r.event.payload() for r in recorded], version

    async def first(self, stream: str) -> EventData | None:
        payloads, _ = await self.history(stream)
        return payloads[0] if payloads else None

    async def record(self, stream: str, version: int, facts: Sequence[EventData]) -> None:
        if facts:
            await self.uow.append(stream, version, *facts)

    async def decide(
        self, stream: str, decide: Callable[[list[EventData]], Sequence[EventData]]
    ) -> None:
        """Load ``stream``, let the domain decide on its history, append what it decided."""
        payloads, version = await self.history(stream)
        await self.record(stream, version, decide(payloads))

    async def record_first(self, stream: str, fact: EventData, code: str, what: str) -> None:
        payloads, version = await self.history(stream)
        existing = payloads[0] if payloads else None
        await self.record(stream, version, decide_first(existing, fact, code, what))

    async def unit(self, unit_id: str) -> directory.Unit | None:
        payloads, _ = await self.history(streams.unit(unit_id))
        return directory.fold_unit(payloads)

    async def person(self, person_id: str) -> directory.Person | None:
        payloads, _ = await self.history(streams.person(person_id))
        return directory.fold_person(payloads)

    async def campaign(self, campaign_id: str) -> campaigns.Campaign | None:
        payloads, _ = await self.history(streams.campaign(campaign_id))
        return campaigns.fold(payloads)

    def own(self, department_code: str, field: str = "department_code") -> None:
        """The payload's department is the ingress topic's."""
        if department_code != self.department:
            raise refuse(
                GenericReason.FOREIGN_DEPARTMENT,
                f"Dữ liệu của Sở '{department_code}' được gửi qua kênh của Sở '{self.department}'",
                field,
            )

    async def own_unit(self, unit_id: str, field: str = "unit_id") -> directory.Unit:
        unit = await self.unit(unit_id)
        if unit is None:
            raise directory.unknown_unit(unit_id, field)
        if unit.department_code != self.department:
            raise directory.unit_of_other_department(unit, self.department, field)
        return unit

    async def active_unit(self, unit_id: str, day: date, field: str = "unit_id") -> directory.Unit:
        return directory.require_unit(
            await self.unit(unit_id), unit_id, self.department, day, field
        )

    async def own_person(self, person_id: str, field: str = "person_id") -> directory.Person:
        return directory.require_person(
            await self.person(person_id), person_id, self.department, field
        )

    async def own_authors(self, authors: Sequence[NamedPerson]) -> None:
        for index, author in enumerate(authors):
            if author.person_id is not None:
                await self.own_person(author.person_id, f"authors.{index}.person_id")

    async def known_department(self, code: str, field: str = "department_code") -> None:
        if await self.first(streams.department(code)) is None:
            raise refuse("directory.unknown_department", f"Sở '{code}' chưa được đăng ký", field)

    async def known_campaign(self, campaign_id: str | None) -> None:
        if campaign_id is not None and await self.campaign(campaign_id) is None:
            raise campaigns.unknown_campaign(campaign_id)


P = TypeVar("P", bound=EventData)
Decide = Callable[[Command, Any], Awaitable[None]]
HANDLERS: dict[type[EventData], Decide] = {}


def handles(kind: type[P]) -> Callable[[Callable[[Command, P], Awaitable[None]]], Decide]:
    def register(fn: Callable[[Command, P], Awaitable[None]]) -> Decide:
        HANDLERS[kind] = fn
        return fn

    return register


def make_handler(
    settings: Settings | None = None,
) -> Callable[[UnitOfWork, CloudEvent, EventData], Awaitable[None]]:
    """The ingress handler the runtime calls for every ``vn.thidua.registration.*`` event."""
    chosen = settings or Settings()

    async def handle(uow: UnitOfWork, event: CloudEvent, payload: EventData) -> None:
        department = topics.department_of_ingress(uow.incoming.topic)
        if department is None:
            raise refuse(
                "producer.not_ingress",
                f"Kênh {uow.incoming.topic} không phải kênh tiếp nhận của một Sở",
            )
        decide = HANDLERS.get(type(payload))
        if decide is None:
            raise refuse(
                GenericReason.NOT_SUBMITTABLE,
                f"Loại sự kiện {event.type} không được tiếp nhận",
                "type",
            )
        await decide(Command(uow, department, chosen), payload)

    return handle


# --- directory -------------------------------------------------------------------------------


@handles(MinistryRegistered)
async def ministry_registered(cmd: Command, p: MinistryRegistered) -> None:
    await cmd.record_first(
        streams.ministry(p.ministry_id), p, "directory.conflicting_duplicate", f"Bộ {p.ministry_id}"
    )


@handles(ProvinceRegistered)
async def province_registered(cmd: Command, p: ProvinceRegistered) -> None:
    await cmd.record_first(
        streams.province(p.province_id),
        p,
        "directory.conflicting_duplicate",
        f"Tỉnh {p.province_id}",
    )


@handles(DepartmentRegistered)
async def department_registered(cmd: Command, p: DepartmentRegistered) -> None:
    cmd.own(p.department_code)
    if await cmd.first(streams.ministry(p.ministry_id)) is None:
        raise refuse(
            "directory.unknown_ministry", f"Bộ '{p.ministry_id}' chưa được đăng ký", "ministry_id"
        )
    if await cmd.first(streams.province(p.province_id)) is None:
        raise refuse(
            "directory.unknown_province",
            f"Tỉnh '{p.province_id}' chưa được đăng ký",
            "province_id",
        )
    await cmd.record_first(
        streams.department(p.department_code),
        p,
        "directory.conflicting_duplicate",
        f"Sở {p.department_code}",
    )


@handles(UnitEstablished)
async def unit_established(cmd: Command, p: UnitEstablished) -> None:
    cmd.own(p.department_code)
    await cmd.known_department(p.department_code)
    parent = await cmd.unit(p.parent_unit_id) if p.parent_unit_id else None
    await cmd.decide(
        streams.unit(p.unit_id),
        lambda history: directory.decide_establish(directory.fold_unit(history), parent, p),
    )


async def _unit_change(cmd: Command, unit_id: str) -> tuple[directory.Unit, int]:
    await cmd.own_unit(unit_id)
    payloads, version = await cmd.history(streams.unit(unit_id))
    unit = directory.fold_unit(payloads)
    assert unit is not None
    return unit, version


@handles(UnitRenamed)
async def unit_renamed(cmd: Command, p: UnitRenamed) -> None:
    unit, version = await _unit_change(cmd, p.unit_id)
    await cmd.record(streams.unit(p.unit_id), version, directory.decide_rename(unit, p))


@handles(UnitMerged)
async def unit_merged(cmd: Command, p: UnitMerged) -> None:
    unit, version = await _unit_change(cmd, p.unit_id)
    into = await cmd.unit(p.into_unit_id)
    await cmd.record(streams.unit(p.unit_id), version, directory.decide_merge(unit, into, p))


@handles(UnitDissolved)
async def unit_dissolved(cmd: Command, p: UnitDissolved) -> None:
    unit, version = await _unit_change(cmd, p.unit_id)
    await cmd.record(streams.unit(p.unit_id), version, directory.decide_dissolve(unit, p))


async def _member_of(cmd: Command, member: BlocMember, field: str) -> str:
    """The department a bloc member belongs to (it must be in the directory)."""
    if member.member_kind == "department":
        await cmd.known_department(member.member_id, field)
        return member.member_id
    unit = await cmd.unit(member.member_id)
    if unit is None:
        raise directory.unknown_unit(member.member_id, field)
    return unit.department_code


async def _bloc_concerns(cmd: Command, members: Sequence[BlocMember]) -> None:
    """A department speaks for a bloc only if it, or one of its units, is a member."""
    departments = {await _member_of(cmd, m, f"members.{i}") for i, m in enumerate(members)}
    if cmd.department not in departments:
        raise refuse(
            "directory.foreign_bloc",
            f"Sở '{cmd.department}' và các đơn vị của Sở không phải thành viên của khối thi đua",
            "members",
        )


@handles(BlocFormed)
async def bloc_formed(cmd: Command, p: BlocFormed) -> None:
    await _bloc_concerns(cmd, p.members)
    await cmd.decide(
        streams.bloc(p.bloc_id),
        lambda history: directory.decide_form_bloc(directory.fold_bloc(history), p),
    )


@handles(BlocLeaderDesignated)
async def bloc_leader_designated(cmd: Command, p: BlocLeaderDesignated) -> None:
    payloads, version = await cmd.history(streams.bloc(p.bloc_id))
    bloc = directory.fold_bloc(payloads)
    if bloc is not None:
        await _bloc_concerns(cmd, bloc.formed.members)
    await cmd.record(streams.bloc(p.bloc_id), version, directory.decide_bloc_leader(bloc, p))


@handles(PersonJoined)
async def person_joined(cmd: Command, p: PersonJoined) -> None:
    cmd.own(p.department_code)
    unit = await cmd.unit(p.unit_id)
    await cmd.decide(
        streams.person(p.person_id),
        lambda history: directory.decide_join(directory.fold_person(history), unit, p),
    )


async def _person_change(cmd: Command, person_id: str) -> tuple[directory.Person, int]:
    payloads, version = await cmd.history(streams.person(person_id))
    person = directory.require_person(directory.fold_person(payloads), person_id, cmd.department)
    return person, version


@handles(PersonTransferred)
async def person_transferred(cmd: Command, p: PersonTransferred) -> None:
    person, version = await _person_change(cmd, p.person_id)
    to_unit = await cmd.unit(p.to_unit_id)
    facts = directory.decide_transfer(person, to_unit, p)
    await cmd.record(streams.person(p.person_id), version, facts)


@handles(PersonRoleChanged)
async def person_role_changed(cmd: Command, p: PersonRoleChanged) -> None:
    person, version = await _person_change(cmd, p.person_id)
    await cmd.record(streams.person(p.person_id), version, directory.decide_role_change(person, p))


@handles(PersonLeft)
async def person_left(cmd: Command, p: PersonLeft) -> None:
    person, version = await _person_change(cmd, p.person_id)
    await cmd.record(streams.person(p.person_id), version, directory.decide_leave(person, p))


@handles(OrganisationContactSet)
async def contact_set(cmd: Command, p: OrganisationContactSet) -> None:
    if p.org_kind is OrgKind.DEPARTMENT:
        cmd.own(p.org_id, "org_id")
    elif p.org_kind is OrgKind.UNIT:
        await cmd.own_unit(p.org_id, "org_id")
    else:
        raise refuse(
            "directory.foreign_organisation",
            "Sở chỉ khai báo địa chỉ liên hệ của Sở và các đơn vị của Sở",
            "org_kind",
        )
    stream = streams.contact(p.org_kind.value, p.org_id)
    payloads, version = await cmd.history(stream)
    if not payloads or payloads[-1] != p:
        await cmd.record(stream, version, [p])


# --- campaigns -------------------------------------------------------------------------------


@handles(CampaignLaunched)
async def campaign_launched(cmd: Command, p: CampaignLaunched) -> None:
    cmd.own(p.department_code)
    await cmd.known_department(p.department_code)
    stream = streams.campaign(p.campaign_id)
    payloads, version = await cmd.history(stream)
    issuer, year = campaigns.issuer_key(p), campaigns.document_year(p)
    holder: str | None = None
    if p.number is not None:
        holder = await cmd.uow.conn.fetchval(
            "SELECT campaign_id FROM campaign_numbers WHERE issuer = $1 AND year = $2 "
            "AND number = $3",
            issuer,
            year,
            p.number,
        )
    facts = campaigns.decide_launch(campaigns.fold(payloads), p, holder)
    if facts and p.number is not None:
        try:
            await cmd.uow.conn.execute(
                "INSERT INTO campaign_numbers (issuer, year, number, campaign_id) "
                "VALUES ($1, $2, $3, $4)",
                issuer,
                year,
                p.number,
                p.campaign_id,
            )
        except asyncpg.UniqueViolationError as exc:
            # A concurrent launch took the number first: decide again on the new state.
            raise ConcurrencyError(stream, version) from exc
    await cmd.record(stream, version, facts)


def _refuse_foreign(cmd: Command, owner: str, code: str, message: str, field: str) -> None:
    """Facts about another department's campaign or initiative are refused (rule 29)."""
    if owner != cmd.department:
        raise refuse(code, message, field)


async def _own_campaign(cmd: Command, campaign_id: str) -> tuple[campaigns.Campaign | None, int]:
    payloads, version = await cmd.history(streams.campaign(campaign_id))
    campaign = campaigns.fold(payloads)
    if campaign is not None:
        owner = campaign.plan.department_code
        _refuse_foreign(
            cmd,
            owner,
            "campaign.of_other_department",
            f"Phong trào {campaign_id} do Sở '{owner}' phát động",
            "campaign_id",
        )
    return campaign, version


@handles(CampaignAmended)
async def campaign_amended(cmd: Command, p: CampaignAmended) -> None:
    campaign, version = await _own_campaign(cmd, p.campaign_id)
    await cmd.record(streams.campaign(p.campaign_id), version, campaigns.decide_amend(campaign, p))


@handles(CampaignClosed)
async def campaign_closed(cmd: Command, p: CampaignClosed) -> None:
    campaign, version = await _own_campaign(cmd, p.campaign_id)
    await cmd.record(streams.campaign(p.campaign_id), version, campaigns.decide_close(campaign, p))


# --- registrations ---------------------------------------------------------------------------


async def _register(
    cmd: Command, p: UnitRegistered | IndividualRegistered, kind: SubjectKind, registrant: str
) -> None:
    stream = streams.registrant(p.campaign_id, kind, registrant)
    campaign = await cmd.campaign(p.campaign_id)
    await cmd.decide(
        stream,
        lambda history: registrations.decide_register(campaign, registrations.fold(history), p),
    )


@handles(UnitRegistered)
async def unit_registered(cmd: Command, p: UnitRegistered) -> None:
    cmd.own(p.department_code)
    await cmd.active_unit(p.unit_id, p.registered_on)
    await _register(cmd, p, SubjectKind.COLLECTIVE, p.unit_id)


@handles(IndividualRegistered)
async def individual_registered(cmd: Command, p: IndividualRegistered) -> None:
    cmd.own(p.department_code)
    person = await cmd.own_person(p.person_id)
    await cmd.active_unit(p.unit_id, p.registered_on)
    if await unit_of_person_on(cmd.unit, person, p.registered_on) != p.unit_id:
        raise refuse(
            "directory.person_not_in_unit",
            f"Ngày {vn_date(p.registered_on)} {person.full_name} không công tác tại đơn vị "
            f"{p.unit_id}",
            "unit_id",
        )
    await _register(cmd, p, SubjectKind.INDIVIDUAL, p.person_id)


@handles(RegistrationWithdrawn)
async def registration_withdrawn(cmd: Command, p: RegistrationWithdrawn) -> None:
    cmd.own(p.department_code)
    if p.registrant_kind is SubjectKind.COLLECTIVE:
        await cmd.own_unit(p.registrant_id, "registrant_id")
    else:
        await cmd.own_person(p.registrant_id, "registrant_id")
    stream = streams.registrant(p.campaign_id, p.registrant_kind, p.registrant_id)
    campaign = await cmd.campaign(p.campaign_id)
    await cmd.decide(
        stream,
        lambda history: registrations.decide_withdraw(campaign, registrations.fold(history), p),
    )


# --- initiatives, research, ratings, discipline ----------------------------------------------


@handles(InitiativeSubmitted)
async def initiative_submitted(cmd: Command, p: InitiativeSubmitted) -> None:
    cmd.own(p.department_code)
    await cmd.active_unit(p.unit_id, p.submitted_on)
    await cmd.own_authors(p.authors)
    await cmd.known_campaign(p.campaign_id)
    await cmd.decide(
        streams.initiative(p.initiative_id),
        lambda history: initiatives.decide_submit(initiatives.fold(history), p),
    )


async def _own_initiative(
    cmd: Command, initiative_id: str
) -> tuple[initiatives.Initiative | None, int]:
    payloads, version = await cmd.history(streams.initiative(initiative_id))
    state = initiatives.fold(payloads)
    if state is not None:
        owner = state.submitted.department_code
        _refuse_foreign(
            cmd,
            owner,
            "initiative.of_other_department",
            f"Sáng kiến {initiative_id} thuộc Sở '{owner}'",
            "initiative_id",
        )
    return state, version


@handles(InitiativeReviewed)
async def initiative_reviewed(cmd: Command, p: InitiativeReviewed) -> None:
    state, version = await _own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_review(state, p)
    await cmd.record(streams.initiative(p.initiative_id), version, facts)


@handles(InitiativeRecognized)
async def initiative_recognized(cmd: Command, p: InitiativeRecognized) -> None:
    state, version = await _own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_recognize(state, p, cmd.settings.council)
    await cmd.record(streams.initiative(p.initiative_id), version, facts)


@handles(InitiativeRejected)
async def initiative_rejected(cmd: Command, p: InitiativeRejected) -> None:
    state, version = await _own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_reject(state, p, cmd.settings.council)
    await cmd.record(streams.initiative(p.initiative_id), version, facts)


@handles(ResearchAccepted)
async def research_accepted(cmd: Command, p: ResearchAccepted) -> None:
    cmd.own(p.department_code)
    await cmd.active_unit(p.unit_id, p.accepted_on)
    await cmd.own_authors(p.authors)
    await cmd.known_campaign(p.campaign_id)
    await cmd.record_first(
        streams.research(p.research_id),
        p,
        "research.conflicting_duplicate",
        f"Đề tài {p.research_id}",
    )


async def _own_subject(cmd: Command, kind: SubjectKind, subject_id: str) -> None:
    if kind is SubjectKind.INDIVIDUAL:
        await cmd.own_person(subject_id, "subject_id")
    else:
        await cmd.own_unit(subject_id, "subject_id")


@handles(PerformanceRated)
async def performance_rated(cmd: Command, p: PerformanceRated) -> None:
    cmd.own(p.department_code)
    await _own_subject(cmd, p.subject_kind, p.subject_id)
    if p.unit_id is not None:
        await cmd.own_unit(p.unit_id)
    await cmd.record_first(
        streams.rating(p.subject_kind, p.subject_id, p.year),
        p,
        "rating.conflicting_duplicate",
        f"Xếp loại năm {p.year} của {p.subject_id}",
    )


@handles(DisciplineImposed)
async def discipline_imposed(cmd: Command, p: DisciplineImposed) -> None:
    cmd.own(p.department_code)
    await cmd.own_person(p.person_id)
    await cmd.own_unit(p.unit_id)
    if p.case_id is not None and await cmd.first(streams.case(p.case_id)) is None:
        raise refuse("case.unknown", f"Không có vụ việc mã {p.case_id}", "case_id")
    stream = streams.discipline(p.person_id)
    payloads, version = await cmd.history(stream)
    if p not in payloads:
        await cmd.record(stream, version, [p])


@handles(CaseOpened)
async def case_opened(cmd: Command, p: CaseOpened) -> None:
    cmd.own(p.department_code)
    await _own_subject(cmd, p.subject_kind, p.subject_id)
    await cmd.record_first(
        streams.case(p.case_id), p, "case.conflicting_duplicate", f"Vụ việc {p.case_id}"
    )


@handles(CaseClosed)
async def case_closed(cmd: Command, p: CaseClosed) -> None:
    payloads, version = await cmd.history(streams.case(p.case_id))
    case = records.fold_case(payloads)
    if case is None:
        raise refuse("case.unknown", f"Không có vụ việc mã {p.case_id}", "case_id")
    cmd.own(case.opened.department_code, "case_id")
    await cmd.record(streams.case(p.case_id), version, records.decide_close_case(case, p))
