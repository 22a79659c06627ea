"""Registrations (đăng ký thi đua) of units and individuals to a campaign (DOMAIN rule 28)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contracts.base import EventData
from contracts.common import COLLECTIVE_TITLES, INDIVIDUAL_TITLES
from contracts.registration import (
    IndividualRegistered,
    Registration,
    RegistrationWithdrawn,
    UnitRegistered,
)
from services.registration.domain.campaigns import Campaign, unknown_campaign
from services.registration.domain.common import refuse, vn_date


@dataclass(frozen=True)
class Registrant:
    """One registrant's standing in one campaign."""

    active: Registration | None = None
    withdrawn: RegistrationWithdrawn | None = None


def fold(payloads: Iterable[EventData]) -> Registrant:
    state = Registrant()
    for payload in payloads:
        if isinstance(payload, Registration):
            state = Registrant(active=payload)
        elif isinstance(payload, RegistrationWithdrawn):
            state = Registrant(active=None, withdrawn=payload)
    return state


def _commitments(registration: Registration) -> dict[str, object]:
    """What a registration commits to; the date it was sent does not make it different."""
    return registration.model_dump(mode="json", exclude={"registered_on"})


def decide_register(
    campaign: Campaign | None, registrant: Registrant, registration: Registration
) -> list[EventData]:
    if campaign is None:
        raise unknown_campaign(registration.campaign_id)
    if registrant.active is not None:
        if _commitments(registrant.active) == _commitments(registration):
            return []  # a repeat is not a second registration
        raise refuse(
            "registration.already_registered",
            f"Đã đăng ký thi đua ngày {vn_date(registrant.active.registered_on)} với nội dung "
            "khác; rút đăng ký trước khi đăng ký lại",
            "campaign_id",
        )
    if campaign.closed is not None:
        raise refuse(
            "registration.campaign_closed",
            f"Phong trào đã kết thúc ngày {vn_date(campaign.closed.closed_on)}",
            "campaign_id",
        )
    day = registration.registered_on
    if day < campaign.registration_opens:
        raise refuse(
            "registration.not_open",
            f"Đăng ký ngày {vn_date(day)} trước khi phong trào được phát động "
            f"({vn_date(campaign.registration_opens)})",
            "registered_on",
        )
    if day > campaign.registration_closes:
        raise refuse(
            "registration.deadline_passed",
            f"Đăng ký ngày {vn_date(day)} sau hạn đăng ký thi đua ngày "
            f"{vn_date(campaign.registration_closes)}",
            "registered_on",
        )
    if isinstance(registration, UnitRegistered):
        wrong = [t for t in registration.titles if t not in COLLECTIVE_TITLES]
        code, who = "registration.title_not_for_collectives", "tập thể"
    else:
        assert isinstance(registration, IndividualRegistered)
        wrong = [t for t in registration.titles if t not in INDIVIDUAL_TITLES]
        code, who = "registration.title_not_for_individuals", "cá nhân"
    if wrong:
        raise refuse(
            code,
            f"Danh hiệu {', '.join(wrong)} không xét cho {who}",
            "titles",
        )
    return [registration]


def decide_withdraw(
    campaign: Campaign | None, registrant: Registrant, withdrawal: RegistrationWithdrawn
) -> list[EventData]:
    if campaign is None:
        raise unknown_campaign(withdrawal.campaign_id)
    if registrant.active is None:
        if registrant.withdrawn is not None:
            return []  # already withdrawn: nothing more to do
        raise refuse(
            "registration.not_registered",
            "Chưa đăng ký thi đua nên không thể rút đăng ký",
            "registrant_id",
        )
    if campaign.closed is not None:
        raise refuse(
            "registration.campaign_closed",
            f"Phong trào đã kết thúc ngày {vn_date(campaign.closed.closed_on)}",
            "campaign_id",
        )
    if withdrawal.withdrawn_on < registrant.active.registered_on:
        raise refuse(
            "registration.withdrawn_before_registration",
            f"Ngày rút đăng ký {vn_date(withdrawal.withdrawn_on)} trước ngày đăng ký "
            f"{vn_date(registrant.active.registered_on)}",
            "withdrawn_on",
        )
    return [withdrawal]
