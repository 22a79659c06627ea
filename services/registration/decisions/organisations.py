"""Decisions on the lifecycles of ministries, provinces and departments, and on the successor's
transfers of units and campaigns (issue 16, DOMAIN.md §8).

Who may send them (``domain/boards.py``): a department's changes come from the board of its
province (or of that province's successor on the day); a province's from its own board or its
successor's; a ministry's from any province's board. A unit or a campaign passes to the
successor by the successor itself or by its province's board.
"""

from __future__ import annotations

from datetime import date

from contracts import topics
from contracts.base import EventData
from contracts.common import OrgKind
from contracts.registration import (
    CampaignTransferred,
    DepartmentDissolved,
    DepartmentMerged,
    DepartmentRenamed,
    MinistryDissolved,
    MinistryMerged,
    MinistryRenamed,
    ProvinceDissolved,
    ProvinceMerged,
    ProvinceRenamed,
    SuccessionEvent,
    UnitTransferred,
)
from services.registration import streams
from services.registration.domain import boards, organisations, transfers
from services.registration.domain.organisations import (
    KIND_OF,
    Change,
    Organisation,
    code_of,
    into_of,
)
from services.registration.registrar import Registrar
from thidua.es.decider import Emit, foreign_department

_WHAT: dict[type[EventData], str] = {
    MinistryRenamed: "đổi tên Bộ",
    MinistryMerged: "hợp nhất Bộ",
    MinistryDissolved: "giải thể Bộ",
    ProvinceRenamed: "đổi tên tỉnh",
    ProvinceMerged: "hợp nhất tỉnh",
    ProvinceDissolved: "giải thể tỉnh",
    DepartmentRenamed: "đổi tên Sở",
    DepartmentMerged: "hợp nhất Sở",
    DepartmentDissolved: "giải thể Sở",
}


def provinces_speaking(cmd: Registrar, province_id: str, day: date) -> list[str]:
    """The province and its successor on ``day``: either's board speaks for its directory."""
    chain = cmd.lineage(OrgKind.PROVINCE, province_id).chain
    return [province_id, chain.successor(province_id, day)]


def _authorised(cmd: Registrar, p: Change, org: Organisation | None) -> None:
    kind, what = KIND_OF[type(p)], f"{_WHAT[type(p)]} '{code_of(p)}'"
    if kind is OrgKind.MINISTRY or org is None:
        boards.require_board(cmd.department, what)  # unknown: any board hears the refusal
        return
    province = org.code if kind is OrgKind.PROVINCE else org.province
    provinces = provinces_speaking(cmd, province, p.effective_on)
    if isinstance(p, ProvinceMerged):
        provinces.append(p.into_province_id)
    boards.require_board_of(cmd.department, what, provinces)


def organisation_changed(cmd: Registrar, p: Change) -> list[Emit]:
    """Renamed, merged, dissolved: appended to the organisation's own stream."""
    kind, code = KIND_OF[type(p)], code_of(p)
    stream = streams.organisation(kind, code)
    org = cmd.organisation(kind, code)
    _authorised(cmd, p, org)
    if org is None:
        raise organisations.unknown(kind, code)
    if isinstance(p, MinistryMerged | ProvinceMerged | DepartmentMerged):
        into = into_of(p)
        lineage = cmd.lineage(kind, code, into)
        facts = organisations.decide_merge(org, lineage.known.get(into), p, lineage)
    elif isinstance(p, MinistryRenamed | ProvinceRenamed | DepartmentRenamed):
        facts = organisations.decide_rename(org, p, cmd.lineage(kind, code))
    else:
        facts = organisations.decide_dissolve(org, p, cmd.lineage(kind, code))
    return cmd.emit(stream, facts)


# --- the successor takes over ----------------------------------------------------------------


def _successor_speaks(cmd: Registrar, p: SuccessionEvent, what: str) -> None:
    """The successor itself, or the board of its province (or of that province's successor)."""
    to, day = p.to_department_code, p.effective_on
    if cmd.department != to and not topics.is_board(cmd.department):
        raise foreign_department(to, cmd.department, "to_department_code")
    successor = cmd.standing(OrgKind.DEPARTMENT, to, day, "to_department_code")
    if successor is None:
        if cmd.department != to:
            boards.require_board(cmd.department, what)
        raise organisations.unknown(OrgKind.DEPARTMENT, to, "to_department_code")
    if cmd.department != to:
        boards.require_board_of(
            cmd.department, what, provinces_speaking(cmd, successor.province, day)
        )


def unit_transferred(cmd: Registrar, p: UnitTransferred) -> list[Emit]:
    _successor_speaks(cmd, p, f"chuyển giao đơn vị '{p.unit_id}'")
    chain = cmd.lineage(OrgKind.DEPARTMENT, p.from_department_code).chain
    facts = transfers.decide_unit_transfer(cmd.unit(p.unit_id), p, chain)
    return cmd.emit(streams.unit(p.unit_id), facts)


def campaign_transferred(cmd: Registrar, p: CampaignTransferred) -> list[Emit]:
    _successor_speaks(cmd, p, f"chuyển giao phong trào '{p.campaign_id}'")
    chain = cmd.lineage(OrgKind.DEPARTMENT, p.from_department_code).chain
    facts = transfers.decide_campaign_transfer(cmd.campaign(p.campaign_id), p, chain)
    return cmd.emit(streams.campaign(p.campaign_id), facts)
