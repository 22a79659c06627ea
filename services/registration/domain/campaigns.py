"""Campaigns (phong trào thi đua): launch, amend, close, and when registration is open."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from contracts.base import EventData
from contracts.common import OrgLevel
from contracts.registration import (
    CampaignAmended,
    CampaignClosed,
    CampaignLaunched,
    CampaignTransferred,
)
from services.registration.domain.common import as_of, refuse, refuse_all, vn_date
from thidua.es.rejections import Reason

IMPLEMENTING_LEVELS = frozenset(
    {OrgLevel.UNIT, OrgLevel.COMMUNE, OrgLevel.CITY, OrgLevel.DEPARTMENT}
)
"""Levels whose plans implement a higher document and must name it (DOMAIN rule 27)."""

_AMENDABLE = (
    "title",
    "theme",
    "slogan",
    "period",
    "sub_movements",
    "phases",
    "economic_targets",
    "emulation_targets",
    "qualitative_targets",
    "deadlines",
    "recipients",
)


@dataclass(frozen=True)
class Campaign:
    """A campaign as its stream tells it: the original launch, the plan in force, the end."""

    origin: CampaignLaunched
    plan: CampaignLaunched
    closed: CampaignClosed | None = None
    transfers: tuple[CampaignTransferred, ...] = ()
    """To the successors of the launching department (issue 16), in order."""

    def owner_on(self, day: date | None) -> str:
        """The department that runs the campaign on ``day`` (None: now)."""
        moves = ((t.effective_on, t.to_department_code) for t in self.transfers)
        return as_of(self.plan.department_code, moves, day)

    @property
    def registration_opens(self) -> date:
        """Registration opens when the plan is issued (or its period starts, if undated)."""
        return self.plan.issued_on or self.plan.period.start

    @property
    def registration_closes(self) -> date:
        """The plan's registration deadline, or the end of its period when it sets none."""
        return self.plan.deadlines.registration or self.plan.period.end


def amended(plan: CampaignLaunched, amendment: CampaignAmended) -> CampaignLaunched:
    """The plan after an amendment: each field given replaces the previous value."""
    changes = {
        name: getattr(amendment, name)
        for name in _AMENDABLE
        if getattr(amendment, name) is not None
    }
    return plan.model_copy(update=changes)


def fold(payloads: Iterable[EventData]) -> Campaign | None:
    state: Campaign | None = None
    for payload in payloads:
        if isinstance(payload, CampaignLaunched):
            state = Campaign(origin=payload, plan=payload)
        elif state is None:
            continue
        elif isinstance(payload, CampaignAmended):
            state = replace(state, plan=amended(state.plan, payload))
        elif isinstance(payload, CampaignClosed):
            state = replace(state, closed=payload)
        elif isinstance(payload, CampaignTransferred):
            state = replace(state, transfers=(*state.transfers, payload))
    return state


def issuer_key(plan: CampaignLaunched) -> str:
    """Who issued the plan, for number uniqueness: its directory id, else its name."""
    if plan.issuer.org_id:
        return plan.issuer.org_id
    return "name:" + " ".join(plan.issuer.name.casefold().split())


def document_year(plan: CampaignLaunched) -> int:
    return plan.issued_on.year if plan.issued_on else plan.year


def plan_problems(plan: CampaignLaunched) -> list[Reason]:
    """Every rule a plan breaks (DOMAIN rules 26, 27; deadlines consistent with the period)."""
    reasons: list[Reason] = []
    period = plan.period
    if not period.start.year <= plan.year <= period.end.year:
        reasons.append(
            Reason(
                "campaign.year_outside_period",
                f"Năm thi đua {plan.year} nằm ngoài thời gian kế hoạch "
                f"{vn_date(period.start)} - {vn_date(period.end)}",
                "year",
            )
        )
    if plan.launching_level in IMPLEMENTING_LEVELS and not plan.parents:
        reasons.append(
            Reason(
                "campaign.parent_missing",
                "Kế hoạch triển khai phải nêu ít nhất một văn bản căn cứ của cấp trên",
                "parents",
            )
        )
    reasons += phase_problems(plan)
    reasons += deadline_problems(plan)
    return reasons


def phase_problems(plan: CampaignLaunched) -> list[Reason]:
    reasons: list[Reason] = []
    period = plan.period
    numbers = [p.number for p in plan.phases]
    if len(set(numbers)) != len(numbers):
        reasons.append(
            Reason(
                "campaign.phase_number_duplicate", "Số thứ tự các đợt thi đua bị trùng", "phases"
            )
        )
    for index, phase in enumerate(plan.phases):
        if phase.start < period.start or phase.end > period.end:
            reasons.append(
                Reason(
                    "campaign.phase_outside_period",
                    f"Đợt {phase.number} ({vn_date(phase.start)} - {vn_date(phase.end)}) nằm "
                    f"ngoài thời gian kế hoạch {vn_date(period.start)} - {vn_date(period.end)}",
                    f"phases.{index}",
                )
            )
    ordered = sorted(enumerate(plan.phases), key=lambda item: (item[1].start, item[1].end))
    for (_, before), (index, after) in itertools.pairwise(ordered):
        if after.start <= before.end:
            reasons.append(
                Reason(
                    "campaign.phase_overlap",
                    f"Đợt {after.number} bắt đầu {vn_date(after.start)}, trước khi đợt "
                    f"{before.number} kết thúc {vn_date(before.end)}",
                    f"phases.{index}",
                )
            )
    return reasons


def deadline_problems(plan: CampaignLaunched) -> list[Reason]:
    reasons: list[Reason] = []
    deadlines = plan.deadlines
    registration = deadlines.registration
    if registration is not None:
        opens = plan.issued_on or plan.period.start
        if registration < opens:
            reasons.append(
                Reason(
                    "campaign.registration_deadline_before_opening",
                    f"Hạn đăng ký {vn_date(registration)} trước ngày ban hành kế hoạch "
                    f"{vn_date(opens)}",
                    "deadlines.registration",
                )
            )
        if registration > plan.period.end:
            reasons.append(
                Reason(
                    "campaign.registration_deadline_after_period",
                    f"Hạn đăng ký {vn_date(registration)} sau khi kế hoạch kết thúc "
                    f"{vn_date(plan.period.end)}",
                    "deadlines.registration",
                )
            )
        for name in ("dossier", "review"):
            later: date | None = getattr(deadlines, name)
            if later is not None and later < registration:
                reasons.append(
                    Reason(
                        "campaign.deadlines_out_of_order",
                        f"Hạn {'gửi hồ sơ' if name == 'dossier' else 'xét khen thưởng'} "
                        f"{vn_date(later)} trước hạn đăng ký {vn_date(registration)}",
                        f"deadlines.{name}",
                    )
                )
    return reasons


def decide_launch(
    campaign: Campaign | None, plan: CampaignLaunched, number_holder: str | None
) -> list[EventData]:
    """``number_holder``: the campaign that already holds the plan's number, if any."""
    if campaign is not None:
        if campaign.origin == plan:
            return []
        raise refuse(
            "campaign.already_launched",
            f"Phong trào {plan.campaign_id} đã được phát động với nội dung khác; "
            "dùng CampaignAmended để sửa đổi",
            "campaign_id",
        )
    if number_holder is not None and number_holder != plan.campaign_id:
        raise refuse(
            "campaign.number_taken",
            f"Số hiệu {plan.number} của {plan.issuer.name} năm {document_year(plan)} đã dùng "
            f"cho phong trào {number_holder}",
            "number",
        )
    refuse_all(plan_problems(plan))
    return [plan]


def decide_amend(campaign: Campaign | None, amendment: CampaignAmended) -> list[EventData]:
    if campaign is None:
        raise unknown_campaign(amendment.campaign_id)
    if campaign.closed is not None:
        raise refuse(
            "campaign.closed",
            f"Phong trào đã kết thúc ngày {vn_date(campaign.closed.closed_on)}, không sửa đổi được",
            "campaign_id",
        )
    refuse_all(plan_problems(amended(campaign.plan, amendment)))
    return [amendment]


def decide_close(campaign: Campaign | None, closing: CampaignClosed) -> list[EventData]:
    if campaign is None:
        raise unknown_campaign(closing.campaign_id)
    if campaign.closed is not None:
        if campaign.closed == closing:
            return []
        raise refuse(
            "campaign.closed",
            f"Phong trào đã kết thúc ngày {vn_date(campaign.closed.closed_on)}",
            "campaign_id",
        )
    if closing.closed_on < campaign.registration_opens:
        raise refuse(
            "campaign.closed_before_launch",
            f"Ngày kết thúc {vn_date(closing.closed_on)} trước ngày phát động "
            f"{vn_date(campaign.registration_opens)}",
            "closed_on",
        )
    return [closing]


def unknown_campaign(campaign_id: str) -> Exception:
    return refuse(
        "campaign.unknown", f"Không có phong trào thi đua mã {campaign_id}", "campaign_id"
    )
