"""Registration's decisions: for each fact a department submits, the streams it reads and the
facts it appends, as a table the kernel runs (``decider``).

Every decision is pure: it reads streams through a :class:`Registrar` (loaded by the kernel, in
batches) and returns what to append, or raises a refusal. The producing department is the
ingress topic's; facts about another department's units, people, campaigns or initiatives are
refused (DOMAIN rule 29).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from contracts.base import EventData
from contracts.common import OrgKind, SubjectKind
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
from services.registration import streams
from services.registration.domain import campaigns, directory, initiatives, records, registrations
from services.registration.domain.common import refuse
from services.registration.registrar import Registrar, Settings, person_not_in_unit
from thidua.es.decider import Command, Decider, Emit

__all__ = ["Settings", "decider"]

# --- directory -------------------------------------------------------------------------------


def ministry_registered(cmd: Registrar, p: MinistryRegistered) -> list[Emit]:
    return cmd.emit_first(
        streams.ministry(p.ministry_id), p, "directory.conflicting_duplicate", f"Bộ {p.ministry_id}"
    )


def province_registered(cmd: Registrar, p: ProvinceRegistered) -> list[Emit]:
    return cmd.emit_first(
        streams.province(p.province_id),
        p,
        "directory.conflicting_duplicate",
        f"Tỉnh {p.province_id}",
    )


def department_registered(cmd: Registrar, p: DepartmentRegistered) -> list[Emit]:
    ministry, province = streams.ministry(p.ministry_id), streams.province(p.province_id)
    cmd.cmd.need(ministry, province, streams.department(p.department_code))
    if cmd.first(ministry) is None:
        raise refuse(
            "directory.unknown_ministry", f"Bộ '{p.ministry_id}' chưa được đăng ký", "ministry_id"
        )
    if cmd.first(province) is None:
        raise refuse(
            "directory.unknown_province",
            f"Tỉnh '{p.province_id}' chưa được đăng ký",
            "province_id",
        )
    return cmd.emit_first(
        streams.department(p.department_code),
        p,
        "directory.conflicting_duplicate",
        f"Sở {p.department_code}",
    )


def unit_established(cmd: Registrar, p: UnitEstablished) -> list[Emit]:
    cmd.cmd.need(
        streams.department(p.department_code),
        streams.unit(p.unit_id),
        *([streams.unit(p.parent_unit_id)] if p.parent_unit_id else []),
    )
    cmd.known_department(p.department_code)
    parent = cmd.unit(p.parent_unit_id) if p.parent_unit_id else None
    return cmd.emit(
        streams.unit(p.unit_id), directory.decide_establish(cmd.unit(p.unit_id), parent, p)
    )


def unit_renamed(cmd: Registrar, p: UnitRenamed) -> list[Emit]:
    unit = cmd.own_unit(p.unit_id)
    return cmd.emit(streams.unit(p.unit_id), directory.decide_rename(unit, p))


def unit_merged(cmd: Registrar, p: UnitMerged) -> list[Emit]:
    cmd.cmd.need(streams.unit(p.unit_id), streams.unit(p.into_unit_id))
    unit = cmd.own_unit(p.unit_id)
    into = cmd.unit(p.into_unit_id)
    return cmd.emit(streams.unit(p.unit_id), directory.decide_merge(unit, into, p))


def unit_dissolved(cmd: Registrar, p: UnitDissolved) -> list[Emit]:
    unit = cmd.own_unit(p.unit_id)
    return cmd.emit(streams.unit(p.unit_id), directory.decide_dissolve(unit, p))


def _member_of(cmd: Registrar, member: BlocMember, field: str) -> str:
    """The department a bloc member belongs to (it must be in the directory)."""
    if member.member_kind == "department":
        cmd.known_department(member.member_id, field)
        return member.member_id
    unit = cmd.unit(member.member_id)
    if unit is None:
        raise directory.unknown_unit(member.member_id, field)
    return unit.department_code


def _bloc_concerns(cmd: Registrar, members: Sequence[BlocMember]) -> None:
    """A department speaks for a bloc only if it, or one of its units, is a member."""
    cmd.cmd.need(
        *(
            streams.department(m.member_id)
            if m.member_kind == "department"
            else streams.unit(m.member_id)
            for m in members
        )
    )
    departments = {_member_of(cmd, m, f"members.{i}") for i, m in enumerate(members)}
    if cmd.department not in departments:
        raise refuse(
            "directory.foreign_bloc",
            f"Sở '{cmd.department}' và các đơn vị của Sở không phải thành viên của khối thi đua",
            "members",
        )


def bloc_formed(cmd: Registrar, p: BlocFormed) -> list[Emit]:
    _bloc_concerns(cmd, p.members)
    bloc = directory.fold_bloc(cmd.history(streams.bloc(p.bloc_id))[0])
    return cmd.emit(streams.bloc(p.bloc_id), directory.decide_form_bloc(bloc, p))


def bloc_leader_designated(cmd: Registrar, p: BlocLeaderDesignated) -> list[Emit]:
    bloc = directory.fold_bloc(cmd.history(streams.bloc(p.bloc_id))[0])
    if bloc is not None:
        _bloc_concerns(cmd, bloc.formed.members)
    return cmd.emit(streams.bloc(p.bloc_id), directory.decide_bloc_leader(bloc, p))


def person_joined(cmd: Registrar, p: PersonJoined) -> list[Emit]:
    cmd.cmd.need(streams.unit(p.unit_id), streams.person(p.person_id))
    unit = cmd.unit(p.unit_id)
    person = cmd.person(p.person_id)
    return cmd.emit(streams.person(p.person_id), directory.decide_join(person, unit, p))


def _person_change(cmd: Registrar, person_id: str) -> directory.Person:
    return directory.require_person(cmd.person(person_id), person_id, cmd.department)


def person_transferred(cmd: Registrar, p: PersonTransferred) -> list[Emit]:
    cmd.cmd.need(streams.person(p.person_id), streams.unit(p.to_unit_id))
    person = _person_change(cmd, p.person_id)
    to_unit = cmd.unit(p.to_unit_id)
    return cmd.emit(streams.person(p.person_id), directory.decide_transfer(person, to_unit, p))


def person_role_changed(cmd: Registrar, p: PersonRoleChanged) -> list[Emit]:
    person = _person_change(cmd, p.person_id)
    return cmd.emit(streams.person(p.person_id), directory.decide_role_change(person, p))


def person_left(cmd: Registrar, p: PersonLeft) -> list[Emit]:
    person = _person_change(cmd, p.person_id)
    return cmd.emit(streams.person(p.person_id), directory.decide_leave(person, p))


def contact_set(cmd: Registrar, p: OrganisationContactSet) -> list[Emit]:
    if p.org_kind is OrgKind.DEPARTMENT:
        cmd.own(p.org_id, "org_id")
    elif p.org_kind is OrgKind.UNIT:
        cmd.own_unit(p.org_id, "org_id")
    else:
        raise refuse(
            "directory.foreign_organisation",
            "Sở chỉ khai báo địa chỉ liên hệ của Sở và các đơn vị của Sở",
            "org_kind",
        )
    stream = streams.contact(p.org_kind.value, p.org_id)
    payloads, _ = cmd.history(stream)
    return cmd.emit(stream, [p] if not payloads or payloads[-1] != p else [])


# --- campaigns -------------------------------------------------------------------------------


def campaign_launched(cmd: Registrar, p: CampaignLaunched) -> list[Emit]:
    """A plan number is unique per issuer and document year (rule 27): the number is a stream
    of its own, claimed by the launch in the same append, so two launches racing for it
    conflict on its version."""
    stream = streams.campaign(p.campaign_id)
    number = (
        streams.campaign_number(campaigns.issuer_key(p), campaigns.document_year(p), p.number)
        if p.number is not None
        else None
    )
    cmd.cmd.need(stream, streams.department(p.department_code), *([number] if number else []))
    cmd.known_department(p.department_code)
    holder = cmd.first(number) if number else None
    holder_id = holder.campaign_id if isinstance(holder, CampaignLaunched) else None
    facts = campaigns.decide_launch(cmd.campaign(p.campaign_id), p, holder_id)
    claim = cmd.emit(number, facts) if number and holder is None else []
    return cmd.emit(stream, facts) + claim


def _own_campaign(cmd: Registrar, campaign_id: str) -> campaigns.Campaign | None:
    campaign = cmd.campaign(campaign_id)
    if campaign is not None:
        owner = campaign.plan.department_code
        cmd.refuse_foreign(
            owner,
            "campaign.of_other_department",
            f"Phong trào {campaign_id} do Sở '{owner}' phát động",
            "campaign_id",
        )
    return campaign


def campaign_amended(cmd: Registrar, p: CampaignAmended) -> list[Emit]:
    campaign = _own_campaign(cmd, p.campaign_id)
    return cmd.emit(streams.campaign(p.campaign_id), campaigns.decide_amend(campaign, p))


def campaign_closed(cmd: Registrar, p: CampaignClosed) -> list[Emit]:
    campaign = _own_campaign(cmd, p.campaign_id)
    return cmd.emit(streams.campaign(p.campaign_id), campaigns.decide_close(campaign, p))


# --- registrations ---------------------------------------------------------------------------


def _register(
    cmd: Registrar, p: UnitRegistered | IndividualRegistered, kind: SubjectKind, registrant: str
) -> list[Emit]:
    stream = streams.registrant(p.campaign_id, kind, registrant)
    cmd.cmd.need(stream, streams.campaign(p.campaign_id))
    registrant_state = registrations.fold(cmd.history(stream)[0])
    facts = registrations.decide_register(cmd.campaign(p.campaign_id), registrant_state, p)
    return cmd.emit(stream, facts)


def unit_registered(cmd: Registrar, p: UnitRegistered) -> list[Emit]:
    cmd.cmd.need(
        streams.unit(p.unit_id),
        streams.campaign(p.campaign_id),
        streams.registrant(p.campaign_id, SubjectKind.COLLECTIVE, p.unit_id),
    )
    cmd.active_unit(p.unit_id, p.registered_on)
    return _register(cmd, p, SubjectKind.COLLECTIVE, p.unit_id)


def individual_registered(cmd: Registrar, p: IndividualRegistered) -> list[Emit]:
    cmd.cmd.need(
        streams.person(p.person_id),
        streams.unit(p.unit_id),
        streams.campaign(p.campaign_id),
        streams.registrant(p.campaign_id, SubjectKind.INDIVIDUAL, p.person_id),
    )
    person = cmd.own_person(p.person_id)
    cmd.active_unit(p.unit_id, p.registered_on)
    if cmd.unit_of_person_on(person, p.registered_on) != p.unit_id:
        raise person_not_in_unit(person, p.unit_id, p.registered_on)
    return _register(cmd, p, SubjectKind.INDIVIDUAL, p.person_id)


def registration_withdrawn(cmd: Registrar, p: RegistrationWithdrawn) -> list[Emit]:
    if p.registrant_kind is SubjectKind.COLLECTIVE:
        cmd.own_unit(p.registrant_id, "registrant_id")
    else:
        cmd.own_person(p.registrant_id, "registrant_id")
    stream = streams.registrant(p.campaign_id, p.registrant_kind, p.registrant_id)
    registrant = registrations.fold(cmd.history(stream)[0])
    facts = registrations.decide_withdraw(cmd.campaign(p.campaign_id), registrant, p)
    return cmd.emit(stream, facts)


# --- initiatives, research, ratings, discipline ----------------------------------------------


def initiative_submitted(cmd: Registrar, p: InitiativeSubmitted) -> list[Emit]:
    cmd.active_unit(p.unit_id, p.submitted_on)
    cmd.own_authors(p.authors)
    cmd.known_campaign(p.campaign_id)
    stream = streams.initiative(p.initiative_id)
    state = initiatives.fold(cmd.history(stream)[0])
    return cmd.emit(stream, initiatives.decide_submit(state, p))


def _own_initiative(cmd: Registrar, initiative_id: str) -> initiatives.Initiative | None:
    state = initiatives.fold(cmd.history(streams.initiative(initiative_id))[0])
    if state is not None:
        owner = state.submitted.department_code
        cmd.refuse_foreign(
            owner,
            "initiative.of_other_department",
            f"Sáng kiến {initiative_id} thuộc Sở '{owner}'",
            "initiative_id",
        )
    return state


def initiative_reviewed(cmd: Registrar, p: InitiativeReviewed) -> list[Emit]:
    state = _own_initiative(cmd, p.initiative_id)
    return cmd.emit(streams.initiative(p.initiative_id), initiatives.decide_review(state, p))


def initiative_recognized(cmd: Registrar, p: InitiativeRecognized) -> list[Emit]:
    state = _own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_recognize(state, p, cmd.settings.council)
    return cmd.emit(streams.initiative(p.initiative_id), facts)


def initiative_rejected(cmd: Registrar, p: InitiativeRejected) -> list[Emit]:
    state = _own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_reject(state, p, cmd.settings.council)
    return cmd.emit(streams.initiative(p.initiative_id), facts)


def research_accepted(cmd: Registrar, p: ResearchAccepted) -> list[Emit]:
    cmd.active_unit(p.unit_id, p.accepted_on)
    cmd.own_authors(p.authors)
    cmd.known_campaign(p.campaign_id)
    return cmd.emit_first(
        streams.research(p.research_id),
        p,
        "research.conflicting_duplicate",
        f"Đề tài {p.research_id}",
    )


def _own_subject(cmd: Registrar, kind: SubjectKind, subject_id: str) -> None:
    if kind is SubjectKind.INDIVIDUAL:
        cmd.own_person(subject_id, "subject_id")
    else:
        cmd.own_unit(subject_id, "subject_id")


def performance_rated(cmd: Registrar, p: PerformanceRated) -> list[Emit]:
    _own_subject(cmd, p.subject_kind, p.subject_id)
    if p.unit_id is not None:
        cmd.own_unit(p.unit_id)
    return cmd.emit_first(
        streams.rating(p.subject_kind, p.subject_id, p.year),
        p,
        "rating.conflicting_duplicate",
        f"Xếp loại năm {p.year} của {p.subject_id}",
    )


def discipline_imposed(cmd: Registrar, p: DisciplineImposed) -> list[Emit]:
    cmd.own_person(p.person_id)
    cmd.own_unit(p.unit_id)
    if p.case_id is not None and cmd.first(streams.case(p.case_id)) is None:
        raise refuse("case.unknown", f"Không có vụ việc mã {p.case_id}", "case_id")
    stream = streams.discipline(p.person_id)
    payloads, _ = cmd.history(stream)
    return cmd.emit(stream, [] if p in payloads else [p])


def case_opened(cmd: Registrar, p: CaseOpened) -> list[Emit]:
    _own_subject(cmd, p.subject_kind, p.subject_id)
    return cmd.emit_first(
        streams.case(p.case_id), p, "case.conflicting_duplicate", f"Vụ việc {p.case_id}"
    )


def case_closed(cmd: Registrar, p: CaseClosed) -> list[Emit]:
    case = records.fold_case(cmd.history(streams.case(p.case_id))[0])
    if case is None:
        raise refuse("case.unknown", f"Không có vụ việc mã {p.case_id}", "case_id")
    cmd.own(case.opened.department_code, "case_id")
    return cmd.emit(streams.case(p.case_id), records.decide_close_case(case, p))


# --- the table -------------------------------------------------------------------------------


def _code(p: Any) -> str:
    return str(p.department_code)


Decision = Callable[[Registrar, Any], list[Emit]]

TABLE: list[tuple[type[EventData], Decision, Callable[[Any], str] | None]] = [
    (MinistryRegistered, ministry_registered, None),
    (ProvinceRegistered, province_registered, None),
    (DepartmentRegistered, department_registered, _code),
    (UnitEstablished, unit_established, _code),
    (UnitRenamed, unit_renamed, None),
    (UnitMerged, unit_merged, None),
    (UnitDissolved, unit_dissolved, None),
    (BlocFormed, bloc_formed, None),
    (BlocLeaderDesignated, bloc_leader_designated, None),
    (PersonJoined, person_joined, _code),
    (PersonTransferred, person_transferred, None),
    (PersonRoleChanged, person_role_changed, None),
    (PersonLeft, person_left, None),
    (OrganisationContactSet, contact_set, None),
    (CampaignLaunched, campaign_launched, _code),
    (CampaignAmended, campaign_amended, None),
    (CampaignClosed, campaign_closed, None),
    (UnitRegistered, unit_registered, _code),
    (IndividualRegistered, individual_registered, _code),
    (RegistrationWithdrawn, registration_withdrawn, _code),
    (InitiativeSubmitted, initiative_submitted, _code),
    (InitiativeReviewed, initiative_reviewed, None),
    (InitiativeRecognized, initiative_recognized, None),
    (InitiativeRejected, initiative_rejected, None),
    (ResearchAccepted, research_accepted, _code),
    (PerformanceRated, performance_rated, _code),
    (DisciplineImposed, discipline_imposed, _code),
    (CaseOpened, case_opened, _code),
    (CaseClosed, case_closed, None),
]
"""Incoming type → its decision → the payload's department (checked by the kernel)."""


def decider(settings: Settings | None = None) -> Decider:
    """Registration's table, with its configurable rules."""
    chosen = settings or Settings()
    table = Decider()
    for kind, decide, department in TABLE:
        table.add(kind, _bound(decide, chosen), department=department)
    return table


def _bound(decide: Decision, settings: Settings) -> Callable[[Command[Any]], Sequence[Emit]]:
    def run(command: Command[Any]) -> Sequence[Emit]:
        registrar = Registrar(command, settings)
        registrar.department  # noqa: B018 (registration reads department ingress topics only)
        return decide(registrar, command.payload)

    return run
