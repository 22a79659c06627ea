"""Decisions on the directory (ministries, provinces, departments, units, blocs, people,
contacts) and on campaigns (plans, amendments, closings)."""

from __future__ import annotations

from collections.abc import Sequence

from contracts.common import OrgKind
from contracts.registration import (
    BlocFormed,
    BlocLeaderDesignated,
    BlocMember,
    BlocRanked,
    CampaignAmended,
    CampaignClosed,
    CampaignLaunched,
    DepartmentRegistered,
    MinistryRegistered,
    OrganisationContactSet,
    PersonJoined,
    PersonLeft,
    PersonRoleChanged,
    PersonTransferred,
    ProvinceRegistered,
    UnitDissolved,
    UnitEstablished,
    UnitMerged,
    UnitRenamed,
)
from services.registration import streams
from services.registration.decisions.organisations import provinces_speaking
from services.registration.domain import blocs, boards, campaigns, people, units
from services.registration.domain.common import refuse
from services.registration.registrar import Registrar
from thidua.es.decider import Emit

# --- directory -------------------------------------------------------------------------------


def ministry_registered(cmd: Registrar, p: MinistryRegistered) -> list[Emit]:
    boards.require_board(cmd.department, "đăng ký Bộ")
    return cmd.emit_first(
        streams.ministry(p.ministry_id), p, "directory.conflicting_duplicate", f"Bộ {p.ministry_id}"
    )


def province_registered(cmd: Registrar, p: ProvinceRegistered) -> list[Emit]:
    boards.require_board(cmd.department, f"đăng ký tỉnh '{p.province_id}'", p.province_id)
    return cmd.emit_first(
        streams.province(p.province_id),
        p,
        "directory.conflicting_duplicate",
        f"Tỉnh {p.province_id}",
    )


def department_registered(cmd: Registrar, p: DepartmentRegistered) -> list[Emit]:
    boards.require_board(cmd.department, f"đặt Sở vào tỉnh '{p.province_id}'", p.province_id)
    boards.require_department_code(p.department_code)
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
    if p.established_on is not None:  # a department founded in a province, under a ministry,
        # that still existed on its founding day (issue 16)
        cmd.standing(OrgKind.PROVINCE, p.province_id, p.established_on)
        cmd.standing(OrgKind.MINISTRY, p.ministry_id, p.established_on)
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
    return cmd.emit(streams.unit(p.unit_id), units.decide_establish(cmd.unit(p.unit_id), parent, p))


def unit_renamed(cmd: Registrar, p: UnitRenamed) -> list[Emit]:
    unit = cmd.own_unit(p.unit_id)
    return cmd.emit(streams.unit(p.unit_id), units.decide_rename(unit, p))


def unit_merged(cmd: Registrar, p: UnitMerged) -> list[Emit]:
    cmd.cmd.need(streams.unit(p.unit_id), streams.unit(p.into_unit_id))
    unit = cmd.own_unit(p.unit_id)
    into = cmd.unit(p.into_unit_id)
    return cmd.emit(streams.unit(p.unit_id), units.decide_merge(unit, into, p))


def unit_dissolved(cmd: Registrar, p: UnitDissolved) -> list[Emit]:
    unit = cmd.own_unit(p.unit_id)
    return cmd.emit(streams.unit(p.unit_id), units.decide_dissolve(unit, p))


def _member_of(cmd: Registrar, member: BlocMember, field: str) -> str:
    """The department a bloc member belongs to (it must be in the directory)."""
    if member.member_kind == "department":
        cmd.known_department(member.member_id, field)
        cmd.standing(OrgKind.DEPARTMENT, member.member_id, cmd.day, field)
        return member.member_id
    unit = cmd.unit(member.member_id)
    if unit is None:
        raise units.unknown_unit(member.member_id, field)
    return unit.department_on(cmd.day)


def _bloc_concerns(cmd: Registrar, members: Sequence[BlocMember]) -> None:
    """A department speaks for a bloc only if it, or one of its units, is a member."""
    if cmd.department not in _departments(cmd, members):
        raise refuse(
            "directory.foreign_bloc",
            f"Sở '{cmd.department}' và các đơn vị của Sở không phải thành viên của khối thi đua",
            "members",
        )


def bloc_formed(cmd: Registrar, p: BlocFormed) -> list[Emit]:
    _bloc_concerns(cmd, p.members)
    bloc = blocs.fold_bloc(cmd.history(streams.bloc(p.bloc_id))[0])
    return cmd.emit(streams.bloc(p.bloc_id), blocs.decide_form_bloc(bloc, p))


def bloc_leader_designated(cmd: Registrar, p: BlocLeaderDesignated) -> list[Emit]:
    bloc = blocs.fold_bloc(cmd.history(streams.bloc(p.bloc_id))[0])
    if bloc is not None:
        _bloc_concerns(cmd, bloc.formed.members)
    return cmd.emit(streams.bloc(p.bloc_id), blocs.decide_bloc_leader(bloc, p))


def bloc_ranked(cmd: Registrar, p: BlocRanked) -> list[Emit]:
    """Only the board of the province of the bloc's members (or of its successor on the day)
    ranks a bloc (issue 17)."""
    bloc = blocs.fold_bloc(cmd.history(streams.bloc(p.bloc_id))[0])
    if bloc is not None:
        provinces = [
            province
            for code in _departments(cmd, bloc.formed.members)
            if (org := cmd.organisation(OrgKind.DEPARTMENT, code)) is not None
            for province in provinces_speaking(cmd, org.province, p.ranked_on)
        ]
        boards.require_board_of(cmd.department, f"xếp hạng {bloc.formed.name}", provinces)
    return cmd.emit(streams.bloc(p.bloc_id), blocs.decide_bloc_ranking(bloc, p))


def _departments(cmd: Registrar, members: Sequence[BlocMember]) -> list[str]:
    cmd.cmd.need(
        *(
            streams.department(m.member_id)
            if m.member_kind == "department"
            else streams.unit(m.member_id)
            for m in members
        )
    )
    return list(dict.fromkeys(_member_of(cmd, m, f"members.{i}") for i, m in enumerate(members)))


def person_joined(cmd: Registrar, p: PersonJoined) -> list[Emit]:
    cmd.cmd.need(streams.unit(p.unit_id), streams.person(p.person_id))
    unit = cmd.unit(p.unit_id)
    person = cmd.person(p.person_id)
    return cmd.emit(streams.person(p.person_id), people.decide_join(person, unit, p))


def person_transferred(cmd: Registrar, p: PersonTransferred) -> list[Emit]:
    cmd.cmd.need(streams.person(p.person_id), streams.unit(p.to_unit_id))
    person = cmd.own_person(p.person_id)
    to_unit = cmd.unit(p.to_unit_id)
    facts = people.decide_transfer(person, to_unit, p, cmd.department)
    return cmd.emit(streams.person(p.person_id), facts)


def person_role_changed(cmd: Registrar, p: PersonRoleChanged) -> list[Emit]:
    person = cmd.own_person(p.person_id)
    return cmd.emit(streams.person(p.person_id), people.decide_role_change(person, p))


def person_left(cmd: Registrar, p: PersonLeft) -> list[Emit]:
    person = cmd.own_person(p.person_id)
    return cmd.emit(streams.person(p.person_id), people.decide_leave(person, p))


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


def own_campaign(cmd: Registrar, campaign_id: str) -> campaigns.Campaign | None:
    campaign = cmd.campaign(campaign_id)
    if campaign is not None:
        owner = campaign.owner_on(cmd.day)
        what = f"phong trào {campaign_id}"
        if owner != cmd.department:
            cmd.not_transferred(owner, cmd.day, "campaign_id", what, "CampaignTransferred")
        cmd.refuse_foreign(
            owner,
            "campaign.of_other_department",
            f"Phong trào {campaign_id} do Sở '{owner}' phát động",
            "campaign_id",
        )
    return campaign


def campaign_amended(cmd: Registrar, p: CampaignAmended) -> list[Emit]:
    campaign = own_campaign(cmd, p.campaign_id)
    return cmd.emit(streams.campaign(p.campaign_id), campaigns.decide_amend(campaign, p))


def campaign_closed(cmd: Registrar, p: CampaignClosed) -> list[Emit]:
    campaign = own_campaign(cmd, p.campaign_id)
    return cmd.emit(streams.campaign(p.campaign_id), campaigns.decide_close(campaign, p))
