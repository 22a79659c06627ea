"""The successor takes over (issue 16): a merged-away department's units (with their staff)
and open campaigns pass to its successor by an explicit fact, ``UnitTransferred`` or
``CampaignTransferred``, dated no earlier than the merger. From that day the successor speaks
for them; the ids never change, so their histories carry over."""

from __future__ import annotations

from contracts.base import EventData
from contracts.registration import CampaignTransferred, SuccessionEvent, UnitTransferred
from services.registration.domain.campaigns import Campaign, unknown_campaign
from services.registration.domain.common import refuse, vn_date
from services.registration.domain.units import Unit, unknown_unit
from thidua.es.succession import Successions


def _require_successor(fact: SuccessionEvent, chain: Successions) -> None:
    """``to`` speaks for ``from`` on the transfer's day: ``from`` had merged into it by then
    (directly or through a chain of mergers)."""
    day, old, new = fact.effective_on, fact.from_department_code, fact.to_department_code
    if chain.successor(old, day) == new and old != new:
        return
    merger = chain.merger(old)
    if merger is None:
        why = f"Sở '{old}' chưa hợp nhất vào Sở nào"
    elif merger.on > day:
        why = f"Sở '{old}' hợp nhất vào Sở '{merger.into}' từ ngày {vn_date(merger.on)}"
    else:
        why = f"ngày {vn_date(day)} Sở kế thừa Sở '{old}' là Sở '{chain.successor(old, day)}'"
    raise refuse(
        "directory.not_successor",
        f"Sở '{new}' không kế thừa Sở '{old}' vào ngày {vn_date(day)}: {why}",
        "to_department_code",
    )


def _not_owner(what: str, owner: str, fact: SuccessionEvent) -> Exception:
    return refuse(
        "directory.not_transferable",
        f"Ngày {vn_date(fact.effective_on)} {what} thuộc Sở '{owner}', không thuộc Sở "
        f"'{fact.from_department_code}'",
        "from_department_code",
    )


def _decide(
    fact: SuccessionEvent,
    done: tuple[SuccessionEvent, ...],
    owner: str,
    what: str,
    chain: Successions,
) -> list[EventData]:
    """``done``: the transfers already recorded; ``owner``: the department ``what`` belongs to
    on the transfer's day."""
    if fact in done:
        return []
    last = done[-1].effective_on if done else None
    if last is not None and fact.effective_on < last:
        raise refuse(
            "directory.effective_date_out_of_order",
            f"Ngày {vn_date(fact.effective_on)} trước lần chuyển giao gần nhất ({vn_date(last)})",
            "effective_on",
        )
    if owner != fact.from_department_code:
        raise _not_owner(what, owner, fact)
    _require_successor(fact, chain)
    return [fact]


def decide_unit_transfer(
    unit: Unit | None, fact: UnitTransferred, chain: Successions
) -> list[EventData]:
    if unit is None:
        raise unknown_unit(fact.unit_id)
    if fact not in unit.transfers and not unit.active_on(fact.effective_on):
        raise refuse(
            "directory.unit_inactive",
            f"Đơn vị {unit.name} không hoạt động vào ngày {vn_date(fact.effective_on)}",
            "unit_id",
        )
    owner = unit.department_on(fact.effective_on)
    what = f"đơn vị {unit.name} ({unit.unit_id})"
    return _decide(fact, unit.transfers, owner, what, chain)


def decide_campaign_transfer(
    campaign: Campaign | None, fact: CampaignTransferred, chain: Successions
) -> list[EventData]:
    if campaign is None:
        raise unknown_campaign(fact.campaign_id)
    closed = campaign.closed
    if fact not in campaign.transfers and closed and closed.closed_on <= fact.effective_on:
        raise refuse(
            "campaign.closed",
            f"Phong trào đã kết thúc ngày {vn_date(closed.closed_on)}: chỉ chuyển giao phong "
            "trào đang diễn ra",
            "campaign_id",
        )
    owner = campaign.owner_on(fact.effective_on)
    what = f"phong trào {fact.campaign_id}"
    return _decide(fact, campaign.transfers, owner, what, chain)
